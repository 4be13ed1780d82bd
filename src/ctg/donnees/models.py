"""Open data as imported: every file with its provenance, every row with its territory and period.

An ``Observation`` holds the values of one row of a source file: one territory (commune, EPCI,
département or France), one period, and the file's variables as a JSON object. A value of ``None``
is a blank of the source — statistical secrecy in Caf files — never a zero; a variable absent from
the object was not provided. A newer vintage sits beside the older ones (one observation per period),
so series build themselves as files are imported.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q


class Niveau(models.TextChoices):
    COMMUNE = "commune", "commune"
    EPCI = "epci", "EPCI"
    DEPARTEMENT = "departement", "département"
    FRANCE = "france", "France"


CODE_FRANCE = "FR"


class Fichier(models.Model):
    """One imported file: what it is, where it comes from, its checksum, and what the import did."""

    dataset = models.CharField("jeu de données", max_length=50, db_index=True)
    nom = models.CharField("nom du fichier", max_length=300)
    empreinte = models.CharField("empreinte SHA-256", max_length=64)
    source_url = models.URLField("adresse de la source", max_length=500, blank=True)
    producteur = models.CharField("producteur", max_length=200, blank=True)
    licence = models.CharField("licence", max_length=200, blank=True)
    importe_le = models.DateTimeField("importé le", auto_now_add=True)
    demonstration = models.BooleanField(
        "données de démonstration (fictives)",
        default=False,
        help_text="chiffres inventés, à ne jamais présenter comme réels",
    )
    periodes = models.JSONField("périodes couvertes", default=list)
    lignes = models.PositiveIntegerField("lignes lues", default=0)
    bilan = models.JSONField("bilan de l'import", default=dict)
    importe_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="importé par",
        help_text="vide pour un import en ligne de commande",
    )
    valeurs_remplacees_gardees = models.BooleanField(
        "annulable",
        default=False,
        help_text="import fait depuis la page « Données » : les valeurs qu'il a remplacées sont gardées, il peut être "
        "annulé",
    )
    annule_le = models.DateTimeField("annulé le", null=True, blank=True)
    annule_par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="annulé par",
    )

    class Meta:
        ordering = ["-importe_le"]
        verbose_name = "fichier importé"
        verbose_name_plural = "fichiers importés"
        constraints = [
            # an undone import stays in the history; the same file may then be imported again
            models.UniqueConstraint(
                fields=["dataset", "empreinte"],
                condition=Q(annule_le__isnull=True),
                name="fichier_unique_par_empreinte",
            )
        ]

    def __str__(self):
        return f"{self.nom} ({self.dataset})"


class Observation(models.Model):
    fichier = models.ForeignKey(Fichier, on_delete=models.CASCADE, related_name="observations")
    dataset = models.CharField("jeu de données", max_length=50)
    niveau = models.CharField("niveau", max_length=12, choices=Niveau.choices)
    code = models.CharField("code du territoire", max_length=9)
    periode = models.CharField("période", max_length=7, help_text="AAAA, ou AAAA-MM pour une date de référence")
    annee = models.PositiveSmallIntegerField("année")
    valeurs = models.JSONField("valeurs", default=dict)

    class Meta:
        verbose_name = "observation"
        constraints = [
            models.UniqueConstraint(fields=["dataset", "niveau", "code", "periode"], name="observation_unique"),
        ]
        indexes = [models.Index(fields=["dataset", "niveau", "annee"]), models.Index(fields=["niveau", "code"])]

    def __str__(self):
        return f"{self.dataset} {self.niveau} {self.code} {self.periode}"


class ValeursRemplacees(models.Model):
    """What an import replaced: the values an observation held, and the file they came from, before ``fichier``
    changed them. Undoing the import puts them back (``ctg.donnees.page.annuler``)."""

    fichier = models.ForeignKey(Fichier, on_delete=models.CASCADE, related_name="remplacements")
    observation = models.ForeignKey(Observation, on_delete=models.CASCADE, related_name="+")
    ancien_fichier = models.ForeignKey(Fichier, on_delete=models.CASCADE, related_name="+")
    anciennes_valeurs = models.JSONField("valeurs remplacées", default=dict)

    class Meta:
        verbose_name = "valeurs remplacées par un import"
        verbose_name_plural = "valeurs remplacées par un import"
        constraints = [
            models.UniqueConstraint(fields=["fichier", "observation"], name="remplacement_unique_par_observation")
        ]

    def __str__(self):
        return f"{self.observation_id} avant {self.fichier}"
