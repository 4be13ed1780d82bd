"""Computing the indicators of the catalogue for any territory and year.

Everything goes through a ``Moteur``: it loads, once per dataset and year, the observations of the communes
in its scope (all of France for ``calculer_tout``, one EPCI, one département or a few communes on demand)
and the map of those communes (EPCI, département, population), then aggregates in Python dictionaries —
never one query per territory.

Rules:

- a level's figure comes from that level's own file when there is one (data.caf.fr publishes some at EPCI,
  département and national levels: ``nbpla_pe_dep``, ``txcouv_pe_nat``…); else France's is the sum of the
  départements' file when there is one (there is no national places file), else the sum of the communes;
- a rate (``ratio``) is Σ numérateur ÷ Σ dénominateur × facteur over the communes where both are known,
  never a mean of the communes' rates;
- ``officiel_ou_ratio``: the rate published for the territory's level when there is one, else a ``ratio``;
- a sum is ``disponible`` only when every unit summed (every member commune, every département of France) has a
  value; secrecy (a ``null`` value) is never a zero: the sum runs over the known units and the value is
  ``partiel`` (so is a value with units missing from the file); all secret → ``secret``; nothing → ``absent``;
- a partial sum is never shown as the total: it carries its coverage, the share of the territory's population
  (population municipale of the COG) living in the units whose figures entered it (``Resultat.couverture``,
  ``Resultat.somme``, and ``etat_libelle`` says it in words);
- the indicator's year is the year of its numerator's dataset (exact); a denominator from another dataset
  takes its nearest vintage (the latest not after the year, else the earliest), shown in the sources.

Values of EPCI, départements and France are stored by ``calculer_tout`` (``ctg calculer_indicateurs``), and again
after each import for the indicators that read the imported dataset (``recalculer_apres_import``, connected to
``ctg.donnees.signaux.observations_importees``); communes are computed on demand. Reading functions use the stored
values and compute what is missing.
"""

from __future__ import annotations

import functools
import json
import logging
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.db import connection, transaction
from django.db.models import Count, Max, Q, Sum

from ctg import horloge
from ctg.donnees.models import CODE_FRANCE, Fichier, Niveau, Observation
from ctg.saisie import MAGNITUDE_MAX, est_fini
from ctg.territoires.fiches import TerritoireIntrouvable
from ctg.territoires.models import Commune, Departement, Epci, ImportTerritoires, Zone
from ctg.territoires.recherche import CODE_COMMUNE, CODE_DEPARTEMENT, CODE_EPCI

from .catalogue import (
    CATALOGUE,
    TERRITOIRES,
    Agregation,
    Indicateur,
    Terme,
    indicateur,
    par_domaine,
)
from .models import Etat, ValeurIndicateur
from .regles import (
    SEUIL_SPPE_PLANIFICATION,
    SEUIL_SPPE_SCHEMA,
    categorie_sppe,
    obligations_sppe,
    population_reference_sppe,
)

COMMUNE = Niveau.COMMUNE.value
EPCI = Niveau.EPCI.value
DEPARTEMENT = Niveau.DEPARTEMENT.value
FRANCE = Niveau.FRANCE.value
NIVEAUX_STOCKES = (EPCI, DEPARTEMENT, FRANCE)
TAUX_REFERENCE = "taux_couverture_global"

journal = logging.getLogger(__name__)


class _Marque:
    __slots__ = ("nom",)

    def __init__(self, nom: str):
        self.nom = nom

    def __repr__(self):
        return self.nom


SECRET = _Marque("SECRET")  # the source blanked the value (statistical secrecy)
MANQUANT = _Marque("MANQUANT")  # no row, or the variable is not in the row

GRAVITE = {Etat.DISPONIBLE: 0, Etat.PARTIEL: 1, Etat.SECRET: 2, Etat.ABSENT: 3}


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


# --- the map of communes ---------------------------------------------------------------------------------------


class Carte:
    """The communes in scope with their EPCI, département and population, and the groups they form."""

    def __init__(self, filtre: Q | None = None):
        qs = Commune.objects.all() if filtre is None else Commune.objects.filter(filtre)
        self.communes: dict[str, tuple[str | None, str, int | None, str]] = {}
        annees = set()
        for code, epci, dep, pop, annee, zone in qs.values_list(
            "code", "epci_id", "departement_id", "population", "population_annee", "zone"
        ):
            self.communes[code] = (epci, dep, pop, zone)
            if annee:
                annees.add(annee)
        self.population_annee = max(annees) if annees else None
        self._groupes: dict[str, dict[str, list[str]]] = {}
        self._populations: dict[str, dict[str, int]] = {}

    def groupes(self, niveau: str) -> dict[str, list[str]]:
        if niveau not in self._groupes:
            g: dict[str, list[str]] = defaultdict(list)
            for code, (epci, dep, _pop, zone) in self.communes.items():
                if niveau == COMMUNE:
                    g[code].append(code)
                elif niveau == EPCI:
                    if epci:
                        g[epci].append(code)
                elif niveau == DEPARTEMENT:
                    g[dep].append(code)
                elif zone != Zone.COM:  # France: metropolitan France and the DROM, like the Caf and Insee figures
                    g[CODE_FRANCE].append(code)
            self._groupes[niveau] = dict(g)
        return self._groupes[niveau]

    def populations(self, niveau: str) -> dict[str, int]:
        """code -> population municipale of the communes, or of each département's communes in the map."""
        if niveau not in self._populations:
            poids: Counter[str] = Counter()
            for code, (_epci, dep, pop, _zone) in self.communes.items():
                poids[code if niveau == COMMUNE else dep] += pop or 0
            self._populations[niveau] = dict(poids)
        return self._populations[niveau]

    def departements_france(self) -> list[str]:
        """The départements whose communes make up France (metropolitan France and the DROM)."""
        return sorted({self.communes[c][1] for c in self.groupes(FRANCE).get(CODE_FRANCE, [])})

    def departement_principal(self, communes: Iterable[str]) -> str | None:
        """The département holding the largest part of the population of these communes."""
        poids: Counter[str] = Counter()
        for c in communes:
            _epci, dep, pop, _zone = self.communes[c]
            poids[dep] += pop or 0
        if not poids:
            return None
        return max(sorted(poids), key=lambda d: poids[d])


def departement_de_reference(niveau: str, code: str) -> str | None:
    """The département a territory is compared with: its own, or for an EPCI the one holding most of its people."""
    if niveau == COMMUNE:
        return Commune.objects.filter(code=code).values_list("departement_id", flat=True).first()
    if niveau == EPCI:
        poids = (
            Commune.objects.filter(epci_id=code)
            .values("departement_id")
            .annotate(p=Sum("population"))
            .order_by("-p", "departement_id")
        )
        premier = poids.first()
        return premier["departement_id"] if premier else None
    if niveau == DEPARTEMENT:
        return code
    return None


# --- observations ----------------------------------------------------------------------------------------------


