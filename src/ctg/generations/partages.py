"""The records shared by every convention that what is kept under a token is computed from (``memoire``): a write to
one of them renews every token. Apart from ``signaux`` (which reads the model graph of what a convention owns), so
that an application declares its own (national reference data) without importing that graph."""

from __future__ import annotations

from django.db.models.signals import post_delete, post_save

from .memoire import perimer_tout

# The names shown by what is kept (the organisation of a partner, the account that pilots a fiche). An account's
# login only records its date. An application adds its own models with ``suivre_partage``.
PARTAGES = ("comptes.Organisation", "auth.User")
CHAMPS_SANS_EFFET = frozenset({"last_login", "password"})


def _partage_ecrit(sender, instance, update_fields=None, **kwargs) -> None:
    if update_fields is not None and set(update_fields) <= CHAMPS_SANS_EFFET:
        return
    perimer_tout()


def suivre_partage(*modeles) -> None:
    """A write to a record of these models (shared by every convention) renews every convention's token."""
    for modele in modeles:
        uid = f"generations.{modele._meta.label}.partage"
        post_save.connect(_partage_ecrit, sender=modele, dispatch_uid=f"{uid}.save", weak=False)
        post_delete.connect(_partage_ecrit, sender=modele, dispatch_uid=f"{uid}.delete", weak=False)
