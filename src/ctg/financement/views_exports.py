"""The CSV and XLSX exports of the financing tables (``tableaux``), with the access of their pages: the members of
the convention (the national rates: anyone signed in). The bonus, commitments and multi-year tables of the
convention's pages are exported by ``views.export`` (``?tableau=``), which also gives the import template."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.views.decorators.http import require_GET

from ctg import horloge
from ctg.conventions.acces import convention_visible
from ctg.documents.tableurs import reponse_tableur

from . import tableaux
from .calcul import Donnees
from .forms import SimulationForm
from .lecture import commune_de, simuler_formulaire, structure_de


def _export(calcul):
    @login_required
    @require_GET
    def vue(request, pk, format, **arguments):
        return reponse_tableur(calcul(request, convention_visible(request, pk), **arguments), format)

    vue.__doc__ = calcul.__doc__
    return vue


@_export
def cej(request, convention):
    """The Cej references of the convention."""
    return tableaux.cej(convention, tableaux.cej_tries(Donnees(convention)))


@_export
def commune_engagement(request, convention, commune):
    """A former Cej commune's commitment per year."""
    objet = commune_de(convention, commune)
    donnees = Donnees(convention)
    return tableaux.engagement_commune_tableau(convention, objet, tableaux.engagements_de(donnees, objet), donnees)


@_export
def commune_verifications(request, convention, commune):
    """The Caf's verifications of a commune's funding."""
    objet = commune_de(convention, commune)
    return tableaux.verifications(convention, objet, tableaux.verifications_de(convention, objet))


def _structure(convention, pk):
    donnees = Donnees(convention)
    objet = structure_de(convention, pk)
    return donnees, next(s for s in donnees.structures if s.pk == objet.pk)


@_export
def structure_capacite(request, convention, structure):
    """A structure's capacity over time."""
    donnees, objet = _structure(convention, structure)
    return tableaux.capacites(objet, donnees.capacites.get(objet.pk, []))


@_export
def structure_financements(request, convention, structure):
    """A structure's actual funding (budgets, comptes de résultat)."""
    objet = structure_de(convention, structure)
    return tableaux.financements(objet, objet.financements.order_by("annee", "document"))


@_export
def structure_bonus(request, convention, structure):
    """A structure's bonus territoire per year of the convention."""
    donnees, objet = _structure(convention, structure)
    return tableaux.bonus(objet, tableaux.bonus_par_annee(donnees, objet))


@login_required
@require_GET
def simulation(request, pk, format):
    """The simulation's result for the parameters of the page; incomplete parameters: the page, with its form's
    errors."""
    convention = convention_visible(request, pk)
    form = SimulationForm(request.GET or None, convention=convention)
    if not form.is_valid():
        return render(request, "financement/simulation.html", {"convention": convention, "form": form})
    return reponse_tableur(tableaux.simulation(convention, simuler_formulaire(convention, form)), format)


@login_required
@require_GET
def baremes(request, format):
    """The national rates, every period (the history included)."""
    return reponse_tableur(tableaux.baremes(tableaux.sections_baremes(horloge.aujourd_hui())), format)
