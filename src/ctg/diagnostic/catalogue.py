"""The catalogue of the territorial diagnostic: every indicator as data.

An indicator says what it measures (libellé, definition, formula in words, unit), which CTG domain it
belongs to, where its figures come from (dataset ids of ``ctg.donnees.jeux``, or ``territoires`` for the
population of the Code officiel géographique) and how it aggregates from the communes to the EPCI, the
département and France:

- ``somme``: a count that adds up over communes;
- ``ratio``: a rate recomputed at each level from the summed numerator and denominator
  (Σ numérateur ÷ Σ dénominateur × facteur), never a mean of the communes' rates;
- ``officiel_ou_ratio``: the rate published by data.caf.fr for that level when the file of that level has
  it, else recomputed like a ``ratio`` from places and children when both are available;
- ``ecart``: the offer/need gap of childcare, max(0, taux de référence ÷ 100 × enfants − places), computed
  at each level from the territory's places and children and the rate of its département or of France.

The computation lives in ``ctg.diagnostic.calcul``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from ctg.conventions.models import Domaine
from ctg.donnees.jeux import JEUX

from .regles import SOURCE_DISPENSE_SCHEMA, taux_couverture_rapport_onape, texte_seuil_bas_revenus

TERRITOIRES = "territoires"
"""Pseudo-dataset: the communes of the Code officiel géographique and their population municipale."""

VARIABLES_TERRITOIRES = {
    "population": "population municipale (COG)",
    "communes": "communes",
    "communes_moins_3500": "communes de 3 500 habitants ou moins",
    "communes_3500_10000": "communes de plus de 3 500 et jusqu'à 10 000 habitants",
    "communes_plus_10000": "communes de plus de 10 000 habitants",
}


class Agregation(StrEnum):
    SOMME = "somme"
    RATIO = "ratio"
    OFFICIEL_OU_RATIO = "officiel_ou_ratio"
    ECART = "ecart"


@dataclass(frozen=True)
class Terme:
    """A quantity read from one dataset: the sum of ``variables`` of one observation (or commune)."""

    dataset: str
    variables: tuple[str, ...]

    @property
    def libelle(self) -> str:
        noms = VARIABLES_TERRITOIRES if self.dataset == TERRITOIRES else JEUX[self.dataset].variables
        return " + ".join(noms[v] for v in self.variables)


@dataclass(frozen=True)
class Indicateur:
    code: str
    libelle: str
    domaine: str  # a ctg.conventions.models.Domaine value
    definition: str
    formule: str
    unite: str
    agregation: Agregation
    numerateur: Terme | None = None
    denominateur: Terme | None = None
    officiel: Terme | None = None  # officiel_ou_ratio: the published rate (data.caf.fr)
    facteur: float = 1.0
    reference: str | None = None  # ecart: "departement" or "france"
    decimales: int = 0
    contexte: bool = False  # demographic context (portrait du territoire) rather than a CTG field of action
    precision: Callable[[int], str] | None = None  # a sentence of the definition that depends on the data's year
    sources: tuple[str, ...] = field(init=False)

    def __post_init__(self):
        termes = [t for t in (self.officiel, self.numerateur, self.denominateur) if t is not None]
        sources = []
        for terme in termes:
            if terme.dataset not in sources:
                sources.append(terme.dataset)
        object.__setattr__(self, "sources", tuple(sources))

    @property
    def domaine_libelle(self) -> str:
        return Domaine(self.domaine).label

    def definition_pour(self, annee: int | None) -> str:
        """The definition for the data of ``annee`` (a threshold revised every year is the one of that year)."""
        if self.precision is None or annee is None:
            return self.definition
        return f"{self.definition} {self.precision(annee)}"

    @property
    def datasets_principaux(self) -> tuple[str, ...]:
        """The datasets whose year is the indicator's year (the others take their nearest vintage)."""
        principaux = []
        for terme in (self.officiel, self.numerateur):
            if terme is not None and terme.dataset not in principaux:
                principaux.append(terme.dataset)
        return tuple(principaux)

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "libelle": self.libelle,
            "domaine": self.domaine,
            "domaine_libelle": self.domaine_libelle,
            "definition": self.definition,
            "formule": self.formule,
            "unite": self.unite,
            "agregation": str(self.agregation),
            "sources": list(self.sources),
            "decimales": self.decimales,
            "contexte": self.contexte,
        }


