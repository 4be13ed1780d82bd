"""Saving the plan's content through its pages' forms: a fiche action (with its partners, milestones and budget), a
fiche's indicator (with its yearly targets) and an objective of the tree. The pages and the API build the same forms
here (same choices, same fields locked for a role or a seeded node) and save through the same functions, which
refuse with :class:`~ctg.plan.cycle.ChangementImpossible` and the page's French reason (plan closed, convention
ended, objectives adopted); a form read at an older version is refused with :class:`~ctg.concurrence.VersionPerimee`."""

from __future__ import annotations

from django.db import transaction

from ctg import horloge
from ctg.formats import trier_par_nom

from . import cibles, cycle, definitions, perms
from .acteurs import organisations_de_la_convention
from .forms import (
    ActeurFormSet,
    CibleFormSet,
    FicheForm,
    FinancementFormSet,
    IndicateurForm,
    JalonFormSet,
    ObjectifForm,
    en_lecture_seule,
)
from .models import FicheAction, IndicateurAction, Objectif
from .presentation import catalogue_indicateurs, choix_fiche, parents_possibles

# --- Fiches action -----------------------------------------------------------------------------------------------


def formulaire_fiche(convention, user, donnees=None, instance: FicheAction | None = None, initial=None) -> FicheForm:
    """The fiche's form, with the convention's choices; a referent piloting the fiche does not hand it over (the
    account of the pilot is locked for whoever is not an editor)."""
    form = FicheForm(donnees, instance=instance, initial=initial, **choix_fiche(convention))
    if not perms.est_editeur(user, convention):
        form.fields["pilote"].disabled = True
    return form


ENSEMBLES_FICHE = ("acteurs", "jalons", "financements")


def ensembles_fiche(convention, donnees=None, instance: FicheAction | None = None, noms=ENSEMBLES_FICHE) -> dict:
    """The fiche's formsets named in ``noms``: its partners and operators (organisations of the convention, or
    named), its milestones and its budget lines (planned and actual amounts), each keyed by its prefix."""
    parent = instance or FicheAction()
    classes = {"acteurs": ActeurFormSet, "jalons": JalonFormSet, "financements": FinancementFormSet}
    ensembles = {}
    for nom in noms:
        options = {}
        if nom == "acteurs":
            options["form_kwargs"] = {
                "convention": convention,
                "organisations": organisations_de_la_convention(convention),
            }
        ensembles[nom] = classes[nom](donnees, instance=parent, prefix=nom, **options)
    return ensembles


def formulaires_fiche(convention, user, donnees=None, instance: FicheAction | None = None, initial=None) -> dict:
    """What the fiche's page edits: its form (``form``) and its formsets (``acteurs``, ``jalons``,
    ``financements``), every control locked while the plan is read-only."""
    formulaires = {
        "form": formulaire_fiche(convention, user, donnees, instance, initial),
        **ensembles_fiche(convention, donnees, instance),
    }
    if perms.lecture_seule(convention):
        for nom, formulaire in formulaires.items():
            for f in [formulaire] if nom == "form" else formulaire.forms:
                en_lecture_seule(f)
    return formulaires


def verifier_plan_modifiable(convention) -> None:
    """Refuse (:class:`~ctg.plan.cycle.ChangementImpossible`, the page's reason) while the plan is read-only."""
    motif = perms.lecture_seule(convention)
    if motif:
        raise cycle.ChangementImpossible(motif)


@transaction.atomic
def supprimer_fiche(fiche: FicheAction) -> None:
    """Delete a fiche (its indicators, milestones and budget with it) while the plan may change; the caller checked
    that the person is an editor."""
    verifier_plan_modifiable(fiche.convention)
    fiche.delete()


@transaction.atomic
def enregistrer_fiche(convention, user, form: FicheForm, ensembles=(), nouvelle: bool = False) -> FicheAction:
    """Save the valid ``form`` of a fiche and its ``ensembles`` (partners, milestones, budget formsets): a new fiche
    is numbered, dated today and started at once if its form asks so. Refused while the plan is read-only (a new
    fiche: also for whoever is not an editor), or when the fiche changed since the form was read."""
    motif = perms.lecture_seule(convention)
    if motif:
        raise cycle.ChangementImpossible(motif)
    if nouvelle:
        cycle.verifier_plan_ouvert(convention, user)
        form.instance.convention = convention
        form.instance.numero = cycle.numero_suivant(convention)
        form.instance.statut_le = horloge.aujourd_hui()
    objet = form.save()
    for ensemble in ensembles:
        ensemble.instance = objet
        ensemble.save()
    if nouvelle and form.a_demarrer:
        objet = cycle.changer_statut_fiche(objet, "demarrer", user)
    return objet


# --- A fiche's indicators ------------------------------------------------------------------------------------------

REFUS_INDICATEUR = (
    "Seuls la ou le conseiller Caf, la ou le chef de projet et la ou le référent qui pilote la fiche modifient ses "
    "indicateurs."
)


