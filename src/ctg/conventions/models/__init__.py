"""A Convention territoriale globale: its parties, signatories, dates, annexes, adhesions, avenants and lifecycle.

The articles of the reference convention (Caf du Nord × CA de Cambrai, December 2021) are rendered from
these records by ``ctg.conventions.document``; the rules with a legal source (dates, termination) live in
``ctg.conventions.regles``.
"""

from .communes import (
    Adhesion,
    StatutAdhesion,
)
from .convention import (
    STATUTS_SIGNES,
    STATUTS_TERMINES,
    Annexe1,
    Convention,
    Domaine,
    Instance,
    Statut,
    debut_atteint,
    debut_non_atteint,
    fin_depassee,
    resiliation_effective,
    signataires_des_deux_parties,
    statut_a,
    tous_les_domaines,
)
from .membres import Habilitation, Invitation
from .signature import (
    QUALITES_GENREES,
    Civilite,
    Partie,
    Qualite,
    Signataire,
    Visa,
)
from .vie import (
    CHAMPS_AVENANT,
    Avenant,
    ModeResiliation,
    Resiliation,
    StatutAvenant,
    Transition,
    valeurs_des_modifications,
)

__all__ = [
    "Adhesion",
    "Annexe1",
    "Avenant",
    "CHAMPS_AVENANT",
    "Civilite",
    "Convention",
    "Domaine",
    "Habilitation",
    "Instance",
    "Invitation",
    "ModeResiliation",
    "Partie",
    "QUALITES_GENREES",
    "Qualite",
    "Resiliation",
    "STATUTS_SIGNES",
    "STATUTS_TERMINES",
    "Signataire",
    "Statut",
    "StatutAdhesion",
    "StatutAvenant",
    "Transition",
    "Visa",
    "debut_atteint",
    "debut_non_atteint",
    "fin_depassee",
    "resiliation_effective",
    "signataires_des_deux_parties",
    "statut_a",
    "tous_les_domaines",
    "valeurs_des_modifications",
]

# Joint communication (article 8): its models live with its rules.
from ..communication import ApprobationCommunication, Communication, PieceCommunication  # noqa: E402, F401
