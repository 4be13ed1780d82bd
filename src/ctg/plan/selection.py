"""Filtering and sorting the fiches of a plan (the table, its exports): by mission, commune, pilot, status,
financer and year."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal

from .arbre import mission_de
from .models import Objectif, StatutFiche
from .regles import Suivi

TRIS = {
    "numero": lambda s: s.fiche.numero,
    "titre": lambda s: s.fiche.titre.lower(),
    "pilote": lambda s: s.fiche.pilote_libelle.lower(),
    "statut": lambda s: list(StatutFiche.values).index(s.statut),
    "priorite": lambda s: s.fiche.priorite,
    "debut": lambda s: (s.fiche.date_debut is None, s.fiche.date_debut),
    "fin": lambda s: (s.fiche.date_fin is None, s.fiche.date_fin),
    "budget": lambda s: s.budget,
    "progression": lambda s: (s.progression is None, s.progression or 0),
}


@dataclass
class Criteres:
    mission: str = ""  # pk of a top node of the tree
    commune: str = ""  # INSEE code
    pilote: str = ""  # the pilot's structure
    statut: str = ""  # effective status
    financeur: str = ""
    annee: str = ""  # the action runs or is financed that year
    tri: str = "numero"
    ordre: str = "asc"

    @classmethod
    def depuis(cls, donnees) -> Criteres:
        valeurs = {f.name: (donnees.get(f.name) or "").strip() for f in fields(cls)}
        criteres = cls(**{k: v for k, v in valeurs.items() if v})
        if criteres.tri not in TRIS:
            criteres.tri = "numero"
        if criteres.ordre not in ("asc", "desc"):
            criteres.ordre = "asc"
        return criteres

    @property
    def actifs(self) -> bool:
        return any(getattr(self, f) for f in ("mission", "commune", "pilote", "statut", "financeur", "annee"))

    def chaine(self, **changes) -> str:
        """The query string of these criteria with ``changes`` (for the sort links)."""
        from urllib.parse import urlencode

        valeurs = {f.name: getattr(self, f.name) for f in fields(self)}
        valeurs.update(changes)
        return urlencode({k: v for k, v in valeurs.items() if v})


def missions_de(suivi: Suivi, par_pk: dict[int, Objectif]) -> set[int]:
    return {mission_de(o, par_pk).pk for o in suivi.fiche.objectifs.all() if o.pk in par_pk}


def annees_de(suivi: Suivi) -> set[int]:
    annees = {f.annee for f in suivi.fiche.financements.all()}
    debut, fin = suivi.fiche.date_debut, suivi.fiche.date_fin
    if debut and fin:
        annees |= set(range(debut.year, fin.year + 1))
    elif debut or fin:
        annees.add((debut or fin).year)
    return annees


def filtrer(suivis: list[Suivi], criteres: Criteres, par_pk: dict[int, Objectif]) -> list[Suivi]:
    resultat = []
    for s in suivis:
        f = s.fiche
        if criteres.mission and (not criteres.mission.isdigit() or int(criteres.mission) not in missions_de(s, par_pk)):
            continue
        if criteres.commune and criteres.commune not in {c.code for c in f.communes.all()}:
            continue
        if criteres.pilote and criteres.pilote != f.pilote_structure:
            continue
        if criteres.statut and criteres.statut != s.statut:
            continue
        if criteres.financeur and criteres.financeur not in {x.financeur for x in f.financements.all()}:
            continue
        if criteres.annee and (not criteres.annee.isdigit() or int(criteres.annee) not in annees_de(s)):
            continue
        resultat.append(s)
    resultat.sort(key=TRIS[criteres.tri], reverse=criteres.ordre == "desc")
    return resultat


def choix(suivis: list[Suivi], missions: list[Objectif]) -> dict:
    """The values the filters offer, taken from the plan itself."""
    communes = {}
    for s in suivis:
        for c in s.fiche.communes.all():
            communes[c.code] = c.nom
    annees = set()
    for s in suivis:
        annees |= annees_de(s)
    return {
        "missions": [(str(m.pk), m.intitule) for m in missions],
        "communes": sorted(communes.items(), key=lambda x: x[1]),
        "pilotes": sorted({s.fiche.pilote_structure for s in suivis if s.fiche.pilote_structure}),
        "statuts": StatutFiche.choices,
        "financeurs": sorted({x.financeur for s in suivis for x in s.fiche.financements.all()}),
        "annees": sorted(annees),
    }


def budget_par_annee_et_financeur(suivis: list[Suivi]) -> tuple[list[int], list[tuple[str, list[Decimal], Decimal]]]:
    """Years, and per financer its amounts by year and its total (own funds of the porteurs apart)."""
    cumul: dict[str, dict[int, Decimal]] = {}
    for s in suivis:
        for x in s.fiche.financements.all():
            nom = x.financeur + (" (fonds propres)" if x.nature == "fonds_propres" else "")
            cumul.setdefault(nom, {}).setdefault(x.annee, Decimal("0"))
            cumul[nom][x.annee] += x.montant
    annees = sorted({a for par_annee in cumul.values() for a in par_annee})
    lignes = []
    for nom in sorted(cumul, key=lambda n: -sum(cumul[n].values())):
        montants = [cumul[nom].get(a, Decimal("0")) for a in annees]
        lignes.append((nom, montants, sum(montants, Decimal("0"))))
    return annees, lignes
