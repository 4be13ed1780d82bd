from django.urls import path

from . import views

app_name = "donnees"
urlpatterns = [
    path("", views.page, name="page"),
    path("<int:fichier>/annuler/", views.annuler_vue, name="annuler"),
    path("travaux/<int:travail>/", views.travail, name="travail"),
]
