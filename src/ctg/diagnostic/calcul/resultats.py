"""A computed figure with its state, provenance and coverage (``Resultat``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

from ..models import Etat, ValeurIndicateur
from .commun import DEPARTEMENT, GRAVITE

# --- results ---------------------------------------------------------------------------------------------------


@dataclass
class Resultat:
    """One indicator for one territory and one year."""

    indicateur: str
    niveau: str
    code: str
    annee: int | None
    valeur: float | None = None
    numerateur: float | None = None
    denominateur: float | None = None
    etat: str = Etat.ABSENT
    demonstration: bool = False
    sources: list[dict] = field(default_factory=list)
    communes: int = 0  # communes whose figures entered the value
    communes_secretes: int = 0
    communes_manquantes: int = 0
    officiel: bool = False  # the rate published by the Caf for the territory's level
    # Share (0 to 1) of the territory's population (population municipale of the COG) living in the units whose
    # figures entered the value: 1 for the territory's own figure or a complete sum; None without a value.
    couverture: float | None = None
    # When the value sums a lower level: the least covered of those sums, {"niveau": "commune" or "departement",
    # "retenus", "secrets", "manquants"} (units whose figure entered it, blanked by secrecy, missing from the file).
    somme: dict | None = None

    @property
    def utilisable(self) -> bool:
        return self.valeur is not None and self.etat in (Etat.DISPONIBLE, Etat.PARTIEL)

    @property
    def etat_libelle(self) -> str:
        """The state in words; a partial value says what it covers ("partiel : somme de 2 communes sur 55 …")."""
        if self.etat == Etat.PARTIEL and self.couverture is not None:
            return f"partiel : {self.couverture_libelle}"
        return Etat(self.etat).label

    @property
    def couverture_libelle(self) -> str:
        """ "somme de 2 communes sur 55 (1 en secret statistique, 52 sans donnée), 44 % de la population" """
        if self.couverture is None:
            return ""
        part = _pourcentage(self.couverture)
        if not self.somme:
            return f"{part} de la population"
        retenus, secrets, manquants = self.somme["retenus"], self.somme["secrets"], self.somme["manquants"]
        nom = "département" if self.somme["niveau"] == DEPARTEMENT else "commune"
        total = retenus + secrets + manquants
        texte = f"somme de {retenus} {nom}{'s' if retenus > 1 else ''} sur {total}"
        details = []
        if secrets:
            details.append(f"{secrets} en secret statistique")
        if manquants:
            details.append(f"{manquants} sans donnée")
        if details:
            texte += f" ({', '.join(details)})"
        return f"{texte}, {part} de la population"

    def as_dict(self) -> dict:
        d = asdict(self)
        d["etat"] = str(self.etat)
        return d

    def vers_modele(self) -> ValeurIndicateur:
        return ValeurIndicateur(
            indicateur=self.indicateur,
            niveau=self.niveau,
            code=self.code,
            annee=self.annee,
            valeur=self.valeur,
            numerateur=self.numerateur,
            denominateur=self.denominateur,
            etat=self.etat,
            demonstration=self.demonstration,
            sources=self.sources,
        )

    @classmethod
    def depuis_modele(cls, v: ValeurIndicateur) -> Resultat:
        # The per-dataset counts are kept in the sources; the overall ones are at least their maximum.
        def compte(cle):
            return max((s.get(cle, 0) for s in v.sources), default=0)

        return cls(
            indicateur=v.indicateur,
            niveau=v.niveau,
            code=v.code,
            annee=v.annee,
            valeur=v.valeur,
            numerateur=v.numerateur,
            denominateur=v.denominateur,
            etat=v.etat,
            demonstration=v.demonstration,
            sources=v.sources,
            communes=compte("communes"),
            communes_secretes=compte("communes_secretes"),
            communes_manquantes=compte("communes_manquantes"),
            officiel=any(s.get("officiel") for s in v.sources),
            **_couverture_des_sources(v.sources, v.valeur),
        )


def _pourcentage(part: float) -> str:
    """ "44 %"; never "100 %" for a part that is not whole, nor "0 %" for one that is not nothing."""
    if 0 < part < 0.01:
        return "moins de 1\u00a0%"
    if part < 1:
        return f"{min(99, int(part * 100))}\u00a0%"
    return "100\u00a0%"


def _couverture_des_sources(sources: list[dict], valeur: float | None) -> dict:
    """``couverture`` and ``somme`` of a result, from its sources: the least covered sum of a lower level (each such
    source carries its ``couverture_population`` and its counts); 1 when no source is such a sum."""
    if valeur is None:
        return {"couverture": None, "somme": None}
    sommes = [s for s in sources if "couverture_population" in s]
    if not sommes:
        return {"couverture": 1.0, "somme": None}

    def comptes(s: dict) -> tuple[int, int, int]:
        if s.get("niveau") == DEPARTEMENT:
            return s.get("departements", 0), s.get("departements_secrets", 0), s.get("departements_manquants", 0)
        return s.get("communes", 0), s.get("communes_secretes", 0), s.get("communes_manquantes", 0)

    moindre = min(sommes, key=lambda s: (s["couverture_population"], comptes(s)[0]))
    retenus, secrets, manquants = comptes(moindre)
    return {
        "couverture": moindre["couverture_population"],
        "somme": {"niveau": moindre.get("niveau"), "retenus": retenus, "secrets": secrets, "manquants": manquants},
    }


def _etat(connues: int, secretes: int, manquantes: int) -> str:
    if connues == 0:
        return Etat.SECRET if secretes else Etat.ABSENT
    return Etat.PARTIEL if secretes or manquantes else Etat.DISPONIBLE


def _pire(*etats: str) -> str:
    return max(etats, key=lambda e: GRAVITE[e])
