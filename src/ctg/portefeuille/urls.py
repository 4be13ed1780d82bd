from django.urls import path

from . import views, views_exports

app_name = "portefeuille"
urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("portefeuille.<str:format>", views_exports.accueil, name="accueil_export"),
    path("departements/<str:code>/", views.departement, name="departement"),
    path("departements/<str:code>/carte.geojson", views.departement_carte, name="departement_carte"),
    path("departements/<str:code>/portefeuille.<str:format>", views_exports.departement, name="departement_export"),
    path(
        "departements/<str:code>/renouvellements.<str:format>",
        views_exports.renouvellements,
        name="departement_renouvellements_export",
    ),
]
