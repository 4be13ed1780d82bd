from django.urls import path

from . import views
from .views import exports_tableaux as exports

app_name = "plan"
urlpatterns = [
    path("conventions/<int:pk>/", views.arbre_plan, name="arbre"),
    path("conventions/<int:pk>/actions/", views.tableau, name="tableau"),
    path("conventions/<int:pk>/calendrier/", views.calendrier, name="calendrier"),
    path("conventions/<int:pk>/tableau-de-bord/", views.bord, name="bord"),
    path("conventions/<int:pk>/tableau-de-bord/budget.<str:format>", exports.budget, name="budget_export"),
    path("conventions/<int:pk>/tableau-de-bord/cibles.<str:format>", exports.cibles, name="cibles_export"),
    path("conventions/<int:pk>/besoins/", views.besoins, name="besoins"),
    path("conventions/<int:pk>/besoins.<str:format>", exports.besoins, name="besoins_export"),
    path(
        "conventions/<int:pk>/besoins/communes.<str:format>", exports.besoins_communes, name="besoins_communes_export"
    ),
    path("conventions/<int:pk>/besoins/carte.geojson", views.besoins_carte, name="besoins_carte"),
    path("conventions/<int:pk>/plan.<str:format>", views.document, name="document"),
    path("conventions/<int:pk>/adopter/", views.adopter, name="adopter"),
    path("conventions/<int:pk>/objectifs/nouveau/", views.objectif, name="objectif_nouveau"),
    path("conventions/<int:pk>/objectifs/<int:objectif>/", views.objectif, name="objectif"),
    path("conventions/<int:pk>/actions/nouvelle/", views.fiche_nouvelle, name="fiche_nouvelle"),
    path("conventions/<int:pk>/actions/<int:fiche>/", views.fiche, name="fiche"),
    path("conventions/<int:pk>/actions/<int:fiche>/modifier/", views.fiche_modifier, name="fiche_modifier"),
    path("conventions/<int:pk>/actions/<int:fiche>/statut/", views.fiche_statut, name="fiche_statut"),
    path("conventions/<int:pk>/actions/<int:fiche>/fiche.<str:format>", views.fiche_document, name="fiche_document"),
    path(
        "conventions/<int:pk>/actions/<int:fiche>/budget.<str:format>", exports.fiche_budget, name="fiche_budget_export"
    ),
    path(
        "conventions/<int:pk>/actions/<int:fiche>/indicateurs/nouveau/",
        views.indicateur,
        name="indicateur_nouveau",
    ),
    path(
        "conventions/<int:pk>/actions/<int:fiche>/indicateurs/<int:indicateur>/",
        views.indicateur,
        name="indicateur",
    ),
    path(
        "conventions/<int:pk>/actions/<int:fiche>/indicateurs/<int:indicateur>/valeurs/",
        views.valeur,
        name="valeur",
    ),
    path(
        "conventions/<int:pk>/actions/<int:fiche>/indicateurs/<int:indicateur>/cibles.<str:format>",
        exports.indicateur_cibles,
        name="indicateur_cibles_export",
    ),
    path(
        "conventions/<int:pk>/actions/<int:fiche>/indicateurs/<int:indicateur>/valeurs.<str:format>",
        exports.indicateur_valeurs,
        name="indicateur_valeurs_export",
    ),
    path("conventions/<int:pk>/revues/", views.revues, name="revues"),
    path("conventions/<int:pk>/revues.<str:format>", exports.revues, name="revues_export"),
    path("conventions/<int:pk>/revues/nouvelle/", views.revue_nouvelle, name="revue_nouvelle"),
    path("conventions/<int:pk>/revues/<int:revue>/", views.revue, name="revue"),
    path(
        "conventions/<int:pk>/revues/<int:revue>/evaluations.<str:format>",
        exports.evaluations,
        name="evaluations_export",
    ),
    path("conventions/<int:pk>/revues/<int:revue>/effets.<str:format>", exports.effets, name="effets_export"),
    path("conventions/<int:pk>/revues/<int:revue>/rapport.<str:format>", views.revue_document, name="revue_document"),
]
