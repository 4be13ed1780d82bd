"""For a whole convention: every structure's bonus, every commune's commitment, shortfalls and totals."""

from __future__ import annotations

from ctg import horloge
from ctg.conventions.models import Convention
from ctg.formats import cle_alphabetique

from .bonus import bonus_structure
from .donnees import Donnees
from .engagement import engagement_commune
from .resultats import ZERO, BonusStructure, EngagementCommune, StatutBonus

# --- for a whole convention ------------------------------------------------------------------------------------------


def bonus_annee(convention: Convention, annee: int, donnees: Donnees | None = None) -> list[BonusStructure]:
    donnees = donnees or Donnees(convention)
    return [bonus_structure(donnees, s, annee) for s in donnees.structures]


def engagements_annee(convention: Convention, annee: int, donnees: Donnees | None = None) -> list[EngagementCommune]:
    donnees = donnees or Donnees(convention)
    codes = {c.commune_id for c in donnees.cejs} | {
        code for code, a in donnees.adhesions.items() if a.ancienne_commune_cej
    }
    communes = {a.commune_id: a.commune for a in donnees.adhesions.values()}
    for cej in donnees.cejs:
        communes.setdefault(cej.commune_id, cej.commune)
    resultats = []
    for code in sorted(codes, key=lambda c: cle_alphabetique(communes[c].nom)):
        e = engagement_commune(donnees, communes[code], annee)
        if e is not None:
            resultats.append(e)
    return resultats


def manquements(convention: Convention, jusqu_a: int | None = None, donnees: Donnees | None = None):
    """The commitments in shortfall (unverified) or found non-conforme, over the convention's years."""
    donnees = donnees or Donnees(convention)
    derniere = min(donnees.convention.date_fin.year, jusqu_a or horloge.aujourd_hui().year)
    resultats = []
    for annee in range(donnees.convention.date_debut.year, derniere + 1):
        resultats.extend(e for e in engagements_annee(convention, annee, donnees) if e.en_alerte)
    return resultats


def totaux(bonus: list[BonusStructure]) -> dict:
    return {
        "bonus": sum((b.montant for b in bonus), ZERO),
        "calcule": sum((b.montant_calcule for b in bonus), ZERO),
        "bloque": sum((b.bloque for b in bonus), ZERO),
        "ctre": sum((b.ctre for b in bonus), ZERO),
        "a_verifier": sum(1 for b in bonus if b.statut == StatutBonus.A_VERIFIER),
        "non_eligibles": sum(1 for b in bonus if b.statut == StatutBonus.NON_ELIGIBLE),
    }
