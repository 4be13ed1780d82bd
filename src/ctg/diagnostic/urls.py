from django.urls import path

from . import views, views_exports

app_name = "diagnostic"
urlpatterns = [
    path("conventions/<int:pk>/", views.convention, name="convention"),
    path("conventions/<int:pk>/besoins.<str:format>", views_exports.besoins, name="besoins_export"),
    path("conventions/<int:pk>/besoins/nouveau/", views.besoin, name="besoin_nouveau"),
    path("conventions/<int:pk>/besoins/<int:besoin>/", views.besoin, name="besoin"),
    path("conventions/<int:pk>/contributions/nouvelle/", views.contribution, name="contribution"),
    path("conventions/<int:pk>/statut/<str:action>/", views.statut, name="statut"),
    path("conventions/<int:pk>/rapport.<str:format>", views.rapport_convention, name="rapport_convention"),
    path("epci/<str:code>/", views.epci, name="epci"),
    path("epci/<str:code>/population.<str:format>", views_exports.epci_communes, name="epci_communes_export"),
    path(
        "departements/<str:code>/intercommunalites.<str:format>",
        views_exports.departement_intercommunalites,
        name="departement_intercommunalites_export",
    ),
    path("epci/<str:code>/carte.geojson", views.epci_carte, name="epci_carte"),
    path("epci/<str:code>/communes.<str:format>", views.epci_export, name="epci_export"),
    path("epci/<str:code>/rapport.<str:format>", views.rapport_epci, name="rapport_epci"),
    path("communes/<str:code>/", views.commune, name="commune"),
    path("territoires/<str:code>/chiffres-cles.<str:format>", views.indicateurs_export, name="indicateurs_export"),
    path("territoires/<str:code>/<str:indicateur>.geojson", views.carte_sig, name="carte_sig"),
]
