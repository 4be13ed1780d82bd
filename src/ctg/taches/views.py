"""The page of a background work: its status, followed with htmx until it is finished."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from ctg.conventions.acces import convention_visible

from . import INTERVALLE_SECONDES, constater_interruption


@login_required
def travail(request, pk, travail):
    convention = convention_visible(request, pk)
    objet = get_object_or_404(convention.travaux.select_related("par"), pk=travail)
    constater_interruption(objet)
    contexte = {"convention": convention, "travail": objet, "intervalle": INTERVALLE_SECONDES}
    if request.htmx:
        return render(request, "taches/_travail.html", contexte)
    return render(request, "taches/travail.html", contexte)
