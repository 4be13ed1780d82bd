"""Back-office of article 7: the organisations' data protection officers (designated here or by their staff on the
register page), and the exchange records, read-only (they change only through ``ctg.rgpd.echanges``)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import DelegueProtectionDonnees, DemandeEchange, TraitementRegistre


@admin.register(DelegueProtectionDonnees)
class DelegueProtectionDonneesAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "user", "depuis", "designe_le"]
    list_filter = ["organisation__type"]
    search_fields = ["organisation__nom", "user__username", "user__last_name"]
    raw_id_fields = ["organisation", "user", "designe_par"]

    def has_delete_permission(self, request, obj=None):
        return False  # a new designation supersedes the former one

    def save_model(self, request, obj, form, change):
        if not change:
            obj.designe_par = request.user
            obj.remplace = (
                DelegueProtectionDonnees.objects.filter(organisation=obj.organisation, remplacee_par__isnull=True)
                .order_by("-depuis", "-pk")
                .first()
            )
        super().save_model(request, obj, form, change)


class LectureSeule(SimpleHistoryAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(DemandeEchange)
class DemandeEchangeAdmin(LectureSeule):
    list_display = ["objet", "convention", "demandeur", "detenteur", "donnees_personnelles", "statut", "demandee_le"]
    list_filter = ["statut", "donnees_personnelles", "demonstration"]


@admin.register(TraitementRegistre)
class TraitementRegistreAdmin(LectureSeule):
    list_display = ["intitule", "organisation", "inscrit_le"]
    list_filter = ["organisation"]
