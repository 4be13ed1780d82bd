from django.urls import path

from . import views, views_exports

app_name = "donnees"
urlpatterns = [
    path("", views.page, name="page"),
    path("imports.<str:format>", views_exports.fichiers, name="fichiers_export"),
    path("<int:fichier>/annuler/", views.annuler_vue, name="annuler"),
    path("travaux/<int:travail>/", views.travail, name="travail"),
]
