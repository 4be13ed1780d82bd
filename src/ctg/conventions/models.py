"""A Convention territoriale globale: its parties, signatories, dates, annexes, adhesions, avenants and lifecycle.

The articles of the reference convention (Caf du Nord × CA de Cambrai, December 2021) are rendered from
these records by ``ctg.conventions.document``; the rules with a legal source (dates, termination) live in
``ctg.conventions.regles``.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse

from ctg.comptes.models import Organisation
from ctg.territoires.models import Commune, Epci


class Domaine(models.TextChoices):
    """The ten domains a CTG covers (préambule)."""

    PETITE_ENFANCE = "petite_enfance", "petite enfance"
    ENFANCE = "enfance", "enfance"
    JEUNESSE = "jeunesse", "jeunesse"
    PARENTALITE = "parentalite", "parentalité"
    ACCES_DROITS = "acces_droits", "accès aux droits et aux services"
    INCLUSION_NUMERIQUE = "inclusion_numerique", "inclusion numérique"
    VIE_SOCIALE = "vie_sociale", "animation de la vie sociale"
    LOGEMENT = "logement", "logement"
    HANDICAP = "handicap", "handicap"
    ACCOMPAGNEMENT_SOCIAL = "accompagnement_social", "accompagnement social"


def tous_les_domaines() -> list[str]:
    return list(Domaine.values)


class Statut(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SIGNEE = "signee", "Signée"
    EN_VIGUEUR = "en_vigueur", "En vigueur"
    EXPIREE = "expiree", "Terminée (arrivée à échéance)"
    RESILIEE = "resiliee", "Terminée (résiliée)"


class Annexe1(models.TextChoices):
    DIAGNOSTIC_TYPE = "diagnostic_type", "Diagnostic type établi par la Caf, si les travaux n'ont pas pu être finalisés"
    DIAGNOSTIC_PARTAGE = "diagnostic_partage", "Diagnostic partagé, si les travaux ont été finalisés avant signature"


class Instance(models.TextChoices):
    CONSEIL_COMMUNAUTAIRE = "conseil_communautaire", "conseil communautaire"
    BUREAU_COMMUNAUTAIRE = "bureau_communautaire", "bureau communautaire"
    CONSEIL_METROPOLITAIN = "conseil_metropolitain", "conseil métropolitain"


class Convention(models.Model):
    caf = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="conventions_caf", limit_choices_to={"type": "caf"}
    )
    epci = models.ForeignKey(Epci, on_delete=models.PROTECT, related_name="conventions")
    titre = models.CharField("titre", max_length=200, default="Convention territoriale globale")
    date_debut = models.DateField("date de début")
    date_fin = models.DateField("date de fin", help_text="au plus tard le 31 décembre de l'année N+4 (article 10)")
    date_signature = models.DateField("date de signature", null=True, blank=True)
    statut = models.CharField("statut", max_length=12, choices=Statut.choices, default=Statut.BROUILLON)
    domaines = models.JSONField("domaines d'intervention", default=tous_les_domaines)

    # Télétransmission au contrôle de légalité (@ctes)
    ctes_identifiant = models.CharField(
        "identifiant @ctes",
        max_length=80,
        null=True,
        blank=True,
        unique=True,
        help_text="DDD-SIREN-AAAAMMJJ-NUMERO-NATURE, par exemple 059-200068500-20211221-D2021_12_10_01-CC",
    )
    envoye_prefecture_le = models.DateField("envoyé en préfecture le", null=True, blank=True)
    recu_prefecture_le = models.DateField("reçu en préfecture le", null=True, blank=True)
    affiche_le = models.DateField("affiché le", null=True, blank=True)

    # Délibération de la collectivité (visas et annexe 3)
    deliberation_instance = models.CharField(
        "instance", max_length=25, choices=Instance.choices, default=Instance.CONSEIL_COMMUNAUTAIRE
    )
    deliberation_date = models.DateField("date de la délibération", null=True, blank=True)
    deliberation_numero = models.CharField("numéro de la délibération", max_length=50, blank=True)

    annexe1 = models.CharField(
        "annexe 1 : diagnostic à la signature", max_length=20, choices=Annexe1.choices, default=Annexe1.DIAGNOSTIC_TYPE
    )
    chef_projet_nom = models.CharField("chef·fe de projet de la collectivité : nom", max_length=200, blank=True)
    chef_projet_fonction = models.CharField("chef·fe de projet : fonction", max_length=200, blank=True)

    diagnostic_valide_le = models.DateField("diagnostic validé le", null=True, blank=True)
    objectifs_identifies_le = models.DateField("objectifs et projets identifiés le", null=True, blank=True)
    precedente = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suivante",
        help_text="convention renouvelée par celle-ci (accord explicite, article 10)",
    )
    creee_le = models.DateTimeField(auto_now_add=True)
    modifiee_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date_debut", "epci__nom"]
        verbose_name = "convention"

    def __str__(self):
        return f"CTG {self.caf} × {self.epci.nom} ({self.date_debut:%Y}–{self.date_fin:%Y})"

    def get_absolute_url(self):
        return reverse("conventions:tableau", args=[self.pk])

    def clean(self):
        from .regles import erreurs_convention

        erreurs = erreurs_convention(self)
        if erreurs:
            raise ValidationError(erreurs)

    @property
    def domaines_libelles(self) -> list[str]:
        libelles = dict(Domaine.choices)
        return [libelles[d] for d in Domaine.values if d in self.domaines]

    @property
    def est_terminee(self) -> bool:
        return self.statut in {Statut.EXPIREE, Statut.RESILIEE}


class Visa(models.Model):
    """One "Vu …" line of the convention, in order."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="visas")
    ordre = models.PositiveSmallIntegerField("ordre")
    texte = models.TextField("texte")

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "visa"

    def __str__(self):
        return self.texte


