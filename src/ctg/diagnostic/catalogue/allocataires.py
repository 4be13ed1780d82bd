"""Indicators of the Caf's allocataires: low incomes, benefits, dependence on benefits (data.caf.fr)."""

from ..regles import texte_seuil_bas_revenus
from .definitions import DROITS, FOYERS, LOG, PAR, PE, POPULATION, SECRET_CAF, SOCIAL, Agregation, Indicateur, terme


def _seuil_de_l_annee(annee: int) -> str:
    return f"Seuil de bas revenus des données de {annee} : {texte_seuil_bas_revenus(annee)}."


def indicateurs() -> list[Indicateur]:
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
            numerateur=terme("s_ben_com_f", "indnbp_ndur"),
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
            numerateur=terme("s_ben_com_f", "indnbp_ndur"),
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
        foyers_percevant = terme("s_ben_com_f", *variables)
        indicateurs += [
            Indicateur(
                f"foyers_{code}",
                f"Foyers percevant {court}",
                domaine,
                f"Foyers allocataires percevant {long} en décembre de l'année." + SECRET_CAF,
                f"somme des foyers percevant {court} des communes",
                "foyers",
                Agregation.SOMME,
                numerateur=foyers_percevant,
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
                numerateur=foyers_percevant,
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
            numerateur=terme("bas_revenu", "all_bas_revenu"),
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
            numerateur=terme("bas_revenu", "all_bas_revenu"),
            denominateur=terme("bas_revenu", "nb_allocataires_ress"),
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
            numerateur=terme("bas_revenu", "pers_bas_revenu"),
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
            numerateur=terme("bas_revenu", "pers_bas_revenu"),
            denominateur=terme("bas_revenu", "nb_pers_couv_ress"),
            facteur=100,
            decimales=1,
            precision=_seuil_de_l_annee,
        ),
    ]
    return indicateurs


# (code suffix, txcouv variable, nbpla variable, short label, definition of the places)
