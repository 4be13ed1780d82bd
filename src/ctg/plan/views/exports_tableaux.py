"""The CSV and XLSX exports of the plan's tables (``ctg.plan.tableaux``): same access as their pages (members), same
followed fiches, same rows. A fiche's tables (its budget, an indicator's yearly targets and values) read that fiche
alone, followed on the same day as its page."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from ctg.conventions.acces import convention_visible
from ctg.conventions.models import Domaine
from ctg.documents.tableurs import reponse_tableur

from .. import presentation, tableaux
from ..documents import effets as effets_du_bilan
from ..models import FicheAction, Revue, TypeRevue
from ..regles import Suivi, fiches_suivies, jour_de_suivi


def _export(calcul):
    """A view answering ``calcul(convention, followed fiches, demonstration, **url arguments)`` as ``format``."""

    @login_required
    @require_GET
    def vue(request, pk, format, **arguments):
        convention = convention_visible(request, pk)
        suivis = fiches_suivies(convention)
        demonstration = any(s.demonstration for s in suivis)
        return reponse_tableur(calcul(convention, suivis, demonstration, **arguments), format)

    vue.__doc__ = calcul.__doc__
    return vue


@_export
def budget(convention, suivis, demonstration):
    """The dashboard's budget by year and financer."""
    return tableaux.budget(convention, presentation.bord(suivis, convention.objectifs.all()), demonstration)


@_export
def cibles(convention, suivis, demonstration):
    """The dashboard's targets of the year."""
    return tableaux.cibles(convention, presentation.cibles_de_l_annee(suivis), demonstration)


@_export
def besoins_communes(convention, suivis, demonstration):
    """The map of needs, per commune."""
    _, _, lignes = presentation.cartographie(convention, suivis)
    communes = [ligne for ligne in lignes if ligne["besoins"] or ligne["actions"]]
    return tableaux.besoins_par_commune(convention, communes, demonstration)


@_export
def besoins(convention, suivis, demonstration):
    """The needs of the diagnostic and the actions answering them."""
    tous, _, _ = presentation.cartographie(convention, suivis)
    return tableaux.besoins(convention, tous, dict(Domaine.choices), demonstration)


@_export
def revues(convention, suivis, demonstration):
    """The reviews of the plan."""
    return tableaux.revues(convention, convention.revues_plan.prefetch_related("evaluations"), demonstration)


@_export
def evaluations(convention, suivis, demonstration, revue):
    """A review's evaluation of the actions."""
    objet = get_object_or_404(Revue, pk=revue, convention=convention)
    return tableaux.evaluations(objet, objet.evaluations.select_related("fiche"), demonstration)


@_export
def effets(convention, suivis, demonstration, revue):
    """The final bilan's effects (indicators before / after); none for a review."""
    objet = get_object_or_404(Revue, pk=revue, convention=convention)
    liste = effets_du_bilan(suivis) if objet.type == TypeRevue.BILAN else []
    return tableaux.effets(objet, liste, demonstration)


def _export_fiche(calcul):
    """A view answering ``calcul(followed fiche, **url arguments)`` as ``format``, for the fiche of the address."""

    @login_required
    @require_GET
    def vue(request, pk, fiche, format, **arguments):
        convention = convention_visible(request, pk)
        objet = get_object_or_404(
            FicheAction.objects.select_related("convention").prefetch_related(
                "financements", "indicateurs__definition", "indicateurs__valeurs_saisies", "indicateurs__cibles"
            ),
            pk=fiche,
            convention=convention,
        )
        return reponse_tableur(calcul(Suivi(objet, jour_de_suivi(convention)), **arguments), format)

    vue.__doc__ = calcul.__doc__
    return vue


def _mesure(suivi, indicateur: int):
    mesure = next((m for m in suivi.mesures if m.indicateur.pk == indicateur), None)
    if mesure is None:
        raise Http404("Indicateur introuvable dans cette fiche.")
    return mesure


@_export_fiche
def fiche_budget(suivi):
    """A fiche's budget: planned and actual financings."""
    return tableaux.budget_fiche(suivi)


@_export_fiche
def indicateur_cibles(suivi, indicateur):
    """A fiche's indicator: its yearly targets and the values measured those years."""
    return tableaux.cibles_indicateur(suivi, _mesure(suivi, indicateur))


@_export_fiche
def indicateur_valeurs(suivi, indicateur):
    """A fiche's indicator: its values, entered by hand or read in the open data."""
    return tableaux.valeurs_indicateur(suivi, _mesure(suivi, indicateur))