class Partie(models.TextChoices):
    CAF = "caf", "Caf"
    COLLECTIVITE = "collectivite", "Collectivité"


class Civilite(models.TextChoices):
    MADAME = "Madame", "Madame"
    MONSIEUR = "Monsieur", "Monsieur"


class Qualite(models.TextChoices):
    PRESIDENT_CA = "president_ca", "Président·e du conseil d'administration"
    DIRECTEUR_GENERAL = "directeur_general", "Directeur·rice général·e"
    PRESIDENT_EPCI = "president_epci", "Président·e de la collectivité"
    AUTRE = "autre", "Autre"


QUALITES_GENREES = {
    # qualité -> form -> (masculine, feminine). "libelle": in lists; "en_ligne": in the parties' paragraph of the
    # convention; "signature": above the signature (as in the reference convention).
    Qualite.PRESIDENT_CA: {
        "libelle": ("Président du conseil d'administration", "Présidente du conseil d'administration"),
        "en_ligne": ("le président de son conseil d'administration", "la présidente de son conseil d'administration"),
        "signature": ("Le Président du conseil d'administration,", "La Présidente du conseil d'administration,"),
    },
    Qualite.DIRECTEUR_GENERAL: {
        "libelle": ("Directeur général", "Directrice générale"),
        "en_ligne": ("son Directeur général", "sa Directrice générale"),
        "signature": ("Le Directeur général,", "La Directrice générale,"),
    },
    Qualite.PRESIDENT_EPCI: {
        "libelle": ("Président", "Présidente"),
        "en_ligne": ("son Président", "sa Présidente"),
        "signature": ("Le Président,", "La Présidente,"),
    },
}


class Signataire(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="signataires")
    partie = models.CharField("partie", max_length=12, choices=Partie.choices)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    civilite = models.CharField("civilité", max_length=8, choices=Civilite.choices)
    prenom = models.CharField("prénom", max_length=100)
    nom = models.CharField("nom", max_length=100)
    qualite = models.CharField("qualité", max_length=20, choices=Qualite.choices)
    qualite_autre = models.CharField("qualité (si autre)", max_length=200, blank=True)

    class Meta:
        ordering = ["partie", "ordre", "pk"]
        verbose_name = "signataire"

    def __str__(self):
        return f"{self.civilite} {self.prenom} {self.nom.upper()}"

    @property
    def feminin(self) -> bool:
        return self.civilite == Civilite.MADAME

    @property
    def qualite_libelle(self) -> str:
        """The office, in the signatory's gender: "Présidente du conseil d'administration", "Directeur général"."""
        if self.qualite == Qualite.AUTRE:
            return self.qualite_autre
        return QUALITES_GENREES[self.qualite]["libelle"][self.feminin]


