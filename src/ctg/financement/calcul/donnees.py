"""Everything a computation reads for one convention, loaded once (``Donnees``)."""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.db.models import F

from ctg.conventions.models import Adhesion, Convention
from ctg.generations.memoire import memorise

from ..models import (
    Bareme,
    Capacite,
    Cej,
    FinancementReel,
    RichesseCommune,
    Structure,
    TypeStructure,
    Unite,
    Verification,
)
from .resultats import ZERO


class Donnees:
    """Everything the rules read for one convention, loaded once; the computations then run in memory.

    ``simulees``: unsaved structures (negative ``pk``) with their capacities, for a simulation."""

    def __init__(
        self,
        convention: Convention,
        simulees: list[tuple[Structure, list[Capacite]]] = (),
        competence_transferee: Iterable[str] = (),
        lecture: _Lecture | None = None,
    ):
        # ``lecture``: the rows of several conventions read together (``Donnees.de_plusieurs``)
        lu = lecture or _Lecture([convention])
        self.convention = convention
        # everything through the convention: never another convention's records, even on the same EPCI
        self.structures = list(lu.structures.get(convention.pk, []))
        self.capacites = defaultdict(list)
        for s in self.structures:
            self.capacites[s.pk] = list(lu.capacites.get(s.pk, []))
        for structure, capacites in simulees:
            self.structures.append(structure)
            self.capacites[structure.pk] = sorted(capacites, key=lambda c: c.depuis)
        ids = {s.pk for s in self.structures if s.pk and s.pk > 0}
        self.cejs = sorted(lu.cejs.get(convention.pk, []), key=lambda c: (c.date_fin, c.pk))
        self.baremes = lu.baremes
        self.adhesions = {a.commune_id: a for a in lu.adhesions.get(convention.pk, [])}
        for adhesion in self.adhesions.values():
            adhesion.convention = convention  # as read through the convention
        # the communes (INSEE codes) that transferred their childhood competence to the EPCI (see
        # ``territoire_de_competence``): as their adhesions record it, and those a caller names (a simulation)
        self.competence_transferee = frozenset(competence_transferee) | {
            code for code, adhesion in self.adhesions.items() if adhesion.competence_petite_enfance_transferee
        }
        # the communes' wealth is national reference data (DGCL), read for this convention's communes only
        communes = set(self.adhesions) | {s.commune_id for s in self.structures}
        self.richesses = defaultdict(list)
        if simulees:  # a simulated structure may stand in a commune the convention's records do not name
            lu.lire_richesses(communes)
        for code in communes:
            if code in lu.richesses:
                self.richesses[code] = list(lu.richesses[code])
        self.financements = defaultdict(dict)
        for f in lu.financements.get(convention.pk, []):
            if f.structure_id in ids:
                self.financements[(f.structure_id, f.annee)][f.document] = f
        self.verifications = {}
        for v in lu.verifications.get(convention.pk, []):
            self.verifications[(v.commune_id, v.annee)] = v
        self._engagements = {}
        self._places_territoire = {}

    @classmethod
    def de_plusieurs(cls, conventions: list[Convention]) -> dict[int, Donnees]:
        """The ``Donnees`` of each convention (by pk), read in a fixed number of queries whatever their number (a
        Caf's portfolio totals the bonus of all its conventions)."""
        lecture = _Lecture(conventions)
        return {c.pk: cls(c, lecture=lecture) for c in conventions}

    # --- structures -------------------------------------------------------------------------------------------
    def structures_de(self, commune_code: str) -> list[Structure]:
        return [s for s in self.structures if s.commune_id == commune_code]

    def capacite(self, structure: Structure, annee: int) -> Capacite | None:
        """The capacity in force on 31 December of the year (or on the closing day if the structure closes then)."""
        jour = date(annee, 12, 31)
        if structure.date_fermeture and structure.date_fermeture < jour:
            jour = structure.date_fermeture
        retenue = None
        for c in self.capacites.get(structure.pk, []):
            if c.depuis <= jour:
                retenue = c
        return retenue

    @staticmethod
    def prorata(structure: Structure, annee: int) -> tuple[Decimal, int, int]:
        """(fraction of the year the structure is open, days open, days in the year)."""
        debut, fin = date(annee, 1, 1), date(annee, 12, 31)
        ouvert_du = max(debut, structure.date_ouverture or debut)
        ouvert_au = min(fin, structure.date_fermeture or fin)
        jours_annee = 366 if calendar.isleap(annee) else 365
        jours = max(0, (ouvert_au - ouvert_du).days + 1)
        return Decimal(jours) / Decimal(jours_annee), jours, jours_annee

    @staticmethod
    def mesure(capacite: Capacite | None, unite: str) -> Decimal:
        """The structure's units in the rate's unit: co-funded places (employer places apart), hours, ETP."""
        if unite == Unite.FORFAIT:
            return Decimal(1)
        if capacite is None:
            return ZERO
        if unite == Unite.PLACE:
            return Decimal(capacite.places - capacite.places_employeurs)
        if unite == Unite.HEURE:
            return capacite.heures or ZERO
        if unite == Unite.ETP:
            return capacite.etp or ZERO
        return ZERO

    # --- Cej --------------------------------------------------------------------------------------------------
    def cej_en_cours(self, structure: Structure, annee: int) -> Cej | None:
        for cej in self.cejs:
            if cej.en_cours(annee) and any(ligne.structure_id == structure.pk for ligne in cej.lignes.all()):
                return cej
        return None

    def ligne_reference(self, structure: Structure, annee: int):
        """The structure's line in the latest Cej ended before ``annee``."""
        retenue = None
        for cej in self.cejs:
            if cej.date_fin.year < annee:
                for ligne in cej.lignes.all():
                    if ligne.structure_id == structure.pk:
                        retenue = ligne
        return retenue

    def cej_reference_commune(self, commune_code: str, annee: int) -> Cej | None:
        retenu = None
        for cej in self.cejs:
            if cej.commune_id == commune_code and cej.date_fin.year < annee:
                retenu = cej
        return retenu

    def richesse(self, commune_code: str, annee: int) -> RichesseCommune | None:
        retenue = None
        for r in self.richesses.get(commune_code, []):
            if r.annee <= annee:
                retenue = r
        return retenue

    # --- territory ----------------------------------------------------------------------------------------------
    def places_cofinancees(self, annee: int) -> int:
        """Co-funded PSU places of EAJE on the territory (employer places apart), on 31 December of the year."""
        if annee not in self._places_territoire:
            total = 0
            for s in self.structures:
                if s.type == TypeStructure.EAJE and s.psu and s.cofinancee and self.ouverte_le(s, date(annee, 12, 31)):
                    c = self.capacite(s, annee)
                    total += (c.places - c.places_employeurs) if c else 0
            self._places_territoire[annee] = total
        return self._places_territoire[annee]

    @staticmethod
    def ouverte_le(structure: Structure, jour: date) -> bool:
        if structure.date_ouverture and structure.date_ouverture > jour:
            return False
        return not (structure.date_fermeture and structure.date_fermeture < jour)

    def annees(self) -> list[int]:
        return list(range(self.convention.date_debut.year, self.convention.date_fin.year + 1))


