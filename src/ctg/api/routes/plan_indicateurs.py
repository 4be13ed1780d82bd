"""A fiche's indicators: read one, create, change and delete it through its page's forms (``IndicateurForm`` and the
yearly targets' ``CibleFormSet``, built by ``ctg.plan.edition.formulaires_indicateur``) and rules
(``edition.enregistrer_indicateur``, ``edition.supprimer_indicateur``), with the page's rights: the editors of the
convention and the commune referent who pilots the fiche, while the plan is open."""

from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import ValidationError

from ctg.conventions.acces import convention_visible, exiger
from ctg.plan import edition, perms
from ctg.plan.models import IndicateurAction

from .. import schemas
from ..erreurs import formulaire_valide
from ..securite import exiger_ecriture
from .plan import _erreur, _fiche, _fiche_de, _indicateur, _refuser_si_perimee

router = Router(tags=["Plan d'action"])

# The API's name of a field of the page's form, where they differ.
NOMS = {"deja_defini": "definition_id", "version_lue": "version"}


def _indicateur_de(objet, indicateur_action: int) -> IndicateurAction:
    return get_object_or_404(
        IndicateurAction.objects.select_related("definition", "fiche__convention"), pk=indicateur_action, fiche=objet
    )


@router.get(
    "/conventions/{pk}/fiches/{fiche}/indicateurs/{indicateur_action}",
    response=schemas.IndicateurAction,
    url_name="fiche_indicateur",
    summary="Un indicateur d'une fiche action",
)
def indicateur(request, pk: int, fiche: int, indicateur_action: int):
    """Un indicateur suivi par la fiche : sa définition, sa valeur initiale, ses cibles et ses valeurs saisies, et
    sa version (à renvoyer en le modifiant)."""
    convention = convention_visible(request, pk)
    return _indicateur(_indicateur_de(_fiche_de(convention, fiche), indicateur_action))


