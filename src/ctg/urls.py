from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views
from .comptes import views as comptes_views

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("accessibilite/", views.accessibilite, name="accessibilite"),
    path("glossaire/", views.glossaire, name="glossaire"),
    path("comptes/connexion/", comptes_views.Connexion.as_view(), name="login"),
    path("comptes/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("comptes/", include("ctg.comptes.urls")),
    path("territoires/", include("ctg.territoires.urls")),
    path("conventions/", include("ctg.conventions.urls")),
    path("diagnostic/", include("ctg.diagnostic.urls")),
    path("plan/", include("ctg.plan.urls")),
    path("gouvernance/", include("ctg.gouvernance.urls")),
    path("financement/", include("ctg.financement.urls")),
    path("portefeuille/", include("ctg.portefeuille.urls")),
    path("rgpd/", include("ctg.rgpd.urls")),
    path("api/", include("ctg.api.urls")),
    path("travaux/", include("ctg.taches.urls")),
    path("donnees/", include("ctg.donnees.urls")),
    # Before the administration's own URLs: its login page sends to the product's (see connexion_administration).
    path("admin/login/", comptes_views.connexion_administration),
    path("admin/", admin.site.urls),
]
