"""The CSV and XLSX export of the convention diagnostic's needs (``exports.besoins``): members of the convention, as
its page. The territorial diagnostic's tables are exported by ``views.epci_export`` and ``views.indicateurs_export``."""

from django.contrib.auth.decorators import login_required
from django.views.decorators.http import require_GET

from ctg.conventions.acces import convention_visible
from ctg.documents.tableurs import reponse_tableur

from . import exports
from .partage import diagnostic_de


@login_required
@require_GET
def besoins(request, pk, format):
    convention = convention_visible(request, pk)
    return reponse_tableur(exports.besoins(convention, exports.besoins_de(diagnostic_de(convention))), format)
