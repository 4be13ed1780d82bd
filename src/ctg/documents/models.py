"""The log of the downloads of confidential documents (article 14 of the convention): who, when, which document,
of which convention. Written only by ``ctg.documents.confidentialite.journaliser_telechargement``."""

from django.conf import settings
from django.db import models


class TelechargementConfidentiel(models.Model):
    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="telechargements_confidentiels"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="téléchargé par"
    )
    document = models.CharField("document", max_length=300)
    format = models.CharField("format", max_length=10)
    telecharge_le = models.DateTimeField("téléchargé le")

    class Meta:
        ordering = ["-telecharge_le", "-pk"]
        verbose_name = "téléchargement d'un document confidentiel"
        verbose_name_plural = "téléchargements de documents confidentiels"
        indexes = [models.Index(fields=["convention", "-telecharge_le"])]

    def __str__(self):
        return f"{self.document} ({self.format}) — {self.user} — {self.telecharge_le:%d/%m/%Y %H:%M}"
