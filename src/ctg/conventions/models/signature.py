"""Who signs the convention, and the « Vu … » it cites."""

from django.db import models

from ctg.audit import Historique
from ctg.etats import Verrouillable

from .convention import Convention


class Visa(Verrouillable):
    """One "Vu …" line of the convention, in order."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="visas")
    ordre = models.PositiveSmallIntegerField("ordre")
    texte = models.TextField("texte")

    historique = Historique()

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "visa"

    def __str__(self):
        return self.texte

    def verifier_modifiable(self):
        from ..cycle import verifier_piece_signee

        verifier_piece_signee(self.convention, "ses visas")


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


class Signataire(Verrouillable):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="signataires")
    partie = models.CharField("partie", max_length=12, choices=Partie.choices)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    civilite = models.CharField("civilité", max_length=8, choices=Civilite.choices)
    prenom = models.CharField("prénom", max_length=100)
    nom = models.CharField("nom", max_length=100)
    qualite = models.CharField("qualité", max_length=20, choices=Qualite.choices)
    qualite_autre = models.CharField("qualité (si autre)", max_length=200, blank=True)

    historique = Historique()

    class Meta:
        ordering = ["partie", "ordre", "pk"]
        verbose_name = "signataire"
        constraints = [
            models.CheckConstraint(condition=models.Q(partie__in=["caf", "collectivite"]), name="signataire_partie")
        ]

    def __str__(self):
        return f"{self.civilite} {self.prenom} {self.nom.upper()}"

    def verifier_modifiable(self):
        from ..cycle import verifier_piece_signee

        verifier_piece_signee(self.convention, "ses signataires")

    @property
    def feminin(self) -> bool:
        return self.civilite == Civilite.MADAME

    @property
    def qualite_libelle(self) -> str:
        """The office, in the signatory's gender: "Présidente du conseil d'administration", "Directeur général"."""
        if self.qualite == Qualite.AUTRE:
            return self.qualite_autre
        return QUALITES_GENREES[self.qualite]["libelle"][self.feminin]