def _nombre(x):
    """A stored value as a number, SECRET (blank) or MANQUANT (not a number, or one no figure reaches: infinite,
    NaN, beyond ``saisie.MAGNITUDE_MAX``; an older import may have stored such values)."""
    if x is None:
        return SECRET
    if isinstance(x, bool):
        return MANQUANT
    if not isinstance(x, int | float):
        try:
            x = float(str(x).replace("\u00a0", "").replace(" ", "").replace(",", "."))
        except ValueError:
            return MANQUANT
    return x if est_fini(x) and abs(x) <= MAGNITUDE_MAX else MANQUANT


def _evaluer(valeurs: dict, variables: tuple[str, ...]):
    """The sum of ``variables`` in one observation: a number, SECRET or MANQUANT."""
    if len(variables) == 1:
        v = variables[0]
        return _nombre(valeurs[v]) if v in valeurs else MANQUANT
    total = 0
    secret = False
    for v in variables:
        if v not in valeurs:
            return MANQUANT
        x = _nombre(valeurs[v])
        if x is MANQUANT:
            return MANQUANT
        if x is SECRET:
            secret = True
        else:
            total += x
    return SECRET if secret else total


# What is derived from the data and asked for many times (the years of each dataset, the figures computed on
# demand), kept until the data change: everything is forgotten when the version below changes.
_MEMOIRE_DES_DONNEES: dict = {}


# Within one request the version is read once (a page asks for series many times): from the request's start to its
# end, unless a file or a territories import is written meanwhile (``version_perimee``). Outside requests
# (commands, tasks of the queue), it is read each time.
_REQUETE = threading.local()


def requete_commencee(**kwargs) -> None:
    _REQUETE.active, _REQUETE.version = True, None


def requete_finie(**kwargs) -> None:
    _REQUETE.active, _REQUETE.version = False, None


def version_perimee(**kwargs) -> None:
    """A file or a territories import was written: the next reading of the version asks the database."""
    _REQUETE.version = None


def _version_donnees() -> tuple:
    """Changes whenever a file or a territories import is added, removed or undone (cheap: two aggregates on small
    tables, read once per request). An undone file stays in the history: its date of undo changes the version, in
    every process."""
    if not getattr(_REQUETE, "active", False):
        return _lire_version_donnees()
    if _REQUETE.version is None:
        _REQUETE.version = _lire_version_donnees()
    return _REQUETE.version


def _lire_version_donnees() -> tuple:
    fichiers = Fichier.objects.aggregate(n=Count("pk"), m=Max("pk"), t=Max("importe_le"), a=Max("annule_le"))
    territoires = ImportTerritoires.objects.aggregate(m=Max("pk"), t=Max("date"))
    return (fichiers["n"], fichiers["m"], fichiers["t"], fichiers["a"], territoires["m"], territoires["t"])


def _memoire_des_donnees() -> dict:
    version = _version_donnees()
    if _MEMOIRE_DES_DONNEES.get("version") != version:
        _MEMOIRE_DES_DONNEES.clear()
        _MEMOIRE_DES_DONNEES["version"] = version
    return _MEMOIRE_DES_DONNEES


def annees_par_dataset() -> dict[str, list[int]]:
    """The years of the observations loaded, per dataset, plus the population vintage of the territories.

    Kept until the next import (a page asks for it many times)."""
    memoire = _memoire_des_donnees()
    if "annees" not in memoire:
        memoire["annees"] = _annees_par_dataset()
    return {d: list(a) for d, a in memoire["annees"].items()}


def _annees_par_dataset() -> dict[str, list[int]]:
    annees: dict[str, set[int]] = defaultdict(set)
    for dataset, annee in Observation.objects.values_list("dataset", "annee").distinct():
        annees[dataset].add(annee)
    pop = Commune.objects.aggregate(m=Max("population_annee"))["m"]
    if pop:
        annees[TERRITOIRES].add(pop)
    return {d: sorted(a) for d, a in annees.items()}


def annees_indicateur(ind: str | Indicateur, annees: dict[str, list[int]] | None = None) -> list[int]:
    """The years an indicator can be computed for: those of its numerator's (or official rate's) dataset."""
    ind = indicateur(ind)
    annees = annees_par_dataset() if annees is None else annees
    return sorted({a for d in ind.datasets_principaux for a in annees.get(d, [])})


def millesime(annees: list[int], annee: int, exact: bool) -> int | None:
    """The vintage of a dataset used for ``annee``: the year itself, else (if not ``exact``) the nearest one."""
    if annee in annees:
        return annee
    if exact or not annees:
        return None
    avant = [a for a in annees if a < annee]
    return max(avant) if avant else min(annees)


def _nom_source_territoires() -> str:
    try:
        dernier = ImportTerritoires.objects.latest()
    except ImportTerritoires.DoesNotExist:
        return "Code officiel géographique"
    paquets = ", ".join(s.get("paquet", "") for s in dernier.sources[:1] if s.get("paquet"))
    return f"communes.json, {paquets}" if paquets else "Code officiel géographique"


