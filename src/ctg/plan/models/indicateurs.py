"""The indicators of the plan: defined once for the convention, followed by the fiches action.

A definition (``DefinitionIndicateur``) says what is measured: wording, unit, source, and, for an indicator of the
diagnostic's catalogue (``ctg.diagnostic.catalogue``), its key and the territory whose open data it reads. Several
fiches may follow the same definition (the many-to-many fiche ↔ indicator); each follow-up (``IndicateurAction``)
carries the fiche's own baseline, final and yearly targets (annexe 2: dated, quantified objectives) and the values
entered by hand. Writes go through ``ctg.plan.definitions``."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from ctg.audit import Historique
from ctg.concurrence import Versionne

from .commun import annee_dans_les_bornes, contrainte, dans_les_bornes
from .fiches import FicheAction

CHAMPS_DEFINITION = ("libelle", "unite", "source", "indicateur_catalogue", "territoire")


class DefinitionIndicateur(models.Model):
    """What an indicator of the convention measures, whichever fiches follow it.

    Linked to an indicator of the diagnostic's catalogue (``indicateur_catalogue``), its values are read from the
    open data of the convention's EPCI (or of one commune) each time: a new vintage imported and computed
    (``ctg calculer_indicateurs``) shows at once in every fiche that follows it."""

    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="definitions_indicateurs"
    )
    libelle = models.CharField("indicateur", max_length=200)
    unite = models.CharField("unité", max_length=60, blank=True)
    source = models.CharField("source", max_length=200, blank=True)
    indicateur_catalogue = models.CharField(
        "indicateur du diagnostic", max_length=60, blank=True, help_text="rempli depuis les données ouvertes"
    )
    territoire = models.CharField(
        "territoire des données", max_length=9, blank=True, help_text="code INSEE d'une commune ; vide : l'EPCI"
    )

    historique = Historique()

    class Meta:
        ordering = ["libelle", "pk"]
        verbose_name = "définition d'indicateur"
        verbose_name_plural = "définitions des indicateurs"
        constraints = [
            models.UniqueConstraint(fields=["convention", *CHAMPS_DEFINITION], name="plan_definition_unique"),
            contrainte(~Q(libelle=""), "definition_libelle_non_vide"),
        ]

    def __str__(self):
        return f"{self.libelle} ({self.unite})" if self.unite else self.libelle

    @property
    def lie(self) -> bool:
        """Its values are read from the open data (an indicator of the diagnostic's catalogue)."""
        return bool(self.indicateur_catalogue)


class IndicateurAction(Versionne):
    """A definition followed by a fiche: the fiche's dated, quantified target (annexe 2) — baseline, final target with
    its date, yearly targets (``cibles``), values entered by period (``valeurs_saisies``). What is measured is read
    through ``definition``."""

    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="indicateurs")
    definition = models.ForeignKey(
        DefinitionIndicateur, on_delete=models.PROTECT, related_name="suivis", verbose_name="indicateur"
    )
    annee_reference = models.PositiveSmallIntegerField("année de la valeur initiale", null=True, blank=True)
    valeur_initiale = models.FloatField(
        "valeur initiale", null=True, blank=True, help_text="vide pour un indicateur lié : lue dans les données"
    )
    cible = models.FloatField("valeur cible")
    date_cible = models.DateField("cible à atteindre le")
    ordre = models.PositiveSmallIntegerField(default=0)

    chemin_convention = "fiche__convention"
    historique = Historique()

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "indicateur d'une action"
        verbose_name_plural = "indicateurs des actions"
        constraints = [
            contrainte(annee_dans_les_bornes("annee_reference"), "indicateur_annee_reference_plausible"),
            contrainte(dans_les_bornes("date_cible", nullable=False), "indicateur_date_cible_plausible"),
        ]

    def __str__(self):
        return self.definition.libelle


class CibleAnnuelle(models.Model):
    """The target of an action's indicator for one year: its trajectory towards the final target. The year of the
    final target's date has the final target itself (kept so by ``ctg.plan.cibles.aligner_cible_finale``)."""

    indicateur = models.ForeignKey(IndicateurAction, on_delete=models.CASCADE, related_name="cibles")
    annee = models.PositiveSmallIntegerField("année")
    valeur = models.FloatField("cible de l'année")

    chemin_convention = "indicateur__fiche__convention"
    historique = Historique()

    class Meta:
        ordering = ["annee", "pk"]
        verbose_name = "cible annuelle"
        verbose_name_plural = "cibles annuelles"
        constraints = [
            models.UniqueConstraint(fields=["indicateur", "annee"], name="plan_une_cible_par_annee"),
            contrainte(annee_dans_les_bornes("annee", nullable=False), "cible_annee_plausible"),
        ]

    def __str__(self):
        return f"{self.indicateur} {self.annee} : {self.valeur:g}"


class ValeurSaisie(models.Model):
    """A value of an action's indicator entered by hand for a period (the date of the measure)."""

    indicateur = models.ForeignKey(IndicateurAction, on_delete=models.CASCADE, related_name="valeurs_saisies")
    date = models.DateField("date de la mesure")
    valeur = models.FloatField("valeur")
    commentaire = models.CharField("commentaire", max_length=200, blank=True)

    chemin_convention = "indicateur__fiche__convention"
    historique = Historique()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = "valeur saisie"
        constraints = [
            models.UniqueConstraint(fields=["indicateur", "date"], name="une_valeur_par_date"),
            contrainte(dans_les_bornes("date", nullable=False), "valeur_date_plausible"),
        ]

    def __str__(self):
        return f"{self.indicateur} {self.date:%d/%m/%Y} = {self.valeur}"
