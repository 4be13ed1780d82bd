"""The pages of article 7: a convention's data-exchange requests, and an organisation's register of processing
activities."""

from django.urls import path

from . import views_echanges as vues
from . import views_exports

urlpatterns = [
    path("conventions/<int:pk>/echanges/", vues.liste, name="echanges"),
    path("conventions/<int:pk>/echanges.<str:format>", views_exports.demandes, name="echanges_export"),
    path("conventions/<int:pk>/echanges/nouvelle/", vues.nouvelle, name="echange_nouveau"),
    path("conventions/<int:pk>/echanges/<int:demande>/", vues.detail, name="echange"),
    path("conventions/<int:pk>/echanges/<int:demande>/<slug:etape>/", vues.etape, name="echange_etape"),
    path("registres/<int:organisation>/", vues.registre_page, name="registre"),
    path("registres/<int:organisation>/registre.<str:format>", vues.registre_export, name="registre_export"),
    path("registres/<int:organisation>/delegue/", vues.delegue, name="delegue"),
]