class Entrepot:
    """Observations loaded once per dataset and year, for the communes of a map (and every other level)."""

    def __init__(self, carte: Carte, complet: bool):
        self.carte = carte
        self.complet = complet
        self.annees = annees_par_dataset()
        if carte.population_annee:
            self.annees[TERRITOIRES] = [carte.population_annee]
        self.fichiers = {pk: (nom, demo) for pk, nom, demo in Fichier.objects.values_list("pk", "nom", "demonstration")}
        self.nom_territoires = _nom_source_territoires()
        self._tables: dict[tuple[str, int], dict[str, dict[str, tuple[dict, tuple]]]] = {}
        self._termes: dict[tuple[Terme, int], tuple[dict, dict]] = {}
        self.hors_referentiel: dict[tuple[str, int], int] = {}

    def table(self, dataset: str, annee: int) -> dict[str, dict[str, tuple[dict, tuple]]]:
        """niveau -> code -> (valeurs, provenance) for one dataset and year; the latest period of the year wins."""
        cle = (dataset, annee)
        if cle not in self._tables:
            qs = Observation.objects.filter(dataset=dataset, annee=annee)
            if not self.complet:
                qs = qs.filter(Q(niveau=COMMUNE, code__in=list(self.carte.communes)) | ~Q(niveau=COMMUNE))
            table: dict[str, dict[str, tuple[dict, tuple]]] = defaultdict(dict)
            periodes: dict[tuple[str, str], str] = {}
            provenances: dict[tuple, tuple] = {}
            for niveau, code, periode, valeurs, fichier in qs.values_list(
                "niveau", "code", "periode", "valeurs", "fichier_id"
            ).iterator(chunk_size=5000):
                if periodes.get((niveau, code), "") > periode:
                    continue
                periodes[niveau, code] = periode
                prov = (dataset, fichier, periode, niveau)
                prov = provenances.setdefault(prov, prov)
                table[niveau][code] = (valeurs if isinstance(valeurs, dict) else {}, prov)
            if self.complet:
                communes = self.carte.communes
                self.hors_referentiel[cle] = sum(1 for c in table.get(COMMUNE, {}) if c not in communes)
            self._tables[cle] = dict(table)
        return self._tables[cle]

    def valeurs_communes(self, terme: Terme, annee: int) -> tuple[dict, dict]:
        """code -> number or SECRET (communes without the figure are left out), and code -> provenance."""
        return self.valeurs_du_niveau(terme, annee, COMMUNE)

    def valeurs_du_niveau(self, terme: Terme, annee: int, niveau: str) -> tuple[dict, dict]:
        """The rows of one level: code -> number or SECRET (territories without the figure are left out), and
        code -> provenance."""
        cle = (terme, annee, niveau)
        if cle not in self._termes:
            vals: dict[str, object] = {}
            provs: dict[str, tuple] = {}
            if terme.dataset == TERRITOIRES:
                if niveau == COMMUNE:
                    prov = (TERRITOIRES, None, str(annee), COMMUNE)
                    for code, (_epci, _dep, pop, _zone) in self.carte.communes.items():
                        v = _variable_territoire(terme.variables, pop)
                        if v is not MANQUANT:
                            vals[code] = v
                            provs[code] = prov
            else:
                for code, (valeurs, prov) in self.table(terme.dataset, annee).get(niveau, {}).items():
                    v = _evaluer(valeurs, terme.variables)
                    if v is not MANQUANT:
                        vals[code] = v
                        provs[code] = prov
            self._termes[cle] = (vals, provs)
        return self._termes[cle]

    def valeur_niveau(self, terme: Terme, annee: int, niveau: str, code: str):
        """The figure of the file of the territory's own level: (number or SECRET, provenance), or None."""
        if terme.dataset == TERRITOIRES or niveau == COMMUNE:
            return None
        ligne = self.table(terme.dataset, annee).get(niveau, {}).get(code)
        if ligne is None:
            return None
        v = _evaluer(ligne[0], terme.variables)
        return None if v is MANQUANT else (v, ligne[1])

    def oublier(self, dataset: str, annee: int) -> None:
        self._tables.pop((dataset, annee), None)
        for cle in [c for c in self._termes if c[0].dataset == dataset and c[1] == annee]:
            del self._termes[cle]

    def source(self, prov: tuple) -> dict:
        dataset, fichier, periode, niveau = prov
        if dataset == TERRITOIRES:
            nom, demo = self.nom_territoires, False
        else:
            nom, demo = self.fichiers.get(fichier, ("?", False))
        return {"dataset": dataset, "fichier": nom, "periode": periode, "niveau": niveau, "demonstration": demo}


def _variable_territoire(variables: tuple[str, ...], pop: int | None):
    (variable,) = variables
    if variable == "communes":
        return 1
    if pop is None:
        return MANQUANT
    if variable == "population":
        return pop
    if variable == "communes_moins_3500":
        return int(pop <= SEUIL_SPPE_PLANIFICATION)
    if variable == "communes_3500_10000":
        return int(SEUIL_SPPE_PLANIFICATION < pop <= SEUIL_SPPE_SCHEMA)
    if variable == "communes_plus_10000":
        return int(pop > SEUIL_SPPE_SCHEMA)
    return MANQUANT


# --- aggregation -----------------------------------------------------------------------------------------------


@dataclass
class _Agregat:
    """A term over a territory: its own figure, or the total of the known units of a lower level (communes, or the
    départements for France) and what was left out."""

    total: float = 0
    connues: int = 0
    secretes: int = 0
    manquantes: int = 0
    provenances: set = field(default_factory=set)
    # (dataset, level of the units summed) -> (known, secret, missing, share of the population covered)
    comptes: dict = field(default_factory=dict)
    niveau_unites: str = COMMUNE  # the level of the rows read: communes summed, départements summed, or its own
    fichier_du_niveau: bool = False  # read from the file of the territory's own level
    couverture: float = 0.0  # share of the territory's population living in the units whose figure entered the total

    @property
    def etat(self) -> str:
        return _etat(self.connues, self.secretes, self.manquantes)

    @property
    def valeur(self):
        return self.total if self.connues else None

    @property
    def somme_de_communes(self) -> bool:
        return not self.fichier_du_niveau and self.niveau_unites == COMMUNE


def _comptes_communes(*agregats: _Agregat) -> tuple[int, int, int]:
    """(communes retained, secret, missing) over the terms summed over communes (not those of a level file)."""
    sommes = [a for a in agregats if a.somme_de_communes]
    if not sommes:
        return 0, 0, 0
    return (
        min(a.connues for a in sommes),
        max(a.secretes for a in sommes),
        max(a.manquantes for a in sommes),
    )


def _part(couverte: int, population: int, connues: int, absentes: int) -> float:
    """The share of the population covered by a sum: whole only when no unit is left out (secret or missing)."""
    if not connues:
        return 0.0
    if not absentes:
        return 1.0
    return min(couverte / population, 0.9999) if population else 0.0


def _meilleure_somme(*candidates: _Agregat) -> _Agregat:
    """The most complete of several sums of the same term: the least serious state, then the widest coverage."""
    return min(candidates, key=lambda a: (GRAVITE[a.etat], -a.couverture))


