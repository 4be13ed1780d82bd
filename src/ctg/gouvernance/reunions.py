"""The rules layer of a meeting's status: every change goes through these functions (pages, the attendance,
commands and the demo loader alike), which call the transitions of ``Reunion`` (django-fsm) after checking who acts
(``par``: a user, whose right is the transition's permission in ``ctg.gouvernance.perms``; ``None`` when a command
or a loader acts, recorded as such by ``ctg.audit``) and its preconditions, with a message that says why a change
is refused.

    planifiée ──tenir──▶ tenue ──approuver_compte_rendu──▶ tenue, compte rendu approuvé (closed)
        │  ▲
    annuler  retablir
        ▼  │
      annulée
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django_fsm import can_proceed

from ctg import horloge
from ctg.etats import a_la_permission

from .models import Reunion, StatutReunion


class ChangementReunionImpossible(ValidationError):
    @property
    def texte(self) -> str:
        return " ".join(self.messages)


REFUS_DROIT = (
    "Seuls la ou le conseiller·ère territorial·e de la Caf et la ou le chef·fe de projet de la collectivité "
    "enregistrent l'état des réunions du comité, sur une convention en cours."
)


def verrouiller(reunion: Reunion) -> Reunion:
    """Lock the meeting's row and re-read it: two changes at once cannot both start from the same state."""
    Reunion.objects.select_for_update().filter(pk=reunion.pk).values_list("pk").get()
    reunion.refresh_from_db()
    return reunion


def _autoriser(transition, par) -> None:
    """Refuse unless ``par`` holds the transition's permission; the history then names ``par`` as the author."""
    if par is None:
        return
    if not a_la_permission(transition, par):
        raise ChangementReunionImpossible(REFUS_DROIT, code="non_autorise")
    transition.__self__._history_user = par


def _enregistrer(reunion: Reunion) -> None:
    """Save a transition; its new version makes any form opened before it stale (``ctg.concurrence``)."""
    reunion.version += 1
    reunion.save()


def _source(reunion: Reunion, attendu: str, refus: str) -> None:
    if reunion.statut != attendu:
        raise ChangementReunionImpossible(
            f"{refus} (la réunion du {reunion.date:%d/%m/%Y} est « {reunion.get_statut_display().lower()} »)."
        )


@transaction.atomic
def tenir(reunion: Reunion, par=None) -> Reunion:
    """A planned meeting whose day has come and whose attendance is recorded becomes held."""
    verrouiller(reunion)
    _source(reunion, StatutReunion.PLANIFIEE, "Seule une réunion planifiée peut être enregistrée comme tenue")
    _autoriser(reunion.tenir, par)
    if reunion.date > horloge.aujourd_hui():
        raise ChangementReunionImpossible(
            f"La réunion du {reunion.date:%d/%m/%Y} n'a pas encore eu lieu : elle ne peut pas être tenue."
        )
    if not can_proceed(reunion.tenir):
        raise ChangementReunionImpossible("Renseignez la présence d'au moins un membre.")
    reunion.tenir()
    _enregistrer(reunion)
    return reunion


@transaction.atomic
def annuler(reunion: Reunion, par=None) -> Reunion:
    verrouiller(reunion)
    _source(reunion, StatutReunion.PLANIFIEE, "Seule une réunion planifiée peut être annulée")
    _autoriser(reunion.annuler, par)
    if not can_proceed(reunion.annuler):
        raise ChangementReunionImpossible("Des présences sont enregistrées : la réunion ne peut pas être annulée.")
    reunion.annuler()
    _enregistrer(reunion)
    return reunion


@transaction.atomic
def retablir(reunion: Reunion, par=None) -> Reunion:
    """A cancelled meeting planned again (cancelled by mistake, or postponed: change its date afterwards)."""
    verrouiller(reunion)
    _source(reunion, StatutReunion.ANNULEE, "Seule une réunion annulée peut être de nouveau planifiée")
    _autoriser(reunion.retablir, par)
    reunion.retablir()
    _enregistrer(reunion)
    return reunion


@transaction.atomic
def approuver_compte_rendu(reunion: Reunion, jour: date | None = None, par=None) -> Reunion:
    """Approve the minutes of a held meeting on ``jour`` (default today): the meeting is then closed."""
    jour = jour or horloge.aujourd_hui()
    verrouiller(reunion)
    _source(reunion, StatutReunion.TENUE, "Seul le compte rendu d'une réunion tenue peut être approuvé")
    _autoriser(reunion.approuver_compte_rendu, par)
    if not can_proceed(reunion.approuver_compte_rendu):
        raise ChangementReunionImpossible("Rédigez le compte rendu avant de l'approuver.")
    if jour < reunion.date or jour > horloge.aujourd_hui():
        raise ChangementReunionImpossible(
            f"Le compte rendu s'approuve entre le jour de la réunion ({reunion.date:%d/%m/%Y}) et aujourd'hui."
        )
    reunion.approuver_compte_rendu(jour)
    _enregistrer(reunion)
    return reunion


ACTIONS = {"annuler": annuler, "retablir": retablir, "approuver": approuver_compte_rendu}


# --- The meeting's form and minutes (its page, the API) ---------------------------------------------------------


@transaction.atomic
def enregistrer_reunion(form, formset) -> Reunion:
    """A meeting planned or changed from its valid ``ReunionForm`` (comité, date, times, place) and its agenda
    (the valid ``PointFormSet``, renumbered 1, 2, 3…). Once the invitations are sent, a change of the form bumps
    the invitation's sequence, so that calendars replace the event they already hold. A form read before someone
    else's save is refused with ``VersionPerimee`` (the form carries what changed): nothing is written."""
    if form.instance.pk and form.instance.convocations_envoyees_le and form.has_changed():
        form.instance.sequence += 1
    reunion = form.save()
    formset.instance = reunion
    formset.save()
    for ordre, point in enumerate(reunion.points.order_by("ordre", "pk"), 1):
        if point.ordre != ordre:
            point.ordre = ordre
            point.save(update_fields=["ordre"])
    return reunion


def enregistrer_compte_rendu(form) -> Reunion:
    """The minutes of a meeting not closed yet, from its valid ``CompteRenduForm`` (refused with ``VersionPerimee``
    when someone else saved them since the form was read)."""
    return form.save()


REFUS_CONVOCATIONS = "Seule une réunion planifiée fait l'objet de convocations."


def verifier_convocable(reunion: Reunion) -> None:
    """Invitations are sent for a planned meeting only (not a held, closed or cancelled one)."""
    if reunion.statut != StatutReunion.PLANIFIEE:
        raise ChangementReunionImpossible(REFUS_CONVOCATIONS)
