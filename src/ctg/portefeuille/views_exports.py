"""The CSV and XLSX exports of the portfolio's tables (``tableaux``), with the access of their pages: the national
view for a national administrator (a Caf's staff: their own département's table, as the portfolio's home page), a
département's table of EPCI and its renewals for its Caf's staff. A département's table follows its page;
``?colonnes=toutes`` asks for every column (« Exporter toutes les colonnes »)."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from ctg.conventions.acces import exiger
from ctg.documents.tableurs import reponse_tableur

from . import perms, tableaux
from .calcul import portefeuille, vue_nationale


@login_required
@require_GET
def accueil(request, format):
    """The table of the portfolio's home page."""
    exiger(perms.peut_voir_portefeuille(request.user), perms.REFUS)
    if perms.peut_voir_national(request.user):
        return reponse_tableur(tableaux.national(vue_nationale(request.user)), format)
    return departement(request, perms.departement_de_la_caf(request.user), format)


@login_required
@require_GET
def departement(request, code, format):
    """A département's EPCI, the page's columns (every column with ``?colonnes=toutes``)."""
    objet = perms.departement_autorise(request.user, code)
    toutes = request.GET.get("colonnes") == "toutes"
    return reponse_tableur(tableaux.departement(portefeuille(objet, request.user), toutes), format)


@login_required
@require_GET
def renouvellements(request, code, format):
    """A département's conventions to renew."""
    objet = perms.departement_autorise(request.user, code)
    return reponse_tableur(tableaux.renouvellements(portefeuille(objet, request.user)), format)
