"""The evaluation of the plan (article 9): the reviews, a new review or the final bilan, one review's page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ctg import horloge
from ctg.conventions.acces import convention_visible, exiger

from .. import cycle, perms, tableaux
from ..arbre import aplatir, arbre
from ..forms import AdaptationForm, EvaluationForm, RevueForm, en_lecture_seule
from ..models import Revue, TypeRevue
from ..regles import fiches_suivies
from .commun import contexte, refuser


@login_required
def revues(request, pk):
    convention = convention_visible(request, pk)
    suivis = fiches_suivies(convention)
    return render(
        request,
        "plan/revues.html",
        contexte(
            request,
            convention,
            "revues",
            suivis,
            revues=convention.revues_plan.prefetch_related("evaluations"),
            bilan_etabli=convention.revues_plan.filter(type=TypeRevue.BILAN).exists(),
            entetes=tableaux.ENTETES_REVUES,
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def revue_nouvelle(request, pk):
    """A review (plan open) or the final bilan (``?type=bilan``; also once the convention has ended)."""
    convention = convention_visible(request, pk)
    exiger(perms.peut_evaluer(request.user, convention))
    suivis = fiches_suivies(convention)
    bilan = request.GET.get("type") == TypeRevue.BILAN or request.POST.get("type") == TypeRevue.BILAN
    form = RevueForm(
        request.POST or None,
        initial={"date": horloge.aujourd_hui(), "type": TypeRevue.BILAN if bilan else TypeRevue.REVUE},
    )
    lignes = []
    for s in suivis:
        f = EvaluationForm(
            request.POST or None,
            prefix=f"f{s.fiche.pk}",
            initial={"progression": s.progression, "statut": s.statut, "decision": "maintenir"},
        )
        lignes.append((s, f))
    adaptations = []
    if bilan:
        for n in aplatir(arbre(convention)):
            adaptations.append((n, AdaptationForm(request.POST or None, prefix=f"o{n.objectif.pk}")))
    motif = None if bilan else perms.lecture_seule(convention)
    if motif:
        for f in (form, *(f for _, f in lignes)):
            en_lecture_seule(f)
        if request.method == "POST":
            refuser(request, cycle.ChangementImpossible(motif), form)
    elif request.method == "POST" and form.is_valid() and all(f.is_valid() for _, f in lignes + adaptations):
        try:
            revue = cycle.enregistrer_revue(
                convention,
                request.user,
                date=form.cleaned_data["date"],
                type=form.cleaned_data["type"],
                nom_instance=form.cleaned_data["nom_instance"],
                synthese=form.cleaned_data["synthese"],
                effets=form.cleaned_data["effets"],
                evaluations=[{"fiche": s.fiche, **f.cleaned_data} for s, f in lignes],
                adaptations=[(n.objectif, f.cleaned_data["texte"]) for n, f in adaptations],
            )
        except cycle.ChangementImpossible as exc:
            refuser(request, exc, form)
        else:
            suite = " Le plan est clos." if revue.type == TypeRevue.BILAN else ""
            messages.success(request, f"{revue} enregistrée.{suite}")
            return redirect("plan:revue", pk=convention.pk, revue=revue.pk)
    return render(
        request,
        "plan/revue_formulaire.html",
        contexte(request, convention, "revues", suivis, form=form, lignes=lignes, adaptations=adaptations, bilan=bilan),
    )


@login_required
def revue(request, pk, revue):
    from ..documents import effets

    convention = convention_visible(request, pk)
    objet = get_object_or_404(Revue, pk=revue, convention=convention)
    suivis = fiches_suivies(convention)
    return render(
        request,
        "plan/revue.html",
        contexte(
            request,
            convention,
            "revues",
            suivis,
            revue=objet,
            evaluations=objet.evaluations.select_related("fiche"),
            adaptations=objet.adaptations.select_related("objectif"),
            effets=effets(suivis) if objet.type == TypeRevue.BILAN else [],
            entetes_evaluations=tableaux.ENTETES_EVALUATIONS,
            entetes_effets=tableaux.ENTETES_EFFETS,
        ),
    )
