"""The catalogue of the territorial diagnostic: every indicator as data.

An indicator says what it measures (libellé, definition, formula in words, unit), which CTG domain it
belongs to, where its figures come from (dataset ids of ``ctg.donnees.jeux``, or ``territoires`` for the
population of the Code officiel géographique) and how it aggregates from the communes to the EPCI, the
département and France:

- ``somme``: a count that adds up over communes;
- ``ratio``: a rate recomputed at each level from the summed numerator and denominator
  (Σ numérateur ÷ Σ dénominateur × facteur), never a mean of the communes' rates;
- ``officiel_ou_ratio``: the rate published by data.caf.fr for that level when the file of that level has
  it, else recomputed like a ``ratio`` from places and children when both are available;
- ``ecart``: the offer/need gap of childcare, max(0, taux de référence ÷ 100 × enfants − places), computed
  at each level from the territory's places and children and the rate of its département or of France.

The computation lives in ``ctg.diagnostic.calcul``.
"""

from ctg.conventions.models import Domaine
from ctg.donnees.jeux import JEUX

from . import allocataires, familles, petite_enfance, population
from .definitions import DROITS, TERRITOIRES, VARIABLES_TERRITOIRES, Agregation, Indicateur, Terme

CATALOGUE: tuple[Indicateur, ...] = tuple(
    population.indicateurs() + petite_enfance.indicateurs() + familles.indicateurs() + allocataires.indicateurs()
)
INDICATEURS: dict[str, Indicateur] = {i.code: i for i in CATALOGUE}


def indicateur(code_ou_indicateur: str | Indicateur) -> Indicateur:
    if isinstance(code_ou_indicateur, Indicateur):
        return code_ou_indicateur
    try:
        return INDICATEURS[code_ou_indicateur]
    except KeyError:
        raise KeyError(f"Indicateur inconnu : « {code_ou_indicateur} ».") from None


def par_domaine() -> dict[str, list[Indicateur]]:
    """The catalogue grouped by CTG domain, in the order of ``Domaine``."""
    groupes: dict[str, list[Indicateur]] = {d: [] for d in Domaine.values}
    for ind in CATALOGUE:
        groupes[ind.domaine].append(ind)
    return {d: inds for d, inds in groupes.items() if inds}


def _verifier() -> None:
    """The catalogue keeps to the contract of ``ctg.donnees.jeux``: fail at import, not at computation."""

    def exiger(condition: bool, message: str) -> None:
        if not condition:
            raise ValueError(f"Catalogue des indicateurs : {message}")

    exiger(len(INDICATEURS) == len(CATALOGUE), "codes d'indicateurs en double")
    for ind in CATALOGUE:
        exiger(ind.domaine in Domaine.values, f"{ind.code} : domaine inconnu")
        for terme in (ind.officiel, ind.numerateur, ind.denominateur):
            if terme is None:
                continue
            exiger(terme.dataset == TERRITOIRES or terme.dataset in JEUX, f"{ind.code} : jeu {terme.dataset} inconnu")
            connues = VARIABLES_TERRITOIRES if terme.dataset == TERRITOIRES else JEUX[terme.dataset].variables
            for variable in terme.variables:
                exiger(variable in connues, f"{ind.code} : variable {variable} inconnue de {terme.dataset}")
        exiger(ind.numerateur is not None, f"{ind.code} : numérateur manquant")
        if ind.agregation in (Agregation.RATIO, Agregation.OFFICIEL_OU_RATIO, Agregation.ECART):
            exiger(ind.denominateur is not None, f"{ind.code} : dénominateur manquant")
        exiger(
            (ind.officiel is not None) == (ind.agregation == Agregation.OFFICIEL_OU_RATIO),
            f"{ind.code} : valeur officielle seulement pour officiel_ou_ratio",
        )
        if ind.agregation == Agregation.ECART:
            exiger(ind.reference in ("departement", "france"), f"{ind.code} : référence inconnue")


_verifier()

__all__ = [
    "CATALOGUE",
    "DROITS",
    "INDICATEURS",
    "TERRITOIRES",
    "Agregation",
    "Indicateur",
    "Terme",
    "indicateur",
    "par_domaine",
]
