"""The CSV and XLSX exports of a convention's tables (``tableaux``): same access as their pages (members)."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from ctg.documents.tableurs import reponse_tableur

from . import tableaux
from .acces import convention_visible
from .echeances import echeances
from .historique import FiltreHistorique, collecter, detailler


def _export(calcul):
    @login_required
    @require_GET
    def vue(request, pk, format):
        return reponse_tableur(calcul(request, convention_visible(request, pk)), format)

    vue.__doc__ = calcul.__doc__
    return vue


@_export
def adhesions(request, convention):
    """The adhesions of the communes (annexe 4)."""
    return tableaux.adhesions(convention)


@_export
def echeances_export(request, convention):
    """The deadlines of the dashboard."""
    return tableaux.echeances(convention, echeances(convention))


@_export
def membres(request, convention):
    """The members of the convention and their role."""
    return tableaux.membres(convention, tableaux.habilitations(convention))


@_export
def historique(request, convention):
    """The whole history (every page), with the page's filters."""
    references = collecter(convention)
    form = FiltreHistorique(request.GET or None, references=references)
    if form.is_bound and form.is_valid():
        references = form.filtrer(references)
    return tableaux.historique(convention, detailler(references))


@login_required
@require_GET
def conventions(request, format):
    """The list of the conventions the user sees (``perms.conventions_visibles``), as the list's page."""
    return reponse_tableur(tableaux.conventions(tableaux.conventions_de(request.user), request.user), format)


@_export
def communications(request, convention):
    """The joint communication items (article 8) and their approvals."""
    return tableaux.communications(convention, tableaux.communications_de(convention))