def _t(dataset: str, *variables: str) -> Terme:
    return Terme(dataset, variables)


POPULATION = _t(TERRITOIRES, "population")
ENFANTS_0_2 = _t("insee_pop", "pop0002")
FOYERS = _t("s_ben_com_f", "indfoy_ndur")

PE = Domaine.PETITE_ENFANCE.value
ENF = Domaine.ENFANCE.value
JEU = Domaine.JEUNESSE.value
PAR = Domaine.PARENTALITE.value
DROITS = Domaine.ACCES_DROITS.value
LOG = Domaine.LOGEMENT.value
SOCIAL = Domaine.ACCOMPAGNEMENT_SOCIAL.value

SECRET_CAF = (
    " Fichier Caf soumis au secret statistique : effectifs arrondis à 5, valeurs inférieures à 5 masquées "
    "(une valeur masquée n'est jamais comptée comme zéro)."
)


def _population() -> list[Indicateur]:
    return [
        Indicateur(
            "population_municipale",
            "Population municipale",
            DROITS,
            "Population municipale du Code officiel géographique (millésime de population 2023 pour le COG "
            "importé) : personnes ayant leur résidence habituelle sur le territoire de la commune.",
            "somme des populations municipales des communes",
            "habitants",
            Agregation.SOMME,
            numerateur=POPULATION,
            contexte=True,
        ),
        Indicateur(
            "enfants_0_2",
            "Enfants de moins de 3 ans",
            PE,
            "Enfants de 0 à 2 ans révolus au recensement de la population (Insee) : le public de l'accueil du "
            "jeune enfant et le dénominateur du taux de couverture en modes d'accueil.",
            "somme des enfants de 0 à 2 ans des communes",
            "enfants",
            Agregation.SOMME,
            numerateur=ENFANTS_0_2,
            contexte=True,
        ),
        Indicateur(
            "enfants_3_5",
            "Enfants de 3 à 5 ans",
            ENF,
            "Enfants de 3 à 5 ans révolus au recensement de la population (Insee) : âge de l'école maternelle et "
            "des accueils de loisirs maternels.",
            "somme des enfants de 3 à 5 ans des communes",
            "enfants",
            Agregation.SOMME,
            numerateur=_t("insee_pop", "pop0305"),
            contexte=True,
        ),
        Indicateur(
            "enfants_6_10",
            "Enfants de 6 à 10 ans",
            ENF,
            "Enfants de 6 à 10 ans révolus au recensement de la population (Insee) : âge de l'école élémentaire, "
            "public des accueils de loisirs et du périscolaire.",
            "somme des enfants de 6 à 10 ans des communes",
            "enfants",
            Agregation.SOMME,
            numerateur=_t("insee_pop", "pop0610"),
            contexte=True,
        ),
        Indicateur(
            "jeunes_11_17",
            "Jeunes de 11 à 17 ans",
            JEU,
            "Jeunes de 11 à 17 ans révolus au recensement de la population (Insee) : public des politiques "
            "jeunesse (accueils de jeunes, promeneurs du net, projets de jeunes).",
            "somme des jeunes de 11 à 17 ans des communes",
            "jeunes",
            Agregation.SOMME,
            numerateur=_t("insee_pop", "pop1117"),
            contexte=True,
        ),
        Indicateur(
            "population_0_19",
            "Population de 0 à 19 ans",
            ENF,
            "Habitants de moins de 20 ans au recensement 2021, agrégés des IRIS aux communes.",
            "somme des habitants de 0 à 19 ans des communes",
            "habitants",
            Agregation.SOMME,
            numerateur=_t("iris_pop", "pop_0_19"),
            contexte=True,
        ),
        Indicateur(
            "part_0_19",
            "Part des moins de 20 ans dans la population",
            ENF,
            "Habitants de moins de 20 ans rapportés à la population du même recensement (2021, par IRIS).",
            "Σ population de 0 à 19 ans ÷ Σ population × 100",
            "%",
            Agregation.RATIO,
            numerateur=_t("iris_pop", "pop_0_19"),
            denominateur=_t("iris_pop", "pop"),
            facteur=100,
            decimales=1,
            contexte=True,
        ),
    ]


