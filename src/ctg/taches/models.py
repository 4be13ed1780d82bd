"""The record of a piece of background work, as its page shows it: status, steps done out of the total, the
current step's message, the error in French, who started it and the convention it belongs to."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from ctg import horloge


class StatutTravail(models.TextChoices):
    EN_ATTENTE = "en_attente", "en attente"
    EN_COURS = "en_cours", "en cours"
    TERMINE = "termine", "terminé"
    ECHEC = "echec", "échec"


# A work is running or waiting: another one with the same key is not started (see ``ctg.taches.lancer``).
STATUTS_ACTIFS = (StatutTravail.EN_ATTENTE, StatutTravail.EN_COURS)


class Travail(models.Model):
    convention = models.ForeignKey(
        "conventions.Convention",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="travaux",
        verbose_name="convention",
        help_text="vide pour un travail qui ne concerne pas une convention : l'import d'un fichier de données ouvertes",
    )
    intitule = models.CharField("intitulé", max_length=200)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="lancé par",
    )
    statut = models.CharField("statut", max_length=20, choices=StatutTravail.choices, default=StatutTravail.EN_ATTENTE)
    fait = models.PositiveIntegerField("étapes faites", default=0)
    total = models.PositiveIntegerField("étapes en tout", default=0)
    message = models.CharField("message", max_length=500, blank=True)
    erreur = models.TextField("erreur", blank=True)
    details = models.JSONField("détails", default=list, blank=True)  # lines shown under the status: an import's errors
    url_retour = models.CharField("page de retour", max_length=300, blank=True)
    cle = models.CharField("clé", max_length=200, blank=True)
    tache_id = models.CharField("identifiant dans la file", max_length=64, blank=True)
    cree_le = models.DateTimeField("lancé le", default=horloge.maintenant)
    commence_le = models.DateTimeField("commencé le", null=True, blank=True)
    termine_le = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "travail en arrière-plan"
        verbose_name_plural = "travaux en arrière-plan"
        ordering = ["-cree_le", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(statut__in=StatutTravail.values), name="travail_statut_connu"),
            models.CheckConstraint(condition=Q(total=0) | Q(fait__lte=models.F("total")), name="travail_fait_le_total"),
            # the same work (same key) is never waiting or running twice: a double click starts it once
            models.UniqueConstraint(
                fields=["cle"],
                condition=Q(statut__in=STATUTS_ACTIFS) & ~Q(cle=""),
                name="travail_actif_unique_par_cle",
            ),
        ]

    def __str__(self):
        return f"{self.intitule} : {self.libelle}"

    def get_absolute_url(self) -> str:
        if self.convention_id is None:
            return reverse("donnees:travail", kwargs={"travail": self.pk})  # an import of open data
        return reverse("taches:travail", kwargs={"pk": self.convention_id, "travail": self.pk})

    @property
    def est_fini(self) -> bool:
        return self.statut not in STATUTS_ACTIFS

    @property
    def libelle(self) -> str:
        """The status in words: « en attente », « en cours 3/12 », « terminé », « échec : … »."""
        if self.statut == StatutTravail.EN_COURS and self.total:
            return f"en cours {self.fait}/{self.total}"
        if self.statut == StatutTravail.ECHEC:
            return f"échec : {self.erreur}" if self.erreur else "échec"
        return self.get_statut_display()
