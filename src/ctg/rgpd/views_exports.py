"""The CSV and XLSX exports of the rgpd tables (``tableaux``): same access and same rows as their pages — the
requests for every member of the convention, the confidential downloads' log for its editors."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from ctg.conventions.acces import convention_visible, exiger
from ctg.documents.confidentialite import telechargements as journal
from ctg.documents.tableurs import reponse_tableur

from . import tableaux
from .perms_personnes import MESSAGE_JOURNAL, peut_lire_journal_confidentiel


@login_required
@require_GET
def demandes(request, pk, format):
    convention = convention_visible(request, pk)
    liste = list(convention.demandes_echange.select_related("demandeur", "detenteur"))
    return reponse_tableur(tableaux.demandes(convention, liste), format)


@login_required
@require_GET
def telechargements(request, pk, format):
    convention = convention_visible(request, pk)
    exiger(peut_lire_journal_confidentiel(request.user, convention), MESSAGE_JOURNAL)
    liste = journal(convention)[: tableaux.TELECHARGEMENTS_AFFICHES]
    return reponse_tableur(tableaux.telechargements(convention, liste), format)
