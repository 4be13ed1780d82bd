"""Indicators of early childhood: places by mode of care, coverage rates, the offer/need gap (data.caf.fr)."""

from ctg.donnees.jeux import JEUX

from ..regles import SOURCE_DISPENSE_SCHEMA, taux_couverture_rapport_onape
from .definitions import ENFANTS_0_2, PE, TERRITOIRES, Agregation, Indicateur, terme

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


def indicateurs() -> list[Indicateur]:
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
            officiel=terme("txcouv_pe", "txcouv"),
            numerateur=terme("nbpla_pe", "tot_offre"),
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
                officiel=terme("txcouv_pe", taux),
                numerateur=terme("nbpla_pe", places),
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
                numerateur=terme("nbpla_pe", places),
            )
        )
    places_total = terme("nbpla_pe", "tot_offre")
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
            numerateur=terme(TERRITOIRES, "communes"),
        ),
        Indicateur(
            "sppe_communes_moins_3500",
            "Communes de 3 500 habitants ou moins (missions de base du SPPE)",
            PE,
            "Communes soumises aux seules missions 1 et 2 du service public de la petite enfance. " + sppe,
            "nombre de communes de 3 500 habitants ou moins",
            "communes",
            Agregation.SOMME,
            numerateur=terme(TERRITOIRES, "communes_moins_3500"),
        ),
        Indicateur(
            "sppe_communes_3500_10000",
            "Communes de plus de 3 500 à 10 000 habitants (planification et qualité)",
            PE,
            "Communes soumises aussi à la planification de l'offre et au soutien à la qualité. " + sppe,
            "nombre de communes de plus de 3 500 et au plus 10 000 habitants",
            "communes",
            Agregation.SOMME,
            numerateur=terme(TERRITOIRES, "communes_3500_10000"),
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
            numerateur=terme(TERRITOIRES, "communes_plus_10000"),
        ),
    ]
    return indicateurs
