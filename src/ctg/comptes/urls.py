from django.contrib.auth import views as auth_views
from django.urls import path
from django.views.generic import RedirectView

from . import views

app_name = "comptes"
urlpatterns = [
    # An invitation link sent before the invitations moved to the conventions' pages still leads to it.
    path(
        "invitations/<str:jeton>/",
        RedirectView.as_view(pattern_name="conventions:invitation", permanent=True),
        name="invitation",
    ),
    path("profil/", views.profil, name="profil"),
    path("profil/mot-de-passe/", views.ChangementMotDePasse.as_view(), name="mot_de_passe_modifier"),
    path("connexion/code/", views.code, name="code"),
    path("double-authentification/", views.gerer_double_facteur, name="double_facteur"),
    path("mot-de-passe-oublie/", views.DemandeNouveauMotDePasse.as_view(), name="mot_de_passe_oublie"),
    path(
        "mot-de-passe-oublie/envoye/",
        auth_views.PasswordResetDoneView.as_view(template_name="comptes/mot_de_passe_envoye.html"),
        name="mot_de_passe_envoye",
    ),
    path(
        "mot-de-passe-oublie/<uidb64>/<token>/",
        views.NouveauMotDePasse.as_view(),
        name="mot_de_passe_nouveau",
    ),
    path(
        "mot-de-passe-oublie/change/",
        auth_views.PasswordResetCompleteView.as_view(template_name="comptes/mot_de_passe_change.html"),
        name="mot_de_passe_change",
    ),
]
