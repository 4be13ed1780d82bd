"""A Caf's portfolio, computed once for the page, its map, its exports and ``ctg portefeuille``: every EPCI of a
département with its CTG (status, period, communes and population, communes that adhered, deadlines late, renewal
due within 18 months, the year's bonus territoire) or without one, the coverage of the département; and the
national view, one row per département (its Caf) with the same totals.

The EPCI of a département are those whose communes are mostly in it (``regles.departement_majoritaire``: the Caf
of that département is the one that signs their CTG). Coverage is read on the département's own communes: a
commune is covered when its EPCI has a CTG in force today. Only the conventions the person may open are shown and
counted (``perms.conventions_lisibles``, article 14). Everything is read in a fixed number of queries, whatever
the number of EPCI and communes: territories and conventions in one query each, the adhesions in one aggregate,
the financing records of all conventions together (``Donnees.de_plusieurs``); the deadlines of the conventions in
force are those of their dashboard (``ctg.conventions.echeances``).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Q, Sum

from ctg import horloge
from ctg.comptes.models import nom_caf
from ctg.conventions.echeances import Etat, echeances
from ctg.conventions.models import STATUTS_SIGNES, STATUTS_TERMINES, Adhesion, Convention, Statut, StatutAdhesion
from ctg.conventions.regles import ajouter_mois, departement_majoritaire
from ctg.financement.calcul import Donnees, bonus_annee, totaux
from ctg.formats import cle_alphabetique
from ctg.generations.memoire import lire_jetons
from ctg.territoires.models import Commune, Departement, Epci

from .perms import conventions_lisibles, toutes_lisibles

# A convention ending within this many months is in the renewal pipeline (a renewal is a new agreement, article 10:
# it takes a diagnostic, a deliberation and the signatures).
MOIS_RENOUVELLEMENT = 18


class Situation:
    """Where an EPCI stands, from its CTG the person may open (the map's colours, the table's status)."""

    EN_VIGUEUR = "en_vigueur"
    A_RENOUVELER = "a_renouveler"
    SIGNEE = "signee"
    PREPARATION = "preparation"
    TERMINEE = "terminee"
    SANS = "sans"

    LIBELLES = {
        EN_VIGUEUR: "CTG en vigueur",
        A_RENOUVELER: f"CTG en vigueur, fin dans moins de {MOIS_RENOUVELLEMENT} mois",
        SIGNEE: "CTG signée, pas encore en vigueur",
        PREPARATION: "CTG en préparation (brouillon)",
        TERMINEE: "CTG terminée, non renouvelée",
        SANS: "Sans CTG",
    }
    COULEURS = {
        EN_VIGUEUR: "#14539a",
        A_RENOUVELER: "#7eb0de",
        SIGNEE: "#3d8b5a",
        PREPARATION: "#e3b505",
        TERMINEE: "#b34000",
        SANS: "#f2f2f2",
    }
    ORDRE = [EN_VIGUEUR, A_RENOUVELER, SIGNEE, PREPARATION, TERMINEE, SANS]


def _demonstration(convention: Convention | None) -> bool:
    return convention is not None and "(démonstration)" in convention.titre


def _pourcent(partie: int, tout: int) -> float | None:
    return round(100 * partie / tout, 1) if tout else None


@dataclass
class LigneEpci:
    code: str
    nom: str
    type: str
    population: int
    communes: int
    situation: str = Situation.SANS
    convention: Convention | None = None
    renouvellement: Convention | None = None
    communes_adherentes: int | None = None
    population_adherente: int | None = None
    en_retard: list = field(default_factory=list)
    bonus: Decimal | None = None
    bonus_demonstration: bool = False

    @property
    def situation_libelle(self) -> str:
        return Situation.LIBELLES[self.situation]

    @property
    def couverte(self) -> bool:
        return self.situation in {Situation.EN_VIGUEUR, Situation.A_RENOUVELER}

    @property
    def a_renouveler(self) -> bool:
        return self.situation == Situation.A_RENOUVELER

    @property
    def periode(self) -> str:
        c = self.convention
        return f"{c.date_debut:%Y}–{c.date_fin:%Y}" if c else ""

    @property
    def demonstration(self) -> bool:
        return _demonstration(self.convention) or _demonstration(self.renouvellement) or self.bonus_demonstration

    def as_dict(self) -> dict:
        c, r = self.convention, self.renouvellement
        return {
            "code": self.code,
            "nom": self.nom,
            "type": self.type,
            "population": self.population,
            "communes": self.communes,
            "situation": self.situation,
            "situation_libelle": self.situation_libelle,
            "couverte": self.couverte,
            "convention": None
            if c is None
            else {
                "id": c.pk,
                "ctes_identifiant": c.ctes_identifiant,
                "statut": c.statut_du_jour,
                "statut_libelle": c.libelle_statut_du_jour,
                "date_debut": c.date_debut.isoformat(),
                "date_fin": c.date_fin.isoformat(),
                "fin_effective": c.fin_effective.isoformat(),
                "periode": self.periode,
            },
            "communes_adherentes": self.communes_adherentes,
            "population_adherente": self.population_adherente,
            "echeances_en_retard": [{"date": e.date.isoformat(), "libelle": e.libelle} for e in self.en_retard],
            "renouvellement": None
            if r is None
            else {
                "id": r.pk,
                "statut": r.statut_du_jour,
                "statut_libelle": r.libelle_statut_du_jour,
                "periode": f"{r.date_debut:%Y}–{r.date_fin:%Y}",
            },
            "bonus_annee": None if self.bonus is None else str(self.bonus),
            "demonstration": self.demonstration,
        }


@dataclass
class Couverture:
    """The coverage of a département (or of France): its communes and population, those covered by a CTG in force,
    the EPCI with and without one."""

    communes: int = 0
    communes_couvertes: int = 0
    population: int = 0
    population_couverte: int = 0
    epci: int = 0
    epci_couverts: int = 0
    renouvellements: int = 0

    @property
    def epci_sans_ctg(self) -> int:
        return self.epci - self.epci_couverts

    @property
    def taux_population(self) -> float | None:
        return _pourcent(self.population_couverte, self.population)

    @property
    def taux_communes(self) -> float | None:
        return _pourcent(self.communes_couvertes, self.communes)

    def ajouter(self, autre: Couverture) -> None:
        for nom in self.__dataclass_fields__:
            setattr(self, nom, getattr(self, nom) + getattr(autre, nom))

    def as_dict(self) -> dict:
        return {
            "epci": self.epci,
            "epci_avec_ctg_en_vigueur": self.epci_couverts,
            "epci_sans_ctg_en_vigueur": self.epci_sans_ctg,
            "communes": self.communes,
            "communes_couvertes": self.communes_couvertes,
            "taux_couverture_communes": self.taux_communes,
            "population": self.population,
            "population_couverte": self.population_couverte,
            "taux_couverture_population": self.taux_population,
            "renouvellements_a_preparer": self.renouvellements,
        }


def retards(lignes: list[LigneEpci]) -> int:
    """The deadlines late today on the CTG of ``lignes`` (each convention's dashboard list)."""
    return sum(len(lg.en_retard) for lg in lignes)


def bonus_total(lignes: list[LigneEpci]) -> Decimal:
    """The year's bonus territoire of the CTG of ``lignes`` (the financing page's computation)."""
    return sum((lg.bonus for lg in lignes if lg.bonus is not None), Decimal(0))


@dataclass
class Portefeuille:
    departement: Departement
    jour: date
    lignes: list[LigneEpci]
    couverture: Couverture
    toutes_les_conventions: bool

    @property
    def caf(self) -> str:
        return nom_caf(self.departement)

    @property
    def annee(self) -> int:
        return self.jour.year

    @property
    def renouvellements(self) -> list[LigneEpci]:
        return sorted((lg for lg in self.lignes if lg.a_renouveler), key=lambda lg: lg.convention.fin_effective)

    @property
    def echeances_en_retard(self) -> int:
        return retards(self.lignes)

    @property
    def bonus_annee(self) -> Decimal:
        return bonus_total(self.lignes)

    @property
    def demonstration(self) -> bool:
        return any(lg.demonstration for lg in self.lignes)

    @property
    def par_situation(self) -> list[tuple[str, str, int]]:
        comptes = Counter(lg.situation for lg in self.lignes)
        return [(s, Situation.LIBELLES[s], comptes[s]) for s in Situation.ORDRE if comptes[s]]

    def as_dict(self) -> dict:
        return {
            "departement": {"code": self.departement.code, "nom": self.departement.nom},
            "caf": self.caf,
            "date": self.jour.isoformat(),
            "annee": self.annee,
            "toutes_les_conventions": self.toutes_les_conventions,
            "totaux": {
                **self.couverture.as_dict(),
                "par_situation": {s: n for s, _, n in self.par_situation},
                "echeances_en_retard": self.echeances_en_retard,
                "bonus_annee": str(self.bonus_annee),
            },
            "renouvellements": [lg.code for lg in self.renouvellements],
            "demonstration": self.demonstration,
            "epci": [lg.as_dict() for lg in self.lignes],
        }


# --- reading ---------------------------------------------------------------------------------------------------------


def _communes(departement: Departement | None) -> list[tuple[str, str | None, str, int]]:
    """(code, EPCI, département, population) of the communes of ``departement`` and of every EPCI with a commune in
    it (all of France without ``departement``), in one query."""
    communes = Commune.objects.all()
    if departement is not None:
        epci_presents = Commune.objects.filter(departement=departement, epci__isnull=False).values("epci_id")
        communes = communes.filter(Q(departement=departement) | Q(epci_id__in=epci_presents))
    return [(c, e, d, p or 0) for c, e, d, p in communes.values_list("code", "epci_id", "departement_id", "population")]


def _sieges(communes) -> dict[str, str]:
    """Each EPCI's département (that of most of its communes)."""
    par_epci: dict[str, Counter] = defaultdict(Counter)
    for _, epci, dep, _ in communes:
        if epci:
            par_epci[epci][dep] += 1
    return {epci: departement_majoritaire(comptes) for epci, comptes in par_epci.items()}


def _situation(conventions: list[Convention], jour: date) -> tuple[str, Convention | None]:
    """The EPCI's situation and the convention that tells it: in force, else signed for later, else a draft, else
    the latest ended one."""
    limite = ajouter_mois(jour, MOIS_RENOUVELLEMENT)
    statuts = [(c, c.statut_du_jour) for c in sorted(conventions, key=lambda c: (c.date_debut, c.pk), reverse=True)]
    for c, statut in statuts:
        if statut == Statut.EN_VIGUEUR:
            return (Situation.A_RENOUVELER if c.fin_effective <= limite else Situation.EN_VIGUEUR), c
    for c, statut in statuts:
        if statut == Statut.SIGNEE:
            return Situation.SIGNEE, c
    for c, statut in statuts:
        if statut == Statut.BROUILLON:
            return Situation.PREPARATION, c
    for c, statut in statuts:
        if statut in STATUTS_TERMINES:
            return Situation.TERMINEE, c
    return Situation.SANS, None


def _lignes(codes: list[str], user, jour: date) -> list[LigneEpci]:
    """One row per EPCI of ``codes``, with its CTG as ``user`` may see it, its adhesions, its deadlines late and the
    year's bonus."""
    epcis = Epci.objects.filter(code__in=codes).annotate(nombre_communes=Count("communes"))
    lignes = {
        e.code: LigneEpci(e.code, e.nom, e.type, e.population or 0, e.nombre_communes)
        for e in epcis.only("code", "nom", "type", "population")
    }
    conventions = list(
        conventions_lisibles(user)
        .filter(epci_id__in=codes)
        .select_related("caf", "epci", "resiliation")
        .order_by()  # the visible conventions are distinct: no ordering to carry
    )
    par_epci: dict[str, list[Convention]] = defaultdict(list)
    for c in conventions:
        par_epci[c.epci_id].append(c)
    suivantes = {c.precedente_id: c for c in conventions if c.precedente_id}
    for code, ligne in lignes.items():
        ligne.situation, ligne.convention = _situation(par_epci.get(code, []), jour)
        if ligne.convention is not None:
            ligne.renouvellement = suivantes.get(ligne.convention.pk)
    _detailler(list(lignes.values()), conventions, jour)
    return sorted(lignes.values(), key=lambda lg: cle_alphabetique(lg.nom))


def _detailler(lignes: list[LigneEpci], conventions: list[Convention], jour: date) -> None:
    retenues = {lg.convention.pk: lg for lg in lignes if lg.convention is not None}
    for pk, n, population in (
        Adhesion.objects.filter(convention_id__in=retenues, statut=StatutAdhesion.ADHEREE)
        .values("convention_id")
        .annotate(n=Count("pk"), population=Sum("commune__population"))
        .values_list("convention_id", "n", "population")
    ):
        retenues[pk].communes_adherentes, retenues[pk].population_adherente = n, population or 0
    lire_jetons(lg.convention for lg in retenues.values())  # what their dashboards keep (ctg.generations)
    for lg in retenues.values():
        if lg.communes_adherentes is None:
            lg.communes_adherentes, lg.population_adherente = 0, 0
        if lg.convention.statut_du_jour in STATUTS_SIGNES:
            # the dashboard's own deadlines (ctg.conventions.echeances), those late today
            lg.en_retard = [e for e in echeances(lg.convention, jour) if e.etat == Etat.EN_RETARD]
    # The year's bonus territoire of each signed convention running that year (the financing page's computation),
    # on the row of its EPCI; the financing records of all of them are read together.
    annee = jour.year
    payantes = [
        c for c in conventions if c.statut != Statut.BROUILLON and c.date_debut.year <= annee <= c.fin_effective.year
    ]
    par_code = {lg.code: lg for lg in lignes}
    donnees_de = Donnees.de_plusieurs(payantes)
    for c in payantes:
        donnees = donnees_de[c.pk]
        if not donnees.structures:
            continue
        bonus = bonus_annee(c, annee, donnees)
        ligne = par_code[c.epci_id]
        ligne.bonus = (ligne.bonus or Decimal(0)) + totaux(bonus)["bonus"]
        ligne.bonus_demonstration = ligne.bonus_demonstration or any(b.structure.demonstration for b in bonus)


def _couverture(lignes: list[LigneEpci], communes, code_departement: str | None) -> Couverture:
    couvertes = {lg.code for lg in lignes if lg.couverte}
    resultat = Couverture(
        epci=len(lignes),
        epci_couverts=len(couvertes),
        renouvellements=sum(1 for lg in lignes if lg.a_renouveler),
    )
    for _, epci, dep, population in communes:
        if code_departement is None or dep == code_departement:
            resultat.communes += 1
            resultat.population += population
            if epci in couvertes:
                resultat.communes_couvertes += 1
                resultat.population_couverte += population
    return resultat


# --- the two views ---------------------------------------------------------------------------------------------------


def portefeuille(departement: Departement, user=None, jour: date | None = None) -> Portefeuille:
    """The portfolio of ``departement``'s Caf, as ``user`` may see it (every convention for the command)."""
    jour = jour or horloge.aujourd_hui()
    communes = _communes(departement)
    sieges = _sieges(communes)
    codes = [epci for epci, dep in sieges.items() if dep == departement.code]
    lignes = _lignes(codes, user, jour)
    return Portefeuille(
        departement=departement,
        jour=jour,
        lignes=lignes,
        couverture=_couverture(lignes, communes, departement.code),
        toutes_les_conventions=toutes_lisibles(user),
    )


@dataclass
class LigneNationale:
    departement: Departement
    couverture: Couverture
    epci: list[LigneEpci]

    @property
    def caf(self) -> str:
        return nom_caf(self.departement)

    @property
    def echeances_en_retard(self) -> int:
        return retards(self.epci)

    @property
    def bonus_annee(self) -> Decimal:
        return bonus_total(self.epci)

    @property
    def demonstration(self) -> bool:
        return any(lg.demonstration for lg in self.epci)

    def as_dict(self) -> dict:
        d = self.departement
        return {
            "code": d.code,
            "nom": d.nom,
            "caf": self.caf,
            **self.couverture.as_dict(),
            "echeances_en_retard": self.echeances_en_retard,
            "bonus_annee": str(self.bonus_annee),
        }


@dataclass
class VueNationale:
    jour: date
    lignes: list[LigneNationale]
    total: Couverture
    toutes_les_conventions: bool

    @property
    def annee(self) -> int:
        return self.jour.year

    @property
    def echeances_en_retard(self) -> int:
        return sum(lg.echeances_en_retard for lg in self.lignes)

    @property
    def bonus_annee(self) -> Decimal:
        return sum((lg.bonus_annee for lg in self.lignes), Decimal(0))

    @property
    def demonstration(self) -> bool:
        return any(lg.demonstration for lg in self.lignes)

    def as_dict(self) -> dict:
        return {
            "date": self.jour.isoformat(),
            "annee": self.annee,
            "toutes_les_conventions": self.toutes_les_conventions,
            "totaux": {
                **self.total.as_dict(),
                "echeances_en_retard": self.echeances_en_retard,
                "bonus_annee": str(self.bonus_annee),
            },
            "demonstration": self.demonstration,
            "departements": [lg.as_dict() for lg in self.lignes],
        }


def vue_nationale(user=None, jour: date | None = None) -> VueNationale:
    """Every département (its Caf) with its coverage: EPCI with and without a CTG in force, communes and population
    covered, renewals to prepare, deadlines late and the year's bonus; the same computation as one département, over
    all of France."""
    jour = jour or horloge.aujourd_hui()
    communes = _communes(None)
    sieges = _sieges(communes)
    lignes = _lignes(list(sieges), user, jour)
    par_departement: dict[str, list[LigneEpci]] = defaultdict(list)
    for lg in lignes:
        par_departement[sieges[lg.code]].append(lg)
    communes_par_departement: dict[str, list] = defaultdict(list)
    for commune in communes:
        communes_par_departement[commune[2]].append(commune)
    resultat, total = [], Couverture()
    for dep in Departement.objects.order_by("code"):
        couverture = _couverture(par_departement.get(dep.code, []), communes_par_departement.get(dep.code, []), None)
        resultat.append(LigneNationale(dep, couverture, par_departement.get(dep.code, [])))
        total.ajouter(couverture)
    return VueNationale(jour, resultat, total, toutes_lisibles(user))


# --- the table, as the page shows it and the exports write it --------------------------------------------------------

ENTETES = [
    "SIREN",
    "EPCI",
    "Type",
    "Population municipale",
    "Communes",
    "Situation",
    "Période",
    "Communes adhérentes",
    "Population des communes adhérentes",
    "Échéances en retard",
    "Renouvellement",
    "Bonus territoire de l'année (€)",
    "Démonstration",
]


def ligne_tableau(lg: LigneEpci) -> list:
    r = lg.renouvellement
    if r is not None:
        renouvellement = f"{r.date_debut:%Y}–{r.date_fin:%Y} : {r.libelle_statut_du_jour.lower()}"
    elif lg.a_renouveler:
        renouvellement = f"à préparer (fin le {lg.convention.fin_effective:%d/%m/%Y})"
    else:
        renouvellement = ""
    return [
        lg.code,
        lg.nom,
        lg.type,
        lg.population,
        lg.communes,
        lg.situation_libelle,
        lg.periode,
        "" if lg.communes_adherentes is None else lg.communes_adherentes,
        "" if lg.population_adherente is None else lg.population_adherente,
        len(lg.en_retard) if lg.convention is not None else "",
        renouvellement,
        "" if lg.bonus is None else lg.bonus,
        "oui" if lg.demonstration else "non",
    ]
