"""Indicator values computed from the open data, for every EPCI, département and France.

Commune values are computed on demand (a page shows at most a few hundred communes); the values of
the larger territories are computed once after each import (``ctg calculer_indicateurs``) because
they aggregate thousands of communes. A rate is always recomputed from its numerator and
denominator at each level, never averaged.
"""

from django.db import models

from ctg.donnees.models import Niveau


class Etat(models.TextChoices):
    DISPONIBLE = "disponible", "disponible"
    SECRET = "secret", "secret statistique"
    PARTIEL = "partiel", "partiel (communes en secret ou manquantes)"
    ABSENT = "absent", "pas de donnée"


class ValeurIndicateur(models.Model):
    indicateur = models.CharField("indicateur", max_length=60)
    niveau = models.CharField("niveau", max_length=12, choices=Niveau.choices)
    code = models.CharField("code du territoire", max_length=9)
    annee = models.PositiveSmallIntegerField("année")
    valeur = models.FloatField("valeur", null=True, blank=True)
    numerateur = models.FloatField("numérateur", null=True, blank=True)
    denominateur = models.FloatField("dénominateur", null=True, blank=True)
    etat = models.CharField("état", max_length=12, choices=Etat.choices, default=Etat.DISPONIBLE)
    demonstration = models.BooleanField("calculée sur des données de démonstration", default=False)
    sources = models.JSONField("sources (jeu de données, fichier, période)", default=list)
    calculee_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateurs"
        constraints = [
            models.UniqueConstraint(fields=["indicateur", "niveau", "code", "annee"], name="valeur_indicateur_unique")
        ]
        indexes = [models.Index(fields=["niveau", "code"]), models.Index(fields=["indicateur", "niveau", "annee"])]

    def __str__(self):
        return f"{self.indicateur} {self.niveau} {self.code} {self.annee} = {self.valeur}"


class StatutDiagnostic(models.TextChoices):
    BROUILLON = "brouillon", "Diagnostic type (brouillon)"
    SOUMIS = "soumis", "Soumis au comité de pilotage"
    VALIDE = "valide", "Validé par le comité de pilotage"


class DiagnosticConvention(models.Model):
    """The diagnostic of a convention: the Caf's "diagnostic type" from the data, then the shared diagnostic
    the partners write (commentary per domain, needs, contributions), validated by the comité de pilotage at
    the latest at the end of the convention's second year (préambule, articles 1, 3, 4; annexes 1 and 2)."""

    convention = models.OneToOneField("conventions.Convention", on_delete=models.CASCADE, related_name="diagnostic")
    statut = models.CharField(
        "statut", max_length=10, choices=StatutDiagnostic.choices, default=StatutDiagnostic.BROUILLON
    )
    annee = models.PositiveSmallIntegerField("année des données", null=True, blank=True)
    synthese = models.TextField("synthèse", blank=True)
    soumis_le = models.DateField("soumis le", null=True, blank=True)
    valide_le = models.DateField("validé par le comité de pilotage le", null=True, blank=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "diagnostic d'une convention"
        verbose_name_plural = "diagnostics des conventions"

    def __str__(self):
        return f"Diagnostic — {self.convention}"


class CommentaireDomaine(models.Model):
    diagnostic = models.ForeignKey(DiagnosticConvention, on_delete=models.CASCADE, related_name="commentaires")
    domaine = models.CharField("domaine", max_length=30)
    texte = models.TextField("commentaire partagé")
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["domaine"]
        verbose_name = "commentaire par domaine"
        constraints = [models.UniqueConstraint(fields=["diagnostic", "domaine"], name="un_commentaire_par_domaine")]

    def __str__(self):
        return f"{self.domaine} — {self.diagnostic}"


class Besoin(models.Model):
    """A need identified by the diagnostic: what, where, for whom, and the figures that show it."""

    diagnostic = models.ForeignKey(DiagnosticConvention, on_delete=models.CASCADE, related_name="besoins")
    domaine = models.CharField("domaine", max_length=30)
    intitule = models.CharField("besoin", max_length=300)
    description = models.TextField("description", blank=True)
    public = models.CharField("public concerné", max_length=200, blank=True)
    communes = models.ManyToManyField("territoires.Commune", blank=True, related_name="besoins")
    indicateurs = models.JSONField("indicateurs qui l'étayent (codes)", default=list, blank=True)
    priorite = models.PositiveSmallIntegerField(
        "priorité", default=2, choices=[(1, "haute"), (2, "moyenne"), (3, "basse")]
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["priorite", "domaine", "intitule"]
        verbose_name = "besoin"

    def __str__(self):
        return self.intitule


class Contribution(models.Model):
    """A contribution of a partner or an operator (gestionnaire) to the shared diagnostic (annexe 2)."""

    diagnostic = models.ForeignKey(DiagnosticConvention, on_delete=models.CASCADE, related_name="contributions")
    auteur = models.CharField("structure ou personne", max_length=200)
    domaine = models.CharField("domaine", max_length=30, blank=True)
    date = models.DateField("date")
    texte = models.TextField("contribution")

    class Meta:
        ordering = ["-date"]
        verbose_name = "contribution"

    def __str__(self):
        return f"{self.auteur} ({self.date:%d/%m/%Y})"
