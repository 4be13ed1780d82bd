"""The financing tables, shared by the pages and the CSV/XLSX exports: bonus per structure for a year, the communes'
commitments, the multi-year table per commune and structure with the EPCI's totals, and the import template."""

from __future__ import annotations

from decimal import Decimal

from ctg.documents.tableurs import nombre
from ctg.formats import cle_alphabetique, trier_par_nom

from .calcul import ZERO, Donnees, StatutBonus, bonus_annee, engagements_annee
from .importation import ENTETES
from .models import Document

AVERTISSEMENT_DEMO = (
    "Contient des données FICTIVES de démonstration (structures et montants marqués « démonstration »)."
)


def _somme(valeurs) -> Decimal | None:
    connues = [v for v in valeurs if v is not None]
    return sum(connues, ZERO) if connues else None


def piece(donnees: Donnees, structure, annee: int):
    pieces = donnees.financements.get((structure.pk, annee), {})
    return pieces.get(Document.COMPTE) or pieces.get(Document.BUDGET)


# --- the multi-year table: one row per amount of a structure, then the commune's totals, then the EPCI's ----------

MESURES = {  # the label of each amount, on the page and in the export
    "bonus": "Bonus territoire Caf",
    "commune": "Financement commune",
    "retenu": "dont retenu pour l'engagement Cej",
    "engagement": "Engagement Cej",
    "autres": "Autres financeurs",
}
MESURES_EPCI = {
    "bonus": "Bonus territoire Caf",
    "commune": "Financement des communes",
    "retenu": "dont retenu pour les engagements Cej",
    "engagement": "Engagements Cej",
    "autres": "Autres financeurs",
}
MESURES_STRUCTURE = ("bonus", "commune", "autres")


def mesures_commune(avec_engagement: bool) -> list[str]:
    """The rows of a commune's totals: the part counted against its Cej commitment only for a former Cej commune."""
    return ["bonus", "commune", *(["retenu"] if avec_engagement else []), "engagement", "autres"]


def entetes_pluriannuel(annees) -> list[str]:
    """The columns of the multi-year table, on its page and in its export."""
    return ["Commune", "Structure", "Type", "Montant (€)", *[nombre(str(a)) for a in annees]]


def pluriannuel(convention, donnees: Donnees | None = None) -> dict:
    """Per commune and structure, per year: the Caf's bonus territoire due, the commune's funding and the other
    financers (compte de résultat, else budget); the commune's Cej commitment and the funding counted against it
    (``retenu``: the figure of the shortfall alert, the structures it leaves out named in ``hors_engagement``);
    totals for the EPCI. Communes and structures in French alphabetical order."""
    donnees = donnees or Donnees(convention)
    annees = donnees.annees()
    bonus = {annee: {b.structure.pk: b for b in bonus_annee(convention, annee, donnees)} for annee in annees}
    engagements = {
        annee: {e.commune.code: e for e in engagements_annee(convention, annee, donnees)} for annee in annees
    }
    communes = {}
    for s in donnees.structures:
        communes.setdefault(s.commune_id, {"commune": s.commune, "structures": []})
        cellules = []
        for annee in annees:
            p = piece(donnees, s, annee)
            cellules.append(
                {
                    "annee": annee,
                    "bonus": bonus[annee][s.pk].montant,
                    "statut": bonus[annee][s.pk].statut,
                    "commune": p.montant_commune if p else None,
                    "autres": p.montant_autres if p else None,
                    "document": p.document if p else None,
                }
            )
        communes[s.commune_id]["structures"].append({"structure": s, "annees": cellules})
    resultat = []
    for code, bloc in sorted(communes.items(), key=lambda item: cle_alphabetique(item[1]["commune"].nom)):
        bloc["structures"] = trier_par_nom(bloc["structures"], nom=lambda ligne: ligne["structure"].nom)
        totaux, hors = [], []
        for i, annee in enumerate(annees):
            cellules = [ligne["annees"][i] for ligne in bloc["structures"]]
            e = engagements[annee].get(code)
            totaux.append(
                {
                    "annee": annee,
                    "bonus": sum((c["bonus"] for c in cellules), ZERO),
                    "commune": _somme(c["commune"] for c in cellules),
                    "autres": _somme(c["autres"] for c in cellules),
                    "engagement": e.engagement if e else None,
                    "engagement_statut": e.statut if e else None,
                    "retenu": e.reel if e else None,
                }
            )
            if e and e.hors_engagement and e.hors_engagement not in hors:
                hors.append(e.hors_engagement)
        avec_engagement = any(code in engagements[annee] for annee in annees)
        rangees = 3 * len(bloc["structures"]) + len(mesures_commune(avec_engagement))
        resultat.append(
            {**bloc, "totaux": totaux, "avec_engagement": avec_engagement, "hors_engagement": hors, "rangees": rangees}
        )
    total = []
    for i, annee in enumerate(annees):
        cellules = [bloc["totaux"][i] for bloc in resultat]
        total.append(
            {
                "annee": annee,
                "bonus": sum((c["bonus"] for c in cellules), ZERO),
                "commune": _somme(c["commune"] for c in cellules),
                "autres": _somme(c["autres"] for c in cellules),
                "engagement": _somme(c["engagement"] for c in cellules),
                "retenu": _somme(c["retenu"] for c in cellules),
            }
        )
    return {
        "annees": annees,
        "communes": resultat,
        "total": total,
        "demonstration": any(s.demonstration for s in donnees.structures),
    }


