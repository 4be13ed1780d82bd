from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Habilitation, Invitation, Organisation, Profil, est_administrateur_national, organisation_de


class HistoriqueLectureSeuleAdmin(SimpleHistoryAdmin):
    """The admin of a record a convention holds: its history is shown, never edited nor reverted (a revert
    would bypass the rules, e.g. give a used invitation back its validity)."""

    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    """An organisation's own data (a Caf's tribunal…) is edited by its own staff, or a national administrator."""

    list_display = ["nom", "type", "departement", "tribunal_administratif"]
    list_filter = ["type"]
    search_fields = ["nom"]
    raw_id_fields = ["departement", "epci", "commune"]

    def has_change_permission(self, request, obj=None):
        if not super().has_change_permission(request, obj):
            return False
        if obj is None or est_administrateur_national(request.user):
            return True
        organisation = organisation_de(request.user)
        return organisation is not None and organisation.pk == obj.pk

    def has_delete_permission(self, request, obj=None):
        return est_administrateur_national(request.user) and super().has_delete_permission(request, obj)


@admin.register(Profil)
class ProfilAdmin(admin.ModelAdmin):
    list_display = ["user", "organisation", "fonction", "administrateur_national"]
    list_filter = ["administrateur_national"]
    raw_id_fields = ["user", "organisation"]

    def get_readonly_fields(self, request, obj=None):
        # Only a national administrator names another one (national barèmes, any Caf's convention).
        if est_administrateur_national(request.user):
            return []
        return ["administrateur_national"]


@admin.register(Habilitation)
class HabilitationAdmin(HistoriqueLectureSeuleAdmin):
    list_display = ["user", "convention", "role", "commune"]
    list_filter = ["role"]
    raw_id_fields = ["user", "convention", "commune"]


@admin.register(Invitation)
class InvitationAdmin(HistoriqueLectureSeuleAdmin):
    list_display = ["email", "convention", "role", "creee_le", "expire_le", "utilisee_le"]
    readonly_fields = ["jeton", "utilisee_le", "utilisee_par"]
    raw_id_fields = ["convention", "commune", "organisation", "invitee_par"]
