"""What a member of a comité does on a meeting's page, with their own account (``Membre.compte``):

- :class:`ReponseConvocation`: their answer to the invitation — they will come, or they will not (then who replaces
  them, if anyone), with a comment; one per member and meeting, changed until the meeting is no longer planned;
- :class:`CommentaireCompteRendu`: their comment on the draft minutes of a held meeting, for the secretariat; one
  per member and meeting, frozen once the minutes are approved (like everything the meeting holds).

The rules (who may answer or comment, and when) are in ``ctg.gouvernance.participation``. Imported by
``ctg.gouvernance.models``.
"""

from django.conf import settings
from django.db import models

from ctg.audit import Historique

from .models import Membre, PartieDeReunion, Reunion


class Reponse(models.TextChoices):
    VIENT = "vient", "Présent·e"
    EXCUSE = "excuse", "Excusé·e"


class ReponseConvocation(models.Model):
    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="reponses", verbose_name="réunion")
    membre = models.ForeignKey(Membre, on_delete=models.CASCADE, related_name="reponses", verbose_name="membre")
    reponse = models.CharField("réponse", max_length=8, choices=Reponse.choices)
    remplacant = models.CharField(
        "remplacé·e par", max_length=200, blank=True, help_text="si vous ne venez pas : qui vous représente"
    )
    commentaire = models.TextField("commentaire", blank=True)
    repondu_le = models.DateTimeField("répondu le")
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    chemin_convention = "reunion__comite__convention"
    historique = Historique()

    class Meta:
        ordering = ["membre__cote", "membre__nom", "pk"]
        verbose_name = "réponse à une convocation"
        constraints = [
            models.UniqueConstraint(fields=["reunion", "membre"], name="une_reponse_par_membre"),
            models.CheckConstraint(condition=models.Q(reponse__in=Reponse.values), name="reponse_connue"),
            models.CheckConstraint(
                condition=models.Q(reponse=Reponse.EXCUSE) | models.Q(remplacant=""),
                name="reponse_remplacant_si_excuse",
            ),
        ]

    def __str__(self):
        return f"{self.membre} : {self.get_reponse_display()}"

    @property
    def represente(self) -> bool:
        """Will be there, or represented: counts for the expected quorum and parity."""
        return self.reponse == Reponse.VIENT or bool(self.remplacant)


class CommentaireCompteRendu(PartieDeReunion):
    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="commentaires", verbose_name="réunion")
    membre = models.ForeignKey(Membre, on_delete=models.CASCADE, related_name="commentaires", verbose_name="membre")
    texte = models.TextField("commentaire")
    ecrit_le = models.DateTimeField("écrit le")
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    chemin_convention = "reunion__comite__convention"
    historique = Historique()

    class Meta:
        ordering = ["ecrit_le", "pk"]
        verbose_name = "commentaire du compte rendu"
        constraints = [models.UniqueConstraint(fields=["reunion", "membre"], name="un_commentaire_par_membre")]

    def __str__(self):
        return f"{self.membre} : {self.texte[:60]}"