def graphique(tableau: dict) -> str:
    """The EPCI's totals over the years as an SVG line chart (floats only for drawing)."""
    from ctg.diagnostic.figures import graphique_evolution

    def serie(cle):
        return [(c["annee"], float(c[cle]) if c[cle] is not None else None) for c in tableau["total"]]

    series = {
        "Bonus territoire de la Caf": serie("bonus"),
        "Financement des communes": serie("commune"),
        "Engagements Cej des communes": serie("engagement"),
        "Autres financeurs": serie("autres"),
    }
    return graphique_evolution(
        series, "Financement des structures du territoire", "euros", format="svg", largeur_cm=24
    ).decode()


ENTETES_BONUS = [
    "Commune",
    "Structure",
    "Type",
    "Gestionnaire",
    "Statut",
    nombre("Bonus territoire dû (€)"),
    nombre("Montant calculé (€)"),
    nombre("CTRE places employeurs (€)"),
    "Explication",
]


def bonus_tries(convention, annee: int, donnees: Donnees | None = None) -> list:
    """The bonus of the year per structure as the page lists them: by commune, the ones to check first, then by name."""
    bonus = bonus_annee(convention, annee, donnees or Donnees(convention))
    ordre = {StatutBonus.A_VERIFIER: 0, StatutBonus.SUSPENDU: 1}
    return sorted(
        bonus,
        key=lambda b: (
            cle_alphabetique(b.structure.commune.nom),
            ordre.get(b.statut, 2),
            cle_alphabetique(b.structure.nom),
        ),
    )


def table_bonus(convention, annee: int, donnees: Donnees | None = None) -> tuple[list[str], list[list], bool]:
    """The page's table of the bonus per structure for a year (the year is in the title and the file's name)."""
    donnees = donnees or Donnees(convention)
    lignes = [
        [
            b.structure.commune.nom,
            b.structure.nom,
            b.structure.type_court,
            b.structure.gestionnaire.nom,
            b.statut_libelle,
            b.montant,
            b.montant_calcule,
            b.ctre,
            " ".join(b.explication),
        ]
        for b in bonus_tries(convention, annee, donnees)
    ]
    return ENTETES_BONUS, lignes, any(s.demonstration for s in donnees.structures)


ENTETES_ENGAGEMENTS = [
    "Année",
    "Commune",
    "Code Insee",
    nombre("Engagement Cej (€)"),
    nombre("Financement constaté (€)"),
    nombre("Écart (€)"),
    "D'après",
    "Statut",
    "Adhésion",
    "Vérification de la Caf",
    "Explication",
]


def texte_verification(v) -> str:
    if v is None:
        return ""
    qui = v.verifie_par.get_full_name() or v.verifie_par.username
    return f"{v.get_conclusion_display()} — {qui}, {v.verifie_le:%d/%m/%Y}"


def source_du_reel(e) -> str:
    if e.reel is None:
        return ""
    return "budgets prévisionnels" if e.provisoire else "comptes de résultat"


def table_engagements(
    convention, donnees: Donnees | None = None, annees: list[int] | None = None
) -> tuple[list[str], list[list], bool]:
    """The former Cej communes' commitments: the page shows one year, the export every year (same columns)."""
    donnees = donnees or Donnees(convention)
    lignes = []
    for annee in donnees.annees() if annees is None else annees:
        for e in engagements_annee(convention, annee, donnees):
            lignes.append(
                [
                    annee,
                    e.commune.nom,
                    e.commune.code,
                    e.engagement,
                    e.reel,
                    e.ecart,
                    source_du_reel(e),
                    e.statut_libelle,
                    e.adhesion.get_statut_display() if e.adhesion else "",
                    texte_verification(e.verification),
                    e.explication,
                ]
            )
    return ENTETES_ENGAGEMENTS, lignes, any(s.demonstration for s in donnees.structures)


def table_pluriannuelle(convention, donnees: Donnees | None = None) -> tuple[list[str], list[list], bool]:
    """The page's table row by row (``pluriannuel.html``): each structure's amounts, its commune's totals (the
    structures left out of the Cej commitment named after "dont retenu…"), then the EPCI's totals."""
    tableau = pluriannuel(convention, donnees)
    lignes = []
    for bloc in tableau["communes"]:
        commune = bloc["commune"].nom
        for ligne in bloc["structures"]:
            s = ligne["structure"]
            for cle in MESURES_STRUCTURE:
                lignes.append([commune, s.nom, s.type_court, MESURES[cle], *[c[cle] for c in ligne["annees"]]])
        for cle in mesures_commune(bloc["avec_engagement"]):
            libelle = " ; ".join([MESURES[cle], *bloc["hors_engagement"]]) if cle == "retenu" else MESURES[cle]
            lignes.append([commune, f"Total {commune}", "", libelle, *[c[cle] for c in bloc["totaux"]]])
    epci = convention.epci.nom
    for cle, libelle in MESURES_EPCI.items():
        lignes.append([epci, f"Total {epci}", "", libelle, *[c[cle] for c in tableau["total"]]])
    return entetes_pluriannuel(tableau["annees"]), lignes, tableau["demonstration"]


def table_modele(convention, annee: int, donnees: Donnees | None = None) -> tuple[list[str], list[list], bool]:
    """The import template: one line per structure for the year, pre-filled with what is known."""
    donnees = donnees or Donnees(convention)
    lignes = []
    for s in donnees.structures:
        p = piece(donnees, s, annee)
        lignes.append(
            [
                annee,
                s.commune_id,
                s.nom,
                s.reference,
                p.get_document_display() if p else "compte de résultat",
                p.montant_commune if p else None,
                p.montant_autres if p else None,
                p.commentaire if p else "",
            ]
        )
    return ENTETES, lignes, any(s.demonstration for s in donnees.structures)
