"""Exports of the diagnostic tables in the formats people use: CSV for Excel (``;`` and a BOM), XLSX."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from .calcul import valeurs_communes
from .presentation import AVERTISSEMENT_DEMO, valeur_brute


def tableau_communes(epci, indicateurs, annee=None) -> tuple[list[str], list[list], bool]:
    """One row per commune of the EPCI, one column per indicator (with its year and unit in the header)."""
    communes = list(epci.communes.order_by("nom").values_list("code", "nom", "population"))
    codes = [c for c, _, _ in communes]
    colonnes = [(ind, valeurs_communes(ind, codes, annee)) for ind in indicateurs]
    entetes = ["Code INSEE", "Commune", "Population municipale 2023"]
    for ind, resultats in colonnes:
        annees = sorted({r.annee for r in resultats.values() if r.annee})
        entetes.append(f"{ind.libelle} ({ind.unite}, {'/'.join(map(str, annees)) or 'pas de donnée'})")
    demonstration = any(r.demonstration for _, resultats in colonnes for r in resultats.values())
    entetes.append("Données de démonstration (fictives)")
    lignes = []
    for code, nom, population in communes:
        ligne = [code, nom, population if population is not None else ""]
        ligne += [valeur_brute(resultats[code], ind) for ind, resultats in colonnes]
        ligne.append("oui" if any(resultats[code].demonstration for _, resultats in colonnes) else "non")
        lignes.append(ligne)
    return entetes, lignes, demonstration


def csv_excel(entetes: list[str], lignes: list[list]) -> bytes:
    """CSV as French Excel opens it: ``;`` separator, decimal comma, UTF-8 with a BOM."""
    tampon = io.StringIO()
    writer = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    writer.writerow(entetes)
    for ligne in lignes:
        writer.writerow([str(v).replace(".", ",") if isinstance(v, float) else v for v in ligne])
    return ("\ufeff" + tampon.getvalue()).encode("utf-8")


def classeur(titre: str, entetes: list[str], lignes: list[list], demonstration: bool) -> bytes:
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = "Communes"
    feuille.append([titre])
    feuille["A1"].font = Font(bold=True, size=13)
    if demonstration:
        feuille.append([AVERTISSEMENT_DEMO])
        feuille["A2"].font = Font(bold=True, color="B34000")
    feuille.append([])
    feuille.append(entetes)
    ligne_entete = feuille.max_row
    for cellule in feuille[ligne_entete]:
        cellule.font = Font(bold=True)
        cellule.fill = PatternFill("solid", fgColor="E3E3FD")
    for ligne in lignes:
        feuille.append(ligne)
    feuille.freeze_panes = feuille.cell(row=ligne_entete + 1, column=3)
    feuille.column_dimensions["B"].width = 32
    for colonne in range(3, len(entetes) + 1):
        feuille.column_dimensions[feuille.cell(row=ligne_entete, column=colonne).column_letter].width = 18
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()
