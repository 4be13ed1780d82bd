"""CSV and XLSX exports: the convention diagnostic's needs (``exports.besoins``, members of the convention, as its
page); the tables of the territories' pages (open data, public; ``ctg.territoires`` is a lower floor that cannot use
``ctg.documents``). The territorial diagnostic's tables are exported by ``views.epci_export`` and
``views.indicateurs_export``."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from ctg.conventions.acces import convention_visible
from ctg.documents.tableurs import reponse_tableur
from ctg.territoires import tableaux as territoires
from ctg.territoires.fiches import communes_de_epci
from ctg.territoires.models import Departement, Epci

from . import exports
from .partage import diagnostic_de


@login_required
@require_GET
def besoins(request, pk, format):
    convention = convention_visible(request, pk)
    return reponse_tableur(exports.besoins(convention, exports.besoins_de(diagnostic_de(convention))), format)


@require_GET
def epci_communes(request, code, format):
    """The communes of an intercommunalité (its territory page), in the page's order (``?tri=…&ordre=…``)."""
    objet = get_object_or_404(Epci, code=code)
    tri = request.GET.get("tri", "population")
    ordre = request.GET.get("ordre", "desc" if tri in {"population", "part_epci"} else "asc")
    lignes = territoires.trier_communes(communes_de_epci(objet), tri, ordre)
    return reponse_tableur(exports.communes_epci(objet, lignes), format)


@require_GET
def departement_intercommunalites(request, code, format):
    """The intercommunalités of a département (its territory page)."""
    objet = get_object_or_404(Departement, code=code)
    return reponse_tableur(exports.intercommunalites(objet, territoires.epcis_du_departement(objet)), format)