def _seuil_de_l_annee(annee: int) -> str:
    return f"Seuil de bas revenus des données de {annee} : {texte_seuil_bas_revenus(annee)}."


def _allocataires() -> list[Indicateur]:
    indicateurs = [
        Indicateur(
            "foyers_allocataires",
            "Foyers allocataires",
            DROITS,
            "Foyers percevant au moins une prestation de la Caf en décembre de l'année (foyers allocataires "
            "« non durs », données Caf par commune de résidence)." + SECRET_CAF,
            "somme des foyers allocataires des communes",
            "foyers",
            Agregation.SOMME,
            numerateur=FOYERS,
        ),
        Indicateur(
            "personnes_couvertes",
            "Personnes couvertes par la Caf",
            DROITS,
            "Allocataires, conjoints, enfants et autres personnes à charge des foyers allocataires en décembre "
            "de l'année." + SECRET_CAF,
            "somme des personnes couvertes des communes",
            "personnes",
            Agregation.SOMME,
            numerateur=_t("s_ben_com_f", "indnbp_ndur"),
        ),
        Indicateur(
            "taux_couverture_population",
            "Taux de couverture de la population par la Caf",
            DROITS,
            "Part de la population vivant dans un foyer allocataire. Les millésimes diffèrent : personnes "
            "couvertes au 31 décembre de l'année (Caf), population municipale du COG importé (millésime 2023) ; "
            "le taux est donc indicatif. Seules les communes connues des deux sources entrent dans le calcul.",
            "Σ personnes couvertes ÷ Σ population municipale × 100",
            "%",
            Agregation.RATIO,
            numerateur=_t("s_ben_com_f", "indnbp_ndur"),
            denominateur=POPULATION,
            facteur=100,
            decimales=1,
        ),
    ]
    prestations = [
        ("af", ("indfoy_af",), "les allocations familiales", "les allocations familiales (AF)", DROITS),
        ("paje", ("indfoy_ndurpaje",), "la prestation d'accueil du jeune enfant", "la Paje", PE),
        (
            "cmg",
            ("indfoy_cmg",),
            "le complément de libre choix du mode de garde de la Paje",
            "le complément mode de garde (CMG)",
            PE,
        ),
        ("asf", ("indfoy_asf",), "l'allocation de soutien familial", "l'allocation de soutien familial (ASF)", PAR),
        (
            "aide_logement",
            ("indfoy_ndural",),
            "une aide au logement (APL, ALF ou ALS)",
            "une aide au logement",
            LOG,
        ),
        ("rsa", ("indfoy_rsa",), "le revenu de solidarité active", "le RSA", SOCIAL),
        ("ppa", ("indfoy_ppa",), "la prime d'activité", "la prime d'activité", SOCIAL),
    ]
    for code, variables, long, court, domaine in prestations:
        terme = _t("s_ben_com_f", *variables)
        indicateurs += [
            Indicateur(
                f"foyers_{code}",
                f"Foyers percevant {court}",
                domaine,
                f"Foyers allocataires percevant {long} en décembre de l'année." + SECRET_CAF,
                f"somme des foyers percevant {court} des communes",
                "foyers",
                Agregation.SOMME,
                numerateur=terme,
            ),
            Indicateur(
                f"part_foyers_{code}",
                f"Part des foyers allocataires percevant {court}",
                domaine,
                f"Foyers percevant {long} rapportés à l'ensemble des foyers allocataires, en décembre de l'année. "
                "Seules les communes dont les deux effectifs sont connus entrent dans le calcul.",
                f"Σ foyers percevant {court} ÷ Σ foyers allocataires × 100",
                "%",
                Agregation.RATIO,
                numerateur=terme,
                denominateur=FOYERS,
                facteur=100,
                decimales=1,
            ),
        ]
    bas_revenus = (
        " Bas revenus : revenu par unité de consommation inférieur à 60 % du revenu médian ("
        + texte_seuil_bas_revenus()
        + "), unités de consommation de l'échelle Caf (allocataire 1, autre adulte ou enfant de 14 ans ou plus 0,5, "
        "enfant de moins de 14 ans 0,3, +0,2 pour une famille monoparentale). Champ : hors allocataires de 65 ans ou "
        "plus et étudiants ne percevant qu'une aide au logement."
    )
    indicateurs += [
        Indicateur(
            "allocataires_bas_revenus",
            "Allocataires à bas revenus",
            SOCIAL,
            "Allocataires dont les ressources sont connues et sous le seuil de bas revenus." + bas_revenus,
            "somme des allocataires à bas revenus des communes",
            "allocataires",
            Agregation.SOMME,
            numerateur=_t("bas_revenu", "all_bas_revenu"),
            precision=_seuil_de_l_annee,
        ),
        Indicateur(
            "part_allocataires_bas_revenus",
            "Part des allocataires à bas revenus",
            SOCIAL,
            "Allocataires à bas revenus rapportés aux allocataires dont les ressources sont connues." + bas_revenus,
            "Σ allocataires à bas revenus ÷ Σ allocataires dont les ressources sont connues × 100",
            "%",
            Agregation.RATIO,
            numerateur=_t("bas_revenu", "all_bas_revenu"),
            denominateur=_t("bas_revenu", "nb_allocataires_ress"),
            facteur=100,
            decimales=1,
            precision=_seuil_de_l_annee,
        ),
        Indicateur(
            "personnes_bas_revenus",
            "Personnes couvertes à bas revenus",
            SOCIAL,
            "Personnes couvertes (allocataires, conjoints, enfants, autres personnes à charge) d'un foyer à bas "
            "revenus." + bas_revenus,
            "somme des personnes couvertes à bas revenus des communes",
            "personnes",
            Agregation.SOMME,
            numerateur=_t("bas_revenu", "pers_bas_revenu"),
            precision=_seuil_de_l_annee,
        ),
        Indicateur(
            "part_personnes_bas_revenus",
            "Part des personnes couvertes à bas revenus",
            SOCIAL,
            "Personnes couvertes à bas revenus rapportées aux personnes couvertes dont les ressources sont "
            "connues." + bas_revenus,
            "Σ personnes couvertes à bas revenus ÷ Σ personnes couvertes dont les ressources sont connues × 100",
            "%",
            Agregation.RATIO,
            numerateur=_t("bas_revenu", "pers_bas_revenu"),
            denominateur=_t("bas_revenu", "nb_pers_couv_ress"),
            facteur=100,
            decimales=1,
            precision=_seuil_de_l_annee,
        ),
    ]
    return indicateurs


