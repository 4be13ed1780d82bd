"""The dated rates of the bonus territoire (national reference data) and the communes' wealth."""

from __future__ import annotations

from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from ctg.audit import Historique
from ctg.territoires.models import Commune

from .commun import annee_plausible, parmi, positif
from .structures import TYPES_COURTS, TypeStructure


class Nature(models.TextChoices):
    REPORT_N1 = "report_n1", "Report du montant N-1 (unités existantes)"
    REVALORISATION = "revalorisation", "Revalorisation annuelle du montant reporté"
    PLANCHER = "plancher", "Montant plancher par unité existante"
    NOUVELLES_UNITES = "nouvelles_unites", "Places ou unités nouvelles (bonus territoire)"
    PLACE_EMPLOYEUR = "place_employeur", "Places réservées par des employeurs (CTRE)"
    TRAJECTOIRE = "trajectoire", "Bonus trajectoire de développement"


class Unite(models.TextChoices):
    PLACE = "place", "par place"
    HEURE = "heure", "par heure"
    ETP = "etp", "par ETP"
    FORFAIT = "forfait", "forfait par structure"
    POURCENTAGE = "pourcentage", "pourcentage"


class Arrondi(models.TextChoices):
    CENTIME = "centime", "au centime le plus proche (demi au-dessus)"
    EURO = "euro", "à l'euro le plus proche (demi au-dessus)"
    CENTIME_INFERIEUR = "centime_inferieur", "au centime inférieur"
    EURO_INFERIEUR = "euro_inferieur", "à l'euro inférieur"


ARRONDIS = {
    Arrondi.CENTIME: (Decimal("0.01"), ROUND_HALF_UP),
    Arrondi.EURO: (Decimal("1"), ROUND_HALF_UP),
    Arrondi.CENTIME_INFERIEUR: (Decimal("0.01"), ROUND_DOWN),
    Arrondi.EURO_INFERIEUR: (Decimal("1"), ROUND_DOWN),
}


def arrondir(montant: Decimal, regle: str = Arrondi.CENTIME) -> Decimal:
    pas, mode = ARRONDIS[regle]
    return montant.quantize(pas, rounding=mode)


