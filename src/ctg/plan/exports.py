"""The table of the actions as a spreadsheet: CSV as French Excel opens it (``;``, BOM) and XLSX (one sheet of
actions, one of indicators, one of financements)."""

from __future__ import annotations

import io

from openpyxl import Workbook

from ctg.documents.tableurs import csv_excel, date_cellule, remplir_feuille

from .regles import Suivi

ENTETES = [
    "N°",
    "Action",
    "Statut",
    "Priorité",
    "Objectifs",
    "Besoins du diagnostic",
    "Public",
    "Communes",
    "Structure pilote",
    "Personne pilote",
    "Partenaires",
    "Opérateurs",
    "Début",
    "Fin",
    "Jalons",
    "Budget total (€)",
    "dont aides (€)",
    "dont fonds propres (€)",
    "Budget réalisé (€)",
    "Financeurs",
    "Indicateurs (initiale → cible à la date ; dernière valeur)",
    "Avancement (%)",
    "En retard",
    "Démonstration",
]
ENTETES_INDICATEURS = [
    "N° de fiche",
    "Action",
    "Indicateur",
    "Unité",
    "Source",
    "Indicateur du diagnostic",
    "Année initiale",
    "Valeur initiale",
    "Cible",
    "Date de la cible",
    "Dernière valeur",
    "Période",
    "Avancement (%)",
    "En retard",
]
ENTETES_FINANCEMENTS = ["N° de fiche", "Action", "Financeur", "Année", "Nature", "Montant (€)", "Réalisé (€)"]


def ligne_action(s: Suivi) -> list:
    f = s.fiche
    aides = sum((x.montant for x in f.financements.all() if x.nature == "aide"), 0)
    propres = sum((x.montant for x in f.financements.all() if x.nature == "fonds_propres"), 0)
    indicateurs = []
    for m in s.mesures:
        ind = m.indicateur
        derniere = m.derniere
        initiale = f"{m.initiale:g}" if m.initiale is not None else "?"
        texte = f"{m.definition.libelle} : {initiale} → {ind.cible:g} au {date_cellule(ind.date_cible)}"
        if derniere:
            texte += f" ; {derniere.valeur:g} ({derniere.periode})"
        indicateurs.append(texte)
    return [
        f.numero,
        f.titre,
        s.statut_libelle,
        f.get_priorite_display(),
        " | ".join(o.intitule for o in f.objectifs.all()),
        " | ".join(b.intitule for b in f.besoins.all()),
        f.public,
        ", ".join(c.nom for c in f.communes.all()) or "tout le territoire",
        f.pilote_structure,
        f.pilote_personne,
        " | ".join(f.liste_partenaires),
        " | ".join(f.liste_operateurs),
        date_cellule(f.date_debut),
        date_cellule(f.date_fin),
        " | ".join(
            f"{j.libelle} ({date_cellule(j.date_prevue)}{', fait' if j.date_realisee else ''})" for j in s.jalons
        ),
        s.budget,
        aides,
        propres,
        s.budget_realise,
        ", ".join(sorted({x.financeur for x in f.financements.all()})),
        " | ".join(indicateurs),
        s.progression if s.progression is not None else "",
        "oui" if s.en_retard else "non",
        "oui" if f.demonstration else "non",
    ]


def exporter_tableau(convention, suivis: list[Suivi], format: str) -> bytes:
    lignes = [ligne_action(s) for s in suivis]
    if format == "csv":
        return csv_excel(ENTETES, lignes)
    from .documents import AVERTISSEMENT_DEMO

    avertissement = AVERTISSEMENT_DEMO if any(s.demonstration for s in suivis) else ""
    classeur = Workbook()
    titre = f"Plan d'actions — {convention.caf.nom} × {convention.epci.nom}"
    actions = classeur.active
    actions.title = "Actions"
    remplir_feuille(actions, titre, ENTETES, lignes, avertissement)
    indicateurs = []
    for s in suivis:
        for m in s.mesures:
            ind, derniere = m.indicateur, m.derniere
            indicateurs.append(
                [
                    s.fiche.numero,
                    s.fiche.titre,
                    m.definition.libelle,
                    m.definition.unite,
                    m.definition.source,
                    m.definition.indicateur_catalogue,
                    ind.annee_reference,
                    m.initiale,
                    ind.cible,
                    ind.date_cible,
                    derniere.valeur if derniere else None,
                    derniere.periode if derniere else "",
                    m.progression,
                    "oui" if m.en_retard else "non",
                ]
            )
    remplir_feuille(
        classeur.create_sheet("Indicateurs"), titre + " — indicateurs", ENTETES_INDICATEURS, indicateurs, avertissement
    )
    financements = [
        [s.fiche.numero, s.fiche.titre, x.financeur, x.annee, x.get_nature_display(), x.montant, x.montant_realise]
        for s in suivis
        for x in s.fiche.financements.all()
    ]
    remplir_feuille(
        classeur.create_sheet("Financements"),
        titre + " — financements",
        ENTETES_FINANCEMENTS,
        financements,
        avertissement,
    )
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()
