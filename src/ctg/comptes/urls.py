from django.urls import path

from . import views

app_name = "comptes"
urlpatterns = [
    path("invitations/<str:jeton>/", views.invitation, name="invitation"),
]