class Moteur:
    """Computes indicators for the territories of its map; ``complet`` when the map is all of France."""

    def __init__(self, filtre: Q | None = None):
        self.complet = filtre is None
        self.carte = Carte(filtre)
        self.entrepot = Entrepot(self.carte, self.complet)
        self._references: dict[tuple[str, int, str, str], Resultat] = {}
        self._sous_moteurs: dict[tuple[str, str], Moteur] = {}

    # scopes
    @classmethod
    def pour(cls, niveau: str, code: str | Iterable[str]) -> Moteur:
        if niveau == COMMUNE:
            codes = [code] if isinstance(code, str) else list(code)
            return cls(Q(code__in=codes))
        if niveau == EPCI:
            return cls(Q(epci_id=code))
        if niveau == DEPARTEMENT:
            return cls(Q(departement_id=code))
        return cls()

    def annees(self, ind: Indicateur) -> list[int]:
        return annees_indicateur(ind, self.entrepot.annees)

    def _millesime(self, dataset: str, annee: int, exact: bool) -> int | None:
        return millesime(self.entrepot.annees.get(dataset, []), annee, exact)

    # terms
    def _sans_paires(self, terme: Terme, annee: int | None, niveau: str, code: str) -> bool:
        """The term is not read commune by commune for this territory: from its own level's file, or (France) from
        the départements' file. A rate with such a term cannot be paired commune by commune."""
        if annee is None or terme.dataset == TERRITOIRES or niveau == COMMUNE:
            return False
        if self.entrepot.valeur_niveau(terme, annee, niveau, code) is not None:
            return True
        return niveau == FRANCE and bool(self.entrepot.valeurs_du_niveau(terme, annee, DEPARTEMENT)[0])

    def _agreger(self, terme: Terme, annee: int | None, niveau: str, code: str, communes: list[str]) -> _Agregat:
        """The term for one territory: its own level's figure when its file has one; else, for France, the sum of the
        départements' file or of the communes, whichever is the more complete; else the sum of the communes."""
        if annee is None:
            return _Agregat(manquantes=len(communes))
        ligne = self.entrepot.valeur_niveau(terme, annee, niveau, code)
        if ligne is not None:
            v, prov = ligne
            a = _Agregat(provenances={prov}, niveau_unites=niveau, fichier_du_niveau=True)
            if v is SECRET:
                a.secretes = 1
            else:
                a.total, a.connues, a.couverture = v, 1, 1.0
            return a
        par_communes = self._sommer(terme, annee, niveau, COMMUNE, communes)
        if niveau == FRANCE and terme.dataset != TERRITOIRES:
            if self.entrepot.valeurs_du_niveau(terme, annee, DEPARTEMENT)[0]:
                deps = self.carte.departements_france()
                return _meilleure_somme(self._sommer(terme, annee, niveau, DEPARTEMENT, deps), par_communes)
        return par_communes

    def _sommer(self, terme: Terme, annee: int, niveau: str, niveau_unites: str, unites: list[str]) -> _Agregat:
        """The sum of the term over ``unites`` (codes of ``niveau_unites``) that make up a territory of ``niveau``."""
        a = _Agregat(niveau_unites=niveau_unites)
        vals, provs = self.entrepot.valeurs_du_niveau(terme, annee, niveau_unites)
        total = 0
        k = s = m = 0
        couverte = population = 0
        ps = a.provenances
        pops = self.carte.populations(niveau_unites)
        for u in unites:
            pop = pops.get(u, 0)
            population += pop
            v = vals.get(u, MANQUANT)
            if v is MANQUANT:
                m += 1
                continue
            ps.add(provs[u])
            if v is SECRET:
                s += 1
            else:
                total += v
                k += 1
                couverte += pop
        a.total, a.connues, a.secretes, a.manquantes = total, k, s, m
        a.couverture = _part(couverte, population, k, s + m)
        if niveau != COMMUNE:
            a.comptes[terme.dataset, niveau_unites] = (k, s, m, a.couverture)
        return a

    def _ratio_apparie(self, ind: Indicateur, an: int | None, ad: int | None, niveau: str, communes: list[str]):
        """Σnum and Σden over the communes where both are known."""
        num, den = _Agregat(), _Agregat()
        if an is None or ad is None:
            num.manquantes = len(communes)
            return num, den, (0, 0, len(communes))
        vn, pn = self.entrepot.valeurs_communes(ind.numerateur, an)
        vd, pd = self.entrepot.valeurs_communes(ind.denominateur, ad)
        sn = sd = 0
        k = s = m = 0
        kn = snn = mn = kd = sdd = md = 0
        couverte = population = 0
        psn, psd = num.provenances, den.provenances
        pops = self.carte.populations(COMMUNE)
        for c in communes:
            pop = pops.get(c, 0)
            population += pop
            a = vn.get(c, MANQUANT)
            b = vd.get(c, MANQUANT)
            if a is MANQUANT:
                mn += 1
            else:
                psn.add(pn[c])
                if a is SECRET:
                    snn += 1
                else:
                    kn += 1
            if b is MANQUANT:
                md += 1
            else:
                psd.add(pd[c])
                if b is SECRET:
                    sdd += 1
                else:
                    kd += 1
            if a is MANQUANT or b is MANQUANT:
                m += 1
            elif a is SECRET or b is SECRET:
                s += 1
            else:
                sn += a
                sd += b
                k += 1
                couverte += pop
        num.total, num.connues = sn, k
        den.total, den.connues = sd, k
        num.couverture = den.couverture = _part(couverte, population, k, s + m)
        if niveau != COMMUNE:
            # The value covers the communes where both terms are known: that is the coverage of both sources.
            if ind.numerateur.dataset == ind.denominateur.dataset:
                num.comptes[ind.numerateur.dataset, COMMUNE] = (k, s, m, num.couverture)
            else:
                num.comptes[ind.numerateur.dataset, COMMUNE] = (kn, snn, mn, num.couverture)
                den.comptes[ind.denominateur.dataset, COMMUNE] = (kd, sdd, md, num.couverture)
        return num, den, (k, s, m)

    def _ratio(self, ind: Indicateur, annee: int, niveau: str, code: str, communes: list[str]) -> Resultat:
        an = self._millesime(ind.numerateur.dataset, annee, exact=True)
        meme = ind.denominateur.dataset == ind.numerateur.dataset
        ad = an if meme else self._millesime(ind.denominateur.dataset, annee, exact=False)
        if self._sans_paires(ind.numerateur, an, niveau, code) or self._sans_paires(ind.denominateur, ad, niveau, code):
            # A file of a level above the communes gives one of the terms: the totals cannot be paired commune by
            # commune.
            num = self._agreger(ind.numerateur, an, niveau, code, communes)
            den = self._agreger(ind.denominateur, ad, niveau, code, communes)
            etat = _pire(num.etat, den.etat)
            k, s, m = _comptes_communes(num, den)
        else:
            num, den, (k, s, m) = self._ratio_apparie(ind, an, ad, niveau, communes)
            etat = _etat(k, s, m)
        valeur = None
        if etat in (Etat.DISPONIBLE, Etat.PARTIEL):
            if den.total:
                valeur = num.total / den.total * ind.facteur
            else:
                etat = Etat.ABSENT
        return self._resultat(
            ind,
            niveau,
            code,
            annee,
            valeur,
            num.valeur if num.connues else None,
            den.valeur if den.connues else None,
            etat,
            [num, den],
            (k, s, m),
        )

    def _resultat(self, ind, niveau, code, annee, valeur, numerateur, denominateur, etat, agregats, comptes, **kw):
        provenances = set().union(*(a.provenances for a in agregats))
        par_dataset: dict[tuple[str, str], tuple] = {}
        for a in agregats:
            par_dataset.update(a.comptes)
        sources = []
        for prov in sorted(provenances, key=lambda p: (p[0], p[2], p[3], p[1] or 0)):
            src = self.entrepot.source(prov)
            compte = par_dataset.get((prov[0], prov[3]))
            if compte is not None:
                kc, sc, mc, couverture = compte
                if prov[3] == COMMUNE:
                    src.update(communes=kc, communes_secretes=sc, communes_manquantes=mc)
                else:
                    src.update(departements=kc, departements_secrets=sc, departements_manquants=mc)
                src["couverture_population"] = round(couverture, 4)
            sources.append(src)
        sources += kw.pop("sources_en_plus", [])
        k, s, m = comptes
        valeur = None if valeur is None else float(valeur)
        return Resultat(
            indicateur=ind.code,
            niveau=niveau,
            code=code,
            annee=annee,
            valeur=valeur,
            numerateur=None if numerateur is None else float(numerateur),
            denominateur=None if denominateur is None else float(denominateur),
            etat=etat,
            demonstration=any(src.get("demonstration") for src in sources),
            sources=sources,
            communes=k,
            communes_secretes=s,
            communes_manquantes=m,
            **_couverture_des_sources(sources, valeur),
            **kw,
        )

    def _somme(self, ind: Indicateur, annee: int, niveau: str, code: str, communes: list[str]) -> Resultat:
        an = self._millesime(ind.numerateur.dataset, annee, exact=True)
        a = self._agreger(ind.numerateur, an, niveau, code, communes)
        return self._resultat(
            ind,
            niveau,
            code,
            annee,
            a.valeur,
            None,
            None,
            a.etat,
            [a],
            _comptes_communes(a),
        )

    def _officiel_ou_ratio(self, ind: Indicateur, annee: int, niveau: str, code: str, communes: list[str]):
        ao = self._millesime(ind.officiel.dataset, annee, exact=True)
        officiel = None
        if ao is not None:
            if niveau == COMMUNE:
                vals, provs = self.entrepot.valeurs_communes(ind.officiel, ao)
                if code in vals:
                    officiel = (vals[code], provs[code])
            else:
                officiel = self.entrepot.valeur_niveau(ind.officiel, ao, niveau, code)
        if officiel is not None and officiel[0] is not SECRET:
            a = _Agregat(total=officiel[0], connues=1, provenances={officiel[1]})
            r = self._resultat(ind, niveau, code, annee, officiel[0], None, None, Etat.DISPONIBLE, [a], (0, 0, 0))
            r.officiel = True
            for src in r.sources:
                src["officiel"] = True
            return r
        r = self._ratio(ind, annee, niveau, code, communes)
        if officiel is not None and not r.utilisable:
            # The published rate is secret and the places or children do not allow recomputing it.
            a = _Agregat(secretes=1, provenances={officiel[1]})
            return self._resultat(ind, niveau, code, annee, None, None, None, Etat.SECRET, [a], (0, 0, 0))
        return r

    def _ecart(self, ind: Indicateur, annee: int, niveau: str, code: str, communes: list[str]) -> Resultat:
        vide = self._resultat(ind, niveau, code, annee, None, None, None, Etat.ABSENT, [], (0, 0, 0))
        if ind.reference == DEPARTEMENT:
            if niveau in (DEPARTEMENT, FRANCE):
                return vide  # sans objet
            ref_code = self.carte.departement_principal(communes)
        else:
            if niveau == FRANCE:
                return vide
            ref_code = CODE_FRANCE
        if ref_code is None:
            return vide
        ref = self.reference(TAUX_REFERENCE, annee, ind.reference, ref_code)
        an = self._millesime(ind.numerateur.dataset, annee, exact=True)
        ad = self._millesime(ind.denominateur.dataset, annee, exact=False)
        places = self._agreger(ind.numerateur, an, niveau, code, communes)
        enfants = self._agreger(ind.denominateur, ad, niveau, code, communes)
        if ref.valeur is not None:
            etat_ref = ref.etat
        else:
            etat_ref = ref.etat if ref.etat in (Etat.SECRET, Etat.ABSENT) else Etat.ABSENT
        etat = _pire(places.etat, enfants.etat, etat_ref)
        valeur = None
        if etat in (Etat.DISPONIBLE, Etat.PARTIEL):
            valeur = max(0.0, ref.valeur / 100 * enfants.total - places.total)
        reference = {
            "dataset": TAUX_REFERENCE,
            "fichier": f"taux de référence ({ind.reference} {ref_code})",
            "periode": str(annee),
            "niveau": ind.reference,
            "demonstration": ref.demonstration,
            "reference": {"niveau": ind.reference, "code": ref_code, "valeur": ref.valeur, "etat": str(ref.etat)},
        }
        return self._resultat(
            ind,
            niveau,
            code,
            annee,
            valeur,
            places.valeur,
            enfants.valeur,
            etat,
            [places, enfants],
            _comptes_communes(places, enfants),
            sources_en_plus=[reference],
        )

    # references (the rate of a département or of France, for the gaps)
    def reference(self, code_ind: str, annee: int, niveau: str, code: str) -> Resultat:
        cle = (code_ind, annee, niveau, code)
        if cle not in self._references:
            ind = indicateur(code_ind)
            if self.complet or (niveau, code) in self._sous_moteurs:
                moteur = self if self.complet else self._sous_moteurs[niveau, code]
                r = moteur.calculer(ind, annee, niveau, [code])[code]
            else:
                stockee = ValeurIndicateur.objects.filter(
                    indicateur=ind.code, niveau=niveau, code=code, annee=annee
                ).first()
                if stockee is not None:
                    r = Resultat.depuis_modele(stockee)
                else:
                    moteur = self._sous_moteurs.setdefault((niveau, code), Moteur.pour(niveau, code))
                    r = moteur.calculer(ind, annee, niveau, [code])[code]
            self._references[cle] = r
        return self._references[cle]

    # the entry point
    def calculer(
        self, ind: str | Indicateur, annee: int, niveau: str, codes: Iterable[str] | None = None
    ) -> dict[str, Resultat]:
        """The indicator for the territories ``codes`` of ``niveau`` (all those of the map when None)."""
        ind = indicateur(ind)
        groupes = self.carte.groupes(niveau)
        codes = list(groupes) if codes is None else list(codes)
        fonction = {
            Agregation.SOMME: self._somme,
            Agregation.RATIO: self._ratio,
            Agregation.OFFICIEL_OU_RATIO: self._officiel_ou_ratio,
            Agregation.ECART: self._ecart,
        }[ind.agregation]
        resultats = {}
        for code in codes:
            communes = groupes.get(code, [])
            if not communes and niveau == COMMUNE:
                resultats[code] = Resultat(ind.code, niveau, code, annee)
                continue
            resultats[code] = fonction(ind, annee, niveau, code, communes)
        if ind.code == TAUX_REFERENCE and niveau in (DEPARTEMENT, FRANCE):
            for code, r in resultats.items():
                self._references[(ind.code, annee, niveau, code)] = r
        return resultats

    def datasets_utilises(self, ind: Indicateur, annee: int) -> set[tuple[str, int]]:
        """The (dataset, vintage) tables an indicator reads for ``annee``."""
        besoins = set()
        principaux = set(ind.datasets_principaux)
        for terme in (ind.officiel, ind.numerateur, ind.denominateur):
            if terme is None or terme.dataset == TERRITOIRES:
                continue
            a = self._millesime(terme.dataset, annee, exact=terme.dataset in principaux)
            if a is not None:
                besoins.add((terme.dataset, a))
        if ind.agregation == Agregation.ECART:
            besoins |= self.datasets_utilises(indicateur(TAUX_REFERENCE), annee)
        return besoins


