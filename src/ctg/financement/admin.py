"""Back-office views of the financing records. Rates are revised on the product's page (``/financement/baremes/``),
which keeps their history: here they are read-only."""

from django.contrib import admin

from .models import Bareme, Capacite, Cej, FinancementReel, LigneCej, RichesseCommune, Structure, Verification


class CapaciteInline(admin.TabularInline):
    model = Capacite
    extra = 0


@admin.register(Structure)
class StructureAdmin(admin.ModelAdmin):
    list_display = ["nom", "type", "commune", "gestionnaire", "date_ouverture", "date_fermeture", "demonstration"]
    list_filter = ["type", "demonstration"]
    search_fields = ["nom", "reference", "commune__nom"]
    raw_id_fields = ["commune", "gestionnaire", "communes_desservies"]
    inlines = [CapaciteInline]


class LigneCejInline(admin.TabularInline):
    model = LigneCej
    extra = 0
    raw_id_fields = ["structure"]


@admin.register(Cej)
class CejAdmin(admin.ModelAdmin):
    list_display = ["intitule", "commune", "date_debut", "date_fin", "annee_reference"]
    raw_id_fields = ["commune"]
    inlines = [LigneCejInline]


@admin.register(Bareme)
class BaremeAdmin(admin.ModelAdmin):
    list_display = ["__str__", "montant", "valide_du", "valide_au", "a_confirmer"]
    list_filter = ["type_structure", "nature", "a_confirmer"]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(RichesseCommune)
class RichesseCommuneAdmin(admin.ModelAdmin):
    list_display = ["commune", "annee", "potentiel_financier", "revenu", "source", "demonstration"]
    raw_id_fields = ["commune"]
    search_fields = ["commune__nom", "commune__code"]


@admin.register(FinancementReel)
class FinancementReelAdmin(admin.ModelAdmin):
    list_display = ["structure", "annee", "document", "montant_commune", "montant_autres", "origine"]
    list_filter = ["annee", "document"]
    raw_id_fields = ["structure", "saisi_par"]


@admin.register(Verification)
class VerificationAdmin(admin.ModelAdmin):
    list_display = ["commune", "annee", "conclusion", "verifie_par", "verifie_le"]
    raw_id_fields = ["convention", "commune", "verifie_par"]
    readonly_fields = ["verifie_le"]
