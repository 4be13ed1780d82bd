from django.urls import path

from . import views, views_exports, views_membres

app_name = "gouvernance"
convention = "conventions/<int:pk>/"
reunion = convention + "reunions/<int:reunion>/"
urlpatterns = [
    path(convention, views.comite, name="comite"),
    path(convention + "composition/", views.composition, name="composition"),
    path(convention + "composition.<str:format>", views_exports.composition, name="composition_export"),
    path(convention + "reunions.<str:format>", views_exports.reunions, name="reunions_export"),
    path(convention + "composition/nouveau/", views.membre, name="membre_nouveau"),
    path(convention + "composition/<int:membre>/", views.membre, name="membre"),
    path(convention + "sous-comites/nouveau/", views.sous_comite_nouveau, name="sous_comite_nouveau"),
    path(convention + "reunions/nouvelle/", views.reunion_nouvelle, name="reunion_nouvelle"),
    path(reunion, views.reunion, name="reunion"),
    path(reunion + "modifier/", views.reunion_modifier, name="reunion_modifier"),
    path(reunion + "statut/<str:action>/", views.reunion_statut, name="reunion_statut"),
    path(reunion + "presences/", views.presences, name="presences"),
    path(reunion + "presences.<str:format>", views_exports.presences, name="presences_export"),
    path(reunion + "reponse/", views_membres.reponse, name="reponse"),
    path(reunion + "commentaire/", views_membres.commentaire, name="commentaire"),
    path(reunion + "compte-rendu/", views.compte_rendu, name="compte_rendu"),
    path(reunion + "decisions/nouvelle/", views.decision_nouvelle, name="decision_nouvelle"),
    path(reunion + "convocations/", views.convocations, name="convocations"),
    path(reunion + "convocation.<str:format>", views.convocation_document, name="convocation_document"),
    path(reunion + "compte-rendu.<str:format>", views.compte_rendu_document, name="compte_rendu_document"),
    path(reunion + "invitation.ics", views.reunion_ics, name="reunion_ics"),
    path(convention + "calendrier-<int:annee>.ics", views.calendrier, name="calendrier"),
    path(convention + "decisions/", views.decisions, name="decisions"),
    path(convention + "decisions.<str:format>", views_exports.decisions, name="decisions_export"),
    path(convention + "initiatives/", views.initiatives, name="initiatives"),
    path(convention + "initiatives.<str:format>", views_exports.initiatives, name="initiatives_export"),
    path(convention + "initiatives/nouvelle/", views.initiative_nouvelle, name="initiative_nouvelle"),
    path(convention + "initiatives/<int:initiative>/", views.initiative, name="initiative"),
    path(
        convention + "initiatives/<int:initiative>/transformer/",
        views.initiative_transformer,
        name="initiative_transformer",
    ),
]
