"""Rules of a CTG that come from its text or from French law, each with its source.

Dates follow the French civil computation of time limits: a limit of "one month" (or "six months")
from a date ends on the same day number of the following month (or six months later); when that
month has no such day, on its last day (31 January + 1 month = 28 or 29 February). ``dateutil``'s
``relativedelta`` applies exactly that rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

# --- Dates ---------------------------------------------------------------------------------------


def ajouter_mois(depart: date, mois: int) -> date:
    """``depart`` + ``mois`` months, civil computation (31/01/2024 + 1 month = 29/02/2024)."""
    return depart + relativedelta(months=mois)


def fin_maximale(date_debut: date) -> date:
    """Article 10: a convention starting in year N runs until 31 December of N+4 at the latest."""
    return date(date_debut.year + 4, 12, 31)


def fin_deuxieme_annee(date_debut: date) -> date:
    """Préambule and article 4: the last day of the convention's second year (1/1/2022 -> 31/12/2023).

    The period ends the day before the same date two years later; when that date does not exist
    (a start on 29 February), it ends on the last day of February.
    """
    anniversaire = date_debut + relativedelta(years=2)
    if anniversaire.day != date_debut.day:
        return anniversaire
    return anniversaire - timedelta(days=1)


def semestres(date_debut: date, date_fin: date) -> list[tuple[date, date]]:
    """The calendar half-years (1 Jan–30 Jun, 1 Jul–31 Dec) that the period touches (article 6, annexe 2)."""
    resultat = []
    debut = date(date_debut.year, 1 if date_debut.month <= 6 else 7, 1)
    while debut <= date_fin:
        fin = date(debut.year, 6, 30) if debut.month == 1 else date(debut.year, 12, 31)
        resultat.append((debut, fin))
        debut = fin + timedelta(days=1)
    return resultat


# --- Identifiant @ctes ---------------------------------------------------------------------------

NATURES_CTES = {
    "DE": "délibérations",
    "AR": "actes réglementaires",
    "AI": "actes individuels",
    "CC": "contrats, conventions et avenants",
    "BF": "documents budgétaires et financiers",
    "AU": "autres",
}
RE_CTES = re.compile(
    r"^(?P<dep>\d{2}[0-9AB])-(?P<siren>\d{9})-(?P<date>\d{8})-(?P<numero>[A-Za-z0-9_]{1,35})-(?P<nature>[A-Z]{2})$"
)


@dataclass(frozen=True)
class IdentifiantCtes:
    """The identifier @ctes gives an act sent to the préfecture: DDD-SIREN-YYYYMMDD-NUMERO-NATURE."""

    departement: str  # on 3 characters: 059, 02A, 971
    siren: str
    date: date
    numero: str
    nature: str

    def __str__(self):
        return f"{self.departement}-{self.siren}-{self.date:%Y%m%d}-{self.numero}-{self.nature}"

    @property
    def code_departement(self) -> str:
        """The département code as the COG writes it: 059 -> 59, 02A -> 2A, 971 -> 971."""
        return self.departement[1:] if self.departement.startswith("0") else self.departement

    @property
    def nature_libelle(self) -> str:
        return NATURES_CTES[self.nature]


class IdentifiantCtesInvalide(ValueError):
    pass


def analyser_ctes(texte: str) -> IdentifiantCtes:
    """Parse and check an @ctes identifier; raise ``IdentifiantCtesInvalide`` with a French message."""
    brut = (texte or "").strip()
    m = RE_CTES.match(brut)
    if not m:
        raise IdentifiantCtesInvalide(
            f"Identifiant @ctes « {brut} » mal formé : attendu DDD-SIREN-AAAAMMJJ-NUMERO-NATURE "
            "(ex. 059-200068500-20211221-D2021_12_10_01-CC)."
        )
    if m["nature"] not in NATURES_CTES:
        raise IdentifiantCtesInvalide(
            f"Nature d'acte « {m['nature']} » inconnue dans l'identifiant @ctes : "
            + ", ".join(f"{k} ({v})" for k, v in NATURES_CTES.items())
            + "."
        )
    try:
        jour = date(int(m["date"][:4]), int(m["date"][4:6]), int(m["date"][6:]))
    except ValueError:
        raise IdentifiantCtesInvalide(f"Date « {m['date']} » impossible dans l'identifiant @ctes (AAAAMMJJ).") from None
    return IdentifiantCtes(m["dep"], m["siren"], jour, m["numero"], m["nature"])


def erreurs_ctes(texte: str, siren_attendu: str, departement_attendu: str) -> list[str]:
    """The @ctes identifier must be well formed and issued by the collectivité (its SIREN and département)."""
    try:
        identifiant = analyser_ctes(texte)
    except IdentifiantCtesInvalide as exc:
        return [str(exc)]
    erreurs = []
    if identifiant.siren != siren_attendu:
        erreurs.append(
            f"Le SIREN de l'identifiant @ctes ({identifiant.siren}) n'est pas celui de la collectivité "
            f"({siren_attendu})."
        )
    if identifiant.code_departement != departement_attendu:
        erreurs.append(
            f"Le département de l'identifiant @ctes ({identifiant.departement}) n'est pas celui de la collectivité "
            f"({departement_attendu})."
        )
    return erreurs


def departement_siege(epci) -> str:
    """The département of an EPCI for @ctes: that of most of its communes (its préfecture's, in practice)."""
    from django.db.models import Count

    return departement_majoritaire(dict(epci.communes.values_list("departement_id").annotate(n=Count("code"))))


def departement_majoritaire(communes_par_departement: dict[str, int]) -> str:
    """The département holding most of an EPCI's communes (the smallest code between equals), from the number of
    its communes in each: :func:`departement_siege`, and a Caf's portfolio for many EPCI at once."""
    if not communes_par_departement:
        return ""
    return min(communes_par_departement, key=lambda code: (-communes_par_departement[code], code))


# --- Validation of a convention ------------------------------------------------------------------


def erreurs_convention(convention) -> dict[str, list[str]]:
    """Every rule a convention's own fields must follow, by field name (French messages)."""
    erreurs: dict[str, list[str]] = {}

    def ajouter(champ, message):
        erreurs.setdefault(champ, []).append(message)

    debut, fin = convention.date_debut, convention.date_fin
    if debut and fin:
        if fin < debut:
            ajouter("date_fin", f"La date de fin ({fin:%d/%m/%Y}) précède la date de début ({debut:%d/%m/%Y}).")
        elif fin > fin_maximale(debut):
            ajouter(
                "date_fin",
                f"La date de fin ({fin:%d/%m/%Y}) dépasse le 31 décembre de l'année N+4 : une convention commençant "
                f"en {debut.year} se termine au plus tard le {fin_maximale(debut):%d/%m/%Y} (article 10).",
            )
    if convention.ctes_identifiant and convention.epci_id:
        for message in erreurs_ctes(
            convention.ctes_identifiant, convention.epci_id, departement_siege(convention.epci)
        ):
            ajouter("ctes_identifiant", message)
    if convention.recu_prefecture_le and convention.envoye_prefecture_le:
        if convention.recu_prefecture_le < convention.envoye_prefecture_le:
            ajouter("recu_prefecture_le", "La date de réception en préfecture précède la date d'envoi.")
    from .models import Domaine

    inconnus = [d for d in convention.domaines or [] if d not in Domaine.values]
    if inconnus:
        ajouter("domaines", f"Domaine(s) inconnu(s) : {', '.join(inconnus)}.")
    if debut and fin and fin >= debut and convention.epci_id:
        for autre in conventions_chevauchantes(convention):
            ajouter(
                "date_debut",
                f"L'EPCI {convention.epci.nom} a déjà une convention sur cette période : {autre} "
                f"(n° {autre.pk}, du {autre.date_debut:%d/%m/%Y} au {autre.fin_effective:%d/%m/%Y}). "
                "Une intercommunalité ne peut pas avoir deux conventions sur des périodes qui se chevauchent.",
            )
    return erreurs


def conventions_chevauchantes(convention) -> list:
    """The other conventions of the same EPCI whose period (until their effective end) overlaps this one's."""
    from .models import Convention

    autres = (
        Convention.objects.filter(epci_id=convention.epci_id, date_debut__lte=convention.date_fin)
        .exclude(pk=convention.pk)
        .select_related("caf", "epci", "resiliation")
    )
    return [autre for autre in autres if autre.fin_effective >= convention.date_debut]


# --- Termination (article 12) --------------------------------------------------------------------


@dataclass(frozen=True)
class RegleResiliation:
    mode: str
    titre: str
    explication: str
    par_la_caf_seulement: bool
    delai_mois: int


REGLES_RESILIATION = {
    "mise_en_demeure": RegleResiliation(
        "mise_en_demeure",
        "Résiliation de plein droit avec mise en demeure",
        "En cas de non-respect par l'une des parties de l'une de ses obligations, la convention peut être résiliée "
        "de plein droit par l'une ou l'autre partie, à l'expiration d'un délai d'un mois suivant l'envoi d'une lettre "
        "recommandée avec avis de réception valant mise en demeure, restée infructueuse.",
        False,
        1,
    ),
    "infraction": RegleResiliation(
        "infraction",
        "Résiliation de plein droit par la Caf pour infraction aux lois et règlements",
        "Les infractions de l'une ou l'autre des parties aux lois et règlements en vigueur entraînent la résiliation "
        "de plein droit par la Caf, à l'expiration d'un délai d'un mois suivant l'envoi d'une lettre recommandée avec "
        "avis de réception valant mise en demeure, restée infructueuse.",
        True,
        1,
    ),
    "sans_avenant": RegleResiliation(
        "sans_avenant",
        "Résiliation de plein droit sans mise en demeure",
        "La convention est résiliée de plein droit par la Caf, sans mise en demeure ni formalité judiciaire, en cas de "
        "modification de l'un de ses termes sans la signature d'un avenant. La résiliation prend effet immédiatement.",
        True,
        0,
    ),
    "denonciation": RegleResiliation(
        "denonciation",
        "Dénonciation par l'une ou l'autre des parties",
        "La convention peut être dénoncée par l'une ou l'autre des parties moyennant un délai de prévenance de "
        "six mois.",
        False,
        6,
    ),
}
EFFETS_RESILIATION = (
    "La résiliation entraîne l'arrêt immédiat des engagements des parties, sans préjudice de tous autres droits et "
    "de tous dommages et intérêts."
)


@dataclass(frozen=True)
class CalculResiliation:
    mode: str
    date_envoi: date
    date_effet: date
    date_effet_theorique: date
    explication: str


def calculer_resiliation(mode: str, date_envoi: date, date_fin_convention: date | None = None) -> CalculResiliation:
    """Article 12: the date a termination takes effect, from the sending of the letter or of the notice.

    mise_en_demeure, infraction: one month after the registered letter; sans_avenant: at once;
    denonciation: six months after the notice. The convention ends at its own end date if that comes first.
    """
    if mode not in REGLES_RESILIATION:
        raise ValueError(f"Mode de résiliation « {mode} » inconnu : {', '.join(REGLES_RESILIATION)}.")
    regle = REGLES_RESILIATION[mode]
    theorique = ajouter_mois(date_envoi, regle.delai_mois)
    effet = theorique
    explication = regle.explication
    if regle.delai_mois:
        delai = "un mois" if regle.delai_mois == 1 else f"{regle.delai_mois} mois"
        explication += f" Envoi le {date_envoi:%d/%m/%Y} + {delai} : effet le {theorique:%d/%m/%Y}."
    else:
        explication += f" Effet le {theorique:%d/%m/%Y}."
    if date_fin_convention and theorique > date_fin_convention:
        effet = date_fin_convention
        explication += (
            f" La convention arrive à son terme le {date_fin_convention:%d/%m/%Y}, avant cette date : elle prend fin "
            "à son terme."
        )
    return CalculResiliation(mode, date_envoi, effet, theorique, explication)
