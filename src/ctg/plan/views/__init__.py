"""Pages of the action plan. They only read the request, call and render: the rules live in regles, selection, arbre,
cycle and documents (every change of state goes through ``ctg.plan.cycle``), what the pages show is computed in
``ctg.plan.presentation``.

Rights are checked twice: the role (``exiger``: 403 for a role that may not) and the plan's state (closed, or the
convention ended: the page still opens for an editor, read-only, and a submission is refused with the reason)."""

from .evaluation import revue, revue_nouvelle, revues
from .fiches import fiche, fiche_modifier, fiche_nouvelle, fiche_statut, indicateur, valeur
from .objectifs import adopter, objectif
from .suivi import arbre_plan, besoins, besoins_carte, bord, calendrier, tableau
from .telechargements import document, fiche_document, revue_document

__all__ = [
    "adopter",
    "arbre_plan",
    "besoins",
    "besoins_carte",
    "bord",
    "calendrier",
    "document",
    "fiche",
    "fiche_document",
    "fiche_modifier",
    "fiche_nouvelle",
    "fiche_statut",
    "indicateur",
    "objectif",
    "revue",
    "revue_document",
    "revue_nouvelle",
    "revues",
    "tableau",
    "valeur",
]
