from django.db import models


class Generation(models.Model):
    """The current token of a convention's data (``ctg.generations``). A plain number, not a foreign key: the token
    is a state of this instance, not something the convention owns (a backup leaves it out, a restore makes a new
    one)."""

    convention_pk = models.BigIntegerField("convention", unique=True)
    jeton = models.CharField("jeton", max_length=32)

    class Meta:
        verbose_name = "génération des données d'une convention"
        verbose_name_plural = "générations des données des conventions"

    def __str__(self) -> str:
        return f"convention {self.convention_pk} : {self.jeton}"
