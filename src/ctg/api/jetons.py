"""The rules of personal API tokens: create (the secret returned once), authenticate, revoke.

A token is ``ctg_`` followed by 43 URL-safe characters from ``secrets`` (256 bits); the database keeps its SHA-256
only, so a copy of the database gives no usable token. A revoked token stays listed (with its revocation date)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction

from ctg import horloge

from .models import JetonApi

PREFIXE = "ctg_"
# The last-use date is written at most once a minute per token: a burst of requests writes once.
PRECISION_DERNIER_USAGE = timedelta(minutes=1)
NOM_MAX = JetonApi._meta.get_field("nom").max_length


def empreinte(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def jetons_de(user):
    """The tokens of ``user``, active ones first, the newest first."""
    return JetonApi.objects.filter(user=user).order_by("revoque_le", "-cree_le", "-pk")


@transaction.atomic
def creer_jeton(user, nom: str, ecriture: bool = False) -> tuple[JetonApi, str]:
    """A new token for ``user``: the record, and the secret (to show once; it is not kept)."""
    nom = (nom or "").strip()
    if not nom:
        raise ValidationError("Donnez un nom au jeton (à quoi il sert), pour le reconnaître dans la liste.")
    if len(nom) > NOM_MAX:
        raise ValidationError(f"Le nom du jeton tient en {NOM_MAX} caractères au plus.")
    if not user.is_active:
        raise ValidationError("Ce compte est désactivé : il ne peut pas recevoir de jeton.")
    secret = PREFIXE + secrets.token_urlsafe(32)
    jeton = JetonApi.objects.create(
        user=user,
        nom=nom,
        ecriture=ecriture,
        prefixe=secret[: len(PREFIXE) + 6],
        empreinte=empreinte(secret),
        cree_le=horloge.maintenant(),
    )
    return jeton, secret


def revoquer(jeton: JetonApi, par) -> JetonApi:
    """Revoke ``jeton``: only its holder does (the page lists one's own tokens only). Revoking twice changes
    nothing."""
    if jeton.user_id != par.pk:
        raise ValidationError("Seul le titulaire d'un jeton peut le révoquer.")
    if jeton.revoque_le is None:
        jeton.revoque_le = horloge.maintenant()
        jeton.save(update_fields=["revoque_le"])
    return jeton


def authentifier(secret: str) -> JetonApi | None:
    """The active token whose secret is ``secret`` (its holder's account active), or None; records its use."""
    if not secret or not secret.startswith(PREFIXE):
        return None
    jeton = (
        JetonApi.objects.select_related("user")
        .filter(empreinte=empreinte(secret), revoque_le__isnull=True, user__is_active=True)
        .first()
    )
    if jeton is None:
        return None
    maintenant = horloge.maintenant()
    if jeton.dernier_usage is None or maintenant - jeton.dernier_usage >= PRECISION_DERNIER_USAGE:
        JetonApi.objects.filter(pk=jeton.pk).update(dernier_usage=maintenant)
        jeton.dernier_usage = maintenant
    return jeton
