"""The audit trail of everything a convention holds: who (a person, or a command and the system user), when,
and the values before and after each change.

Every model that a convention owns declares ``historique = Historique()``; django-simple-history then keeps
one historical row per create, update and delete, whatever made the change: a page (the user comes from the
request, through ``simple_history.middleware.HistoryRequestMiddleware``), the admin, a command or the JSON
import (run inside ``par_commande("nom")``, which names the command and records the system user).

Writes that bypass model signals (``QuerySet.update``, ``bulk_create``) are not recorded: the rules layer uses
``save()``/``delete()`` or ``bulk_create_with_history`` for what a convention owns.
"""

from __future__ import annotations

import contextlib
import contextvars
from dataclasses import dataclass

from django.conf import settings
from simple_history.models import HistoricalRecords

IDENTIFIANT_SYSTEME = "ctg-systeme"


@dataclass(frozen=True)
class Acteur:
    """Who acts outside a web request: a person running a command, or the system itself."""

    user: object | None
    motif: str


_acteur: contextvars.ContextVar[Acteur | None] = contextvars.ContextVar("ctg_acteur", default=None)


def utilisateur_systeme():
    """The account every command acts as when no person is named (inactive, no usable password)."""
    from django.contrib.auth import get_user_model

    user, cree = get_user_model().objects.get_or_create(
        username=IDENTIFIANT_SYSTEME,
        defaults={"first_name": "CTG", "last_name": "(système)", "is_active": False},
    )
    if cree:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


@contextlib.contextmanager
def par_commande(nom: str, user=None):
    """Everything saved inside this block is recorded as done by ``user`` (default: the system user) through
    the command ``nom``: ``with par_commande("actualiser"): …``."""
    jeton = _acteur.set(Acteur(user=user or utilisateur_systeme(), motif=f"commande ctg {nom}"))
    try:
        yield
    finally:
        _acteur.reset(jeton)


@contextlib.contextmanager
def motif(texte: str, user=None):
    """Record ``texte`` as the reason of every change saved inside this block (and ``user`` if given)."""
    courant = _acteur.get()
    jeton = _acteur.set(Acteur(user=user or (courant.user if courant else None), motif=texte))
    try:
        yield
    finally:
        _acteur.reset(jeton)


class Historique(HistoricalRecords):
    """``HistoricalRecords`` that also knows who acts in commands and why (see ``par_commande``)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("user_model", settings.AUTH_USER_MODEL)
        kwargs.setdefault("cascade_delete_history", False)
        super().__init__(**kwargs)

    def get_history_user(self, instance):
        if hasattr(instance, "_history_user"):
            return instance._history_user
        acteur = _acteur.get()
        if acteur is not None and acteur.user is not None:
            return acteur.user
        return super().get_history_user(instance)

    def get_change_reason_for_object(self, instance, history_type, using):
        raison = super().get_change_reason_for_object(instance, history_type, using)
        acteur = _acteur.get()
        commande = acteur.motif if acteur is not None else None
        if raison and commande and commande != raison:
            return f"{raison} — {commande}"
        return raison or commande

    def post_save(self, instance, created, using=None, **kwargs):
        """A save limited to some fields records the row as it is in the database, not the other (possibly stale)
        values of the instance."""
        if not created and kwargs.get("update_fields") and not kwargs.get("raw", False):
            frais = type(instance)._default_manager.using(using).filter(pk=instance.pk).first()
            if frais is not None:
                for attribut in ("_history_user", "_change_reason"):
                    if hasattr(instance, attribut):
                        setattr(frais, attribut, getattr(instance, attribut))
                super().post_save(frais, created, using=using, **kwargs)
                self._oublier(instance)
                return
        super().post_save(instance, created, using=using, **kwargs)
        self._oublier(instance)

    def post_delete(self, instance, using=None, **kwargs):
        super().post_delete(instance, using=using, **kwargs)
        self._oublier(instance)

    @staticmethod
    def _oublier(instance):
        """The person and the reason named for one change are not carried over to the next save."""
        for attribut in ("_history_user", "_change_reason"):
            instance.__dict__.pop(attribut, None)
