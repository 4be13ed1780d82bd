from django.urls import path

from . import views

app_name = "taches"
urlpatterns = [
    path("conventions/<int:pk>/<int:travail>/", views.travail, name="travail"),
]
