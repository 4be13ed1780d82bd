from django.contrib import admin

from .models import Commune, Departement, Epci, ImportTerritoires, Region


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "zone"]
    search_fields = ["code", "nom"]


@admin.register(Departement)
class DepartementAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "region", "zone"]
    search_fields = ["code", "nom"]
    exclude = ["forme"]


@admin.register(Epci)
class EpciAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "type", "population"]
    list_filter = ["type"]
    search_fields = ["code", "nom"]
    exclude = ["forme"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "nom", "departement", "epci", "population"]
    search_fields = ["code", "nom"]
    raw_id_fields = ["epci", "departement", "region"]
    exclude = ["forme"]


@admin.register(ImportTerritoires)
class ImportTerritoiresAdmin(admin.ModelAdmin):
    list_display = ["date", "source", "population_annee"]
    readonly_fields = ["date", "source", "population_annee", "empreintes", "sources", "bilan"]
