"""The observations and the map of communes a computation reads, and what is derived from the data, kept until
the data change (read once per request)."""

from __future__ import annotations

import threading
from collections import Counter, defaultdict
from collections.abc import Iterable

from django.db.models import Count, Max, Q, Sum

from ctg.donnees.models import CODE_FRANCE, Fichier, Observation
from ctg.memoire import MemoireBornee
from ctg.saisie import MAGNITUDE_MAX, est_fini
from ctg.territoires.models import Commune, ImportTerritoires, Zone

from ..catalogue import (
    TERRITOIRES,
    Indicateur,
    Terme,
    indicateur,
)
from ..regles import (
    SEUIL_SPPE_PLANIFICATION,
    SEUIL_SPPE_SCHEMA,
)
from .commun import COMMUNE, DEPARTEMENT, EPCI, FRANCE, MANQUANT, SECRET

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
        self._groupe_de: dict[str, dict[str, str]] = {}
        self._population_des_groupes: dict[str, dict[str, int]] = {}
        self._rang = {code: i for i, code in enumerate(self.communes)}

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

    def groupe_de(self, niveau: str) -> dict[str, str]:
        """commune -> the code of its group of ``niveau`` (communes outside every group left out)."""
        if niveau not in self._groupe_de:
            self._groupe_de[niveau] = {c: g for g, communes in self.groupes(niveau).items() for c in communes}
        return self._groupe_de[niveau]

    def population_des_groupes(self, niveau: str) -> dict[str, int]:
        """group code -> population municipale of its communes."""
        if niveau not in self._population_des_groupes:
            pops = self.populations(COMMUNE)
            self._population_des_groupes[niveau] = {
                g: sum(pops.get(c, 0) for c in communes) for g, communes in self.groupes(niveau).items()
            }
        return self._population_des_groupes[niveau]

    def dans_l_ordre(self, codes: dict | set) -> list[str]:
        """The codes of the map among ``codes``, in the map's order (that of every group's list of communes)."""
        if 8 * len(codes) > len(self._rang):  # most communes: one pass over the map rather than a sort
            return [c for c in self.communes if c in codes]
        rang = self._rang
        return sorted((c for c in codes if c in rang), key=rang.__getitem__)

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


# What a page computes from the data alone, the same for every user (``memorise_avec_les_donnees``): at most this many
# results per process, the least recently read first out; all forgotten with the version of the data.
CALCULS_MAX = 128


def memorise_avec_les_donnees(cle: tuple, calcul):
    """``calcul()``, computed once per version of the data and ``cle``, then read again (never changed). ``cle`` names
    everything else the value depends on, checked first (never raw input: a parameter naming nothing counts as
    absent)."""
    calculs = _memoire_des_donnees().setdefault("calculs", MemoireBornee(CALCULS_MAX))
    return calculs.lire_ou_calculer(cle, calcul)


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
        # What is derived from some (dataset, year) tables, forgotten with them: key -> (value, the tables read).
        self._derives: dict[tuple, tuple[object, frozenset]] = {}
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
        for cle in [c for c, (_v, tables) in self._derives.items() if (dataset, annee) in tables]:
            del self._derives[cle]

    def derive(self, cle: tuple, tables: Iterable[tuple[str, int]], calcul):
        """``calcul()``, kept until one of the (dataset, year) ``tables`` it reads is forgotten."""
        if cle not in self._derives:
            self._derives[cle] = (calcul(), frozenset(tables))
        return self._derives[cle][0]

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
