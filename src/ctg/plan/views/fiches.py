"""The fiches action: a fiche's page, its status, its form (with milestones and budget), its indicators and their
values entered by hand. Every change of state goes through ``ctg.plan.cycle``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ctg import horloge
from ctg.concurrence import VersionPerimee
from ctg.conventions.acces import convention_visible, exiger

from .. import cycle, edition, perms, tableaux, valeurs
from ..arbre import enjeux_du_domaine, numeros
from ..forms import ValeurForm
from ..models import IndicateurAction, StatutFiche, ValeurSaisie
from ..presentation import autres_fiches
from ..regles import fiches_suivies
from .commun import contexte, fiche_de, refuser


@login_required
def fiche(request, pk, fiche):
    convention = convention_visible(request, pk)
    objet = fiche_de(convention, fiche)
    suivi = next(s for s in fiches_suivies(convention) if s.fiche.pk == objet.pk)
    autres_fiches(suivi)
    nums = numeros(convention)
    return render(
        request,
        "plan/fiche.html",
        contexte(
            request,
            convention,
            "fiche",
            [suivi],
            suivi=suivi,
            fiche=suivi.fiche,
            objectifs=[(nums.get(o.pk, ""), o) for o in suivi.fiche.objectifs.all()],
            peut_modifier_fiche=perms.peut_modifier_fiche(request.user, convention, objet),
            transitions=cycle.transitions_possibles(objet, request.user),
            valeur_form=ValeurForm(initial={"date": horloge.aujourd_hui()}),
            evaluations=objet.evaluations.select_related("revue").order_by("-revue__date"),
            entetes_budget=tableaux.ENTETES_BUDGET_FICHE,
            entetes_cibles=tableaux.ENTETES_CIBLES_INDICATEUR,
            entetes_valeurs=tableaux.ENTETES_VALEURS_INDICATEUR,
        ),
    )


@login_required
@require_POST
def fiche_statut(request, pk, fiche):
    """Fire one transition of the fiche's status (the buttons of the fiche's page)."""
    convention = convention_visible(request, pk)
    objet = fiche_de(convention, fiche)
    exiger(perms.est_editeur(request.user, convention) or perms.pilote_referent(request.user, objet))
    try:
        apres = cycle.changer_statut_fiche(objet, request.POST.get("transition", ""), request.user)
    except cycle.ChangementImpossible as exc:
        refuser(request, exc)
    else:
        messages.success(request, f"Fiche n° {apres.numero} : statut « {apres.get_statut_display()} ».")
    return redirect(objet)


def _enregistrer_fiche(request, convention, instance, initial=None):
    """The fiche's form with its partners, milestones and budget (``edition.formulaires_fiche``); saved (a new fiche
    numbered, and started if asked) when valid, current and the plan open. Returns the saved fiche or ``None``, and
    the forms (the fiche's first)."""
    formulaires = edition.formulaires_fiche(convention, request.user, request.POST or None, instance, initial)
    form = formulaires["form"]
    ensembles = [formulaires[nom] for nom in edition.ENSEMBLES_FICHE]
    if perms.lecture_seule(convention):
        if request.method == "POST":
            refuser(request, cycle.ChangementImpossible(perms.lecture_seule(convention)), form)
        return None, formulaires
    if request.method == "POST" and form.is_valid() and all([e.is_valid() for e in ensembles]):
        try:
            objet = edition.enregistrer_fiche(convention, request.user, form, ensembles, nouvelle=instance is None)
        except VersionPerimee:
            return None, formulaires  # the form carries the error (what changed since)
        except cycle.ChangementImpossible as exc:
            refuser(request, exc, form)
            return None, formulaires
        return objet, formulaires
    return None, formulaires


@login_required
@require_http_methods(["GET", "POST"])
def fiche_nouvelle(request, pk):
    """A new fiche; from a need of the diagnostic (``?besoin=``), pre-filled with its domain's enjeux and communes."""
    from ctg.diagnostic.partage import diagnostic_de

    convention = convention_visible(request, pk)
    exiger(perms.est_editeur(request.user, convention))
    initial = {"statut": StatutFiche.A_VENIR}
    besoin = None
    if request.GET.get("besoin", "").isdigit():
        besoin = diagnostic_de(convention).besoins.filter(pk=int(request.GET["besoin"])).first()
    if besoin is not None:
        initial.update(
            titre=besoin.intitule[:200],
            public=besoin.public,
            besoins=[str(besoin.pk)],
            communes=list(besoin.communes.values_list("code", flat=True)),
            objectifs=[str(o.pk) for o in enjeux_du_domaine(convention, besoin.domaine)],
            priorite=besoin.priorite,
        )
    objet, formulaires = _enregistrer_fiche(request, convention, None, initial)
    if objet is not None:
        messages.success(request, f"Fiche n° {objet.numero} créée. Ajoutez-lui un indicateur chiffré et daté.")
        return redirect(objet)
    return render(
        request,
        "plan/fiche_formulaire.html",
        contexte(request, convention, "fiche", besoin=besoin, **formulaires),
    )


@login_required
@require_http_methods(["GET", "POST"])
def fiche_modifier(request, pk, fiche):
    convention = convention_visible(request, pk)
    objet = fiche_de(convention, fiche)
    exiger(perms.est_editeur(request.user, convention) or perms.pilote_referent(request.user, objet))
    if request.method == "POST" and "supprimer" in request.POST:
        exiger(perms.est_editeur(request.user, convention))
        try:
            edition.supprimer_fiche(objet)
        except cycle.ChangementImpossible as exc:
            messages.error(request, str(exc))
            return redirect(objet)
        messages.success(request, f"Fiche n° {objet.numero} supprimée.")
        return redirect("plan:tableau", pk=convention.pk)
    enregistre, formulaires = _enregistrer_fiche(request, convention, objet)
    if enregistre is not None:
        messages.success(request, f"Fiche n° {enregistre.numero} enregistrée.")
        return redirect(enregistre)
    return render(
        request,
        "plan/fiche_formulaire.html",
        contexte(request, convention, "fiche", fiche=objet, **formulaires),
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicateur(request, pk, fiche, indicateur=None):
    """An indicator of the fiche and its yearly targets: built and saved (or deleted) by ``ctg.plan.edition``."""
    convention = convention_visible(request, pk)
    objet = fiche_de(convention, fiche)
    exiger(perms.est_editeur(request.user, convention) or perms.pilote_referent(request.user, objet))
    instance = get_object_or_404(IndicateurAction, pk=indicateur, fiche=objet) if indicateur else None
    if request.method == "POST" and "supprimer" in request.POST and instance:
        try:
            edition.supprimer_indicateur(objet, request.user, instance)
        except cycle.ChangementImpossible as exc:
            refuser(request, exc)
        else:
            messages.success(request, "Indicateur supprimé.")
        return redirect(objet)
    form, trajectoire = edition.formulaires_indicateur(convention, objet, request.POST or None, instance)
    motif = perms.lecture_seule(convention)
    if motif:
        if request.method == "POST":
            refuser(request, cycle.ChangementImpossible(motif), form)
    elif request.method == "POST" and form.is_valid() and trajectoire.is_valid():
        try:
            enregistre = edition.enregistrer_indicateur(objet, request.user, form, trajectoire)
        except VersionPerimee:
            pass  # the form carries the error (what changed since)
        except cycle.ChangementImpossible as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Indicateur « {enregistre.definition.libelle} » enregistré.")
            return redirect(objet)
    return render(
        request,
        "plan/indicateur_formulaire.html",
        contexte(request, convention, "fiche", form=form, cibles=trajectoire, fiche=objet, indicateur=instance),
    )


@login_required
@require_POST
def valeur(request, pk, fiche, indicateur):
    """Add (or replace, same date) a value entered by hand; ``supprimer=<id>`` removes one (``ctg.plan.valeurs``)."""
    convention = convention_visible(request, pk)
    objet = fiche_de(convention, fiche)
    exiger(perms.pilote_de_la_fiche(objet, request.user))
    ind = get_object_or_404(IndicateurAction, pk=indicateur, fiche=objet)
    try:
        valeurs.verifier_saisie(ind, request.user)
        if request.POST.get("supprimer", "").isdigit():
            saisie = ValeurSaisie.objects.filter(indicateur=ind, pk=int(request.POST["supprimer"])).first()
            valeurs.supprimer_valeur(ind, saisie, request.user)
            messages.success(request, "Valeur supprimée.")
            return redirect(objet)
        form = ValeurForm(request.POST)
        if form.is_valid():
            donnees = form.cleaned_data
            valeurs.enregistrer_valeur(ind, donnees["date"], donnees["valeur"], donnees["commentaire"], request.user)
            messages.success(request, f"Valeur du {donnees['date']:%d/%m/%Y} enregistrée.")
        else:
            erreurs = "; ".join(
                f"{form.fields[c].label if c in form.fields else ''} : {', '.join(e)}" for c, e in form.errors.items()
            )
            messages.error(request, f"Valeur non enregistrée — {erreurs}")
    except cycle.ChangementImpossible as exc:
        messages.error(request, f"Valeur non enregistrée — {exc}")
    return redirect(objet)
