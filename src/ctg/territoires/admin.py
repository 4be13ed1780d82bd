"""The territories are national reference data that only the import of the official geographic code changes
(``ctg import_territoires``, which records its sources and checksums): the administration shows them, read-only
for everyone, national administrators included (a hand edit would be lost at the next import, without a trace of
its source)."""

from django.contrib import admin

from .models import Commune, Departement, Epci, ImportTerritoires, Region


class LectureSeuleAdmin(admin.ModelAdmin):
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Region)
class RegionAdmin(LectureSeuleAdmin):
    list_display = ["code", "nom", "zone"]
    search_fields = ["code", "nom"]


@admin.register(Departement)
class DepartementAdmin(LectureSeuleAdmin):
    list_display = ["code", "nom", "region", "zone"]
    search_fields = ["code", "nom"]
    exclude = ["forme"]


@admin.register(Epci)
class EpciAdmin(LectureSeuleAdmin):
    list_display = ["code", "nom", "type", "population"]
    list_filter = ["type"]
    search_fields = ["code", "nom"]
    exclude = ["forme"]


@admin.register(Commune)
class CommuneAdmin(LectureSeuleAdmin):
    list_display = ["code", "nom", "departement", "epci", "population"]
    search_fields = ["code", "nom"]
    raw_id_fields = ["epci", "departement", "region"]
    exclude = ["forme"]


@admin.register(ImportTerritoires)
class ImportTerritoiresAdmin(LectureSeuleAdmin):
    list_display = ["date", "source", "population_annee"]
    readonly_fields = ["date", "source", "population_annee", "empreintes", "sources", "bilan"]
