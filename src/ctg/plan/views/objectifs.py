"""The objectives of the plan and its lifecycle: an objective's form, the plan's adoption, its withdrawal, a revision.

Rights are checked twice: the role (``exiger``: 403 for a role that may not) and the plan's state (closed, or the
convention ended: the page still opens for an editor, read-only, and a submission is refused with the reason)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ctg.concurrence import VersionPerimee
from ctg.conventions.acces import convention_visible, exiger

from .. import cycle, edition, perms
from ..forms import AdoptionForm, RevisionForm, en_lecture_seule
from ..models import Objectif, StatutPlan
from .commun import contexte, refuser


@login_required
@require_http_methods(["GET", "POST"])
def objectif(request, pk, objectif=None):
    convention = convention_visible(request, pk)
    exiger(perms.est_editeur(request.user, convention))
    plan = cycle.plan_lu(convention)
    motif = edition.motif_objectifs_figes(convention, plan)
    instance = get_object_or_404(Objectif, pk=objectif, convention=convention) if objectif else None
    if request.method == "POST" and "supprimer" in request.POST and instance:
        try:
            edition.supprimer_objectif(convention, instance, plan)
        except cycle.ChangementImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, "Objectif supprimé.")
        return redirect("plan:arbre", pk=convention.pk)
    initial = {"rattachement": request.GET.get("parent", "")} if not instance else None
    form = edition.formulaire_objectif(convention, request.POST or None, instance, initial)
    if motif:
        en_lecture_seule(form)
        if request.method == "POST":
            refuser(request, cycle.ChangementImpossible(motif), form)
    elif request.method == "POST" and form.is_valid():
        try:
            nouveau = edition.enregistrer_objectif(convention, request.user, form)
        except VersionPerimee:
            pass  # the form carries the error (what changed since)
        except cycle.ChangementImpossible as exc:
            refuser(request, exc, form)
        else:
            messages.success(request, f"{nouveau.get_niveau_display()} « {nouveau.intitule} » enregistré.")
            return redirect("plan:arbre", pk=convention.pk)
    return render(
        request,
        "plan/objectif_formulaire.html",
        contexte(request, convention, "arbre", form=form, objectif=instance, motif_fige=motif),
    )


@login_required
@require_POST
def adopter(request, pk):
    """The plan's lifecycle: adopt it (or its revision), withdraw a mistaken adoption, open a revision."""
    convention = convention_visible(request, pk)
    exiger(perms.est_editeur(request.user, convention))
    action = request.POST.get("action", "adopter")
    try:
        if action == "retirer":
            cycle.retirer_adoption(convention, request.user)
            messages.success(request, "Adoption du plan retirée : le plan est de nouveau en préparation.")
        elif action == "reviser":
            form = RevisionForm(request.POST)
            if not form.is_valid():
                raise cycle.ChangementImpossible("Indiquez le motif de la révision (la décision du comité).")
            cycle.ouvrir_revision(convention, request.user, form.cleaned_data["motif"])
            messages.success(request, "Révision du plan ouverte : ses objectifs peuvent être modifiés.")
        else:
            form = AdoptionForm(request.POST)
            if not form.is_valid():
                raise cycle.ChangementImpossible("Indiquez une date d'adoption valide.")
            revision = cycle.plan_lu(convention).statut == StatutPlan.EN_REVISION
            cycle.adopter_plan(convention, form.cleaned_data["date"], request.user)
            jour = form.cleaned_data["date"]
            messages.success(
                request,
                f"Révision du plan adoptée le {jour:%d/%m/%Y}."
                if revision
                else f"Plan adopté le {jour:%d/%m/%Y} : les objectifs et projets sont identifiés (article 4).",
            )
    except cycle.ChangementImpossible as exc:
        refuser(request, exc)
    return redirect("plan:arbre", pk=convention.pk)
