"""The members of a convention: inviting someone (a personal link sent by e-mail), revoking an invitation, removing
a member (the members page and the API), and accepting an invitation: single use, whatever the number of people who
open the link at the same time.

The invitation's row is locked (``select_for_update``: a real row lock on PostgreSQL; SQLite serialises writers)
and its validity read again under that lock, inside the transaction that creates the account and grants the role:
of ten simultaneous uses, one succeeds and nine are told the link "a déjà servi" (and their accounts are not
created: the transaction is rolled back).
"""

from __future__ import annotations

from collections.abc import Callable

from django.core.mail import send_mail
from django.db import transaction
from django.urls import reverse

from ctg import horloge
from ctg.comptes.models import Profil, organisation_commune

from .cycle import TransitionImpossible
from .models import Habilitation, Invitation


class RetraitImpossible(TransitionImpossible):
    """A member the caller may not remove (their own access)."""


class InvitationInvalide(Exception):
    """The link can no longer be used; ``raison`` says why ("a déjà servi", "a expiré")."""

    def __init__(self, raison: str):
        super().__init__(f"Ce lien d'invitation {raison}.")
        self.raison = raison


def verrouiller(jeton: str) -> Invitation:
    """The invitation of ``jeton``, its row locked until the end of the current transaction, if it is still
    valid; else ``InvitationInvalide``. Call inside ``transaction.atomic()``."""
    invitation = Invitation.objects.select_for_update().get(jeton=jeton)
    raison = invitation.raison_invalide
    if raison:
        raise InvitationInvalide(raison)
    return invitation


def accorder(invitation: Invitation, user) -> Habilitation:
    """Give ``user`` the invitation's role and mark the invitation used (``invitation`` locked by ``verrouiller``).
    The history names ``user``: the person who used the link, signed in or not yet."""
    habilitation = Habilitation.objects.filter(user=user, convention_id=invitation.convention_id).first()
    habilitation = habilitation or Habilitation(user=user, convention_id=invitation.convention_id)
    habilitation.role, habilitation.commune_id = invitation.role, invitation.commune_id
    habilitation._history_user = user
    habilitation.save()
    if invitation.commune_id and not Profil.objects.filter(user=user).exists():
        Profil.objects.create(user=user, organisation=organisation_commune(invitation.commune))
    invitation.utilisee_le = horloge.maintenant()
    invitation.utilisee_par = user
    invitation._history_user = user
    invitation.save(update_fields=["utilisee_le", "utilisee_par"])
    return habilitation


def inviter(convention, *, email: str, role: str, commune: str | None, par, absolue: Callable[[str], str]):
    """Invite ``email`` to ``convention`` with ``role`` (and ``commune`` for a commune's referent), from the page's
    valid ``InvitationForm`` data: the invitation is recorded and its personal, single-use link sent by e-mail to its
    addressee only (``absolue`` turns the link's path into a full address). Returns the invitation."""
    invitation = Invitation(convention=convention, email=email, role=role, commune_id=commune or None, invitee_par=par)
    invitation._history_user = par
    invitation.save()
    lien = absolue(reverse("conventions:invitation", args=[invitation.jeton]))
    send_mail(
        f"Invitation à rejoindre la {convention}",
        f"Bonjour,\n\n{par.get_full_name() or par.username} vous invite à rejoindre la "
        f"{convention} en tant que « {invitation.get_role_display()} ».\n\nCe lien est personnel et ne "
        f"sert qu'une fois, jusqu'au {invitation.expire_le:%d/%m/%Y} :\n{lien}\n",
        None,
        [invitation.email],
    )
    return invitation


def retirer(habilitation: Habilitation, par) -> None:
    """Remove a member's access to the convention (the history keeps who did it); never one's own access
    (``RetraitImpossible``)."""
    if habilitation.user_id == par.pk:
        raise RetraitImpossible("Vous ne pouvez pas retirer votre propre accès.")
    habilitation._history_user = par
    habilitation.delete()


def revoquer(invitation: Invitation, par) -> Invitation:
    """End a link not used yet, now: it expires at once (the history keeps who did it and when; the invitation stays,
    nothing is deleted). ``InvitationInvalide`` if it can no longer be used anyway."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        raison = invitation.raison_invalide
        if raison:
            raise InvitationInvalide(raison)
        invitation.expire_le = horloge.maintenant()
        invitation._history_user = par
        invitation._change_reason = "révocation"
        invitation.save(update_fields=["expire_le"])
    return invitation


def accepter(jeton: str, user=None, creer_compte=None) -> Habilitation:
    """Use the invitation ``jeton`` once, for ``user`` or for the account ``creer_compte()`` makes (called only
    once the invitation is locked and known valid); all or nothing."""
    with transaction.atomic():
        invitation = verrouiller(jeton)
        if user is None:
            user = creer_compte()
        return accorder(invitation, user)
