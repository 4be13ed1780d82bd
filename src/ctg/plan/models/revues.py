"""The reviews of the plan (article 9) and what each decides for a fiche or an objective."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from ctg.audit import Historique

from .commun import contrainte, dans_les_bornes
from .fiches import FicheAction, StatutFiche
from .plan import Objectif


class TypeRevue(models.TextChoices):
    REVUE = "revue", "Revue du plan d'actions"
    BILAN = "bilan", "Bilan final de la convention"


class Revue(models.Model):
    """A review of the plan (article 9: evaluation at each review) or the final bilan of the convention (one per
    convention; recording it closes the plan)."""

    convention = models.ForeignKey("conventions.Convention", on_delete=models.CASCADE, related_name="revues_plan")
    type = models.CharField("type", max_length=6, choices=TypeRevue.choices, default=TypeRevue.REVUE)
    date = models.DateField("date")
    # (not "instance": the name is taken by the history's records)
    nom_instance = models.CharField("instance", max_length=200, blank=True, default="Comité de pilotage")
    synthese = models.TextField("synthèse", blank=True)
    effets = models.TextField("effets constatés", blank=True, help_text="bilan final : les effets de la convention")
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cree_le = models.DateTimeField(auto_now_add=True)

    historique = Historique()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "revue"
        constraints = [
            contrainte(Q(type__in=TypeRevue.values), "revue_type_connu"),
            contrainte(dans_les_bornes("date", nullable=False), "revue_date_plausible"),
            models.UniqueConstraint(
                fields=["convention"], condition=Q(type=TypeRevue.BILAN), name="plan_un_bilan_final_par_convention"
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"


class Decision(models.TextChoices):
    MAINTENIR = "maintenir", "Maintenir"
    ADAPTER = "adapter", "Adapter"
    ARRETER = "arreter", "Arrêter"


class EvaluationAction(models.Model):
    """What a review records for one action: its progress that day, a comment, a decision."""

    revue = models.ForeignKey(Revue, on_delete=models.CASCADE, related_name="evaluations")
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="evaluations")
    progression = models.PositiveSmallIntegerField("avancement (%)", null=True, blank=True)
    statut = models.CharField("statut constaté", max_length=12, choices=StatutFiche.choices)
    commentaire = models.TextField("commentaire", blank=True)
    decision = models.CharField("décision", max_length=10, choices=Decision.choices, default=Decision.MAINTENIR)

    chemin_convention = "revue__convention"
    historique = Historique()

    class Meta:
        ordering = ["fiche__numero"]
        verbose_name = "évaluation d'une action"
        constraints = [
            models.UniqueConstraint(fields=["revue", "fiche"], name="une_evaluation_par_fiche"),
            contrainte(
                Q(progression__isnull=True) | Q(progression__gte=0, progression__lte=100),
                "evaluation_progression_0_100",
            ),
            contrainte(Q(statut__in=StatutFiche.values), "evaluation_statut_connu"),
            contrainte(Q(decision__in=Decision.values), "evaluation_decision_connue"),
        ]

    def __str__(self):
        return f"{self.fiche} — {self.get_decision_display()}"


class AdaptationObjectif(models.Model):
    """Final bilan (article 9): how an objective should be adapted to the changes observed."""

    revue = models.ForeignKey(Revue, on_delete=models.CASCADE, related_name="adaptations")
    objectif = models.ForeignKey(Objectif, on_delete=models.CASCADE, related_name="adaptations")
    texte = models.TextField("adaptation proposée")

    chemin_convention = "revue__convention"
    historique = Historique()

    class Meta:
        ordering = ["objectif__ordre", "pk"]
        verbose_name = "objectif à adapter"
        constraints = [contrainte(~Q(texte=""), "adaptation_texte_non_vide")]

    def __str__(self):
        return f"{self.objectif} : {self.texte[:60]}"
