"""The yearly targets of an action's indicator: its trajectory, year by year, towards the final target (the target
due at ``date_cible``, annexe 2). The final target is the target of its year: set or changed on the indicator, it
replaces whatever was entered for that year."""

from __future__ import annotations

from django.db import transaction

from .models import CibleAnnuelle, IndicateurAction


@transaction.atomic
def aligner_cible_finale(indicateur: IndicateurAction) -> CibleAnnuelle:
    """Make the target of the year of ``date_cible`` the final target; return it."""
    cible, _ = CibleAnnuelle.objects.update_or_create(
        indicateur=indicateur, annee=indicateur.date_cible.year, defaults={"valeur": indicateur.cible}
    )
    return cible
