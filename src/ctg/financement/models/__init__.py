"""Financing of a CTG: structures (équipements), CEJ references, dated rates, the communes' actual funding and the
Caf's verifications.

Article 5 of the reference convention (and its footnote 2): at the end of each commune's contrat enfance jeunesse
(Cej) the Caf keeps, on that commune, the bonified amount of N-1 (as booked in its accounts, "charges à payer") and
pays it directly to the structures the commune supports, as "bonus territoire". Footnote 1 of article 1: in return
each former Cej commune keeps at least its Cej childhood and youth funding, which the Caf checks from the structures'
budgets and comptes de résultat; keeping it is a condition of the bonus.

Everything here but the rates table (``Bareme``) and the communes' wealth (``RichesseCommune``) belongs to **one
convention**: a structure, its capacities, a Cej and its lines, the actual funding and the Caf's verifications are
reached through their convention (``convention.structures``, ``chemin_convention``), never by EPCI or commune
alone. Two conventions of the same EPCI (one after the other, or a second one set up by mistake) therefore never see
nor change each other's records. A renewal keeps what it needs by an explicit copy
(``ctg.financement.regles.copier_pour_renouvellement``). The rates and the communes' wealth are national reference
data, revised by a national administrator only. The rules that turn these records into amounts live in
``ctg.financement.calcul``.
"""

from .commun import (
    ANNEE_MAX,
    ANNEE_MIN,
    MONTANT,
    annee_plausible,
    parmi,
    positif,
)
from .structures import (
    TYPES_COURTS,
    Capacite,
    Cej,
    LigneCej,
    Structure,
    TypeStructure,
)
from .suivi import (
    Conclusion,
    Document,
    FinancementReel,
    Verification,
    chemin_piece,
)
from .taux import (
    ARRONDIS,
    Arrondi,
    Bareme,
    Nature,
    RichesseCommune,
    Unite,
    arrondir,
)

__all__ = [
    "ANNEE_MAX",
    "ANNEE_MIN",
    "ARRONDIS",
    "Arrondi",
    "Bareme",
    "Capacite",
    "Cej",
    "Conclusion",
    "Document",
    "FinancementReel",
    "LigneCej",
    "MONTANT",
    "Nature",
    "RichesseCommune",
    "Structure",
    "TYPES_COURTS",
    "TypeStructure",
    "Unite",
    "Verification",
    "annee_plausible",
    "arrondir",
    "chemin_piece",
    "parmi",
    "positif",
]
