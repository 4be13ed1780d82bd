from django.urls import path

from . import views
from .v1 import api

app_name = "api"
urlpatterns = [
    path("jetons/", views.jetons_vue, name="jetons"),
    path("jetons/<int:jeton>/revoquer/", views.revoquer, name="jeton_revoquer"),
    path("v1/", api.urls),
]
