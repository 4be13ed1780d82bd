"""Financing of a CTG: structures (équipements), CEJ references, dated rates, the communes' actual funding and the
Caf's verifications.

Article 5 of the reference convention (and its footnote 2): at the end of each commune's contrat enfance jeunesse
(Cej) the Caf keeps, on that commune, the bonified amount of N-1 (as booked in its accounts, "charges à payer") and
pays it directly to the structures the commune supports, as "bonus territoire". Footnote 1 of article 1: in return
each former Cej commune keeps at least its Cej childhood and youth funding, which the Caf checks from the structures'
budgets and comptes de résultat; keeping it is a condition of the bonus.

Everything here but the rates table (``Bareme``) and the communes' wealth (``RichesseCommune``) belongs to **one
convention**: a structure, its capacities, a Cej and its lines, the actual funding and the Caf's verifications are
reached through their convention (``convention.structures``, ``chemin_convention``), never by EPCI or commune
alone. Two conventions of the same EPCI (one after the other, or a second one set up by mistake) therefore never see
nor change each other's records. A renewal keeps what it needs by an explicit copy
(``ctg.financement.regles.copier_pour_renouvellement``). The rates and the communes' wealth are national reference
data, revised by a national administrator only. The rules that turn these records into amounts live in
``ctg.financement.calcul``.
"""

from __future__ import annotations

import uuid
from datetime import date
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models

from ctg.audit import Historique
from ctg.comptes.models import Organisation
from ctg.concurrence import Versionne
from ctg.territoires.models import Commune

MONTANT = {"max_digits": 14, "decimal_places": 2}
# Years a record may carry: contrats enfance jeunesse date from 2006, CTG from 2020; a typing error is refused.
ANNEE_MIN, ANNEE_MAX = 2000, 2100


def annee_plausible(champ: str, nom: str, nullable: bool = False) -> models.CheckConstraint:
    condition = models.Q(**{f"{champ}__gte": ANNEE_MIN, f"{champ}__lte": ANNEE_MAX})
    if nullable:
        condition |= models.Q(**{f"{champ}__isnull": True})
    return models.CheckConstraint(
        condition=condition,
        name=nom,
        violation_error_message=f"L'année doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX}.",
    )


def positif(champ: str, nom: str, libelle: str, nullable: bool = False) -> models.CheckConstraint:
    condition = models.Q(**{f"{champ}__gte": 0})
    if nullable:
        condition |= models.Q(**{f"{champ}__isnull": True})
    return models.CheckConstraint(
        condition=condition, name=nom, violation_error_message=f"{libelle} ne peut pas être négatif."
    )


def parmi(champ: str, choix, nom: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{champ}__in": list(choix)}), name=nom, violation_error_message="Valeur inconnue."
    )


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
        from .textes import euros, pourcent

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


class Document(models.TextChoices):
    BUDGET = "budget", "budget prévisionnel"
    COMPTE = "compte", "compte de résultat"


class FinancementReel(Versionne):
    """What a commune actually gave a structure in a year, from the structure's budget or compte de résultat."""

    chemin_convention = "structure__convention"

    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="financements")
    annee = models.PositiveSmallIntegerField("année")
    document = models.CharField("document", max_length=10, choices=Document.choices, default=Document.COMPTE)
    montant_commune = models.DecimalField("financement de la commune (€)", **MONTANT)
    montant_autres = models.DecimalField(
        "autres financeurs (€)", **MONTANT, default=Decimal("0"), help_text="département, MSA, autres collectivités…"
    )
    commentaire = models.CharField("commentaire", max_length=300, blank=True)
    origine = models.CharField("origine", max_length=200, blank=True, help_text="saisie, ou fichier importé")
    saisi_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    modifie_le = models.DateTimeField(auto_now=True)
    demonstration = models.BooleanField("donnée de démonstration", default=False, editable=False)

    historique = Historique()

    class Meta:
        ordering = ["structure__commune__nom", "structure__nom", "annee", "document"]
        verbose_name = "financement constaté"
        verbose_name_plural = "financements constatés"
        constraints = [
            models.UniqueConstraint(fields=["structure", "annee", "document"], name="un_financement_par_document"),
            annee_plausible("annee", "financement_annee_plausible"),
            parmi("document", Document.values, "financement_document_connu"),
            positif("montant_commune", "financement_commune_positif", "Le financement de la commune"),
            positif("montant_autres", "financement_autres_positif", "Le financement des autres financeurs"),
        ]

    def __str__(self):
        return f"{self.structure} {self.annee} ({self.get_document_display()})"


class Conclusion(models.TextChoices):
    CONFORME = "conforme", "Financement maintenu : bonus versé"
    NON_CONFORME = "non_conforme", "Financement non maintenu : bonus suspendu"


def chemin_piece(verification, nom: str) -> str:
    """Where a verification's attachment is stored: a random name under its convention's folder, with the
    extension of the type found in its content; never the name it was uploaded with (kept in ``fichier_nom``)."""
    from ctg.televersement import extension_du_type

    extension = extension_du_type(verification.fichier_type)
    return f"verifications/{verification.convention_id}/{uuid.uuid4().hex}{'.' + extension if extension else ''}"


class Verification(models.Model):
    """The Caf's check of a former Cej commune's funding for a year (article 1, note 1): who, when, documents.
    One per convention, commune and year: a new check of the same year replaces it (the former stays in the
    history, with its attachment).

    The attachment is a file of the default storage (``fichier``, see ``chemin_piece``), never served by a URL of
    its own: ``views.verification_document`` sends it to the convention's members, as a download. Its name as
    uploaded (``fichier_nom``) is only shown; its type (``fichier_type``) is the one its content showed
    (``ctg.televersement``)."""

    convention = models.ForeignKey("conventions.Convention", on_delete=models.CASCADE, related_name="verifications")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="+")
    annee = models.PositiveSmallIntegerField("année vérifiée")
    conclusion = models.CharField("conclusion", max_length=15, choices=Conclusion.choices)
    documents = models.TextField(
        "documents examinés", help_text="un par ligne : budget ou compte de résultat de telle structure, délibération…"
    )
    commentaire = models.TextField("commentaire", blank=True)
    fichier_nom = models.CharField(
        "pièce jointe", max_length=200, blank=True, help_text="le nom du fichier joint, tel qu'il a été déposé"
    )
    fichier_type = models.CharField("type de la pièce jointe", max_length=100, blank=True)
    fichier = models.FileField("fichier de la pièce jointe", upload_to=chemin_piece, blank=True, editable=False)
    verifie_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    verifie_le = models.DateTimeField("vérifié le", auto_now_add=True)
    demonstration = models.BooleanField("donnée de démonstration", default=False, editable=False)

    historique = Historique()

    class Meta:
        ordering = ["-verifie_le", "-pk"]
        verbose_name = "vérification de la Caf"
        verbose_name_plural = "vérifications de la Caf"
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "commune", "annee"],
                name="une_verification_par_commune_et_annee",
                violation_error_message="Cette année de cette commune est déjà vérifiée pour cette convention.",
            ),
            annee_plausible("annee", "verification_annee_plausible"),
            parmi("conclusion", Conclusion.values, "verification_conclusion_connue"),
        ]

    def __str__(self):
        return f"{self.commune.nom} {self.annee} : {self.get_conclusion_display()}"