class _Lecture:
    """The financing records of a set of conventions, read once (one query per kind of record), by convention."""

    def __init__(self, conventions: list[Convention]):
        pks = [c.pk for c in conventions]
        self.structures = defaultdict(list)
        for s in Structure.objects.filter(convention__in=pks).select_related("commune", "gestionnaire"):
            self.structures[s.convention_id].append(s)
        self.capacites = defaultdict(list)
        for c in Capacite.objects.filter(structure__convention__in=pks).order_by("depuis"):
            self.capacites[c.structure_id].append(c)
        self.cejs = defaultdict(list)
        for cej in (
            Cej.objects.filter(convention__in=pks).select_related("commune").prefetch_related("lignes__structure")
        ):
            self.cejs[cej.convention_id].append(cej)
        self.baremes = list(Bareme.objects.all())
        self.adhesions = defaultdict(list)
        for a in Adhesion.objects.filter(convention__in=pks).select_related("commune"):
            self.adhesions[a.convention_id].append(a)
        self.richesses = defaultdict(list)
        self._richesses_lues: set[str] = set()
        communes = {a.commune_id for liste in self.adhesions.values() for a in liste}
        communes |= {s.commune_id for liste in self.structures.values() for s in liste}
        self.lire_richesses(communes)
        self.financements = defaultdict(list)
        lus = FinancementReel.objects.filter(structure__convention__in=pks).annotate(
            convention_lue=F("structure__convention")
        )
        for f in lus:
            self.financements[f.convention_lue].append(f)
        self.verifications = defaultdict(list)
        for v in Verification.objects.filter(convention__in=pks).select_related("verifie_par").order_by("verifie_le"):
            self.verifications[v.convention_id].append(v)

    def lire_richesses(self, communes: set[str]) -> None:
        """The communes' wealth (national reference data), read for the communes not read yet."""
        manquantes = set(communes) - self._richesses_lues
        if not manquantes:
            return
        self._richesses_lues |= manquantes
        for r in RichesseCommune.objects.filter(commune_id__in=manquantes).order_by("annee"):
            self.richesses[r.commune_id].append(r)


def donnees_partagees(convention: Convention) -> Donnees:
    """``Donnees(convention)`` read once per state of the convention's data and per day (``ctg.generations``; the
    national scales and the communes' wealth renew it too), then shared by the pages that only show it: read,
    never changed by them."""
    return memorise(convention, "donnees_financement", lambda: Donnees(convention))