# (code suffix, txcouv variable, nbpla variable, short label, definition of the places)
MODES_ACCUEIL = [
    (
        "psu",
        "txcouv_psu_col",
        "pl_psu_col",
        "accueil collectif financé par la PSU",
        "places des établissements d'accueil du jeune enfant financés par la prestation de service unique "
        "(crèches collectives, parentales, familiales, multi-accueil)",
    ),
    (
        "hors_psu",
        "txcouv_hors_psu_col",
        "pl_hors_psu_col",
        "accueil collectif hors PSU",
        "places des établissements d'accueil non financés par la PSU, principalement les micro-crèches dont les "
        "familles perçoivent le complément mode de garde de la Paje",
    ),
    (
        "prescolarisation",
        "txcouv_prescol",
        "pl_prescol",
        "préscolarisation à 2 ans",
        "enfants de 2 ans scolarisés à l'école maternelle",
    ),
    (
        "assmat",
        "txcouv_am_ind",
        "pl_am_ind",
        "assistant·e·s maternel·le·s",
        "places offertes par les assistant·e·s maternel·le·s en activité (employé·e·s directement par des "
        "particuliers)",
    ),
    (
        "garde_domicile",
        "txcouv_gad_ind",
        "pl_gad_ind",
        "garde à domicile",
        "enfants gardés par un·e salarié·e au domicile des parents",
    ),
]

