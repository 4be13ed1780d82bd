"""The bonus territoire per structure and year, and each former Cej commune's funding commitment.

Rules (each has a worked example in ``tests/financement/test_calcul.py``):

1. **Places existantes — report N-1** (article 5 and its note 2): a structure covered by a Cej that has ended keeps
   the bonified amount of N-1 booked by the Caf ("charges à payer"). For a type whose ``report_n1`` rate is per
   place (EAJE), the amount is smoothed over the territoire de compétence (``territoire_de_competence``: the
   commune, or the EPCI where the competence was transferred): the sum of the Cej amounts of that territory for that
   type ÷ their reference places gives one amount per place, times the structure's existing places (its places of
   the year, at most its reference places). For a type whose rate is a flat amount ("forfait": ALSH, LAEP, RPE by
   default, formula uncertain), the structure's own N-1 amount is carried over. A floor per unit (``plancher``) and
   the yearly revaluations (``revalorisation``, compounded from the year after the reference year) apply when the
   rates table has them.
2. **Places nouvelles**: the places beyond the reference take the ``nouvelles_unites`` rate valid on 1 January of
   the year: the highest tranche whose thresholds the commune meets (potentiel financier and revenu per inhabitant
   at most the tranche's); a structure in a QPV or a ZRR takes the top rate.
3. **Bonus trajectoire**: when the co-funded PSU places of the territory (the EPCI) grew from the base year (2023)
   to the year by at least a palier's threshold (+4, +8, +12 %), each place of a structure that receives the bonus
   gets the highest palier reached (+100, +200, +300 €).
4. **CTRE**: places reserved by employers take the ``place_employeur`` rate; outside the bonus territoire, they do
   not depend on the commune's adhesion.
5. **Conditions**: a structure of a type with no rate, not open in the year, an EAJE outside the PSU, a structure
   no collectivité co-funds, a year still funded by a running Cej, a year outside the convention, or a commune that
   has not adhered to the CTG (annexe 4) gets no bonus, and the reason says so.
6. **Commitment** (article 1, note 1): a former Cej commune keeps at least the funding its Cej planned. Actual
   funding is the commune's funding of its childhood and youth structures (EAJE, ALSH, LAEP, RPE, and any structure
   of its Cej) from the compte de résultat, else the budget prévisionnel. A shortfall marks its structures' bonus
   "à vérifier" and raises an alert; the Caf's verification makes it "vérifié" (conforme) or "suspendu".
7. **Money**: ``Decimal`` only; a structure spread over part of a year is counted prorata temporis (days open ÷
   days of the year); each component is rounded once, with the rounding rule of the rate that produced it.
"""

from .bonus import bonus_structure, croissance, territoire_de_competence
from .donnees import Donnees
from .engagement import engagement_commune
from .ensemble import bonus_annee, engagements_annee, manquements, totaux
from .resultats import ZERO, BonusStructure, Composante, EngagementCommune, StatutBonus, StatutEngagement

__all__ = [
    "ZERO",
    "BonusStructure",
    "Composante",
    "Donnees",
    "EngagementCommune",
    "StatutBonus",
    "StatutEngagement",
    "bonus_annee",
    "bonus_structure",
    "croissance",
    "engagement_commune",
    "engagements_annee",
    "manquements",
    "territoire_de_competence",
    "totaux",
]
