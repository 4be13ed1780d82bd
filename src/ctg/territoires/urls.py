from django.urls import path

from . import views

app_name = "territoires"
urlpatterns = [
    path("", views.recherche, name="recherche"),
    path("diagnostic/", views.diagnostic, name="diagnostic"),
    path("epci/<str:code>/", views.epci, name="epci"),
    path("epci/<str:code>/carte.geojson", views.epci_carte, name="epci_carte"),
    path("communes/<str:code>/", views.commune, name="commune"),
    path("communes/<str:code>/carte.geojson", views.commune_carte, name="commune_carte"),
    path("departements/<str:code>/", views.departement, name="departement"),
    path("departements/<str:code>/carte.geojson", views.departement_carte, name="departement_carte"),
]
