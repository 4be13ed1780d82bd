"""The CSV and XLSX exports of the comité's tables (``tableaux``): same access as their pages (members)."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from ctg.conventions.acces import convention_visible
from ctg.documents.tableurs import reponse_tableur

from . import tableaux
from .regles import comite_de


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
