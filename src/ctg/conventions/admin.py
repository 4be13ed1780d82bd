"""The administration of conventions: the same rules as the pages. Statuses, avenants and terminations change only
through the pages (the rules layer); a signed convention's terms are read-only here too; every change is recorded in
the audit trail (history of each record)."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    Adhesion,
    Avenant,
    Convention,
    Habilitation,
    Invitation,
    Resiliation,
    Signataire,
    Statut,
    Transition,
    Visa,
)


class LectureSeule:
    """An inline or admin that shows records kept by the rules layer, without editing them."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PieceSigneeMixin:
    """Visas and signatories: part of the terms, editable only while the convention is a draft."""

    extra = 0

    def _brouillon(self, obj):
        return obj is None or obj.statut == Statut.BROUILLON

    def has_add_permission(self, request, obj=None):
        return self._brouillon(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._brouillon(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._brouillon(obj) and super().has_delete_permission(request, obj)


class VisaInline(PieceSigneeMixin, admin.TabularInline):
    model = Visa


class SignataireInline(PieceSigneeMixin, admin.TabularInline):
    model = Signataire


class AvenantInline(LectureSeule, admin.TabularInline):
    model = Avenant
    fields = ["numero", "statut", "date", "objet", "modifications", "signataires", "ctes_identifiant"]
    readonly_fields = fields


class TransitionInline(LectureSeule, admin.TabularInline):
    model = Transition
    fields = ["rang", "de", "vers", "date_effet", "motif", "par", "enregistree_le"]
    readonly_fields = fields


@admin.register(Convention)
class ConventionAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "statut", "date_debut", "date_fin", "ctes_identifiant"]
    list_filter = ["statut"]
    search_fields = ["epci__nom", "ctes_identifiant"]
    raw_id_fields = ["caf", "epci", "precedente"]
    inlines = [VisaInline, SignataireInline, AvenantInline, TransitionInline]

    def has_add_permission(self, request):
        return False  # a convention is created by its Caf, from the pages (ctg.conventions.cycle.creer_convention)

    def get_readonly_fields(self, request, obj=None):
        figes = ["statut", "date_signature", "caf", "epci", "precedente", "diagnostic_valide_le", "version"]
        if obj is not None and obj.statut != Statut.BROUILLON:
            figes += list(Convention.TERMES)
        return figes


@admin.register(Adhesion)
class AdhesionAdmin(SimpleHistoryAdmin):
    list_display = ["commune", "convention", "statut", "date_deliberation", "ancienne_commune_cej"]
    list_filter = ["statut", "ancienne_commune_cej"]
    raw_id_fields = ["convention", "commune"]
    readonly_fields = ["proposition", "proposition_deliberation", "proposee_par", "proposee_le"]


@admin.register(Resiliation)
class ResiliationAdmin(LectureSeule, SimpleHistoryAdmin):
    list_display = ["convention", "mode", "date_envoi", "date_effet", "initiative"]
    raw_id_fields = ["convention"]


class HistoriqueLectureSeuleAdmin(SimpleHistoryAdmin):
    """The admin of a record a convention holds: its history is shown, never edited nor reverted (a revert
    would bypass the rules, e.g. give a used invitation back its validity)."""

    def revert_disabled(self, request, obj=None):
        return True

    def has_change_history_permission(self, request, obj=None):
        return False


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
