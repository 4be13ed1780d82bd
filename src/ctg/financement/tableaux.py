"""The other financing tables of the pages, as their CSV and XLSX exports write them (``ctg.documents.tableurs``): the
Cej references of a convention, a commune's commitment and the Caf's verifications, a structure's capacity, funding
and bonus per year, the national rates, a simulation's result. Each page renders the same headers (``ENTETES_…``)
over the same rows; the bonus and commitments of the convention's page are in ``exports``."""

from __future__ import annotations

from django.utils import timezone

from ctg.documents.tableurs import TableauExporte, date_cellule, nombre
from ctg.formats import cle_alphabetique

from .calcul import Donnees, bonus_structure, engagement_commune
from .exports import AVERTISSEMENT_DEMO
from .models import Bareme, Nature, TypeStructure, Verification
from .textes import euros
from .textes import nombre as texte_nombre

ENTETES_CEJ = ["Commune", "Cej", "Période", "Année N-1", "Structures"]
ENTETES_ENGAGEMENT_COMMUNE = [
    "Année",
    nombre("Engagement Cej (€)"),
    nombre("Financement constaté (€)"),
    nombre("Écart (€)"),
    "D'après",
    "Statut",
    "Détail par structure",
]
ENTETES_VERIFICATIONS = ["Année", "Conclusion", "Par", "Le", "Documents examinés"]
ENTETES_CAPACITES = [
    "À compter du",
    nombre("Places"),
    nombre("dont employeurs"),
    nombre("Heures / an"),
    nombre("ETP"),
]
ENTETES_FINANCEMENTS = ["Année", "Document", nombre("Commune (€)"), nombre("Autres financeurs (€)")]
ENTETES_BONUS_STRUCTURE = [
    "Année",
    "Statut",
    nombre("Bonus dû (€)"),
    nombre("CTRE places employeurs (€)"),
    "Explication",
]
ENTETES_BAREMES = ["Tranche ou palier", "Unité", nombre("Montant"), "Conditions", "Validité", "Arrondi"]
ENTETES_SIMULATION = [
    "Année",
    "Statut",
    nombre("Bonus territoire de la crèche (€)"),
    nombre("dont bonus trajectoire (€)"),
    nombre("Progression des places du territoire depuis 2023 (sans la crèche → avec)"),
    nombre("Bonus trajectoire gagné par les autres structures (€)"),
    "Explication",
]


def _vide(valeur):
    return "" if valeur is None else valeur


def _demo(structures) -> str:
    return AVERTISSEMENT_DEMO if any(s.demonstration for s in structures) else ""


def _personne(user) -> str:
    return user.get_full_name() or user.username


# --- the convention ----------------------------------------------------------------------------------------------


def cej_tries(donnees: Donnees) -> list:
    return sorted(donnees.cejs, key=lambda c: (cle_alphabetique(c.commune.nom), c.date_debut))


def texte_ligne_cej(ligne) -> str:
    unites = f" ({texte_nombre(ligne.unites_reference)} unités)" if ligne.unites_reference else ""
    return (
        f"{ligne.structure.nom} : N-1 {euros(ligne.montant_n1)}{unites}, engagement {euros(ligne.engagement_commune)}"
    )


def cej(convention, cejs) -> TableauExporte:
    lignes = []
    for c in cejs:
        intitule = f"{c.intitule}\n{c.actions}" if c.actions else c.intitule
        structures = "\n".join(texte_ligne_cej(ligne) for ligne in c.lignes.all())
        periode = f"{date_cellule(c.date_debut)} – {date_cellule(c.date_fin)}"
        lignes.append([c.commune.nom, intitule, periode, c.annee_reference, structures])
    return TableauExporte(
        f"Contrats enfance jeunesse de référence — {convention.epci.nom}",
        ENTETES_CEJ,
        lignes,
        f"financement-{convention.epci.code}-cej",
        feuille="Cej",
    )


# --- a commune ---------------------------------------------------------------------------------------------------


def engagements_de(donnees: Donnees, commune) -> list:
    """The commune's commitment per year of the convention (none before its Cej ends)."""
    return [e for e in (engagement_commune(donnees, commune, a) for a in donnees.annees()) if e]


def _detail_engagement(e) -> str:
    details = []
    for ligne in e.lignes:
        document = ""
        if ligne.document:
            document = " (budget prévisionnel)" if ligne.document == "budget" else " (compte de résultat)"
        details.append(
            f"{ligne.structure.nom} : prévu {euros(ligne.engagement)}, constaté {euros(ligne.reel)}{document}"
        )
    return "\n".join([*details, e.explication])


def engagement_commune_tableau(convention, commune, engagements, donnees: Donnees) -> TableauExporte:
    from .exports import source_du_reel

    lignes = [
        [
            e.annee,
            _vide(e.engagement),
            _vide(e.reel),
            _vide(e.ecart),
            source_du_reel(e),
            e.statut_libelle,
            _detail_engagement(e),
        ]
        for e in engagements
    ]
    return TableauExporte(
        f"Engagement de maintien des financements — {commune.nom}",
        ENTETES_ENGAGEMENT_COMMUNE,
        lignes,
        f"financement-{commune.code}-engagement",
        _demo(donnees.structures_de(commune.code)),
        "Engagement",
    )


def verifications_de(convention, commune):
    return Verification.objects.filter(convention=convention, commune=commune).select_related("verifie_par")


