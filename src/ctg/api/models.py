"""Personal API tokens: each person creates, names, scopes and revokes their own. Only the SHA-256 of the secret
is stored; the secret itself is shown once, at creation (``ctg.api.jetons``)."""

from django.conf import settings
from django.db import models


class JetonApi(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="jetons_api", verbose_name="titulaire"
    )
    nom = models.CharField("nom", max_length=100, help_text="à quoi sert ce jeton (ex. « tableau de bord SIG »)")
    ecriture = models.BooleanField("lecture et écriture", default=False)
    prefixe = models.CharField("début du jeton", max_length=12, help_text="pour le reconnaître, jamais secret")
    empreinte = models.CharField("empreinte SHA-256 du jeton", max_length=64, unique=True, editable=False)
    cree_le = models.DateTimeField("créé le")
    dernier_usage = models.DateTimeField("dernier usage", null=True, blank=True)
    revoque_le = models.DateTimeField("révoqué le", null=True, blank=True)

    class Meta:
        ordering = ["-cree_le", "-pk"]
        verbose_name = "jeton d'API"
        verbose_name_plural = "jetons d'API"

    def __str__(self):
        return f"{self.nom} ({self.prefixe}…)"

    @property
    def actif(self) -> bool:
        return self.revoque_le is None

    @property
    def portee_libelle(self) -> str:
        return "lecture et écriture" if self.ecriture else "lecture seule"