# --- storing everything ----------------------------------------------------------------------------------------


_COLONNES = (
    "indicateur",
    "niveau",
    "code",
    "annee",
    "valeur",
    "numerateur",
    "denominateur",
    "etat",
    "demonstration",
    "sources",
    "calculee_le",
)


def _inserer(resultats: list[Resultat]) -> None:
    """Write results: COPY on PostgreSQL, a plain executemany on SQLite (bulk_create spends most of its time preparing
    values)."""
    champs = {f.attname: f for f in ValeurIndicateur._meta.concrete_fields if not f.primary_key}
    if set(champs) != set(_COLONNES):  # the model changed: the slow but safe way
        ValeurIndicateur.objects.bulk_create([r.vers_modele() for r in resultats], batch_size=1000)
        return
    maintenant = connection.ops.adapt_datetimefield_value(horloge.maintenant())
    if connection.vendor == "postgresql":
        sources = json.dumps  # COPY takes the JSON text
    else:
        sources = functools.partial(champs["sources"].get_db_prep_save, connection=connection)
    table = connection.ops.quote_name(ValeurIndicateur._meta.db_table)
    colonnes = ", ".join(connection.ops.quote_name(champs[c].column) for c in _COLONNES)
    marques = ", ".join(["%s"] * len(_COLONNES))
    # Bandit B608 accepted: the table and column names come from the model, quoted; the values are parameters.
    requete = f"INSERT INTO {table} ({colonnes}) VALUES ({marques})"  # nosec B608
    lignes = [
        (
            r.indicateur,
            r.niveau,
            r.code,
            r.annee,
            r.valeur,
            r.numerateur,
            r.denominateur,
            str(r.etat),
            r.demonstration,
            sources(r.sources),
            maintenant,
        )
        for r in resultats
    ]
    with connection.cursor() as curseur:
        if connection.vendor == "postgresql":  # psycopg 3's COPY: one stream instead of one statement per row
            with curseur.copy(f"COPY {table} ({colonnes}) FROM STDIN") as copie:
                for ligne in lignes:
                    copie.write_row(ligne)
            return
        for debut in range(0, len(lignes), 5000):
            curseur.executemany(requete, lignes[debut : debut + 5000])


