"""Rules of the action plan: the values of an indicator, progress towards its target, lateness of an action.

Annexe 2 of the seed asks for "des objectifs concrets, échéancés, chiffrés": every indicator of an action has a
baseline, a target and the date the target is due. From them:

- **progress** is where the latest value stands between the baseline and the target, in percent, from 0 (at or
  behind the baseline) to 100 (target reached or passed), whichever way the target goes. Baseline 40, target 50,
  latest 45 → 50 %; baseline 20, target 10 (a fall is wanted), latest 17.5 → 25 %; latest 52 → 100 %;
- an **indicator is late** when its target date has passed and its target is not reached;
- a **milestone is missed** when its date has passed and it is not marked done;
- an **action is late** when it says so itself, or, being "à venir" or "en cours", when one of its indicators is
  late, one of its milestones is missed, or its end date has passed. An action "en pause", "abandonnée" or
  "terminée" is never late.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from ctg import horloge
from ctg.generations.memoire import memorise

from .models import ACTIVES, FicheAction, IndicateurAction, Jalon, StatutFiche, fin_du_suivi

__all__ = ["ACTIVES", "Mesure", "Suivi", "fiches_suivies", "jour_de_suivi", "progression"]


def jour_de_suivi(convention, aujourd_hui: date | None = None) -> date:
    """The day the plan is followed on: today while the convention runs; once it has ended, its last day (the
    follow-up stops there: an action is not "late" for a date the convention never reached)."""
    aujourd_hui = aujourd_hui or horloge.aujourd_hui()
    fin = fin_du_suivi(convention)
    return min(aujourd_hui, fin) if fin is not None else aujourd_hui


@dataclass
class Point:
    date: date
    periode: str  # "2024" for a vintage of the open data, "15/03/2025" for a value entered by hand
    valeur: float | None
    origine: str  # "saisie" or "données ouvertes"
    detail: str = ""
    demonstration: bool = False
    cle: int | None = None  # the ValeurSaisie of a value entered by hand


def progression(initiale: float | None, cible: float | None, derniere: float | None) -> int | None:
    """Progress in percent (0–100) of ``derniere`` from ``initiale`` towards ``cible``; None when a term is missing."""
    if initiale is None or cible is None or derniere is None:
        return None
    if cible == initiale:
        return 100 if derniere == cible else 0
    part = (derniere - initiale) / (cible - initiale)
    return round(100 * min(1.0, max(0.0, part)))


def _territoire(indicateur: IndicateurAction) -> tuple[str, str]:
    if indicateur.definition.territoire:
        return "commune", indicateur.definition.territoire
    return "epci", indicateur.fiche.convention.epci_id


def points_donnees(indicateur: IndicateurAction) -> list[Point]:
    """The values of a linked indicator, one per vintage of its open data (read each time: a new import shows)."""
    if not indicateur.definition.indicateur_catalogue:
        return []
    from ctg.diagnostic.calcul import serie
    from ctg.diagnostic.catalogue import INDICATEURS

    if indicateur.definition.indicateur_catalogue not in INDICATEURS:
        return []
    niveau, code = _territoire(indicateur)
    points = []
    for r in serie(indicateur.definition.indicateur_catalogue, niveau, code):
        if r.annee is None:
            continue
        detail = ", ".join(sorted({s.get("dataset", "") for s in r.sources if s.get("dataset")}))
        points.append(
            Point(
                date(r.annee, 12, 31),
                str(r.annee),
                r.valeur if r.utilisable else None,
                "données ouvertes",
                detail if r.utilisable else r.etat_libelle,
                r.demonstration,
            )
        )
    return points


class Mesure:
    """An indicator of an action with its values, baseline, latest value and progress, computed once."""

    def __init__(self, indicateur: IndicateurAction, jour: date | None = None):
        self.indicateur = indicateur
        self.definition = indicateur.definition  # what is measured (shared with the other fiches that follow it)
        self.jour = jour or horloge.aujourd_hui()
        saisies = [
            Point(v.date, f"{v.date:%d/%m/%Y}", v.valeur, "saisie", v.commentaire, cle=v.pk)
            for v in indicateur.valeurs_saisies.all()
        ]
        self.points = sorted(points_donnees(indicateur) + saisies, key=lambda p: (p.date, p.origine))
        self.demonstration = any(p.demonstration for p in self.points)

    @property
    def lie(self) -> bool:
        return self.definition.lie

    @property
    def initiale(self) -> float | None:
        if self.indicateur.valeur_initiale is not None:
            return self.indicateur.valeur_initiale
        annee = self.indicateur.annee_reference
        connus = [p for p in self.points if p.valeur is not None and p.origine == "données ouvertes"]
        if annee is not None:
            connus = [p for p in connus if p.date.year <= annee]
            return connus[-1].valeur if connus else None
        return connus[0].valeur if connus else None

    @property
    def derniere(self) -> Point | None:
        connus = [p for p in self.points if p.valeur is not None]
        return connus[-1] if connus else None

    @property
    def progression(self) -> int | None:
        derniere = self.derniere
        return progression(self.initiale, self.indicateur.cible, derniere.valeur if derniere else None)

    @property
    def atteinte(self) -> bool:
        return self.progression == 100

    @property
    def en_retard(self) -> bool:
        return self.indicateur.date_cible < self.jour and not self.atteinte

    @cached_property
    def trajectoire(self) -> list[Annee]:
        """Each yearly target with the value of that year (the latest known in the year) and the progress then."""
        annees = []
        for cible in self.indicateur.cibles.all():
            dans_l_annee = [p for p in self.points if p.valeur is not None and p.date.year == cible.annee]
            valeur = dans_l_annee[-1].valeur if dans_l_annee else None
            annees.append(Annee(cible.annee, cible.valeur, valeur, progression(self.initiale, cible.valeur, valeur)))
        return annees

    def annee(self, annee: int) -> Annee | None:
        return next((a for a in self.trajectoire if a.annee == annee), None)


@dataclass
class Annee:
    """One year of an indicator's trajectory: its target, the value measured that year, the progress then."""

    annee: int
    cible: float
    valeur: float | None
    progression: int | None

    @property
    def atteinte(self) -> bool:
        return self.progression == 100


