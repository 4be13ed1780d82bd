from django.urls import path

from . import historique, views, views_communication, views_exports, views_invitations, views_resume

app_name = "conventions"
urlpatterns = [
    path("", views.liste, name="liste"),
    path("nouvelle/", views.nouvelle, name="nouvelle"),
    path(
        "resume-hebdomadaire/desabonnement/<str:signature>/",
        views_resume.desabonnement,
        name="resume_desabonnement",
    ),
    path("conventions.<str:format>", views_exports.conventions, name="liste_export"),
    path("invitations/<str:jeton>/", views_invitations.invitation, name="invitation"),
    path("<int:pk>/", views.tableau, name="tableau"),
    path("<int:pk>/modifier/", views.modifier, name="modifier"),
    path("<int:pk>/adhesions/", views.adhesions, name="adhesions"),
    path("<int:pk>/adhesions.<str:format>", views_exports.adhesions, name="adhesions_export"),
    path("<int:pk>/echeances.<str:format>", views_exports.echeances_export, name="echeances_export"),
    path("<int:pk>/membres.<str:format>", views_exports.membres, name="membres_export"),
    path("<int:pk>/historique.<str:format>", views_exports.historique, name="historique_export"),
    path("<int:pk>/communication.<str:format>", views_exports.communications, name="communications_export"),
    path("<int:pk>/adhesions/saisie/", views.adhesions_en_bloc, name="adhesions_en_bloc"),
    path("<int:pk>/adhesions/<str:commune>/", views.adhesion, name="adhesion"),
    path("<int:pk>/corriger/", views.corriger, name="corriger"),
    path("<int:pk>/avenants/nouveau/", views.avenant_nouveau, name="avenant_nouveau"),
    path("<int:pk>/avenants/<int:numero>/signer/", views.avenant_signer, name="avenant_signer"),
    path("<int:pk>/signer/", views.signer, name="signer"),
    path("<int:pk>/resilier/", views.resilier, name="resilier"),
    path("<int:pk>/resiliation/annuler/", views.annuler_resiliation, name="annuler_resiliation"),
    path("<int:pk>/renouveler/", views.renouveler, name="renouveler"),
    path("<int:pk>/document.<str:format>", views.document, name="document"),
    path("<int:pk>/historique/", historique.page, name="historique"),
    path("<int:pk>/export.json", views.export_json, name="export_json"),
    path("<int:pk>/membres/", views.membres, name="membres"),
    path("<int:pk>/membres/<int:habilitation>/retirer/", views.retirer_membre, name="retirer_membre"),
    path("<int:pk>/invitations/<int:invitation>/revoquer/", views.revoquer_invitation, name="revoquer_invitation"),
]
urlpatterns += views_communication.urlpatterns  # joint communication (article 8)
