"""The portfolio's other tables as their pages show them and their CSV and XLSX exports write them
(``ctg.documents.tableurs``): a département's renewals to prepare, the national view per département. The table of
a département's EPCI is ``calcul.ENTETES`` / ``calcul.ligne_tableau``."""

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


def departement(resultat) -> TableauExporte:
    """The département's table of EPCI (``calcul.ENTETES``), as ``views.departement_export`` writes it."""
    return TableauExporte(
        f"Portefeuille des CTG — {resultat.caf} — {resultat.jour:%d/%m/%Y}",
        ENTETES,
        [ligne_tableau(lg) for lg in resultat.lignes],
        f"portefeuille-{resultat.departement.code}-{resultat.jour:%Y%m%d}",
        _avertissement(resultat),
        "Portefeuille",
    )