def _fiche_a_modifier(request, pk: int, fiche: int):
    """The fiche whose indicators the caller changes, as the page finds it: a read-write token, the convention
    visible, the editors or the referent who pilots the fiche (403), the plan open (409 and the reason)."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = _fiche_de(convention, fiche)
    exiger(perms.est_editeur(request.user, convention) or perms.pilote_referent(request.user, objet))
    edition.verifier_indicateurs_modifiables(objet, request.user)
    return convention, objet


def _donnees_cibles(cibles: list, existantes: list, lieu: tuple) -> tuple[dict, list, list]:
    """The formset's data for yearly targets replaced by ``cibles`` (one per year): an existing year kept with its
    new value, an existing year left out deleted, a new year added. Returns the data, the index in ``cibles`` of
    each form (``None``: a deleted year) and the errors of a year given twice."""
    erreurs, places = [], {}
    for i, c in enumerate(cibles):
        if c.annee in places:
            erreurs.append(_erreur((*lieu, "cibles", i, "annee"), "Cette année figure déjà plus haut dans la liste."))
        places.setdefault(c.annee, i)
    lignes = [(e.pk, places.get(e.annee)) for e in existantes]
    lignes += [(None, i) for annee, i in places.items() if annee not in {e.annee for e in existantes}]
    donnees = {"cibles-TOTAL_FORMS": str(len(lignes)), "cibles-INITIAL_FORMS": str(len(existantes))}
    for k, (pk_cible, i) in enumerate(lignes):
        if pk_cible is not None:
            donnees[f"cibles-{k}-id"] = str(pk_cible)
        if i is None:
            donnees[f"cibles-{k}-DELETE"] = "on"
            continue
        donnees[f"cibles-{k}-annee"] = str(cibles[i].annee)
        donnees[f"cibles-{k}-valeur"] = repr(cibles[i].valeur)
    return donnees, [i for _, i in lignes], erreurs


def _enregistrer(request, convention, objet, champs: dict, cibles: list | None, instance=None, lieu=("body",)):
    """The indicator's form and its yearly targets checked together (every bad field and year in one 422), then
    saved through ``edition.enregistrer_indicateur``; answers the indicator as the GET reads it."""
    donnees = {nom: "" if valeur is None else str(valeur) for nom, valeur in champs.items()}
    indices, erreurs = [], []
    if cibles is None:  # the yearly targets unchanged
        donnees.update({"cibles-TOTAL_FORMS": "0", "cibles-INITIAL_FORMS": "0"})
    else:
        existantes = list(instance.cibles.order_by("annee", "pk")) if instance is not None else []
        d, indices, erreurs = _donnees_cibles(cibles, existantes, lieu)
        donnees.update(d)
    form, trajectoire = edition.formulaires_indicateur(convention, objet, donnees, instance)
    _refuser_si_perimee(form)
    try:
        formulaire_valide(form, lieu, noms=NOMS)
    except ValidationError as exc:
        erreurs += exc.errors
    trajectoire.is_valid()
    for k, f in enumerate(trajectoire.forms):
        if indices[k] is None:  # a year deleted: not checked
            continue
        for champ, textes in f.errors.items():
            suite = () if champ == "__all__" else (champ,)
            erreurs.append(_erreur((*lieu, "cibles", indices[k], *suite), " ".join(textes)))
    erreurs += [_erreur((*lieu, "cibles"), texte) for texte in trajectoire.non_form_errors()]
    if erreurs:
        raise ValidationError(erreurs)
    enregistre = edition.enregistrer_indicateur(objet, request.user, form, trajectoire)
    return _indicateur(_indicateur_de(objet, enregistre.pk))


@router.post(
    "/conventions/{pk}/fiches/{fiche}/indicateurs",
    response={200: schemas.IndicateurAction, 409: schemas.Erreur},
    url_name="fiche_indicateur_creer",
    summary="Ajouter un indicateur à une fiche action",
)
def indicateur_creer(request, pk: int, fiche: int, saisie: schemas.SaisieIndicateur):
    """Un indicateur chiffré et daté de la fiche, comme le formulaire « Nouvel indicateur » : un indicateur déjà
    défini dans la convention (``definition_id``) ou décrit ici (intitulé, unité, source, lien au diagnostic,
    territoire), sa valeur initiale, sa cible finale et sa date, et ses cibles annuelles (la cible de l'année de
    l'échéance est la cible finale). Réservé aux éditeurs de la convention et à la ou au référent qui pilote la
    fiche, plan ouvert (sinon 409 et la raison) ; une fiche ne suit un indicateur qu'une fois (409). Un champ ou une
    année refusés : 422, et rien n'est écrit. Répond l'indicateur ; jeton « lecture et écriture »."""
    convention, objet = _fiche_a_modifier(request, pk, fiche)
    champs = saisie.model_dump(exclude={"cibles", "definition_id"})
    champs["deja_defini"] = saisie.definition_id
    return _enregistrer(request, convention, objet, champs, saisie.cibles, lieu=("body", "saisie"))


@router.patch(
    "/conventions/{pk}/fiches/{fiche}/indicateurs/{indicateur_action}",
    response={200: schemas.IndicateurAction, 409: schemas.Erreur},
    url_name="fiche_indicateur_modifier",
    summary="Modifier un indicateur d'une fiche action",
)
def indicateur_modifier(
    request, pk: int, fiche: int, indicateur_action: int, modification: schemas.ModificationIndicateur
):
    """Changer un indicateur comme son formulaire (un champ absent garde sa valeur). Changer sa description change
    l'indicateur défini quand cette fiche seule le suit ; suivi par d'autres fiches, il reste tel quel pour elles et
    cette fiche suit le nouvel indicateur. ``cibles`` présente remplace les cibles annuelles. Mêmes droits et même
    état que la création ; avec ``version``, un indicateur modifié entre-temps est refusé (409
    ``version_perimee``)."""
    convention, objet = _fiche_a_modifier(request, pk, fiche)
    instance = _indicateur_de(objet, indicateur_action)
    actuel, _ = edition.formulaires_indicateur(convention, objet, instance=instance)
    champs = {nom: actuel[nom].value() for nom in actuel.fields if nom not in ("version_lue", "deja_defini")}
    envoyes = modification.model_dump(exclude_unset=True, exclude={"version", "cibles", "definition_id"})
    champs.update(envoyes)
    if modification.definition_id is not None:
        champs["deja_defini"] = modification.definition_id
    champs["version_lue"] = instance.version if modification.version is None else modification.version
    return _enregistrer(request, convention, objet, champs, modification.cibles, instance, ("body", "modification"))


@router.delete(
    "/conventions/{pk}/fiches/{fiche}/indicateurs/{indicateur_action}",
    response={200: schemas.Fiche, 409: schemas.Erreur},
    url_name="fiche_indicateur_supprimer",
    summary="Supprimer un indicateur d'une fiche action",
)
def indicateur_supprimer(request, pk: int, fiche: int, indicateur_action: int):
    """Retirer un indicateur de la fiche, avec ses cibles et ses valeurs saisies (l'indicateur défini reste dans la
    convention pour les autres fiches), comme le bouton « Supprimer » de son formulaire : mêmes droits, plan ouvert
    (sinon 409 et la raison). Répond la fiche."""
    convention, objet = _fiche_a_modifier(request, pk, fiche)
    edition.supprimer_indicateur(objet, request.user, _indicateur_de(objet, indicateur_action))
    return _fiche(_fiche_de(convention, objet.pk), request.user)
