from django.contrib import admin

from .models import Comite, Decision, Initiative, Membre, PointOrdreDuJour, Presence, Reunion, Vote


class MembreInline(admin.TabularInline):
    model = Membre
    extra = 0


@admin.register(Comite)
class ComiteAdmin(admin.ModelAdmin):
    list_display = ["__str__", "convention", "parent"]
    inlines = [MembreInline]


class PointInline(admin.TabularInline):
    model = PointOrdreDuJour
    extra = 0


class PresenceInline(admin.TabularInline):
    model = Presence
    extra = 0


@admin.register(Reunion)
class ReunionAdmin(admin.ModelAdmin):
    list_display = ["date", "comite", "statut", "lieu"]
    list_filter = ["statut"]
    inlines = [PointInline, PresenceInline]


class VoteInline(admin.TabularInline):
    model = Vote
    extra = 0


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["reunion", "ordre", "objet", "mode"]
    inlines = [VoteInline]


@admin.register(Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["titre", "convention", "commune", "suivi"]
    list_filter = ["suivi"]
