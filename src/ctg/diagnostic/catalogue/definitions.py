"""What an indicator of the catalogue is (``Indicateur``, ``Terme``, ``Agregation``), and the terms and
words the domains' indicators share."""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from ctg.conventions.models import Domaine
from ctg.donnees.jeux import JEUX

TERRITOIRES = "territoires"
"""Pseudo-dataset: the communes of the Code officiel géographique and their population municipale."""

VARIABLES_TERRITOIRES = {
    "population": "population municipale (COG)",
    "communes": "communes",
    "communes_moins_3500": "communes de 3 500 habitants ou moins",
    "communes_3500_10000": "communes de plus de 3 500 et jusqu'à 10 000 habitants",
    "communes_plus_10000": "communes de plus de 10 000 habitants",
}


class Agregation(StrEnum):
    SOMME = "somme"
    RATIO = "ratio"
    OFFICIEL_OU_RATIO = "officiel_ou_ratio"
    ECART = "ecart"


@dataclass(frozen=True)
class Terme:
    """A quantity read from one dataset: the sum of ``variables`` of one observation (or commune)."""

    dataset: str
    variables: tuple[str, ...]

    @property
    def libelle(self) -> str:
        noms = VARIABLES_TERRITOIRES if self.dataset == TERRITOIRES else JEUX[self.dataset].variables
        return " + ".join(noms[v] for v in self.variables)


@dataclass(frozen=True)
class Indicateur:
    code: str
    libelle: str
    domaine: str  # a ctg.conventions.models.Domaine value
    definition: str
    formule: str
    unite: str
    agregation: Agregation
    numerateur: Terme | None = None
    denominateur: Terme | None = None
    officiel: Terme | None = None  # officiel_ou_ratio: the published rate (data.caf.fr)
    facteur: float = 1.0
    reference: str | None = None  # ecart: "departement" or "france"
    decimales: int = 0
    contexte: bool = False  # demographic context (portrait du territoire) rather than a CTG field of action
    precision: Callable[[int], str] | None = None  # a sentence of the definition that depends on the data's year
    sources: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        termes = [t for t in (self.officiel, self.numerateur, self.denominateur) if t is not None]
        sources = []
        for terme in termes:
            if terme.dataset not in sources:
                sources.append(terme.dataset)
        object.__setattr__(self, "sources", tuple(sources))

    @property
    def domaine_libelle(self) -> str:
        return Domaine(self.domaine).label

    def definition_pour(self, annee: int | None) -> str:
        """The definition for the data of ``annee`` (a threshold revised every year is the one of that year)."""
        if self.precision is None or annee is None:
            return self.definition
        return f"{self.definition} {self.precision(annee)}"

    @property
    def datasets_principaux(self) -> tuple[str, ...]:
        """The datasets whose year is the indicator's year (the others take their nearest vintage)."""
        principaux = []
        for terme in (self.officiel, self.numerateur):
            if terme is not None and terme.dataset not in principaux:
                principaux.append(terme.dataset)
        return tuple(principaux)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "libelle": self.libelle,
            "domaine": self.domaine,
            "domaine_libelle": self.domaine_libelle,
            "definition": self.definition,
            "formule": self.formule,
            "unite": self.unite,
            "agregation": str(self.agregation),
            "sources": list(self.sources),
            "decimales": self.decimales,
            "contexte": self.contexte,
        }


def terme(dataset: str, *variables: str) -> Terme:
    return Terme(dataset, variables)


POPULATION = terme(TERRITOIRES, "population")
ENFANTS_0_2 = terme("insee_pop", "pop0002")
FOYERS = terme("s_ben_com_f", "indfoy_ndur")

PE = Domaine.PETITE_ENFANCE.value
ENF = Domaine.ENFANCE.value
JEU = Domaine.JEUNESSE.value
PAR = Domaine.PARENTALITE.value
DROITS = Domaine.ACCES_DROITS.value
LOG = Domaine.LOGEMENT.value
SOCIAL = Domaine.ACCOMPAGNEMENT_SOCIAL.value

SECRET_CAF = (
    " Fichier Caf soumis au secret statistique : effectifs arrondis à 5, valeurs inférieures à 5 masquées "
    "(une valeur masquée n'est jamais comptée comme zéro)."
)
