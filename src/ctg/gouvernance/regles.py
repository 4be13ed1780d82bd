"""The rules of the comité de pilotage: composition at a date, parity, quorum, the semester rule.

Article 6 of the reference convention: "Ce comité est composé, à parité, de représentants de la Caf et de la
Collectivité" — parity is counted on the **voting** members (titulaires, the Caf's animator and the collectivité's
pilot) of the Caf and of the collectivité; the representatives of other co-signatories ("et d'autres cosignataires
éventuels", annexe 2) are listed beside them but do not enter the Caf/collectivité balance; the resource persons
sit "à titre consultatif" and the secretariat keeps the minutes: neither counts nor votes.

Annexe 2: "a minima, sur un comité de pilotage semestriel": every calendar half-year of the convention needs a
held meeting of the comité de pilotage (its sub-committees do not count).

The convention sets no quorum; the product asks for more than half of the voting members in office on the day,
present or represented (:data:`QUORUM`), and shows the parity of those present or represented.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from ctg import horloge
from ctg.conventions.models import Convention, Statut
from ctg.conventions.regles import semestres
from ctg.formats import cle_alphabetique

from .models import ROLES_VOTANTS, STATUTS_TENUS, Comite, Cote, Membre, Reunion, StatutReunion

QUORUM = "plus de la moitié des membres votants en fonction, présents ou représentés"


def pluriel(nombre: int, singulier: str, pluriel_: str | None = None) -> str:
    return f"{nombre} {singulier if nombre <= 1 else (pluriel_ or singulier + 's')}"


def representants(nombre: int) -> str:
    return pluriel(nombre, "représentant·e votant·e", "représentant·es votant·es")


# --- The comité and its members -------------------------------------------------------------------------------


@transaction.atomic
def comite_de(convention: Convention) -> Comite:
    """The comité de pilotage of the convention, created empty the first time it is asked for."""
    comite, _ = Comite.objects.get_or_create(convention=convention, parent=None)
    return comite


@transaction.atomic
def enregistrer_membre(form, par=None) -> Membre:
    """A member of the comité (or of a sub-committee), new or changed, from the composition page's valid
    ``MembreForm``; the parity to show after it is :func:`parite` of the comité de pilotage."""
    membre = form.save(commit=False)
    membre._history_user = par
    membre.save()
    return membre


@transaction.atomic
def creer_sous_comite(form, convention: Convention, par=None) -> Comite:
    """A thematic sub-committee of the convention's comité de pilotage, from the page's valid ``SousComiteForm``."""
    sous_comite = form.save(commit=False)
    sous_comite.convention = convention
    sous_comite.parent = comite_de(convention)
    sous_comite._history_user = par
    sous_comite.save()
    return sous_comite


def comite_existant(convention: Convention) -> Comite | None:
    return Comite.objects.filter(convention=convention, parent=None).first()


def membres_en_fonction(comite: Comite, jour: date, votants_seulement: bool = False) -> list[Membre]:
    membres = [m for m in comite.membres.all() if m.en_fonction(jour)]
    # by side and role (the model's order), then by name in French alphabetical order
    membres.sort(key=lambda m: (m.cote, m.role, cle_alphabetique(m.nom), cle_alphabetique(m.prenom), m.pk))
    if votants_seulement:
        membres = [m for m in membres if m.role in ROLES_VOTANTS]
    return membres


# --- Parity --------------------------------------------------------------------------------------------------


@dataclass
class Parite:
    """The balance of the Caf's and the collectivité's voting members, on a day or among those present."""

    jour: date
    caf: list = field(default_factory=list)
    collectivite: list = field(default_factory=list)
    cosignataires: list = field(default_factory=list)

    @property
    def respectee(self) -> bool:
        return bool(self.caf) and len(self.caf) == len(self.collectivite)

    @property
    def ecart(self) -> int:
        """Caf minus collectivité."""
        return len(self.caf) - len(self.collectivite)

    @property
    def resume(self) -> str:
        texte = f"{len(self.caf)} Caf / {len(self.collectivite)} collectivité"
        if self.cosignataires:
            texte += f" (+ {len(self.cosignataires)} autre{'s' if len(self.cosignataires) > 1 else ''} cosignataire)"
        return texte

    @property
    def manque(self) -> str:
        """What is missing to restore parity, in French; empty when parity holds."""
        if self.respectee:
            return ""
        if not self.caf and not self.collectivite:
            return "aucun membre votant : désignez autant de représentant·es de la Caf que de la collectivité"
        if self.ecart < 0:
            return (
                f"il manque {representants(-self.ecart)} de la Caf "
                f"(ou {pluriel(-self.ecart, 'siège')} de la collectivité en trop)"
            )
        return (
            f"il manque {representants(self.ecart)} de la collectivité "
            f"(ou {pluriel(self.ecart, 'siège')} de la Caf en trop)"
        )

    @property
    def message(self) -> str:
        if self.respectee:
            return f"Parité respectée au {self.jour:%d/%m/%Y} : {self.resume}."
        return f"Parité rompue au {self.jour:%d/%m/%Y} : {self.resume} ; {self.manque}."


def _repartir(jour: date, membres) -> Parite:
    parite = Parite(jour)
    for membre in membres:
        if membre.role not in ROLES_VOTANTS:
            continue
        if membre.cote == Cote.CAF:
            parite.caf.append(membre)
        elif membre.cote == Cote.COLLECTIVITE:
            parite.collectivite.append(membre)
        elif membre.cote == Cote.COSIGNATAIRE:
            parite.cosignataires.append(membre)
    return parite


def parite_parmi(jour: date, membres) -> Parite:
    """Parity among ``membres`` only: those present at a meeting, or those expected from the answers."""
    return _repartir(jour, membres)


def parite(comite: Comite, jour: date) -> Parite:
    """Parity of the comité's voting members in office on ``jour``."""
    return _repartir(jour, membres_en_fonction(comite, jour))


