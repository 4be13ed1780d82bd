"""Rules of the diagnostic that come from a legal or statistical source.

Each rule is a function whose docstring names its source; ``tests/diagnostic/test_regles.py`` checks each one
against the example its source gives. A figure the sources do not give for a year is ``None`` and says so: it is
never interpolated nor carried over from another year.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

# --- seuil de bas revenus (Caf) ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SeuilBasRevenus:
    annee: int
    montant: int  # euros per month and per consumption unit
    date: str  # when the threshold applies, as the source words it ("en 2016", "au 31/12/2019")
    source: str

    @property
    def libelle(self) -> str:
        return f"{_milliers(self.montant)}\u00a0€ par mois {self.date}"


SEUILS_BAS_REVENUS: dict[int, SeuilBasRevenus] = {
    s.annee: s
    for s in (
        SeuilBasRevenus(
            2016,
            1045,
            "en 2016",
            "Caf, définition des allocataires à bas revenus (données au 31/12/2016), reprise par l'observatoire "
            "départemental de Loir-et-Cher (pilote41.com, « Ménages à bas revenus »)",
        ),
        SeuilBasRevenus(
            2019,
            1097,
            "au 31/12/2019",
            "Caf, data.caf.fr, jeu « bénéficiaires à bas revenus » (définition), reprise par l'observatoire "
            "de la précarité et du mal-logement des Hauts-de-Seine (glossaire « bas revenus »)",
        ),
    )
}


def seuil_bas_revenus(annee: int) -> SeuilBasRevenus | None:
    """The Caf's low-income threshold for the data of ``annee``: 60 % of the median income per consumption unit,
    in euros per month (Caf scale of consumption units: allocataire 1, other adult or child aged 14 or more 0.5,
    child under 14 0.3, +0.2 for a single-parent family).

    Sources: the Caf's definition of « allocataires à bas revenus » as published with its data: 1 045 € per month in
    2016, 1 097 € per month at 31/12/2019 (see ``SEUILS_BAS_REVENUS`` for where each is quoted). The threshold is
    revised every year; a year the sources above do not give returns ``None``."""
    return SEUILS_BAS_REVENUS.get(annee)


def texte_seuil_bas_revenus(annee: int | None = None) -> str:
    """The threshold in words for the data of ``annee``; without a year, every threshold CTG knows."""
    if annee is None:
        connus = ", ".join(s.libelle for s in SEUILS_BAS_REVENUS.values())
        return f"seuils connus de CTG : {connus} ; le seuil est révisé chaque année"
    seuil = seuil_bas_revenus(annee)
    if seuil is None:
        return f"non connu de CTG pour {annee} (publié chaque année par la Caf : à vérifier auprès d'elle)"
    return seuil.libelle


# --- the national coverage rate of the Onape report -----------------------------------------------------------

TAUX_COUVERTURE_ONAPE = {2022: 60.3}


def taux_couverture_rapport_onape(annee: int) -> float | None:
    """The national coverage rate of the Onape's yearly report, in places per 100 children under 3.

    Source: Observatoire national de la petite enfance, report 2024, and the Cnaf press release of 16 December 2024:
    60.3 places per 100 children under 3 in 2022 (1,312,000 places, +0.9 point on 2021).

    It is not the series of the national file of data.caf.fr (``txcouv_pe_nat``: 59.5 for 2022): the two are never
    shown as the same figure. The diagnostic compares territories with the imported national file only; this
    figure is for a text that quotes the report, with its name. ``None`` for a year this report does not give."""
    return TAUX_COUVERTURE_ONAPE.get(annee)


# --- service public de la petite enfance ---------------------------------------------------------------------

SEUIL_SPPE_PLANIFICATION = 3500
SEUIL_SPPE_SCHEMA = 10000

SOURCE_SPPE = "loi n° 2023-1196 du 18 décembre 2023, art. 17 ; CASF L.214-1-3"
SOURCE_DISPENSE_SCHEMA = "CASF L.214-2 III ; décret n° 2025-253 du 20 mars 2025, CASF D.214-10-1"

RECENSER = "recenser les besoins des familles en matière d'accueil du jeune enfant"
INFORMER = "informer et accompagner les familles"
PLANIFIER = "planifier le développement des modes d'accueil"
SOUTENIR = "soutenir la qualité des modes d'accueil"
SCHEMA = "adopter un schéma pluriannuel de maintien et de développement de l'offre"
RELAIS = "mettre en place un relais petite enfance (au 1er janvier 2026)"


def categorie_sppe(population: int | None) -> str | None:
    """``toutes`` (3,500 inhabitants or fewer), ``plus_3500`` (over 3,500, up to 10,000) or ``plus_10000``.

    Source: CASF L.214-1-3 II (loi n° 2023-1196, art. 17): every commune recenses needs and informs families (1° and
    2°); communes of more than 3,500 inhabitants also plan the offer and support its quality (3° and 4°); those of
    more than 10,000 adopt the schéma pluriannuel (L.214-2) and run a relais petite enfance (L.214-2-1). ``None``
    when the population is unknown."""
    if population is None:
        return None
    if population > SEUIL_SPPE_SCHEMA:
        return "plus_10000"
    if population > SEUIL_SPPE_PLANIFICATION:
        return "plus_3500"
    return "toutes"


def population_reference_sppe(
    commune: str, populations: Mapping[str, int | None], transferees: Collection[str] = ()
) -> int | None:
    """The number of inhabitants the SPPE thresholds are read on for ``commune``.

    Source: CASF L.214-1-3 III: where an EPCI (or a syndicat mixte) exercises the competences of autorité
    organisatrice, the number of inhabitants taken into account is the total population of all the communes that
    transferred their competences to it. ``transferees`` are those communes; a commune that kept its competence is
    read on its own population. ``None`` when one of the populations needed is unknown."""
    if commune not in transferees:
        return populations.get(commune)
    total = 0
    for code in transferees:
        population = populations.get(code)
        if population is None:
            return None
        total += population
    return total


def schema_sppe(population: int | None, ctg_tient_lieu: bool | None = None) -> str | None:
    """Whether the autorité organisatrice must draw up the schéma pluriannuel: ``non_concerne`` (10,000 inhabitants
    or fewer), ``obligatoire``, ``dispense`` (its CTG covers the content of the schéma), or ``sous_reserve`` (over
    10,000 and nobody said yet whether its CTG covers that content). ``None`` when the population is unknown.

    Sources: CASF L.214-1-3 II (the schéma for communes of more than 10,000 inhabitants); CASF L.214-2 III and
    décret n° 2025-253 (CASF D.214-10-1): a commune whose convention territoriale globale with the Caf covers the
    content of the schéma as D.214-10-1 defines it is exempt from drawing one up: the CTG stands for it."""
    categorie = categorie_sppe(population)
    if categorie is None:
        return None
    if categorie != "plus_10000":
        return "non_concerne"
    if ctg_tient_lieu is None:
        return "sous_reserve"
    return "dispense" if ctg_tient_lieu else "obligatoire"


def obligations_sppe(population: int | None, ctg_tient_lieu: bool | None = None) -> list[str]:
    """What an autorité organisatrice of this population must do (CASF L.214-1-3 II), the schéma worded as
    ``schema_sppe`` decides (exempt where the CTG covers its content: CASF L.214-2 III, D.214-10-1)."""
    categorie = categorie_sppe(population)
    if categorie is None:
        return []
    if categorie == "toutes":
        return [RECENSER, INFORMER]
    if categorie == "plus_3500":
        return [RECENSER, INFORMER, PLANIFIER, SOUTENIR]
    schema = {
        "obligatoire": SCHEMA,
        "sous_reserve": f"{SCHEMA}, sauf si la CTG en couvre le contenu et en tient lieu ({SOURCE_DISPENSE_SCHEMA})",
        "dispense": (
            "schéma pluriannuel de maintien et de développement de l'offre : dispense, la CTG en couvre le contenu "
            f"et en tient lieu ({SOURCE_DISPENSE_SCHEMA})"
        ),
    }[schema_sppe(population, ctg_tient_lieu)]
    return [RECENSER, INFORMER, PLANIFIER, SOUTENIR, schema, RELAIS]


# --- helpers -------------------------------------------------------------------------------------------------


def _milliers(n: int) -> str:
    return f"{n:,}".replace(",", "\u00a0")
