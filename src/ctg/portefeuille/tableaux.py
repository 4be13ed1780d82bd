"""The portfolio's tables as their pages show them and their CSV and XLSX exports write them
(``ctg.documents.tableurs``): a département's EPCI, its renewals to prepare, the national view per département.
The département's table with every column (SIREN, type, population of the member communes, demonstration:
``calcul.ENTETES`` / ``calcul.ligne_tableau``, also printed by ``ctg portefeuille``) is its second export,
« toutes les colonnes »."""

from __future__ import annotations

from ctg.documents.tableurs import TableauExporte, nombre

from .calcul import ENTETES, ligne_tableau

AVERTISSEMENT_DEMO = (
    "Données de démonstration : les conventions, structures et montants marqués « démonstration » sont FICTIFS."
)
ENTETES_RENOUVELLEMENTS = ["EPCI", "Fin", "Renouvellement"]


def entetes_national(annee: int) -> list[str]:
    return [
        "Département",
        "Caf",
        nombre("EPCI"),
        nombre("avec CTG en vigueur"),
        nombre("sans"),
        nombre("Communes couvertes"),
        nombre("Population couverte (%)"),
        nombre("Renouvellements à préparer"),
        nombre("Échéances en retard"),
        nombre(f"Bonus territoire {annee} (€)"),
    ]


def _avertissement(resultat) -> str:
    return AVERTISSEMENT_DEMO if resultat.demonstration else ""


def renouvellements(resultat) -> TableauExporte:
    lignes = []
    for lg in resultat.renouvellements:
        r = lg.renouvellement
        suite = f"{r.date_debut:%Y}–{r.date_fin:%Y} : {r.libelle_statut_du_jour.lower()}" if r else "à préparer"
        nom = lg.nom + (" (démonstration)" if lg.demonstration else "")
        lignes.append([nom, f"{lg.convention.fin_effective:%d/%m/%Y}", suite])
    return TableauExporte(
        f"Renouvellements à préparer — {resultat.caf} — {resultat.jour:%d/%m/%Y}",
        ENTETES_RENOUVELLEMENTS,
        lignes,
        f"renouvellements-{resultat.departement.code}-{resultat.jour:%Y%m%d}",
        _avertissement(resultat),
        "Renouvellements",
    )


def _ligne_nationale(premiere: list, c, retards, bonus) -> list:
    return [
        *premiere,
        c.epci,
        c.epci_couverts,
        c.epci_sans_ctg,
        f"{c.communes_couvertes} sur {c.communes}",
        "" if c.taux_population is None else round(c.taux_population, 1),
        c.renouvellements,
        retards,
        bonus,
    ]


def national(vue) -> TableauExporte:
    lignes = [
        _ligne_nationale(
            [f"{lg.departement.code} — {lg.departement.nom}", lg.caf],
            lg.couverture,
            lg.echeances_en_retard,
            lg.bonus_annee,
        )
        for lg in vue.lignes
    ]
    lignes.append(_ligne_nationale(["France", ""], vue.total, vue.echeances_en_retard, vue.bonus_annee))
    return TableauExporte(
        f"Portefeuille national des CTG — {vue.jour:%d/%m/%Y}",
        entetes_national(vue.annee),
        lignes,
        f"portefeuille-national-{vue.jour:%Y%m%d}",
        _avertissement(vue),
        "National",
    )


def entetes_departement(annee: int) -> list[str]:
    """The columns of a département's table of EPCI, on its page and in its export."""
    return [
        "EPCI",
        nombre("Population"),
        nombre("Communes"),
        "Situation",
        "Période",
        nombre("Communes adhérentes"),
        nombre("Échéances en retard"),
        "Renouvellement",
        nombre(f"Bonus territoire {annee} (€)"),
    ]


def _ligne_departement(lg) -> list:
    r = lg.renouvellement
    if r is not None:
        renouvellement = f"{r.date_debut:%Y}–{r.date_fin:%Y} : {r.libelle_statut_du_jour.lower()}"
    else:
        renouvellement = "à préparer" if lg.a_renouveler else ""
    return [
        lg.nom,
        lg.population,
        lg.communes,
        lg.situation_libelle + (" (démonstration)" if lg.demonstration else ""),
        lg.periode,
        "" if lg.communes_adherentes is None else lg.communes_adherentes,
        len(lg.en_retard) if lg.convention is not None else "",
        renouvellement,
        "" if lg.bonus is None else lg.bonus,
    ]


def departement(resultat, toutes_les_colonnes: bool = False) -> TableauExporte:
    """The département's table of EPCI as its page shows it; with ``toutes_les_colonnes``, every column of
    ``calcul.ENTETES`` (SIREN, type, population of the member communes, demonstration)."""
    if toutes_les_colonnes:
        entetes, lignes = ENTETES, [ligne_tableau(lg) for lg in resultat.lignes]
    else:
        entetes, lignes = entetes_departement(resultat.annee), [_ligne_departement(lg) for lg in resultat.lignes]
    return TableauExporte(
        f"Portefeuille des CTG — {resultat.caf} — {resultat.jour:%d/%m/%Y}",
        entetes,
        lignes,
        f"portefeuille-{resultat.departement.code}-{resultat.jour:%Y%m%d}"
        + ("-complet" if toutes_les_colonnes else ""),
        _avertissement(resultat),
        "Portefeuille",
    )