def calculer_tout(
    annees: Iterable[int] | None = None,
    progression: bool = False,
    indicateurs: Iterable[str | Indicateur] | None = None,
) -> dict:
    """Compute and store every indicator for every EPCI, département (metropolitan and DROM) and France.

    For each indicator (or only ``indicateurs``), every year of its data (or only ``annees``). Existing values of
    those indicators and years are replaced in one transaction, values of years no longer in the data included.
    Returns the figures of the run.
    """
    inds = list(CATALOGUE) if indicateurs is None else [indicateur(i) for i in indicateurs]
    filtre_annees = None if annees is None else set(annees)
    # Everything of those indicators and years; with every indicator, also the values of a code no longer in it.
    effacer = Q() if indicateurs is None else Q(indicateur__in=[i.code for i in inds])
    if filtre_annees is not None:
        effacer &= Q(annee__in=filtre_annees)
    return _calculer_et_enregistrer(
        {ind: None if filtre_annees is None else filtre_annees for ind in inds}, effacer, progression
    )


def _calculer_et_enregistrer(voulues: dict[Indicateur, set[int] | None], effacer: Q, progression: bool) -> dict:
    """Compute ``voulues`` (indicator -> the years to compute, None for all its years) for every stored level and
    replace, in one transaction, the stored values that ``effacer`` selects (at the stored levels) by the results."""
    from tqdm import tqdm

    debut = time.monotonic()
    moteur = Moteur()
    if not moteur.carte.communes:
        raise TerritoireIntrouvable("Territoires non importés : lancez d'abord « ctg import_territoires ».")
    taches = []
    for ind in CATALOGUE:  # in catalogue order within a year: the reference rate before the gaps
        if ind not in voulues:
            continue
        for annee in moteur.annees(ind):
            if voulues[ind] is None or annee in voulues[ind]:
                taches.append((annee, ind))
    taches.sort(key=lambda t: t[0])  # stable
    derniere_utilisation = {}
    for i, (annee, ind) in enumerate(taches):
        for besoin in moteur.datasets_utilises(ind, annee):
            derniere_utilisation[besoin] = i

    codes = {
        EPCI: sorted(moteur.carte.groupes(EPCI)),
        DEPARTEMENT: sorted(d for d in Departement.objects.exclude(zone=Zone.COM).values_list("code", flat=True)),
        FRANCE: [CODE_FRANCE],
    }
    etats: Counter[str] = Counter()
    demonstration = False
    ecrites = 0
    with transaction.atomic():
        ValeurIndicateur.objects.filter(effacer, niveau__in=NIVEAUX_STOCKES).delete()
        for i, (annee, ind) in enumerate(tqdm(taches, disable=not progression, unit="indicateur", desc="Calcul")):
            lignes = []
            for niveau in NIVEAUX_STOCKES:
                for r in moteur.calculer(ind, annee, niveau, codes[niveau]).values():
                    etats[r.etat] += 1
                    demonstration = demonstration or r.demonstration
                    lignes.append(r)
            _inserer(lignes)
            ecrites += len(lignes)
            for besoin, derniere in derniere_utilisation.items():
                if derniere == i:
                    moteur.entrepot.oublier(*besoin)
    hors = Counter()
    for (dataset, _annee), n in moteur.entrepot.hors_referentiel.items():
        hors[dataset] += n
    return {
        "indicateurs": len({ind.code for _a, ind in taches}),
        "annees": sorted({a for a, _ind in taches}),
        "calculs": len(taches),
        "territoires": {niveau: len(c) for niveau, c in codes.items()},
        "valeurs": ecrites,
        "etats": {str(e): n for e, n in etats.items()},
        "demonstration": demonstration,
        "communes_hors_referentiel": {d: n for d, n in hors.items() if n},
        "duree": round(time.monotonic() - debut, 2),
    }


# --- after an import ---------------------------------------------------------------------------------------------


def lectures(ind: str | Indicateur) -> dict[str, bool]:
    """The datasets an indicator reads (the territories apart): dataset -> read at the indicator's own year (True) or
    at its nearest vintage, whatever the year (False). A gap also reads what its reference rate reads."""
    ind = indicateur(ind)
    lus: dict[str, bool] = {}
    for terme in (ind.officiel, ind.numerateur, ind.denominateur):
        if terme is None or terme.dataset == TERRITOIRES:
            continue
        lus[terme.dataset] = lus.get(terme.dataset, False) or terme.dataset in ind.datasets_principaux
    if ind.agregation == Agregation.ECART:
        for dataset, exact in lectures(TAUX_REFERENCE).items():
            lus[dataset] = lus.get(dataset, False) or exact
    return lus


def indicateurs_lisant(dataset: str) -> list[Indicateur]:
    """The indicators of the catalogue that read ``dataset``, in catalogue order."""
    return [ind for ind in CATALOGUE if dataset in lectures(ind)]


