"""The renewal of the reference convention, in preparation: the Caf du Nord × CA de Cambrai convention really ends
on 31/12/2026, so the demonstration also holds the draft 2027–2031 that renews it (article 10: renewal only by
explicit agreement), made by the rules layer as the Caf adviser would, and marked "(démonstration)": it is not a
real act.
"""

from django.contrib.auth import get_user_model
from django.db import transaction

from ctg.conventions import cycle
from ctg.conventions.models import Convention

from .comptes import habiliter_comptes_demo

DEMO = "(démonstration)"


@transaction.atomic
def charger_renouvellement(convention: Convention, identifiant: str = "demo") -> Convention:
    """The draft renewing ``convention`` (created once, by ``identifiant``'s act), with the demonstration accounts'
    roles on it; return it."""
    nouvelle = Convention.objects.filter(precedente=convention).first()
    if nouvelle is None:
        nouvelle = cycle.renouveler(convention, par=get_user_model().objects.get(username=identifiant))
        if DEMO not in nouvelle.titre:
            nouvelle.titre = f"{nouvelle.titre} {DEMO}"
            nouvelle.save(update_fields=["titre", "modifiee_le"])
    habiliter_comptes_demo(nouvelle)
    return nouvelle
