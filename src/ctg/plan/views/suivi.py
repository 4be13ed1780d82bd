"""The pages that follow the plan: the tree of objectives, the action table, the calendar (Gantt), the dashboard
and the map of needs. They read the followed fiches, call ``ctg.plan.presentation`` and render."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render

from ctg import horloge
from ctg.conventions.acces import convention_visible
from ctg.conventions.models import Domaine
from ctg.territoires.geojson import collection

from .. import presentation, tableaux
from ..arbre import aplatir, arbre
from ..forms import AdoptionForm, RevisionForm
from ..regles import fiches_suivies, jour_de_suivi
from ..selection import Criteres
from .commun import contexte


@login_required
def arbre_plan(request, pk):
    convention = convention_visible(request, pk)
    suivis = fiches_suivies(convention)
    for s in suivis:
        s.fiche.suivi = s
    noeuds = arbre(convention, [s.fiche for s in suivis])
    sans_objectif = [s for s in suivis if not s.fiche.objectifs.all()]
    return render(
        request,
        "plan/arbre.html",
        contexte(
            request,
            convention,
            "arbre",
            suivis,
            noeuds=aplatir(noeuds),
            sans_objectif=sans_objectif,
            adoption_form=AdoptionForm(initial={"date": horloge.aujourd_hui()}),
            revision_form=RevisionForm(),
            nombre_fiches=len(suivis),
        ),
    )


@login_required
def tableau(request, pk):
    convention = convention_visible(request, pk)
    suivis = fiches_suivies(convention)
    criteres = Criteres.depuis(request.GET)
    donnees = presentation.tableau(suivis, convention.objectifs.all(), criteres)
    page = contexte(request, convention, "tableau", suivis, **donnees)
    if request.htmx:
        return render(request, "plan/_tableau_lignes.html", page)
    return render(request, "plan/tableau.html", page)


@login_required
def calendrier(request, pk):
    """The Gantt: one bar per fiche over the convention's years, its milestones and targets, today's line."""
    convention = convention_visible(request, pk)
    suivis = fiches_suivies(convention)
    aujourd_hui = jour_de_suivi(convention)  # after the convention's end: its last day
    return render(
        request,
        "plan/calendrier.html",
        contexte(
            request,
            convention,
            "calendrier",
            suivis,
            **presentation.calendrier(convention, suivis, aujourd_hui),
            date_du_jour=horloge.aujourd_hui(),
        ),
    )


@login_required
def bord(request, pk):
    """Dashboard: progress by mission, budget by year and financer, the targets of the year, actions late, counts by
    status."""
    convention = convention_visible(request, pk)
    suivis = fiches_suivies(convention)
    donnees = presentation.bord(suivis, convention.objectifs.all())
    cibles = presentation.cibles_de_l_annee(suivis)
    return render(
        request,
        "plan/bord.html",
        contexte(
            request,
            convention,
            "bord",
            suivis,
            **donnees,
            **cibles,
            entetes_budget=tableaux.entetes_budget(donnees["annees"]),
            entetes_cibles=tableaux.entetes_cibles(cibles["annee_cibles"]),
            revues=convention.revues_plan.all()[:5],
        ),
    )


@login_required
def besoins(request, pk):
    """The "cartographie des besoins" of article 4: per commune, its needs and the actions that answer them."""
    convention = convention_visible(request, pk)
    suivis = fiches_suivies(convention)
    tous, territoire, lignes = presentation.cartographie(convention, suivis)
    return render(
        request,
        "plan/besoins.html",
        contexte(
            request,
            convention,
            "besoins",
            suivis,
            besoins=tous,
            territoire=territoire,
            communes=[ligne for ligne in lignes if ligne["besoins"] or ligne["actions"]],
            sans_action=[b for b in tous if not b.suivis],
            libelles_domaines=dict(Domaine.choices),
            entetes_communes=tableaux.ENTETES_BESOINS_COMMUNES,
            entetes_besoins=tableaux.ENTETES_BESOINS,
        ),
    )


@login_required
def besoins_carte(request, pk) -> HttpResponse:
    convention = convention_visible(request, pk)
    return collection(presentation.carte_des_besoins(convention, fiches_suivies(convention)))
