"""The CSV and XLSX export of the data page's history of imports (``tableaux``), for the people who may open it."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from ctg.documents.tableurs import reponse_tableur

from . import perms, tableaux


@login_required
@require_GET
def fichiers(request, format):
    perms.exiger_importateur(request.user)
    return reponse_tableur(tableaux.fichiers(tableaux.fichiers_importes()), format)
