from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

urlpatterns = [
    path("", views.accueil, name="accueil"),
    path("comptes/connexion/", auth_views.LoginView.as_view(), name="login"),
    path("comptes/deconnexion/", auth_views.LogoutView.as_view(), name="logout"),
    path("comptes/", include("ctg.comptes.urls")),
    path("territoires/", include("ctg.territoires.urls")),
    path("conventions/", include("ctg.conventions.urls")),
    path("diagnostic/", include("ctg.diagnostic.urls")),
    path("plan/", include("ctg.plan.urls")),
    path("gouvernance/", include("ctg.gouvernance.urls")),
    path("financement/", include("ctg.financement.urls")),
    path("travaux/", include("ctg.taches.urls")),
    path("admin/", admin.site.urls),
]
