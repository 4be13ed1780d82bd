"""Building a fiche's indicator in tests as the product does: the description finds (or creates) the convention's
definition, the rest is the fiche's own (baseline, targets)."""

from ctg.plan import definitions
from ctg.plan.models import CHAMPS_DEFINITION, IndicateurAction


def creer_indicateur(fiche, **champs) -> IndicateurAction:
    description = {nom: champs.pop(nom) for nom in CHAMPS_DEFINITION if nom in champs}
    definition = definitions.definition(fiche.convention, **description)
    return IndicateurAction.objects.create(fiche=fiche, definition=definition, **champs)
