"""The page of a background work: its status, followed with htmx until it is finished."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render

from ctg.conventions.views import convention_visible

from . import constater_interruption
from .models import Travail

# How often the page asks for the status while the work is waiting or running.
INTERVALLE_SECONDES = 2


@login_required
def travail_donnees(request, travail):
    """An import of open data (no convention): followed by those who may import (``ctg.donnees.perms``)."""
    from ctg.donnees.perms import peut_importer

    if not peut_importer(request.user):
        raise PermissionDenied(
            "Ce travail concerne l'import de données ouvertes, réservé aux agents des Caf habilités."
        )
    objet = get_object_or_404(Travail.objects.select_related("par"), pk=travail, convention__isnull=True)
    constater_interruption(objet)
    contexte = {"travail": objet, "intervalle": INTERVALLE_SECONDES}
    if request.htmx:
        return render(request, "taches/_travail.html", contexte)
    return render(request, "taches/travail.html", contexte)


@login_required
def travail(request, pk, travail):
    convention = convention_visible(request, pk)
    objet = get_object_or_404(convention.travaux.select_related("par"), pk=travail)
    constater_interruption(objet)
    contexte = {"convention": convention, "travail": objet, "intervalle": INTERVALLE_SECONDES}
    if request.htmx:
        return render(request, "taches/_travail.html", contexte)
    return render(request, "taches/travail.html", contexte)