def recalculer_jeu(dataset: str, annees: Iterable[int] | None = None) -> dict | None:
    """Compute again and store the indicators that read ``dataset``, after its observations of ``annees`` (None: of
    any year) changed: those that read it at their own year, for those years; those that take its nearest vintage,
    for every year (any of them may have taken it). None when no indicator reads it."""
    annees = None if annees is None else set(annees)
    exactes, toutes = [], []
    for ind in indicateurs_lisant(dataset):
        (exactes if lectures(ind)[dataset] and annees is not None else toutes).append(ind)
    if not exactes and not toutes:
        return None
    voulues: dict[Indicateur, set[int] | None] = {ind: annees for ind in exactes} | {ind: None for ind in toutes}
    effacer = Q(indicateur__in=[i.code for i in toutes])
    if exactes:
        effacer |= Q(indicateur__in=[i.code for i in exactes], annee__in=annees)
    return _calculer_et_enregistrer(voulues, effacer, progression=False)


def recalculer_apres_import(sender=None, bilan=None, **kwargs) -> dict | None:
    """Receiver of ``ctg.donnees.signaux.observations_importees``: after a committed import (or its undo), the stored
    values of the indicators that read the dataset are computed again, so that no page shows the figures of before
    the import until someone runs ``ctg calculer_indicateurs``.

    Nothing for a simulation or a file already imported. Nothing either when none of those indicators has a stored
    value (a first import, the demonstration being loaded): they are computed on demand, nothing stale can be read,
    and ``ctg calculer_indicateurs`` stores them all at once. Nor before the territories are imported."""
    if bilan is None or getattr(bilan, "simulation", False) or getattr(bilan, "deja_importe", False):
        return None
    dataset = getattr(bilan, "jeu", "") or getattr(bilan, "dataset", "")
    if not dataset:
        return None
    # An undo leaves the version of the data unchanged (the file stays in the history): forget what derives from it.
    _MEMOIRE_DES_DONNEES.clear()
    codes = [ind.code for ind in indicateurs_lisant(dataset)]
    if not codes or not ValeurIndicateur.objects.filter(indicateur__in=codes, niveau__in=NIVEAUX_STOCKES).exists():
        return None
    annees = set()
    for periode in getattr(bilan, "periodes", None) or []:
        try:
            annees.add(int(str(periode)[:4]))
        except ValueError:
            annees = None
            break
    try:
        resultat = recalculer_jeu(dataset, annees or None)
    except TerritoireIntrouvable:
        return None
    if resultat is not None:
        journal.info(
            "Indicateurs recalculés après l'import de %s : %s calculs, %s valeurs en %s s",
            dataset,
            resultat["calculs"],
            resultat["valeurs"],
            resultat["duree"],
        )
    return resultat


# --- reading ---------------------------------------------------------------------------------------------------


def _annee_choisie(ind: Indicateur, annee: int | None, annees: dict[str, list[int]], au_plus_tard: bool) -> int | None:
    disponibles = annees_indicateur(ind, annees)
    if annee is None:
        return disponibles[-1] if disponibles else None
    if au_plus_tard:
        avant = [a for a in disponibles if a <= annee]
        return avant[-1] if avant else None
    return annee


def valeurs_communes(ind: str | Indicateur, codes: Iterable[str], annee: int | None = None) -> dict[str, Resultat]:
    """The indicator for communes (INSEE codes), computed on demand; ``annee`` None = the latest year."""
    ind = indicateur(ind)
    codes = list(codes)
    moteur = Moteur.pour(COMMUNE, codes)
    annee = _annee_choisie(ind, annee, moteur.entrepot.annees, au_plus_tard=False)
    if annee is None:
        return {c: Resultat(ind.code, COMMUNE, c, None) for c in codes}
    return moteur.calculer(ind, annee, COMMUNE, codes)


def valeurs_territoire(
    niveau: str,
    code: str,
    annee: int | None = None,
    indicateurs: Iterable[str | Indicateur] | None = None,
    au_plus_tard: bool = False,
) -> dict[str, Resultat]:
    """Every indicator (or those given) of one territory, read from the stored values or computed on demand.

    ``annee`` None: each indicator at its latest year. With ``au_plus_tard``, each indicator at its latest
    year not after ``annee``; else exactly ``annee``.
    """
    inds = [indicateur(i) for i in (CATALOGUE if indicateurs is None else indicateurs)]
    annees = annees_par_dataset()
    voulues = {ind.code: _annee_choisie(ind, annee, annees, au_plus_tard) for ind in inds}
    resultats: dict[str, Resultat] = {}
    if niveau != COMMUNE:
        stockees = ValeurIndicateur.objects.filter(
            niveau=niveau, code=code, indicateur__in=[i.code for i in inds if voulues[i.code] is not None]
        )
        for v in stockees:
            if voulues.get(v.indicateur) == v.annee:
                resultats[v.indicateur] = Resultat.depuis_modele(v)
    moteur = None
    memoire = _memoire_sur_demande(niveau)
    for ind in inds:
        if ind.code in resultats:
            continue
        a = voulues[ind.code]
        if a is None:
            resultats[ind.code] = Resultat(ind.code, niveau, code, None)
            continue
        cle = (niveau, code, ind.code, a)
        if memoire is not None and cle in memoire:
            resultats[ind.code] = memoire[cle]
            continue
        if moteur is None:
            moteur = Moteur.pour(niveau, code)
        resultats[ind.code] = moteur.calculer(ind, a, niveau, [code])[code]
        if memoire is not None:
            memoire[cle] = resultats[ind.code]
    return {ind.code: resultats[ind.code] for ind in inds}


# Figures of a département or of France computed on demand (not stored yet by ``ctg calculer_indicateurs``): each
# sums thousands of communes and the pages of every EPCI compare with them. Kept until the data change.
def _memoire_sur_demande(niveau: str) -> dict | None:
    if niveau not in (DEPARTEMENT, FRANCE):
        return None
    return _memoire_des_donnees().setdefault("sur_demande", {})


def valeur(ind: str | Indicateur, niveau: str, code: str, annee: int | None = None) -> Resultat:
    """One indicator of one territory (``annee`` None = the latest year of the indicator's data)."""
    ind = indicateur(ind)
    return valeurs_territoire(niveau, code, annee, [ind])[ind.code]


def serie(ind: str | Indicateur, niveau: str, code: str) -> list[Resultat]:
    """The indicator of one territory over every year of its data, oldest first."""
    ind = indicateur(ind)
    annees = annees_indicateur(ind)
    stockees = {}
    if niveau != COMMUNE:
        stockees = {
            v.annee: Resultat.depuis_modele(v)
            for v in ValeurIndicateur.objects.filter(indicateur=ind.code, niveau=niveau, code=code)
        }
    manquantes = [a for a in annees if a not in stockees]
    if manquantes:
        moteur = Moteur.pour(niveau, code)
        for a in manquantes:
            stockees[a] = moteur.calculer(ind, a, niveau, [code])[code]
    return [stockees[a] for a in annees]