def verifications(convention, commune, liste) -> TableauExporte:
    lignes = []
    for v in liste:
        documents = "\n".join(x for x in (v.documents, v.commentaire, v.fichier_nom) if x)
        quand = date_cellule(timezone.localtime(v.verifie_le), "%d/%m/%Y %H:%M")
        lignes.append([v.annee, v.get_conclusion_display(), _personne(v.verifie_par), quand, documents])
    return TableauExporte(
        f"Vérifications de la Caf — {commune.nom}",
        ENTETES_VERIFICATIONS,
        lignes,
        f"financement-{commune.code}-verifications",
        feuille="Vérifications",
    )


# --- a structure -------------------------------------------------------------------------------------------------


def bonus_par_annee(donnees: Donnees, structure) -> list:
    return [bonus_structure(donnees, structure, annee) for annee in donnees.annees()]


def _avertissement(structure) -> str:
    return _demo([structure])


def capacites(structure, liste) -> TableauExporte:
    lignes = [[date_cellule(c.depuis), c.places, c.places_employeurs, _vide(c.heures), _vide(c.etp)] for c in liste]
    return TableauExporte(
        f"Capacité — {structure.nom}",
        ENTETES_CAPACITES,
        lignes,
        f"structure-{structure.pk}-capacite",
        _avertissement(structure),
        "Capacité",
    )


def financements(structure, liste) -> TableauExporte:
    lignes = [[f.annee, f.get_document_display(), _vide(f.montant_commune), _vide(f.montant_autres)] for f in liste]
    return TableauExporte(
        f"Financements constatés — {structure.nom}",
        ENTETES_FINANCEMENTS,
        lignes,
        f"structure-{structure.pk}-financements",
        _avertissement(structure),
        "Financements",
    )


def bonus(structure, annees) -> TableauExporte:
    lignes = [[b.annee, b.statut_libelle, b.montant, b.ctre, "\n".join(b.explication)] for b in annees]
    return TableauExporte(
        f"Bonus territoire par année — {structure.nom}",
        ENTETES_BONUS_STRUCTURE,
        lignes,
        f"structure-{structure.pk}-bonus",
        _avertissement(structure),
        "Bonus",
    )


# --- the national rates and a simulation -------------------------------------------------------------------------


def sections_baremes(aujourd_hui) -> list[dict]:
    """The rates grouped by type of structure and nature, in the order of their choices; each rate with its
    conditions in words (``conditions``) and the ones in force today listed."""
    types, natures = list(TypeStructure.values), list(Nature.values)
    lignes = sorted(
        Bareme.objects.select_related("cree_par", "remplace"),
        key=lambda b: (types.index(b.type_structure), natures.index(b.nature), b.unite, b.tranche, b.valide_du),
    )
    groupes = {}
    for b in lignes:
        b.conditions = conditions_bareme(b)
        groupes.setdefault((b.type_structure, b.nature), []).append(b)
    return [
        {
            "titre": f"{TypeStructure(type_).label} — {Nature(nature).label}",
            "lignes": lignes,
            "en_vigueur": [b.pk for b in lignes if b.valable_le(aujourd_hui)],
        }
        for (type_, nature), lignes in groupes.items()
    ]


def conditions_bareme(b) -> str:
    conditions = []
    if b.seuil_potentiel_financier is not None:
        conditions.append(f"potentiel financier ≤ {texte_nombre(b.seuil_potentiel_financier, 0)} €/hab.")
    if b.seuil_revenu is not None:
        conditions.append(f"revenu ≤ {texte_nombre(b.seuil_revenu, 0)} €/hab.")
    if b.seuil_croissance is not None:
        conditions.append(f"progression ≥ {texte_nombre(b.seuil_croissance, 0)} % depuis {b.annee_base}")
    return " ; ".join(conditions) or "—"


def baremes(sections) -> TableauExporte:
    lignes = []
    for section in sections:
        for b in section["lignes"]:
            validite = b.periode + (" (en vigueur)" if b.pk in section["en_vigueur"] else "")
            source = (
                ("À confirmer. " if b.a_confirmer else "") + f"Source : {b.source}." + (f" {b.note}" if b.note else "")
            )
            lignes.append(
                [
                    section["titre"],
                    b.tranche or "—",
                    b.get_unite_display(),
                    b.montant_texte,
                    b.conditions,
                    validite,
                    b.get_arrondi_display(),
                    source,
                ]
            )
    return TableauExporte(
        "Barème du bonus territoire",
        ["Barème", *ENTETES_BAREMES, "Source"],
        lignes,
        "bareme-bonus-territoire",
        feuille="Barème",
    )


def simulation(convention, resultat) -> TableauExporte:
    lignes = []
    for a in resultat.annees:
        progression = ""
        if a.croissance_sans is not None:
            progression = f"{texte_nombre(a.croissance_sans, 1)} % → {texte_nombre(a.croissance_avec, 1)} %"
        lignes.append(
            [
                a.annee,
                a.bonus.statut_libelle,
                a.bonus.montant,
                a.trajectoire,
                progression,
                a.effet_territoire,
                "\n".join(a.bonus.explication),
            ]
        )
    return TableauExporte(
        f"Simulation d'une nouvelle crèche — {resultat.commune.nom} — {convention.epci.nom}",
        ENTETES_SIMULATION,
        lignes,
        f"simulation-{resultat.commune.code}",
        "Simulation indicative, avec le barème en vigueur au 1er janvier de chaque année.",
        "Simulation",
    )
