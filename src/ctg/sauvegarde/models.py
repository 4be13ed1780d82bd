from django.db import models

from ctg import horloge


class Restauration(models.Model):
    """One archive restored on this instance (``ctg restauration``): the same archive is not restored twice while
    one of its conventions is still here."""

    empreinte = models.CharField("empreinte des données", max_length=64, db_index=True)
    restauree_le = models.DateTimeField("restaurée le", default=horloge.maintenant)
    archive_creee_le = models.CharField("archive créée le", max_length=40)
    moteur_source = models.CharField("base de données d'origine", max_length=40)
    version_produit = models.CharField("version du produit d'origine", max_length=40)
    conventions = models.ManyToManyField("conventions.Convention", related_name="+", verbose_name="conventions")

    class Meta:
        verbose_name = "restauration d'une sauvegarde"
        verbose_name_plural = "restaurations de sauvegardes"

    def __str__(self):
        return f"Restauration du {self.restauree_le:%d/%m/%Y %H:%M} ({self.empreinte[:12]})"
