"""The history page of a convention: every change to the convention and to everything it holds (audit trail)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse

from .views import convention_visible


@login_required
def page(request, pk):
    convention_visible(request, pk)
    return HttpResponse("Historique en cours de construction.", status=501)
