"""Each member commune's adhesion to the convention (annexe 4)."""

from django.conf import settings
from django.db import models

from ctg.audit import Historique
from ctg.territoires.models import Commune

from .convention import Convention
from .signature import Civilite


class StatutAdhesion(models.TextChoices):
    EN_ATTENTE = "en_attente", "En attente"
    ADHEREE = "adheree", "Adhérée"
    REFUSEE = "refusee", "Refusée"


class Adhesion(models.Model):
    """A member commune's adhesion to the convention (annexe 4)."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="adhesions")
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="adhesions")
    statut = models.CharField(
        "statut", max_length=12, choices=StatutAdhesion.choices, default=StatutAdhesion.EN_ATTENTE
    )
    maire_civilite = models.CharField("civilité du ou de la maire", max_length=8, choices=Civilite.choices, blank=True)
    maire_prenom = models.CharField("prénom du ou de la maire", max_length=100, blank=True)
    maire_nom = models.CharField("nom du ou de la maire", max_length=100, blank=True)
    date_deliberation = models.DateField("date de la délibération du conseil municipal", null=True, blank=True)
    ancienne_commune_cej = models.BooleanField(
        "commune signataire d'un ancien contrat enfance jeunesse (Cej)", default=False
    )
    competence_petite_enfance_transferee = models.BooleanField(
        "compétence petite enfance transférée à l'intercommunalité",
        default=False,
        help_text="la commune a transféré à l'EPCI sa compétence d'accueil du jeune enfant : les seuils du service "
        "public de la petite enfance se lisent sur la population des communes qui l'ont transférée (CASF L.214-1-3 "
        "III) et le bonus territoire lisse les places existantes sur l'intercommunalité",
    )
    commentaire = models.TextField("commentaire", blank=True)
    # A commune's referent proposes; the Caf adviser or the project lead confirms (or rejects).
    proposition = models.CharField(
        "proposition de la commune",
        max_length=12,
        choices=[(StatutAdhesion.ADHEREE, "Adhésion"), (StatutAdhesion.REFUSEE, "Refus")],
        blank=True,
    )
    proposition_deliberation = models.DateField("date de la délibération proposée", null=True, blank=True)
    proposee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    proposee_le = models.DateTimeField("proposée le", null=True, blank=True)
    modifiee_le = models.DateTimeField(auto_now=True)

    historique = Historique()

    class Meta:
        ordering = ["commune__nom"]
        verbose_name = "adhésion"
        constraints = [
            models.UniqueConstraint(fields=["convention", "commune"], name="une_adhesion_par_commune"),
            models.CheckConstraint(condition=models.Q(statut__in=StatutAdhesion.values), name="adhesion_statut"),
            models.CheckConstraint(
                condition=models.Q(proposition__in=["", StatutAdhesion.ADHEREE, StatutAdhesion.REFUSEE]),
                name="adhesion_proposition",
            ),
        ]

    def __str__(self):
        return f"{self.commune.nom} — {self.get_statut_display()}"

    @property
    def maire(self) -> str:
        return " ".join(p for p in (self.maire_civilite, self.maire_prenom, self.maire_nom.upper()) if p)

    @property
    def bonus_bloque(self) -> bool:
        """A former CEJ commune that has not adhered: the bonus territoire cannot be paid on its territory."""
        return self.ancienne_commune_cej and self.statut != StatutAdhesion.ADHEREE