class Bareme(models.Model):
    """One dated national rate (Cnaf): per (structure type, nature, unit, tranche), valid from a day to a day (or
    open-ended). It applies to every Caf, so only a national administrator creates or revises it
    (``ctg.financement.perms.peut_modifier_baremes``).

    Rates change every year and some conversion rules are uncertain: none is a constant in the code. A revision
    closes the current row the day before the new one starts (``ctg.financement.baremes.reviser``), so the
    history stays. The computation for year Y takes the row valid on 1 January of Y.
    """

    type_structure = models.CharField("type de structure", max_length=15, choices=TypeStructure.choices)
    nature = models.CharField("nature", max_length=20, choices=Nature.choices)
    unite = models.CharField("unité", max_length=12, choices=Unite.choices)
    tranche = models.CharField(
        "tranche ou palier", max_length=80, blank=True, help_text="distingue plusieurs taux de même nature"
    )
    montant = models.DecimalField(
        "montant (€) ou taux (%)",
        max_digits=12,
        decimal_places=4,
        null=True,
        blank=True,
        help_text="en euros par unité ; en pour cent pour une revalorisation ; vide pour un report sans montant",
    )
    seuil_potentiel_financier = models.DecimalField(
        "potentiel financier par habitant au plus (€)",
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="la tranche s'applique si la commune est à ce niveau ou en dessous",
    )
    seuil_revenu = models.DecimalField(
        "revenu par habitant au plus (€)", max_digits=10, decimal_places=2, null=True, blank=True
    )
    seuil_croissance = models.DecimalField(
        "croissance des places d'au moins (%)", max_digits=6, decimal_places=2, null=True, blank=True
    )
    annee_base = models.PositiveSmallIntegerField(
        "année de base de la croissance", null=True, blank=True, help_text="bonus trajectoire : 2023"
    )
    valide_du = models.DateField("valable du")
    valide_au = models.DateField("valable jusqu'au", null=True, blank=True)
    arrondi = models.CharField("arrondi", max_length=20, choices=Arrondi.choices, default=Arrondi.CENTIME)
    source = models.TextField("source")
    note = models.TextField("note", blank=True)
    a_confirmer = models.BooleanField("à confirmer", default=False)
    remplace = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="remplacants", verbose_name="remplace"
    )
    cree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    historique = Historique()

    class Meta:
        ordering = ["type_structure", "nature", "unite", "tranche", "valide_du"]
        verbose_name = "barème"
        constraints = [
            parmi("type_structure", TypeStructure.values, "bareme_type_connu"),
            parmi("nature", Nature.values, "bareme_nature_connue"),
            parmi("unite", Unite.values, "bareme_unite_connue"),
            parmi("arrondi", Arrondi.values, "bareme_arrondi_connu"),
            positif("montant", "bareme_montant_positif", "Le montant", nullable=True),
            models.CheckConstraint(
                condition=~models.Q(unite=Unite.POURCENTAGE)
                | models.Q(montant__isnull=True)
                | models.Q(montant__lte=100),
                name="bareme_pourcentage_au_plus_100",
                violation_error_message="Un pourcentage est compris entre 0 et 100.",
            ),
            models.CheckConstraint(
                condition=models.Q(seuil_croissance__isnull=True)
                | models.Q(seuil_croissance__gte=0, seuil_croissance__lte=100),
                name="bareme_seuil_croissance_pourcentage",
                violation_error_message="Le seuil de croissance est un pourcentage compris entre 0 et 100.",
            ),
            positif("seuil_potentiel_financier", "bareme_seuil_pf_positif", "Le seuil de potentiel financier", True),
            positif("seuil_revenu", "bareme_seuil_revenu_positif", "Le seuil de revenu", True),
            annee_plausible("annee_base", "bareme_annee_base_plausible", nullable=True),
        ]

    def __str__(self):
        return f"{self.libelle} ({self.periode})"

    @property
    def cle(self) -> tuple:
        return (self.type_structure, self.nature, self.unite, self.tranche)

    @property
    def libelle(self) -> str:
        tranche = f" — {self.tranche}" if self.tranche else ""
        return f"{TYPES_COURTS.get(self.type_structure, self.type_structure)} : {self.get_nature_display()}{tranche}"

    @property
    def periode(self) -> str:
        if self.valide_au and self.valide_au < self.valide_du:
            return f"prévu à compter du {self.valide_du:%d/%m/%Y}, corrigé avant de s'appliquer"
        fin = f"au {self.valide_au:%d/%m/%Y}" if self.valide_au else "sans date de fin"
        return f"du {self.valide_du:%d/%m/%Y} {fin}"

    @property
    def montant_texte(self) -> str:
        from ..textes import euros, pourcent

        if self.montant is None:
            return "—"
        if self.unite == Unite.POURCENTAGE:
            return pourcent(self.montant)
        return f"{euros(self.montant)} {self.get_unite_display()}"

    def valable_le(self, jour: date) -> bool:
        return self.valide_du <= jour and (self.valide_au is None or jour <= self.valide_au)

    def clean(self):
        if self.valide_au and self.valide_au < self.valide_du:
            raise ValidationError({"valide_au": "La fin de validité précède son début."})
        if self.nature == Nature.REVALORISATION and self.unite != Unite.POURCENTAGE:
            raise ValidationError({"unite": "Une revalorisation s'exprime en pourcentage."})
        if self.nature in {Nature.NOUVELLES_UNITES, Nature.PLACE_EMPLOYEUR, Nature.TRAJECTOIRE, Nature.PLANCHER}:
            if self.montant is None:
                raise ValidationError({"montant": "Indiquez le montant de ce taux."})
        if self.nature == Nature.TRAJECTOIRE and (self.seuil_croissance is None or self.annee_base is None):
            raise ValidationError("Un palier du bonus trajectoire a un seuil de croissance et une année de base.")
        chevauchements = Bareme.objects.filter(
            type_structure=self.type_structure, nature=self.nature, unite=self.unite, tranche=self.tranche
        ).exclude(pk=self.pk)
        for autre in chevauchements:
            fin_autre = autre.valide_au or date.max
            fin = self.valide_au or date.max
            if autre.valide_du <= fin and self.valide_du <= fin_autre:
                raise ValidationError(
                    f"La période chevauche celle d'un taux existant ({autre.periode}) : révisez ce taux à partir "
                    "d'une date plutôt que d'en ajouter un second."
                )


class RichesseCommune(models.Model):
    """Potentiel financier and revenu per inhabitant of a commune (national data, DGCL): they choose the new-places
    rate bracket. Reference data of the territory like the census, not a convention's record: read-only in pages,
    edited in the admin by a national administrator."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="richesses")
    annee = models.PositiveSmallIntegerField("année")
    potentiel_financier = models.DecimalField("potentiel financier par habitant (€)", max_digits=10, decimal_places=2)
    revenu = models.DecimalField("revenu par habitant (€)", max_digits=10, decimal_places=2)
    source = models.CharField("source", max_length=300)
    demonstration = models.BooleanField("donnée de démonstration", default=False)

    historique = Historique()

    class Meta:
        ordering = ["commune__nom", "-annee"]
        verbose_name = "richesse d'une commune"
        verbose_name_plural = "richesse des communes"
        constraints = [
            models.UniqueConstraint(fields=["commune", "annee"], name="une_richesse_par_annee"),
            annee_plausible("annee", "richesse_annee_plausible"),
            positif("potentiel_financier", "richesse_potentiel_positif", "Le potentiel financier"),
            positif("revenu", "richesse_revenu_positif", "Le revenu"),
        ]

    def __str__(self):
        return f"{self.commune.nom} {self.annee}"
