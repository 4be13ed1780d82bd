"""Reading the figures of a territory (stored ones, or computed on demand), for the pages, exports and report."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass

from ctg.donnees.models import CODE_FRANCE
from ctg.territoires.fiches import TerritoireIntrouvable
from ctg.territoires.models import Commune, Departement, Epci
from ctg.territoires.recherche import CODE_COMMUNE, CODE_DEPARTEMENT, CODE_EPCI

from ..catalogue import (
    CATALOGUE,
    Indicateur,
    indicateur,
    par_domaine,
)
from ..models import ValeurIndicateur
from .commun import COMMUNE, DEPARTEMENT, EPCI, FRANCE
from .moteur import Moteur
from .observations import _memoire_des_donnees, annees_indicateur, annees_par_dataset, departement_de_reference
from .resultats import Resultat

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