# --- territories -----------------------------------------------------------------------------------------------


@dataclass
class Territoire:
    niveau: str
    code: str
    nom: str
    departement: str | None = None  # the département it is compared with
    departement_nom: str | None = None

    @property
    def libelle(self) -> str:
        if self.niveau == COMMUNE:
            return f"{self.nom} (commune, code INSEE {self.code})"
        if self.niveau == EPCI:
            return f"{self.nom} (EPCI, SIREN {self.code})"
        if self.niveau == DEPARTEMENT:
            return f"{self.nom} (département {self.code})"
        return "France (métropole et départements d'outre-mer)"

    def as_dict(self) -> dict:
        return asdict(self)


def trouver_territoire(code_ou_territoire) -> Territoire:
    """A commune (INSEE code), an EPCI (SIREN), a département (code) or France (FR), or one of their models."""
    if isinstance(code_ou_territoire, Commune):
        code_ou_territoire = code_ou_territoire.code
    elif isinstance(code_ou_territoire, Epci | Departement):
        code_ou_territoire = code_ou_territoire.code
    brut = str(code_ou_territoire or "").strip()
    code = brut.upper()
    if code in (CODE_FRANCE, "FRANCE"):
        return Territoire(FRANCE, CODE_FRANCE, "France")
    if CODE_EPCI.match(code):
        epci = Epci.objects.filter(code=code).first()
        if epci is None:
            raise TerritoireIntrouvable(f"Aucun EPCI de SIREN {code} dans le référentiel des territoires.")
        dep = departement_de_reference(EPCI, code)
        nom_dep = Departement.objects.filter(code=dep).values_list("nom", flat=True).first()
        return Territoire(EPCI, code, epci.nom, dep, nom_dep)
    if CODE_COMMUNE.match(code):
        commune = Commune.objects.select_related("departement").filter(code=code).first()
        if commune is None:
            raise TerritoireIntrouvable(f"Aucune commune de code INSEE {code} dans le référentiel des territoires.")
        return Territoire(COMMUNE, code, commune.nom, commune.departement_id, commune.departement.nom)
    if CODE_DEPARTEMENT.match(code):
        dep = Departement.objects.filter(code=code).first()
        if dep is None:
            raise TerritoireIntrouvable(f"Aucun département de code {code} dans le référentiel des territoires.")
        return Territoire(DEPARTEMENT, code, dep.nom, code, dep.nom)
    raise TerritoireIntrouvable(
        f"Code « {brut} » mal formé : attendu un code INSEE de commune (5 caractères, ex. 59122 ou 2A004), "
        "un SIREN d'EPCI (9 chiffres, ex. 200068500), un code de département (ex. 59, 2A, 971) ou FR pour la France."
    )


def comparaison(ind: str | Indicateur, territoire, annee: int | None = None) -> dict:
    """The territory's value beside its département's and France's, for the same year.

    ``territoire``: a Commune, Epci or Departement, or a code (see ``trouver_territoire``). Returns
    ``{"indicateur", "territoire", "annee", "valeur", "departement", "france"}`` (Resultat or None).
    """
    ind = indicateur(ind)
    t = territoire if isinstance(territoire, Territoire) else trouver_territoire(territoire)
    r = valeur(ind, t.niveau, t.code, annee)
    annee = r.annee
    dep = fr = None
    if annee is not None:
        if t.departement and t.niveau != DEPARTEMENT:
            dep = valeur(ind, DEPARTEMENT, t.departement, annee)
        if t.niveau != FRANCE:
            fr = valeur(ind, FRANCE, CODE_FRANCE, annee)
    return {"indicateur": ind, "territoire": t, "annee": annee, "valeur": r, "departement": dep, "france": fr}


def tableau_territoire(territoire, annee: int | None = None) -> dict:
    """Every indicator of a territory with its département's and France's value beside it (the same year).

    ``annee`` None: each indicator at its latest year; else each at its latest year not after ``annee``.
    """
    t = territoire if isinstance(territoire, Territoire) else trouver_territoire(territoire)
    propres = valeurs_territoire(t.niveau, t.code, annee, au_plus_tard=True)

    def autour(niveau, code):
        if code is None:
            return {}
        par_annee = defaultdict(list)
        for code_ind, r in propres.items():
            if r.annee is not None:
                par_annee[r.annee].append(code_ind)
        out = {}
        for a, inds in par_annee.items():
            out.update(valeurs_territoire(niveau, code, a, inds))
        return out

    dep = autour(DEPARTEMENT, t.departement) if t.niveau not in (DEPARTEMENT, FRANCE) else {}
    fr = autour(FRANCE, CODE_FRANCE) if t.niveau != FRANCE else {}
    lignes = []
    for ind in [i for groupe in par_domaine().values() for i in groupe]:
        lignes.append(
            {
                "indicateur": ind,
                "valeur": propres[ind.code],
                "departement": dep.get(ind.code),
                "france": fr.get(ind.code),
            }
        )
    return {
        "territoire": t,
        "annee": annee,
        "demonstration": any(
            r.demonstration for ligne in lignes for r in (ligne["valeur"], ligne["departement"], ligne["france"]) if r
        ),
        "lignes": lignes,
    }


# --- service public de la petite enfance ----------------------------------------------------------------------


def sppe_communes(
    epci: str | Epci, transferees: Iterable[str] = (), ctg_tient_lieu_de_schema: bool | None = None
) -> list[dict]:
    """Per commune of an EPCI: its population, who is the autorité organisatrice, the category and the obligations
    that apply (rules and sources in ``ctg.diagnostic.regles``).

    ``transferees``: the communes that transferred the competence to the EPCI: the EPCI is their autorité
    organisatrice and the thresholds are read on the total of their populations (CASF L.214-1-3 III).
    ``ctg_tient_lieu_de_schema``: whether the CTG covers the content of the schéma pluriannuel (CASF L.214-2 III,
    D.214-10-1): None when nobody said yet, and the obligation says on what it depends."""
    code = epci.code if isinstance(epci, Epci) else epci
    communes = list(
        Commune.objects.filter(epci_id=code)
        .order_by("-population", "nom")
        .values_list("code", "nom", "population", "population_annee")
    )
    populations = {c: pop for c, _nom, pop, _annee in communes}
    transferees = {c for c in transferees if c in populations}
    lignes = []
    for c, nom, pop, annee in communes:
        reference = population_reference_sppe(c, populations, transferees)
        lignes.append(
            {
                "code": c,
                "nom": nom,
                "population": pop,
                "population_annee": annee,
                "autorite": EPCI if c in transferees else COMMUNE,
                "population_reference": reference,
                "categorie": categorie_sppe(reference),
                "obligations": obligations_sppe(reference, ctg_tient_lieu_de_schema),
            }
        )
    return lignes
