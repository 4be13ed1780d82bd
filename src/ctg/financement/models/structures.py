"""The structures (équipements) a convention finances, their capacities, and the Cej of reference with their lines."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models

from ctg.audit import Historique
from ctg.comptes.models import Organisation
from ctg.concurrence import Versionne
from ctg.territoires.models import Commune

from .commun import MONTANT, annee_plausible, parmi, positif


class TypeStructure(models.TextChoices):
    EAJE = "eaje", "Établissement d'accueil du jeune enfant (EAJE)"
    ALSH = "alsh", "Accueil de loisirs sans hébergement (ALSH)"
    LAEP = "laep", "Lieu d'accueil enfants-parents (LAEP)"
    RPE = "rpe", "Relais petite enfance (RPE, ex-RAM)"
    CENTRE_SOCIAL = "centre_social", "Centre social"
    EVS = "evs", "Espace de vie sociale"
    AUTRE = "autre", "Autre structure"


TYPES_COURTS = {
    TypeStructure.EAJE: "EAJE",
    TypeStructure.ALSH: "ALSH",
    TypeStructure.LAEP: "LAEP",
    TypeStructure.RPE: "RPE",
    TypeStructure.CENTRE_SOCIAL: "Centre social",
    TypeStructure.EVS: "EVS",
    TypeStructure.AUTRE: "Autre",
}


class Structure(Versionne):
    """An équipement (a crèche, an accueil de loisirs, a relais petite enfance, a centre social…) as one convention
    knows it. The same équipement under a renewed convention is a copy (``copiee_de``), so that each convention's
    figures stay its own."""

    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="structures", verbose_name="convention"
    )
    nom = models.CharField("nom", max_length=200)
    type = models.CharField("type", max_length=15, choices=TypeStructure.choices)
    reference = models.CharField(
        "référence",
        max_length=50,
        blank=True,
        help_text="numéro de l'équipement à la Caf, s'il est connu ; sert à reconnaître la structure dans un import",
    )
    gestionnaire = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="structures_gerees",
        verbose_name="gestionnaire",
        help_text="l'organisme qui gère la structure et reçoit le bonus territoire",
    )
    commune = models.ForeignKey(
        Commune,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name="commune d'implantation",
        help_text="la commune qui soutient la structure : le bonus suit son adhésion à la CTG",
    )
    communes_desservies = models.ManyToManyField(
        Commune, blank=True, related_name="+", verbose_name="autres communes desservies"
    )
    psu = models.BooleanField(
        "financée par la prestation de service unique (PSU)", default=True, help_text="pour un EAJE"
    )
    cofinancee = models.BooleanField(
        "soutenue financièrement par une collectivité signataire de la CTG",
        default=True,
        help_text="condition du bonus territoire (places cofinancées)",
    )
    en_qpv = models.BooleanField("située en quartier prioritaire de la politique de la ville (QPV)", default=False)
    en_zrr = models.BooleanField(
        "située en zone de revitalisation rurale (ZRR, France Ruralités Revitalisation)", default=False
    )
    date_ouverture = models.DateField("date d'ouverture", null=True, blank=True)
    date_fermeture = models.DateField("date de fermeture", null=True, blank=True)
    copiee_de = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        editable=False,
        verbose_name="reprise de la structure",
        help_text="la même structure dans la convention renouvelée",
    )
    demonstration = models.BooleanField("donnée de démonstration", default=False, editable=False)
    creee_le = models.DateTimeField(auto_now_add=True)
    modifiee_le = models.DateTimeField(auto_now=True)

    historique = Historique(m2m_fields=["communes_desservies"])

    class Meta:
        ordering = ["commune__nom", "type", "nom"]
        verbose_name = "structure"
        constraints = [
            parmi("type", TypeStructure.values, "structure_type_connu"),
            models.CheckConstraint(
                condition=models.Q(date_fermeture__isnull=True)
                | models.Q(date_ouverture__isnull=True)
                | models.Q(date_fermeture__gte=models.F("date_ouverture")),
                name="structure_fermeture_apres_ouverture",
                violation_error_message="La date de fermeture précède la date d'ouverture.",
            ),
        ]

    def __str__(self):
        return self.nom

    def clean(self):
        if self.date_ouverture and self.date_fermeture and self.date_fermeture < self.date_ouverture:
            raise ValidationError({"date_fermeture": "La date de fermeture précède la date d'ouverture."})

    @property
    def type_court(self) -> str:
        return TYPES_COURTS.get(self.type, self.type)


class Capacite(models.Model):
    """The capacity of a structure from a date on: the last row dated on or before a day is the one in force."""

    chemin_convention = "structure__convention"

    structure = models.ForeignKey(Structure, on_delete=models.CASCADE, related_name="capacites")
    depuis = models.DateField("à compter du")
    places = models.PositiveIntegerField("places (agrément)", default=0, help_text="pour un EAJE : places PSU")
    places_employeurs = models.PositiveIntegerField(
        "dont places réservées par des employeurs", default=0, help_text="contrat territorial réservataire (CTRE)"
    )
    heures = models.DecimalField(
        "heures d'ouverture ou d'accueil par an", max_digits=10, decimal_places=2, null=True, blank=True
    )
    etp = models.DecimalField("équivalents temps plein (ETP)", max_digits=6, decimal_places=2, null=True, blank=True)

    historique = Historique()

    class Meta:
        ordering = ["structure", "depuis"]
        verbose_name = "capacité"
        constraints = [
            models.UniqueConstraint(fields=["structure", "depuis"], name="une_capacite_par_date"),
            models.CheckConstraint(
                condition=models.Q(places_employeurs__lte=models.F("places")),
                name="capacite_employeurs_dans_les_places",
                violation_error_message="Plus de places réservées par des employeurs que de places.",
            ),
            positif("heures", "capacite_heures_positives", "Le nombre d'heures", nullable=True),
            positif("etp", "capacite_etp_positifs", "Le nombre d'ETP", nullable=True),
        ]

    def __str__(self):
        return f"{self.structure} : {self.places} places à compter du {self.depuis:%d/%m/%Y}"

    def clean(self):
        if self.places_employeurs > self.places:
            raise ValidationError({"places_employeurs": "Plus de places réservées par des employeurs que de places."})


class Cej(models.Model):
    """A commune's contrat enfance jeunesse as a convention's reference: its dates, actions, and per structure the
    reference amounts. A renewed convention holds its own copy (``copiee_de``)."""

    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="cej", verbose_name="convention"
    )
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+", verbose_name="commune signataire")
    intitule = models.CharField("intitulé", max_length=200, help_text="ex. « Cej 2018-2021 de Cambrai »")
    date_debut = models.DateField("début du contrat")
    date_fin = models.DateField("fin du contrat")
    annee_reference = models.PositiveSmallIntegerField(
        "année N-1 de référence",
        help_text="l'année dont le montant bonifié, comptabilisé par la Caf en charges à payer, est conservé "
        "(article 5, note 2) ; en général la dernière année du Cej",
    )
    actions = models.TextField("actions du Cej", blank=True)
    commentaire = models.TextField("source ou commentaire", blank=True)
    copiee_de = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="copies",
        editable=False,
        verbose_name="reprise du Cej",
    )
    demonstration = models.BooleanField("donnée de démonstration", default=False, editable=False)

    historique = Historique()

    class Meta:
        ordering = ["commune__nom", "-date_fin"]
        verbose_name = "contrat enfance jeunesse"
        verbose_name_plural = "contrats enfance jeunesse"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_fin__gte=models.F("date_debut")),
                name="cej_fin_apres_debut",
                violation_error_message="La fin du contrat précède son début.",
            ),
            annee_plausible("annee_reference", "cej_annee_reference_plausible"),
        ]

    def __str__(self):
        return self.intitule

    def clean(self):
        if self.date_debut and self.date_fin and self.date_fin < self.date_debut:
            raise ValidationError({"date_fin": "La fin du contrat précède son début."})

    def en_cours(self, annee: int) -> bool:
        """The Cej still funds year ``annee`` (prestation de service enfance jeunesse): no bonus for it yet."""
        return self.date_debut.year <= annee <= self.date_fin.year


class LigneCej(models.Model):
    """One structure of a Cej: the Caf's bonified amount of N-1 and the commune's committed funding. The structure
    and the Cej belong to the same convention."""

    chemin_convention = "cej__convention"

    cej = models.ForeignKey(Cej, on_delete=models.CASCADE, related_name="lignes")
    # RESTRICT: a structure of a Cej line cannot be deleted alone, but goes with its convention (and the Cej)
    structure = models.ForeignKey(Structure, on_delete=models.RESTRICT, related_name="lignes_cej")
    montant_n1 = models.DecimalField(
        "montant bonifié N-1 de la Caf (charges à payer)", **MONTANT, help_text="en euros, comptabilisé par la Caf"
    )
    unites_reference = models.DecimalField(
        "unités couvertes (places, heures ou ETP)",
        max_digits=10,
        decimal_places=2,
        default=0,
        help_text="pour un EAJE : les places existantes couvertes par ce montant",
    )
    engagement_commune = models.DecimalField(
        "financement de la commune prévu au Cej (par an)",
        **MONTANT,
        default=Decimal("0"),
        help_text="crédits petite enfance ou jeunesse que la commune s'engage à maintenir (article 1, note 1)",
    )

    historique = Historique()

    class Meta:
        ordering = ["cej", "structure__nom"]
        verbose_name = "ligne de Cej"
        constraints = [
            models.UniqueConstraint(fields=["cej", "structure"], name="une_ligne_cej_par_structure"),
            positif("montant_n1", "ligne_cej_montant_n1_positif", "Le montant N-1"),
            positif("unites_reference", "ligne_cej_unites_positives", "Le nombre d'unités"),
            positif("engagement_commune", "ligne_cej_engagement_positif", "L'engagement de la commune"),
        ]

    def __str__(self):
        return f"{self.cej} — {self.structure}"

    def clean(self):
        if self.cej_id and self.structure_id and self.cej.convention_id != self.structure.convention_id:
            raise ValidationError({"structure": "Cette structure n'appartient pas à la convention de ce Cej."})
