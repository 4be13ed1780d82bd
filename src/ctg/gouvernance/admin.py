"""Admin of the comité de pilotage: every change is recorded in the history (django-simple-history); a meeting's
status is read-only here (it changes only through ``ctg.gouvernance.reunions``), and a closed meeting refuses any
change (``Reunion.save``)."""

from django.contrib import admin
from django.db import models
from simple_history.admin import SimpleHistoryAdmin

from ctg.conventions.admin import LectureSeule

from .models import (
    Comite,
    CommentaireCompteRendu,
    Decision,
    Initiative,
    Membre,
    PointOrdreDuJour,
    Presence,
    ReponseConvocation,
    Reunion,
    Vote,
)


class MembreInline(admin.TabularInline):
    model = Membre
    extra = 0


@admin.register(Comite)
class ComiteAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "convention", "parent"]
    inlines = [MembreInline]


@admin.register(Membre)
class MembreAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "comite", "cote", "role", "debut", "fin"]
    list_filter = ["cote", "role"]


class PointInline(admin.TabularInline):
    model = PointOrdreDuJour
    extra = 0


class PresenceInline(admin.TabularInline):
    model = Presence
    extra = 0


class ReunionCloseAdmin(SimpleHistoryAdmin):
    """Read-only once the meeting's minutes are approved (the models refuse the write anyway)."""

    @staticmethod
    def reunion_de(obj):
        return obj if isinstance(obj, Reunion) else obj.reunion

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or not self.reunion_de(obj).est_close)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or not self.reunion_de(obj).est_close)


@admin.register(Reunion)
class ReunionAdmin(ReunionCloseAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["date", "comite", "statut", "lieu"]
    list_filter = ["statut"]
    readonly_fields = ["statut", "compte_rendu_approuve_le", "version"]
    inlines = [PointInline, PresenceInline]


class VoteInline(admin.TabularInline):
    model = Vote
    extra = 0


@admin.register(Decision)
class DecisionAdmin(ReunionCloseAdmin):
    list_display = ["reunion", "ordre", "objet", "mode"]
    inlines = [VoteInline]


@admin.register(Initiative)
class InitiativeAdmin(SimpleHistoryAdmin):
    list_display = ["titre", "convention", "commune", "suivi"]
    list_filter = ["suivi"]


class ParticipationAdmin(LectureSeule, SimpleHistoryAdmin):
    """What members write on a meeting's page with their own account: shown with its history, never written here
    (the rules of ``ctg.gouvernance.participation`` say who may answer or comment, and until when)."""

    list_select_related = ["reunion__comite", "membre"]
    list_filter = ["reunion__comite__convention"]

    def revert_disabled(self, request, obj=None):
        return True


@admin.register(ReponseConvocation)
class ReponseConvocationAdmin(ParticipationAdmin):
    list_display = ["reunion", "membre", "reponse", "remplacant", "repondu_le"]


@admin.register(CommentaireCompteRendu)
class CommentaireCompteRenduAdmin(ParticipationAdmin):
    list_display = ["reunion", "membre", "ecrit_le", "__str__"]
