"""The CSV and XLSX exports of the comité's tables (``tableaux``): same access as their pages (members)."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from ctg.conventions.acces import convention_visible
from ctg.documents.tableurs import reponse_tableur

from . import tableaux
from .documents import decisions_de
from .pages import reunion_de
from .participation import bilan_reponses
from .regles import bilan_presences, comite_de


@login_required
@require_GET
def composition(request, pk, format):
    convention = convention_visible(request, pk)
    principal = comite_de(convention)
    comites = [(c, c.membres.select_related("compte")) for c in [principal, *principal.sous_comites.all()]]
    return reponse_tableur(tableaux.composition(convention, comites), format)


@login_required
@require_GET
def reunions(request, pk, format):
    convention = convention_visible(request, pk)
    a_venir, passees = tableaux.reunions_ordonnees(convention)
    avec_comite = comite_de(convention).sous_comites.exists()
    return reponse_tableur(tableaux.reunions(convention, a_venir, passees, avec_comite), format)


@login_required
@require_GET
def decisions(request, pk, format):
    convention = convention_visible(request, pk)
    liste = tableaux.decisions_avec_resultat(decisions_de(convention))
    avec_comite = comite_de(convention).sous_comites.exists()
    return reponse_tableur(tableaux.decisions(convention, liste, avec_comite), format)


@login_required
@require_GET
def initiatives(request, pk, format):
    convention = convention_visible(request, pk)
    liste = convention.initiatives.select_related("commune")
    return reponse_tableur(tableaux.initiatives(convention, liste), format)


@login_required
@require_GET
def presences(request, pk, reunion, format):
    """The attendance of a meeting, as its page shows it (answers to the invitation, attendance recorded)."""
    convention = convention_visible(request, pk)
    objet = reunion_de(convention, reunion)
    bilan, reponses = bilan_presences(objet), bilan_reponses(objet)
    lignes = tableaux.lignes_presence(objet, bilan, reponses)
    return reponse_tableur(tableaux.presences(objet, lignes, tableaux.avec_reponses(objet, reponses)), format)