TAUX_COUVERTURE = (
    "Taux de couverture en modes d'accueil (Cnaf, Observatoire national de la petite enfance) : capacité "
    "théorique d'accueil pour 100 enfants de moins de 3 ans. Il compte des places, pas des enfants, et peut "
    "dépasser 100. Valeur publiée par la Caf (data.caf.fr) pour le territoire quand le fichier de son niveau la "
    "donne ; sinon recalculée : places (fichier Onape des places) ÷ enfants de moins de 3 ans du recensement × 100, "
    "ce qui peut différer du chiffre officiel, dont le nombre d'enfants n'est pas forcément celui du recensement. "
    "Le taux de la France est celui du fichier national de data.caf.fr (txcouv_pe_nat) ; le rapport annuel de "
    f"l'Onape publie une autre série ({str(taux_couverture_rapport_onape(2022)).replace('.', ',')} places pour 100 "
    "enfants en 2022), qui n'est jamais présentée comme ce chiffre."
)
PLACES_DU_NIVEAU = (
    "Le fichier du niveau du territoire est préféré à la somme des communes quand il existe ; la France, sans "
    "fichier national des places, est la somme des départements. Une somme à laquelle manquent des communes (ou des "
    "départements) est dite partielle, avec la part de la population du territoire qu'elle couvre."
)


