"""Admin of the shared diagnostics, with their history (django-simple-history). The status and the validation
and reopening records are read-only here: they change only through ``ctg.diagnostic.partage``; a submitted or
validated diagnostic refuses any edit (``DiagnosticConvention.save``)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Besoin, CommentaireDomaine, Contribution, DiagnosticConvention


class VerrouAdmin(SimpleHistoryAdmin):
    """Read-only once the diagnostic is submitted or validated (the model refuses the write anyway)."""

    @staticmethod
    def diagnostic_de(obj):
        return obj if isinstance(obj, DiagnosticConvention) else obj.diagnostic

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or self.diagnostic_de(obj).modifiable)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or self.diagnostic_de(obj).modifiable)


@admin.register(DiagnosticConvention)
class DiagnosticConventionAdmin(VerrouAdmin):
    list_display = ["convention", "statut", "premiere_validation_le", "valide_le", "rouvert_le"]
    list_filter = ["statut"]
    readonly_fields = [
        "convention",
        "statut",
        "soumis_le",
        "valide_le",
        "premiere_validation_le",
        "decision_validation",
        "rouvert_le",
        "decision_reouverture",
        "motif_reouverture",
        "version",
    ]


@admin.register(CommentaireDomaine)
class CommentaireDomaineAdmin(VerrouAdmin):
    list_display = ["diagnostic", "domaine"]


@admin.register(Besoin)
class BesoinAdmin(VerrouAdmin):
    list_display = ["intitule", "diagnostic", "domaine", "priorite"]


@admin.register(Contribution)
class ContributionAdmin(VerrouAdmin):
    list_display = ["auteur", "diagnostic", "date"]