def formulaires_indicateur(convention, fiche: FicheAction, donnees=None, instance: IndicateurAction | None = None):
    """The indicator's form (an indicator already defined in the convention, or described here; its baseline and
    final target) and the formset of its yearly targets (prefix ``cibles``), locked while the plan is read-only."""
    communes = trier_par_nom(convention.epci.communes.values_list("code", "nom"), nom=lambda c: c[1])
    form = IndicateurForm(
        donnees,
        instance=instance,
        definitions=convention.definitions_indicateurs.all(),
        catalogue=catalogue_indicateurs(),
        communes=communes,
    )
    trajectoire = CibleFormSet(donnees, instance=instance or IndicateurAction(fiche=fiche), prefix="cibles")
    if perms.lecture_seule(convention):
        for f in (form, *trajectoire.forms):
            en_lecture_seule(f)
    return form, trajectoire


def verifier_indicateurs_modifiables(fiche: FicheAction, user) -> None:
    """Refuse (the page's reason) a change of ``fiche``'s indicators by ``user``: the editors and the referent who
    pilots the fiche (:class:`~ctg.plan.cycle.PermissionRefusee`), while the plan is open."""
    if not perms.pilote_de_la_fiche(fiche, user):
        raise cycle.PermissionRefusee(REFUS_INDICATEUR)
    verifier_plan_modifiable(fiche.convention)


@transaction.atomic
def enregistrer_indicateur(fiche: FicheAction, user, form: IndicateurForm, trajectoire) -> IndicateurAction:
    """Save the valid ``form`` of an indicator of ``fiche`` and its yearly targets (``trajectoire``): it follows the
    definition chosen or described (``definitions.definir``), and the target of its final year is its final target.
    Refused while the plan is read-only, for a role that may not, when the fiche already follows that indicator, or
    when the indicator changed since the form was read (``VersionPerimee``)."""
    verifier_indicateurs_modifiables(fiche, user)
    indicateur = form.instance
    indicateur.fiche = fiche
    definitions.definir(indicateur, champs=form.champs_definition, choisie=form.definition_choisie)
    enregistre = form.save()
    trajectoire.instance = enregistre
    trajectoire.save()
    cibles.aligner_cible_finale(enregistre)
    return enregistre


@transaction.atomic
def supprimer_indicateur(fiche: FicheAction, user, indicateur: IndicateurAction) -> None:
    """Delete an indicator of ``fiche`` (its yearly targets and values with it), with the same rights and state."""
    verifier_indicateurs_modifiables(fiche, user)
    if indicateur.fiche_id != fiche.pk:
        raise cycle.ChangementImpossible("Cet indicateur n'appartient pas à cette fiche.")
    indicateur.delete()


# --- The objectives tree -----------------------------------------------------------------------------------------


def motif_objectifs_figes(convention, plan=None) -> str | None:
    """Why the objectives tree cannot change now (plan read-only, or adopted and not under revision), or ``None``."""
    motif = perms.lecture_seule(convention)
    if motif:
        return motif
    plan = plan or cycle.plan_lu(convention)
    if not plan.objectifs_modifiables:
        return (
            f"Le plan a été adopté le {plan.adopte_le:%d/%m/%Y} : ses objectifs sont arrêtés. Pour les modifier, "
            "ouvrez une révision du plan (décision du comité de pilotage), puis faites adopter la révision."
        )
    return None


def formulaire_objectif(convention, donnees=None, instance: Objectif | None = None, initial=None) -> ObjectifForm:
    """The objective's form: where it may hang (no cycle); a mission or enjeu of the convention (a seeded node)
    keeps its wording and place."""
    form = ObjectifForm(donnees, instance=instance, parents=parents_possibles(convention, instance), initial=initial)
    if instance is not None and instance.source:
        form.fields["rattachement"].disabled = True
        form.fields["intitule"].disabled = True
    return form


@transaction.atomic
def supprimer_objectif(convention, objectif: Objectif, plan=None) -> None:
    """Delete an objective of the tree while the objectives may change; the convention's missions and enjeux
    (articles 2 and 4) stay. The caller checked that the person is an editor."""
    motif = motif_objectifs_figes(convention, plan)
    if motif:
        raise cycle.ChangementImpossible(motif)
    if objectif.source:
        raise cycle.ChangementImpossible(
            "Les missions et enjeux de la convention (articles 2 et 4) ne se suppriment pas."
        )
    objectif.delete()


@transaction.atomic
def enregistrer_objectif(convention, user, form: ObjectifForm) -> Objectif:
    """Save the valid ``form`` of an objective in the tree: the editors, while the objectives may change."""
    if not perms.est_editeur(user, convention):
        raise cycle.PermissionRefusee(
            "Seuls la ou le conseiller Caf et la ou le chef de projet de la convention modifient les objectifs."
        )
    motif = motif_objectifs_figes(convention)
    if motif:
        raise cycle.ChangementImpossible(motif)
    cycle.plan_de(convention)
    return form.save_dans(convention)