def _petite_enfance() -> list[Indicateur]:
    indicateurs = [
        Indicateur(
            "taux_couverture_global",
            "Taux de couverture global en modes d'accueil (moins de 3 ans)",
            PE,
            TAUX_COUVERTURE + " Capacité = places en EAJE (PSU et hors PSU) + places chez les assistant·e·s "
            "maternel·le·s + salarié·e·s à domicile + enfants de 2 ans préscolarisés.",
            "taux publié ; à défaut Σ offre totale de places ÷ Σ enfants de 0 à 2 ans × 100",
            "places pour 100 enfants",
            Agregation.OFFICIEL_OU_RATIO,
            officiel=_t("txcouv_pe", "txcouv"),
            numerateur=_t("nbpla_pe", "tot_offre"),
            denominateur=ENFANTS_0_2,
            facteur=100,
            decimales=1,
        )
    ]
    for code, taux, places, court, definition in MODES_ACCUEIL:
        indicateurs.append(
            Indicateur(
                f"taux_couverture_{code}",
                f"Taux de couverture : {court}",
                PE,
                f"Composante du taux de couverture global : {definition}, pour 100 enfants de moins de 3 ans. "
                + TAUX_COUVERTURE,
                f"taux publié ; à défaut Σ {JEUX['nbpla_pe'].variables[places]} ÷ Σ enfants de 0 à 2 ans × 100",
                "places pour 100 enfants",
                Agregation.OFFICIEL_OU_RATIO,
                officiel=_t("txcouv_pe", taux),
                numerateur=_t("nbpla_pe", places),
                denominateur=ENFANTS_0_2,
                facteur=100,
                decimales=1,
            )
        )
    for code, _taux, places, court, definition in MODES_ACCUEIL:
        indicateurs.append(
            Indicateur(
                f"places_{code}",
                f"Places d'accueil : {court}",
                PE,
                f"Nombre de places pour les enfants de moins de 3 ans : {definition} (Onape, data.caf.fr). "
                + PLACES_DU_NIVEAU,
                f"{JEUX['nbpla_pe'].variables[places]} du fichier du niveau, sinon somme des départements (France) "
                "ou des communes",
                "places",
                Agregation.SOMME,
                numerateur=_t("nbpla_pe", places),
            )
        )
    places_total = _t("nbpla_pe", "tot_offre")
    indicateurs.append(
        Indicateur(
            "places_total",
            "Offre totale d'accueil des moins de 3 ans",
            PE,
            "Capacité théorique d'accueil des enfants de moins de 3 ans, tous modes confondus : EAJE PSU et hors "
            "PSU, assistant·e·s maternel·le·s, garde à domicile, préscolarisation (Onape, data.caf.fr). "
            + PLACES_DU_NIVEAU,
            "offre totale du fichier du niveau, sinon somme des départements (France) ou des communes",
            "places",
            Agregation.SOMME,
            numerateur=places_total,
        )
    )
    ecart = (
        "Écart entre l'offre et le besoin d'accueil : places qu'il faudrait ajouter pour que le territoire atteigne "
        "le taux de couverture global {ref}, à nombre d'enfants de moins de 3 ans donné (recensement). Zéro quand "
        "le territoire l'atteint déjà. Ordre de grandeur pour le diagnostic, pas un objectif réglementaire."
    )
    indicateurs += [
        Indicateur(
            "places_manquantes_taux_departement",
            "Places manquantes pour atteindre le taux du département",
            PE,
            ecart.format(
                ref="de son département (pour un EPCI sur plusieurs départements : celui qui porte la plus "
                "grande part de sa population)"
            ),
            "max(0, taux global du département ÷ 100 × enfants de 0 à 2 ans − offre totale de places)",
            "places",
            Agregation.ECART,
            numerateur=places_total,
            denominateur=ENFANTS_0_2,
            reference="departement",
        ),
        Indicateur(
            "places_manquantes_taux_france",
            "Places manquantes pour atteindre le taux national",
            PE,
            ecart.format(
                ref="de la France (fichier national de data.caf.fr, txcouv_pe_nat ; pas le chiffre du rapport annuel "
                "de l'Onape, qui est une autre série)"
            ),
            "max(0, taux global de la France ÷ 100 × enfants de 0 à 2 ans − offre totale de places)",
            "places",
            Agregation.ECART,
            numerateur=places_total,
            denominateur=ENFANTS_0_2,
            reference="france",
        ),
    ]
    sppe = (
        "Service public de la petite enfance (loi n° 2023-1196 du 18 décembre 2023, art. 17 ; CASF L.214-1-3) : "
        "depuis le 1er janvier 2025 les communes sont autorités organisatrices de l'accueil du jeune enfant. "
        "Toute commune recense les besoins et informe et accompagne les familles ; au-delà de 3 500 habitants elle "
        "planifie aussi l'offre et soutient sa qualité ; au-delà de 10 000 habitants elle adopte un schéma "
        "pluriannuel de maintien et de développement de l'offre et met en place un relais petite enfance (au "
        "1er janvier 2026) ; elle est dispensée du schéma si sa convention territoriale globale en couvre le contenu "
        f"({SOURCE_DISPENSE_SCHEMA}). Quand la compétence est transférée à un EPCI, les seuils s'apprécient sur la "
        "population totale de l'ensemble des communes qui la lui ont transférée (CASF L.214-1-3 III) ; les nombres "
        "ci-dessous classent chaque commune selon sa propre population. Seuils appréciés ici sur la population "
        "municipale du COG importé (2023) ; la population de référence légale est en principe la population totale "
        "authentifiée : à vérifier pour une commune proche d'un seuil."
    )
    indicateurs += [
        Indicateur(
            "nombre_communes",
            "Communes autorités organisatrices de l'accueil du jeune enfant",
            PE,
            "Nombre de communes du territoire, toutes autorités organisatrices (recensement des besoins, "
            "information et accompagnement des familles). " + sppe,
            "nombre de communes",
            "communes",
            Agregation.SOMME,
            numerateur=_t(TERRITOIRES, "communes"),
        ),
        Indicateur(
            "sppe_communes_moins_3500",
            "Communes de 3 500 habitants ou moins (missions de base du SPPE)",
            PE,
            "Communes soumises aux seules missions 1 et 2 du service public de la petite enfance. " + sppe,
            "nombre de communes de 3 500 habitants ou moins",
            "communes",
            Agregation.SOMME,
            numerateur=_t(TERRITOIRES, "communes_moins_3500"),
        ),
        Indicateur(
            "sppe_communes_3500_10000",
            "Communes de plus de 3 500 à 10 000 habitants (planification et qualité)",
            PE,
            "Communes soumises aussi à la planification de l'offre et au soutien à la qualité. " + sppe,
            "nombre de communes de plus de 3 500 et au plus 10 000 habitants",
            "communes",
            Agregation.SOMME,
            numerateur=_t(TERRITOIRES, "communes_3500_10000"),
        ),
        Indicateur(
            "sppe_communes_plus_10000",
            "Communes de plus de 10 000 habitants (schéma pluriannuel et relais petite enfance)",
            PE,
            "Communes soumises à toutes les missions, dont le schéma pluriannuel de maintien et de développement "
            "de l'offre (sauf dispense quand la CTG en tient lieu) et le relais petite enfance. " + sppe,
            "nombre de communes de plus de 10 000 habitants",
            "communes",
            Agregation.SOMME,
            numerateur=_t(TERRITOIRES, "communes_plus_10000"),
        ),
    ]
    return indicateurs


