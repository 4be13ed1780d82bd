"""Who belongs to a convention: each person's role on it (article 14: only the people who belong to a convention see
it), and the single-use invitations that grant such a role."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models

from ctg import horloge
from ctg.audit import Historique
from ctg.comptes.models import Organisation, Role
from ctg.territoires.models import Commune


class Habilitation(models.Model):
    """A user's role on a convention (article 14: only the people who belong to a convention see it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="habilitations")
    convention = models.ForeignKey("Convention", on_delete=models.CASCADE, related_name="habilitations")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    commune = models.ForeignKey(
        Commune, on_delete=models.PROTECT, null=True, blank=True, help_text="pour un·e référent·e de commune"
    )
    creee_le = models.DateTimeField("créée le", auto_now_add=True)

    historique = Historique()

    class Meta:
        verbose_name = "habilitation"
        constraints = [
            models.UniqueConstraint(fields=["user", "convention"], name="une_habilitation_par_convention"),
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="habilitation_role_valide"),
        ]

    def __str__(self):
        return f"{self.user} — {self.get_role_display()} — {self.convention}"


def jeton_invitation() -> str:
    return secrets.token_urlsafe(32)


def expiration_invitation():
    return horloge.maintenant() + timedelta(days=14)


class Invitation(models.Model):
    """A single-use link that gives its holder a role on a convention."""

    convention = models.ForeignKey("Convention", on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField("adresse électronique")
    role = models.CharField("rôle", max_length=20, choices=Role.choices)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, null=True, blank=True)
    jeton = models.CharField(max_length=64, unique=True, default=jeton_invitation, editable=False)
    invitee_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    creee_le = models.DateTimeField("créée le", auto_now_add=True)
    expire_le = models.DateTimeField(default=expiration_invitation)
    utilisee_le = models.DateTimeField("utilisée le", null=True, blank=True)
    utilisee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    historique = Historique(excluded_fields=["jeton"])  # the secret link is not copied into the history

    class Meta:
        ordering = ["-creee_le"]
        verbose_name = "invitation"
        constraints = [
            models.CheckConstraint(condition=models.Q(role__in=Role.values), name="invitation_role_valide"),
            # A used invitation says when; whoever used it may since have been deleted (SET_NULL).
            models.CheckConstraint(
                condition=models.Q(utilisee_par__isnull=True) | models.Q(utilisee_le__isnull=False),
                name="invitation_utilisee_datee",
            ),
        ]

    def __str__(self):
        return f"Invitation de {self.email} ({self.get_role_display()})"

    @property
    def raison_invalide(self) -> str | None:
        """Why the link can no longer be used ("a déjà servi", "a expiré"), or None while it is valid."""
        if self.utilisee_le is not None:
            return "a déjà servi"
        if self.expire_le <= horloge.maintenant():
            return "a expiré"
        return None

    @property
    def valide(self) -> bool:
        return self.raison_invalide is None