def jalon_manque(jalon: Jalon, jour: date) -> bool:
    return jalon.date_realisee is None and jalon.date_prevue < jour


class Suivi:
    """A fiche action seen on a given day: its measures, progress, effective status and the reasons it is late."""

    def __init__(self, fiche: FicheAction, jour: date | None = None):
        self.fiche = fiche
        self.jour = jour or horloge.aujourd_hui()
        self.mesures = [Mesure(i, self.jour) for i in fiche.indicateurs.all()]
        self.jalons = list(fiche.jalons.all())

    @property
    def progression(self) -> int | None:
        """The mean progress of its indicators (None without any measured indicator)."""
        valeurs = [m.progression for m in self.mesures if m.progression is not None]
        if self.fiche.statut == StatutFiche.TERMINEE and not valeurs:
            return 100
        return round(sum(valeurs) / len(valeurs)) if valeurs else None

    @property
    def motifs_retard(self) -> list[str]:
        if self.fiche.statut not in ACTIVES:
            return []
        motifs = []
        if self.fiche.statut == StatutFiche.EN_RETARD:
            motifs.append("signalée en retard")
        for m in self.mesures:
            if m.en_retard:
                p = m.progression
                etat = f"{p} %" if p is not None else "aucune valeur"
                motifs.append(
                    f"cible « {m.definition.libelle} » du {m.indicateur.date_cible:%d/%m/%Y} non atteinte ({etat})"
                )
        for j in self.jalons:
            if jalon_manque(j, self.jour):
                motifs.append(f"jalon « {j.libelle} » prévu le {j.date_prevue:%d/%m/%Y} non atteint")
        if self.fiche.date_fin and self.fiche.date_fin < self.jour:
            motifs.append(f"fin prévue le {self.fiche.date_fin:%d/%m/%Y} dépassée")
        return motifs

    @property
    def en_retard(self) -> bool:
        return bool(self.motifs_retard)

    @property
    def statut(self) -> str:
        """The effective status: the one recorded, or "en retard" when the rules say so."""
        if self.en_retard:
            return StatutFiche.EN_RETARD
        if self.fiche.statut == StatutFiche.EN_RETARD:
            return StatutFiche.EN_COURS
        return self.fiche.statut

    @property
    def statut_libelle(self) -> str:
        return StatutFiche(self.statut).label

    @property
    def budget(self):
        from decimal import Decimal

        return sum((f.montant for f in self.fiche.financements.all()), Decimal("0"))

    @property
    def budget_realise(self):
        """The actual amounts known so far (``None``: none known yet)."""
        from decimal import Decimal

        connus = [f.montant_realise for f in self.fiche.financements.all() if f.montant_realise is not None]
        return sum(connus, Decimal("0")) if connus else None

    @property
    def realise_a_connaitre(self) -> int:
        """How many amounts of the budget have no actual amount yet."""
        return sum(1 for f in self.fiche.financements.all() if f.montant_realise is None)

    @property
    def demonstration(self) -> bool:
        return self.fiche.demonstration or any(m.demonstration for m in self.mesures)


def fiches_suivies(convention, jour: date | None = None) -> list[Suivi]:
    """Every fiche of the convention with what the pages need, seen on ``jour`` (by default the day of follow-up:
    :func:`jour_de_suivi`): read in a handful of queries once per state of the convention's data and per day
    (``ctg.generations``), then shared by every page of the process. The fiches and their follow-up are read,
    never changed: a caller that needs another wording copies the fiche first."""
    jour = jour or jour_de_suivi(convention)
    return list(memorise(convention, f"fiches_suivies_{jour}", lambda: tuple(_suivre(convention, jour))))


def _suivre(convention, jour: date) -> list[Suivi]:
    fiches = (
        FicheAction.objects.filter(convention=convention)
        .select_related("pilote", "convention")
        .prefetch_related(
            "objectifs",
            "besoins",
            "communes",
            "jalons",
            "financements",
            "indicateurs__definition",
            "indicateurs__valeurs_saisies",
            "indicateurs__cibles",
            "acteurs__organisation",
        )
    )
    return [Suivi(f, jour) for f in fiches]
