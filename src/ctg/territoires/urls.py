from django.urls import path

from . import views, views_exports

app_name = "territoires"
urlpatterns = [
    path("", views.recherche, name="recherche"),
    path("diagnostic/", views.diagnostic, name="diagnostic"),
    path("epci/<str:code>/", views.epci, name="epci"),
    path("epci/<str:code>/carte.geojson", views.epci_carte, name="epci_carte"),
    path("epci/<str:code>/communes.<str:format>", views_exports.epci_communes, name="epci_export"),
    path("communes/<str:code>/", views.commune, name="commune"),
    path("communes/<str:code>/carte.geojson", views.commune_carte, name="commune_carte"),
    path("departements/<str:code>/", views.departement, name="departement"),
    path(
        "departements/<str:code>/intercommunalites.<str:format>",
        views_exports.departement_epci,
        name="departement_export",
    ),
    path("departements/<str:code>/carte.geojson", views.departement_carte, name="departement_carte"),
]
