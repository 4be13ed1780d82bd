"""How every page of a convention, in every app, reaches it: through the user's right to see it (article 14), then
the action's own permission. The apps' views import these two, never another app's views."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from . import perms
from .models import Convention


def convention_visible(request, pk) -> Convention:
    """The convention, if the user may see it; else 404 (article 14: its existence is not disclosed). Opening a
    page writes nothing: the status shown is the one of today (``Convention.statut_du_jour``)."""
    convention = get_object_or_404(
        Convention.objects.select_related("caf", "caf__departement", "epci", "resiliation"), pk=pk
    )
    if not perms.peut_voir(request.user, convention):
        raise Http404("Convention introuvable.")
    return convention


def exiger(autorise: bool, message: str = "Votre rôle sur cette convention ne permet pas cette action."):
    if not autorise:
        raise PermissionDenied(message)
