"""The portfolio's pages: the national view, a département's portfolio (map, table, renewals), its map and its
exports (``views_exports``); every figure comes from ``calcul`` (the command prints the same)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ctg.conventions.acces import exiger
from ctg.territoires.geojson import collection, feature
from ctg.territoires.legende import Classe
from ctg.territoires.models import Departement, Epci

from . import perms
from .calcul import MOIS_RENOUVELLEMENT, Situation, portefeuille, vue_nationale
from .tableaux import ENTETES_RENOUVELLEMENTS, entetes_departement, entetes_national


@login_required
@require_GET
def accueil(request):
    """The national view for a national administrator; a Caf's own département for its staff."""
    exiger(perms.peut_voir_portefeuille(request.user), perms.REFUS)
    if perms.peut_voir_national(request.user):
        vue = vue_nationale(request.user)
        contexte = {"vue": vue, "mois_renouvellement": MOIS_RENOUVELLEMENT, "entetes": entetes_national(vue.annee)}
        return render(request, "portefeuille/national.html", contexte)
    return _page_departement(request, perms.departement_de_la_caf(request.user))


@login_required
@require_GET
def departement(request, code):
    return _page_departement(request, code)


def _departement_autorise(request, code) -> Departement:
    return perms.departement_autorise(request.user, code)


def _page_departement(request, code):
    objet = _departement_autorise(request, code)
    resultat = portefeuille(objet, request.user)
    return render(
        request,
        "portefeuille/departement.html",
        {
            "portefeuille": resultat,
            "entetes": entetes_departement(resultat.annee),
            "national": perms.peut_voir_national(request.user),
            "mois_renouvellement": MOIS_RENOUVELLEMENT,
            "entetes_renouvellements": ENTETES_RENOUVELLEMENTS,
        },
    )


@login_required
@require_GET
def departement_carte(request, code):
    """The département's EPCI coloured by the situation of their CTG (the legend travels with the GeoJSON)."""
    objet = _departement_autorise(request, code)
    resultat = portefeuille(objet, request.user)
    presentes = [s for s in Situation.ORDRE if any(lg.situation == s for lg in resultat.lignes)]
    classes = [Classe(i, i, Situation.LIBELLES[s], Situation.COULEURS[s]) for i, s in enumerate(presentes)]
    formes = dict(Epci.objects.filter(code__in=[lg.code for lg in resultat.lignes]).values_list("code", "forme"))
    features = []
    for lg in resultat.lignes:
        texte = lg.situation_libelle + (f" ({lg.periode})" if lg.periode else "")
        url = lg.convention.get_absolute_url() if lg.convention else reverse("territoires:epci", args=[lg.code])
        proprietes = {"situation": lg.situation_libelle, "classe": presentes.index(lg.situation), "texte": texte}
        features.append(feature(lg.code, lg.nom, formes.get(lg.code, ""), {**proprietes, "url": url}))
    return collection(features, classes)
