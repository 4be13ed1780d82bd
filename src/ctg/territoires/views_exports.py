"""The CSV and XLSX exports of the territories' tables (``tableaux``): open data, public as their pages."""

from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from ctg.documents.tableurs import reponse_tableur

from . import tableaux
from .fiches import communes_de_epci
from .models import Departement, Epci


@require_GET
def epci_communes(request, code, format):
    """The communes of an intercommunalité, in the page's order (``?tri=…&ordre=…``)."""
    objet = get_object_or_404(Epci, code=code)
    tri = request.GET.get("tri", "population")
    ordre = request.GET.get("ordre", "desc" if tri in {"population", "part_epci"} else "asc")
    lignes = tableaux.trier_communes(communes_de_epci(objet), tri, ordre)
    return reponse_tableur(tableaux.communes(objet, lignes), format)


@require_GET
def departement_epci(request, code, format):
    """The intercommunalités of a département."""
    objet = get_object_or_404(Departement, code=code)
    return reponse_tableur(tableaux.epci_du_departement(objet, tableaux.epcis_du_departement(objet)), format)
