"""The communes' actual funding, as the structures' budgets and comptes de résultat give it, and the Caf's
verifications."""

from __future__ import annotations

import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models

from ctg.audit import Historique
from ctg.concurrence import Versionne
from ctg.territoires.models import Commune

from .commun import MONTANT, annee_plausible, parmi, positif
from .structures import Structure


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
