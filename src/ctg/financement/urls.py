from django.urls import path

from . import views, views_exports

app_name = "financement"
urlpatterns = [
    path("baremes/", views.baremes, name="baremes"),
    path("baremes.<str:format>", views_exports.baremes, name="baremes_export"),
    path("baremes/nouveau/", views.bareme_nouveau, name="bareme_nouveau"),
    path("baremes/<int:bareme>/reviser/", views.bareme_reviser, name="bareme_reviser"),
    path("conventions/<int:pk>/", views.convention, name="convention"),
    path("conventions/<int:pk>/pluriannuel/", views.pluriannuel_vue, name="pluriannuel"),
    path("conventions/<int:pk>/export.<str:format>", views.export, name="export"),
    path("conventions/<int:pk>/simulation/", views.simulation, name="simulation"),
    path("conventions/<int:pk>/simulation.<str:format>", views_exports.simulation, name="simulation_export"),
    path("conventions/<int:pk>/cej.<str:format>", views_exports.cej, name="cej_export"),
    path(
        "conventions/<int:pk>/structures/<int:structure>/capacite.<str:format>",
        views_exports.structure_capacite,
        name="structure_capacite_export",
    ),
    path(
        "conventions/<int:pk>/structures/<int:structure>/financements.<str:format>",
        views_exports.structure_financements,
        name="structure_financements_export",
    ),
    path(
        "conventions/<int:pk>/structures/<int:structure>/bonus.<str:format>",
        views_exports.structure_bonus,
        name="structure_bonus_export",
    ),
    path(
        "conventions/<int:pk>/communes/<str:commune>/engagement.<str:format>",
        views_exports.commune_engagement,
        name="commune_engagement_export",
    ),
    path(
        "conventions/<int:pk>/communes/<str:commune>/verifications.<str:format>",
        views_exports.commune_verifications,
        name="commune_verifications_export",
    ),
    path("conventions/<int:pk>/import/", views.import_vue, name="import"),
    path("conventions/<int:pk>/structures/nouvelle/", views.structure_edition, name="structure_nouvelle"),
    path("conventions/<int:pk>/structures/<int:structure>/", views.structure, name="structure"),
    path(
        "conventions/<int:pk>/structures/<int:structure>/modifier/", views.structure_edition, name="structure_modifier"
    ),
    path("conventions/<int:pk>/cej/nouveau/", views.cej_edition, name="cej_nouveau"),
    path("conventions/<int:pk>/cej/<int:cej>/", views.cej_edition, name="cej_modifier"),
    path("conventions/<int:pk>/communes/<str:commune>/", views.commune, name="commune"),
    path(
        "conventions/<int:pk>/communes/<str:commune>/financements/", views.financement_saisie, name="financement_saisie"
    ),
    path("conventions/<int:pk>/communes/<str:commune>/verifications/", views.verification, name="verification"),
    path(
        "conventions/<int:pk>/verifications/<int:verification>/document/",
        views.verification_document,
        name="verification_document",
    ),
]
