"""Back-office views of the financing records, with their history (django-simple-history).

A convention's records (structures, Cej, funding, verifications) show their convention. The national reference data
(the rates table and the communes' wealth) apply to every Caf: only a national administrator may add, change or
delete them here; on the product's page (``/financement/baremes/``) a revision also keeps the former rate."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from ctg.comptes.admin import DonneesNationalesAdmin

from .models import Bareme, Capacite, Cej, FinancementReel, LigneCej, RichesseCommune, Structure, Verification


class CapaciteInline(admin.TabularInline):
    model = Capacite
    extra = 0


@admin.register(Structure)
class StructureAdmin(SimpleHistoryAdmin):
    list_display = ["nom", "type", "commune", "convention", "gestionnaire", "date_ouverture", "date_fermeture"]
    list_filter = ["type", "demonstration"]
    search_fields = ["nom", "reference", "commune__nom"]
    raw_id_fields = ["convention", "commune", "gestionnaire", "communes_desservies"]
    inlines = [CapaciteInline]


@admin.register(Capacite)
class CapaciteAdmin(SimpleHistoryAdmin):
    list_display = ["structure", "depuis", "places", "places_employeurs", "heures", "etp"]
    raw_id_fields = ["structure"]


class LigneCejInline(admin.TabularInline):
    model = LigneCej
    extra = 0
    raw_id_fields = ["structure"]


@admin.register(Cej)
class CejAdmin(SimpleHistoryAdmin):
    list_display = ["intitule", "commune", "convention", "date_debut", "date_fin", "annee_reference"]
    raw_id_fields = ["convention", "commune"]
    inlines = [LigneCejInline]


@admin.register(LigneCej)
class LigneCejAdmin(SimpleHistoryAdmin):
    list_display = ["cej", "structure", "montant_n1", "unites_reference", "engagement_commune"]
    raw_id_fields = ["cej", "structure"]


class DonneeNationaleAdmin(DonneesNationalesAdmin, SimpleHistoryAdmin):
    """National reference data: a national administrator only (a Caf's staff account reads it)."""


@admin.register(Bareme)
class BaremeAdmin(DonneeNationaleAdmin):
    list_display = ["__str__", "montant", "valide_du", "valide_au", "a_confirmer"]
    list_filter = ["type_structure", "nature", "a_confirmer"]
    raw_id_fields = ["remplace", "cree_par"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.cree_par = request.user
        super().save_model(request, obj, form, change)


@admin.register(RichesseCommune)
class RichesseCommuneAdmin(DonneeNationaleAdmin):
    list_display = ["commune", "annee", "potentiel_financier", "revenu", "source", "demonstration"]
    raw_id_fields = ["commune"]
    search_fields = ["commune__nom", "commune__code"]


@admin.register(FinancementReel)
class FinancementReelAdmin(SimpleHistoryAdmin):
    list_display = ["structure", "annee", "document", "montant_commune", "montant_autres", "origine"]
    list_filter = ["annee", "document"]
    raw_id_fields = ["structure", "saisi_par"]


@admin.register(Verification)
class VerificationAdmin(SimpleHistoryAdmin):
    list_display = ["commune", "annee", "convention", "conclusion", "verifie_par", "verifie_le"]
    raw_id_fields = ["convention", "commune", "verifie_par"]
    readonly_fields = ["verifie_le"]
