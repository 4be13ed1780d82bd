from django.contrib import admin

from .models import Habilitation, Invitation, Organisation, Profil


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "departement", "tribunal_administratif"]
    list_filter = ["type"]
    search_fields = ["nom"]
    raw_id_fields = ["departement", "epci", "commune"]


@admin.register(Profil)
class ProfilAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "fonction"]
    raw_id_fields = ["user", "organisation"]


@admin.register(Habilitation)
class HabilitationAdmin(admin.ModelAdmin):
    list_display = ["user", "convention", "role", "commune"]
    list_filter = ["role"]
    raw_id_fields = ["user", "convention", "commune"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "convention", "role", "creee_le", "expire_le", "utilisee_le"]
    readonly_fields = ["jeton", "utilisee_le", "utilisee_par"]
    raw_id_fields = ["convention", "commune", "organisation", "invitee_par"]