@dataclass
class Periode:
    debut: date
    fin: date | None
    parite: Parite


def historique_parite(comite: Comite, debut: date, fin: date) -> list[Periode]:
    """Parity over [debut, fin], as periods between the dates the composition changes (a mandate starts or ends)."""
    membres = list(comite.membres.all())
    changements = {debut}
    for m in membres:
        for jour in (m.debut, m.fin + timedelta(days=1) if m.fin else None):
            if jour and debut < jour <= fin:
                changements.add(jour)
    jours = sorted(changements)
    periodes: list[Periode] = []
    for i, jour in enumerate(jours):
        etat = _repartir(jour, [m for m in membres if m.en_fonction(jour)])
        fin_periode = jours[i + 1] - timedelta(days=1) if i + 1 < len(jours) else fin
        precedente = periodes[-1] if periodes else None
        if (
            precedente
            and len(precedente.parite.caf) == len(etat.caf)
            and len(precedente.parite.collectivite) == len(etat.collectivite)
            and len(precedente.parite.cosignataires) == len(etat.cosignataires)
        ):
            precedente.fin = fin_periode
        else:
            periodes.append(Periode(jour, fin_periode, etat))
    return periodes


def ruptures_parite(comite: Comite, debut: date, fin: date) -> list[Periode]:
    return [p for p in historique_parite(comite, debut, fin) if not p.parite.respectee]


# --- A meeting: attendance, quorum, parity of those present --------------------------------------------------


@dataclass
class BilanPresences:
    reunion: Reunion
    convoques: list  # members in office on the day
    votants: list  # voting members in office on the day
    presents: list  # members present or represented (any role)
    votants_presents: list
    parite_presents: Parite
    non_renseignes: list

    @property
    def quorum_requis(self) -> int:
        return len(self.votants) // 2 + 1 if self.votants else 0

    @property
    def quorum_atteint(self) -> bool:
        return bool(self.votants) and len(self.votants_presents) >= self.quorum_requis

    @property
    def message_quorum(self) -> str:
        n = len(self.votants_presents)
        texte = (
            f"{pluriel(n, 'membre votant présent ou représenté', 'membres votants présents ou représentés')} "
            f"sur {len(self.votants)} ; quorum : {self.quorum_requis}"
        )
        return texte + (" — atteint." if self.quorum_atteint else " — non atteint.")


