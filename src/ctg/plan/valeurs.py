"""The values of a fiche's indicator entered by hand (a measure at a date): who may enter them, when, and the write —
for the fiche's page and the API alike.

- who: the editors of the convention and the commune referent who pilots the fiche (``perms.pilote_de_la_fiche``);
- when: while the plan is open (not closed by its final bilan, the convention not ended: ``perms.lecture_seule``);
- what: one value per date — a value entered at a date already measured replaces it; a value is deleted by the same
  people. A refusal raises ``ChangementImpossible`` (``PermissionRefusee`` for the role) with the French reason, and
  nothing is written.
"""

from __future__ import annotations

from datetime import date

from django.db import IntegrityError, transaction

from . import perms
from .cycle import ChangementImpossible, PermissionRefusee
from .models import IndicateurAction, ValeurSaisie

REFUS_ROLE = "Seuls les éditeurs de la convention et la ou le référent qui pilote la fiche saisissent ses valeurs."


def verifier_saisie(indicateur: IndicateurAction, par) -> None:
    """Refuse (``ChangementImpossible``, with the reason) a value entered or deleted now by ``par`` (None: the
    system) on ``indicateur``."""
    fiche = indicateur.fiche
    if par is not None and not perms.pilote_de_la_fiche(fiche, par):
        raise PermissionRefusee(REFUS_ROLE)
    motif = perms.lecture_seule(fiche.convention)
    if motif:
        raise ChangementImpossible(motif)


def enregistrer_valeur(
    indicateur: IndicateurAction, jour: date, valeur: float, commentaire: str = "", par=None
) -> ValeurSaisie:
    """The value of ``indicateur`` measured on ``jour``: added, or replacing the one of that date."""
    verifier_saisie(indicateur, par)
    try:
        with transaction.atomic():
            saisie, _ = ValeurSaisie.objects.update_or_create(
                indicateur=indicateur, date=jour, defaults={"valeur": valeur, "commentaire": commentaire}
            )
    except IntegrityError as exc:  # the same date entered at the same moment by someone else
        raise ChangementImpossible(
            f"Une valeur du {jour:%d/%m/%Y} vient d'être enregistrée par ailleurs : rechargez la fiche et recommencez."
        ) from exc
    return saisie


def supprimer_valeur(indicateur: IndicateurAction, saisie: ValeurSaisie | None, par=None) -> None:
    """Delete ``saisie``, a value of ``indicateur`` (nothing if it is None, or already deleted)."""
    verifier_saisie(indicateur, par)
    if saisie is not None and saisie.indicateur_id == indicateur.pk:
        saisie.delete()
