from django.contrib import admin

from .models import Adhesion, Avenant, Convention, Resiliation, Signataire, Transition, Visa


class VisaInline(admin.TabularInline):
    model = Visa
    extra = 0


class SignataireInline(admin.TabularInline):
    model = Signataire
    extra = 0


class AvenantInline(admin.TabularInline):
    model = Avenant
    extra = 0


class TransitionInline(admin.TabularInline):
    model = Transition
    extra = 0
    readonly_fields = ["de", "vers", "date_effet", "motif", "par", "enregistree_le"]
    can_delete = False


@admin.register(Convention)
class ConventionAdmin(admin.ModelAdmin):
    list_display = ["__str__", "statut", "date_debut", "date_fin", "ctes_identifiant"]
    list_filter = ["statut"]
    search_fields = ["epci__nom", "ctes_identifiant"]
    raw_id_fields = ["caf", "epci", "precedente"]
    readonly_fields = ["statut"]
    inlines = [VisaInline, SignataireInline, AvenantInline, TransitionInline]


@admin.register(Adhesion)
class AdhesionAdmin(admin.ModelAdmin):
    list_display = ["commune", "convention", "statut", "date_deliberation", "ancienne_commune_cej"]
    list_filter = ["statut", "ancienne_commune_cej"]
    raw_id_fields = ["convention", "commune"]


@admin.register(Resiliation)
class ResiliationAdmin(admin.ModelAdmin):
    list_display = ["convention", "mode", "date_envoi", "date_effet"]
    raw_id_fields = ["convention"]