class Avenant(models.Model):
    """A numbered amendment (article 11: the convention is completed later by avenants)."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="avenants")
    numero = models.PositiveSmallIntegerField("numéro")
    date = models.DateField("date de signature")
    objet = models.TextField("objet")
    signataires = models.TextField("signataires", blank=True)
    ctes_identifiant = models.CharField("identifiant @ctes", max_length=80, blank=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    class Meta:
        ordering = ["numero"]
        verbose_name = "avenant"
        constraints = [models.UniqueConstraint(fields=["convention", "numero"], name="avenant_numero_unique")]

    def __str__(self):
        return f"Avenant n° {self.numero} du {self.date:%d/%m/%Y}"


class Transition(models.Model):
    """One step of a convention's lifecycle, kept as its history."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="transitions")
    de = models.CharField("de", max_length=12, choices=Statut.choices, blank=True)
    vers = models.CharField("vers", max_length=12, choices=Statut.choices)
    date_effet = models.DateField("date d'effet")
    motif = models.TextField("motif", blank=True)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    enregistree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["enregistree_le", "pk"]
        verbose_name = "transition"

    def __str__(self):
        return f"{self.get_de_display() or '—'} → {self.get_vers_display()} ({self.date_effet:%d/%m/%Y})"


class ModeResiliation(models.TextChoices):
    MISE_EN_DEMEURE = "mise_en_demeure", "Résiliation après mise en demeure restée sans effet"
    INFRACTION = "infraction", "Résiliation par la Caf pour infraction aux lois et règlements"
    SANS_AVENANT = "sans_avenant", "Résiliation immédiate par la Caf : modification sans avenant"
    DENONCIATION = "denonciation", "Dénonciation avec un préavis de six mois"


class Resiliation(models.Model):
    convention = models.OneToOneField(Convention, on_delete=models.CASCADE, related_name="resiliation")
    mode = models.CharField("mode", max_length=20, choices=ModeResiliation.choices)
    date_envoi = models.DateField("date d'envoi (lettre recommandée ou préavis)")
    date_effet = models.DateField("date d'effet")
    initiative = models.CharField("à l'initiative de", max_length=12, choices=Partie.choices)
    motif = models.TextField("motif", blank=True)
    enregistree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    enregistree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "résiliation"

    def __str__(self):
        return f"{self.get_mode_display()} — effet le {self.date_effet:%d/%m/%Y}"


class StatutAdhesion(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    ADHEREE = "adheree", "Adhérée"
    REFUSEE = "refusee", "Refusée"


class Adhesion(models.Model):
    """A member commune's adhesion to the convention (annexe 4)."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="adhesions")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="adhesions")
    statut = models.CharField(
        "statut", max_length=12, choices=StatutAdhesion.choices, default=StatutAdhesion.EN_ATTENTE
    )
    maire_civilite = models.CharField("civilité du ou de la maire", max_length=8, choices=Civilite.choices, blank=True)
    maire_prenom = models.CharField("prénom du ou de la maire", max_length=100, blank=True)
    maire_nom = models.CharField("nom du ou de la maire", max_length=100, blank=True)
    date_deliberation = models.DateField("date de la délibération du conseil municipal", null=True, blank=True)
    ancienne_commune_cej = models.BooleanField(
        "commune signataire d'un ancien contrat enfance jeunesse (Cej)", default=False
    )
    commentaire = models.TextField("commentaire", blank=True)
    modifiee_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["commune__nom"]
        verbose_name = "adhésion"
        constraints = [models.UniqueConstraint(fields=["convention", "commune"], name="une_adhesion_par_commune")]

    def __str__(self):
        return f"{self.commune.nom} — {self.get_statut_display()}"

    @property
    def maire(self) -> str:
        return " ".join(p for p in (self.maire_civilite, self.maire_prenom, self.maire_nom.upper()) if p)

    @property
    def bonus_bloque(self) -> bool:
        """A former CEJ commune that has not adhered: the bonus territoire cannot be paid on its territory."""
        return self.ancienne_commune_cej and self.statut != StatutAdhesion.ADHEREE