def bilan_presences(reunion: Reunion) -> BilanPresences:
    convoques = membres_en_fonction(reunion.comite, reunion.date)
    presences = {p.membre_id: p for p in reunion.presences.all()}
    presents = [m for m in convoques if m.pk in presences and presences[m.pk].compte]
    votants = [m for m in convoques if m.role in ROLES_VOTANTS]
    votants_presents = [m for m in presents if m.role in ROLES_VOTANTS]
    return BilanPresences(
        reunion=reunion,
        convoques=convoques,
        votants=votants,
        presents=presents,
        votants_presents=votants_presents,
        parite_presents=_repartir(reunion.date, presents),
        non_renseignes=[m for m in convoques if m.pk not in presences],
    )


# --- The semester rule ---------------------------------------------------------------------------------------


def dates_tenues(convention: Convention) -> list[date]:
    """Dates of the held meetings of the comité de pilotage (not of its sub-committees)."""
    return sorted(
        Reunion.objects.filter(
            comite__convention=convention, comite__parent=None, statut__in=STATUTS_TENUS
        ).values_list("date", flat=True)
    )


def fin_effective(convention: Convention) -> date:
    """The convention's last day: the effect date of its termination (article 12) if one is recorded, else its end
    date. Read from the dates, not from the status last written."""
    resiliation = getattr(convention, "resiliation", None)
    if resiliation is not None and resiliation.date_effet:
        return min(resiliation.date_effet, convention.date_fin)
    return convention.date_fin


def en_cours_le(convention: Convention, jour: date) -> bool:
    """A signed convention not yet ended on ``jour`` (its comité still meets and is still watched)."""
    return convention.statut != Statut.BROUILLON and jour <= fin_effective(convention)


@dataclass
class Semestre:
    debut: date
    fin: date
    tenues: list
    planifiees: list
    etat: str  # "tenu", "manque" (elapsed without a meeting), "du" (current, none held yet), "a_venir"

    @property
    def libelle(self) -> str:
        return f"{'1er' if self.debut.month == 1 else '2d'} semestre {self.debut.year}"

    @property
    def etat_libelle(self) -> str:
        return {"tenu": "réunion tenue", "manque": "sans réunion", "du": "réunion due", "a_venir": "à venir"}[self.etat]

    @property
    def classe(self) -> str:
        return {"tenu": "faite", "manque": "en_retard", "du": "proche", "a_venir": "a_venir"}[self.etat]


def semestres_comite(convention: Convention, aujourd_hui: date | None = None) -> list[Semestre]:
    """Every half-year of the convention (up to its effective end) with its held and planned meetings."""
    aujourd_hui = aujourd_hui or horloge.aujourd_hui()
    reunions = list(
        Reunion.objects.filter(comite__convention=convention, comite__parent=None)
        .exclude(statut=StatutReunion.ANNULEE)
        .select_related("comite")
    )
    resultat = []
    for debut, fin in semestres(convention.date_debut, fin_effective(convention)):
        tenues = [r for r in reunions if debut <= r.date <= fin and r.est_tenue]
        planifiees = [r for r in reunions if debut <= r.date <= fin and r.statut == StatutReunion.PLANIFIEE]
        if tenues:
            etat = "tenu"
        elif fin < aujourd_hui:
            etat = "manque"
        elif debut <= aujourd_hui:
            etat = "du"
        else:
            etat = "a_venir"
        resultat.append(Semestre(debut, fin, tenues, planifiees, etat))
    return resultat


def semestres_sans_reunion(convention: Convention, aujourd_hui: date | None = None) -> list[Semestre]:
    """The half-years already over without a held meeting of the comité de pilotage."""
    return [s for s in semestres_comite(convention, aujourd_hui) if s.etat == "manque"]
