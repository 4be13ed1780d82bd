"""The pages of people's rights: privacy notice, inventory of the personal data, a person's own data, and the log
of a convention's confidential downloads (article 14)."""

from django.urls import path

from . import views_exports
from . import views_personnes as vues

urlpatterns = [
    path("confidentialite/", vues.confidentialite, name="confidentialite"),
    path("donnees-personnelles/", vues.inventaire, name="donnees_personnelles"),
    path("mes-donnees/", vues.mes_donnees, name="mes_donnees"),
    path("mes-donnees/export.<str:format>", vues.mes_donnees_export, name="mes_donnees_export"),
    path(
        "conventions/<int:pk>/telechargements-confidentiels/",
        vues.telechargements_confidentiels,
        name="telechargements_confidentiels",
    ),
    path(
        "conventions/<int:pk>/telechargements-confidentiels.<str:format>",
        views_exports.telechargements,
        name="telechargements_confidentiels_export",
    ),
]
