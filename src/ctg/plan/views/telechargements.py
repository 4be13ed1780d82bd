"""The plan's files: the plan (PDF/DOCX) or its action table (XLSX/CSV), a fiche, a review's report."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect

from ctg.conventions.acces import convention_visible
from ctg.documents.confidentialite import journaliser_telechargement

from ..cycle import plan_lu
from ..models import Revue, TypeRevue
from ..regles import fiches_suivies
from ..selection import Criteres, filtrer
from .commun import fiche_de, telechargement

TYPES_TABLEUR = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TYPES_DOCUMENT = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


@login_required
def document(request, pk, format):
    """The plan (PDF/DOCX, 10 pages at most) or the table of its actions (XLSX/CSV, filtered as the table is)."""
    convention = convention_visible(request, pk)
    if format in TYPES_TABLEUR:
        from ..exports import exporter_tableau

        suivis = fiches_suivies(convention)
        par_pk = {o.pk: o for o in convention.objectifs.all()}
        lignes = filtrer(suivis, Criteres.depuis(request.GET), par_pk)
        contenu = exporter_tableau(convention, lignes, format)
        return telechargement(contenu, TYPES_TABLEUR[format], f"plan-actions-{convention.epci_id}.{format}")
    if format not in TYPES_DOCUMENT:
        raise Http404("Format inconnu : pdf, docx, xlsx ou csv.")
    from ..documents import PlanTropLong, rendre_plan

    try:
        contenu = rendre_plan(convention, format)
    except PlanTropLong as exc:
        messages.error(request, str(exc))
        return redirect("plan:arbre", pk=convention.pk)
    journaliser_telechargement(request, convention, plan_lu(convention), "Plan d'actions", format)
    return telechargement(contenu, TYPES_DOCUMENT[format], f"plan-actions-{convention.epci_id}.{format}")


@login_required
def fiche_document(request, pk, fiche, format):
    convention = convention_visible(request, pk)
    objet = fiche_de(convention, fiche)
    if format not in TYPES_DOCUMENT:
        raise Http404("Format inconnu : pdf ou docx.")
    from ..documents import rendre_fiche

    contenu = rendre_fiche(objet, format)
    return telechargement(contenu, TYPES_DOCUMENT[format], f"fiche-action-{objet.numero}.{format}")


@login_required
def revue_document(request, pk, revue, format):
    convention = convention_visible(request, pk)
    objet = get_object_or_404(Revue, pk=revue, convention=convention)
    if format not in TYPES_DOCUMENT:
        raise Http404("Format inconnu : pdf ou docx.")
    from ..documents import rendre_evaluation

    nom = f"{'bilan' if objet.type == TypeRevue.BILAN else 'revue'}-plan-{objet.date:%Y-%m-%d}.{format}"
    return telechargement(rendre_evaluation(objet, format), TYPES_DOCUMENT[format], nom)
