"""The page of a background work: its status, followed with htmx until it is finished."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404

from ctg.conventions.acces import convention_visible

from . import page_du_travail


@login_required
def travail(request, pk, travail):
    convention = convention_visible(request, pk)
    objet = get_object_or_404(convention.travaux.select_related("par"), pk=travail)
    return page_du_travail(request, objet, convention)
