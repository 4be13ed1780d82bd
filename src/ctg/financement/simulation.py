"""What a new crèche would bring before it exists: its bonus per year, and its effect on the bonus trajectoire.

The simulated crèche is an unsaved ``Structure`` (negative ``pk``) added to the convention's data; the same rules
as for real structures apply (``ctg.financement.calcul``), so the simulation never drifts from the computation.
Years after the convention's end are computed "sous réserve de son renouvellement".
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from ctg.formats import phrase

from .calcul import ZERO, BonusStructure, Donnees, StatutBonus, bonus_structure, croissance
from .models import Capacite, Nature, Structure, TypeStructure
from .textes import euros, pourcent

ANNEES_SIMULEES = 3


@dataclass
class AnneeSimulee:
    annee: int
    bonus: BonusStructure
    trajectoire: Decimal
    effet_territoire: Decimal
    croissance_sans: Decimal | None
    croissance_avec: Decimal | None

    @property
    def total(self) -> Decimal:
        return self.bonus.montant + self.effet_territoire


@dataclass
class Simulation:
    commune: object
    places: int
    places_employeurs: int
    ouverture: date
    en_qpv: bool
    en_zrr: bool
    annees: list[AnneeSimulee] = field(default_factory=list)

    @property
    def resume(self) -> str:
        if not self.annees:
            return "Aucune année simulée."
        premiere = self.annees[0]
        texte = (
            f"Une crèche de {self.places} places à {self.commune.nom}, ouverte le {self.ouverture:%d/%m/%Y}, "
            f"apporterait {euros(premiere.bonus.montant)} de bonus territoire en {premiere.annee}"
        )
        if premiere.bonus.statut == StatutBonus.NON_ELIGIBLE:
            texte += " : " + " ".join(premiere.bonus.motifs)
        return phrase(texte)

    def as_dict(self) -> dict:
        return {
            "commune": self.commune.code,
            "places": self.places,
            "places_employeurs": self.places_employeurs,
            "ouverture": self.ouverture.isoformat(),
            "annees": [
                {
                    "annee": a.annee,
                    "bonus": a.bonus.as_dict(),
                    "trajectoire": str(a.trajectoire),
                    "effet_territoire": str(a.effet_territoire),
                    "croissance_sans": None if a.croissance_sans is None else str(a.croissance_sans),
                    "croissance_avec": None if a.croissance_avec is None else str(a.croissance_avec),
                }
                for a in self.annees
            ],
        }


def _trajectoire_des_autres(donnees: Donnees, annee: int) -> Decimal:
    total = ZERO
    for s in donnees.structures:
        if s.pk and s.pk > 0 and s.type == TypeStructure.EAJE:
            b = bonus_structure(donnees, s, annee)
            if b.statut not in {StatutBonus.NON_ELIGIBLE, StatutBonus.SUSPENDU}:
                total += sum((c.montant for c in b.composantes if c.code == "trajectoire"), ZERO)
    return total


def simuler(
    convention,
    commune,
    places: int,
    ouverture: date,
    places_employeurs: int = 0,
    en_qpv: bool = False,
    en_zrr: bool = False,
    annees: list[int] | None = None,
) -> Simulation:
    structure = Structure(
        pk=-1,
        convention=convention,
        nom=f"Crèche simulée de {places} places",
        type=TypeStructure.EAJE,
        commune=commune,
        psu=True,
        cofinancee=True,
        en_qpv=en_qpv,
        en_zrr=en_zrr,
        date_ouverture=ouverture,
    )
    capacite = Capacite(structure=structure, depuis=ouverture, places=places, places_employeurs=places_employeurs)
    avec = Donnees(convention, simulees=[(structure, [capacite])])
    sans = Donnees(convention)
    resultat = Simulation(commune, places, places_employeurs, ouverture, en_qpv, en_zrr)
    for annee in annees or range(ouverture.year, ouverture.year + ANNEES_SIMULEES):
        bonus = bonus_structure(avec, structure, annee, simulation=True)
        trajectoire = sum((c.montant for c in bonus.composantes if c.code == "trajectoire"), ZERO)
        paliers = [b for b in avec.baremes if b.nature == Nature.TRAJECTOIRE and b.valable_le(date(annee, 1, 1))]
        croissance_sans = croissance_avec = None
        effet = ZERO
        if paliers:
            base = paliers[0].annee_base
            croissance_sans = croissance(sans, base, annee)[2]
            croissance_avec = croissance(avec, base, annee)[2]
            effet = _trajectoire_des_autres(avec, annee) - _trajectoire_des_autres(sans, annee)
        resultat.annees.append(AnneeSimulee(annee, bonus, trajectoire, effet, croissance_sans, croissance_avec))
    return resultat


def texte_croissance(valeur: Decimal | None) -> str:
    if valeur is None:
        return "—"
    return ("+" if valeur >= 0 else "") + pourcent(valeur, 1)