def _familles() -> list[Indicateur]:
    return [
        Indicateur(
            "familles_monoparentales",
            "Familles monoparentales",
            PAR,
            "Familles composées d'un parent sans conjoint et d'au moins un enfant, au recensement (Insee).",
            "somme des familles monoparentales des communes",
            "familles",
            Agregation.SOMME,
            numerateur=_t("insee_fam", "fammono"),
        ),
        Indicateur(
            "part_familles_monoparentales",
            "Part des familles monoparentales",
            PAR,
            "Familles monoparentales rapportées à l'ensemble des familles, au recensement (Insee).",
            "Σ familles monoparentales ÷ Σ familles × 100",
            "%",
            Agregation.RATIO,
            numerateur=_t("insee_fam", "fammono"),
            denominateur=_t("insee_fam", "fam"),
            facteur=100,
            decimales=1,
        ),
    ]


CATALOGUE: tuple[Indicateur, ...] = tuple(_population() + _petite_enfance() + _familles() + _allocataires())
INDICATEURS: dict[str, Indicateur] = {i.code: i for i in CATALOGUE}


def indicateur(code_ou_indicateur: "str | Indicateur") -> Indicateur:
    if isinstance(code_ou_indicateur, Indicateur):
        return code_ou_indicateur
    try:
        return INDICATEURS[code_ou_indicateur]
    except KeyError:
        raise KeyError(f"Indicateur inconnu : « {code_ou_indicateur} ».") from None


def par_domaine() -> dict[str, list[Indicateur]]:
    """The catalogue grouped by CTG domain, in the order of ``Domaine``."""
    groupes: dict[str, list[Indicateur]] = {d: [] for d in Domaine.values}
    for ind in CATALOGUE:
        groupes[ind.domaine].append(ind)
    return {d: inds for d, inds in groupes.items() if inds}


def _verifier() -> None:
    """The catalogue keeps to the contract of ``ctg.donnees.jeux``: fail at import, not at computation."""

    def exiger(condition: bool, message: str) -> None:
        if not condition:
            raise ValueError(f"Catalogue des indicateurs : {message}")

    exiger(len(INDICATEURS) == len(CATALOGUE), "codes d'indicateurs en double")
    for ind in CATALOGUE:
        exiger(ind.domaine in Domaine.values, f"{ind.code} : domaine inconnu")
        for terme in (ind.officiel, ind.numerateur, ind.denominateur):
            if terme is None:
                continue
            exiger(terme.dataset == TERRITOIRES or terme.dataset in JEUX, f"{ind.code} : jeu {terme.dataset} inconnu")
            connues = VARIABLES_TERRITOIRES if terme.dataset == TERRITOIRES else JEUX[terme.dataset].variables
            for variable in terme.variables:
                exiger(variable in connues, f"{ind.code} : variable {variable} inconnue de {terme.dataset}")
        exiger(ind.numerateur is not None, f"{ind.code} : numérateur manquant")
        if ind.agregation in (Agregation.RATIO, Agregation.OFFICIEL_OU_RATIO, Agregation.ECART):
            exiger(ind.denominateur is not None, f"{ind.code} : dénominateur manquant")
        exiger(
            (ind.officiel is not None) == (ind.agregation == Agregation.OFFICIEL_OU_RATIO),
            f"{ind.code} : valeur officielle seulement pour officiel_ou_ratio",
        )
        if ind.agregation == Agregation.ECART:
            exiger(ind.reference in ("departement", "france"), f"{ind.code} : référence inconnue")


_verifier()
