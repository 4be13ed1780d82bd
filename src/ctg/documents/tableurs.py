"""Spreadsheets in the formats people use: CSV as French Excel opens it (``;``, decimal comma, BOM), and XLSX.

Every cell goes through :func:`~ctg.documents.echappement.cellule_tableur`: a title or a name typed as
``=HYPERLINK(…)`` is written as text, never as a formula.

A table a page shows is described once, as a :class:`TableauExporte` (title, headers, rows, file name): the page
renders its headers (``documents/_entetes.html``, a numeric column marked by :func:`nombre`), its export view
answers :func:`reponse_tableur` and its template links both formats with ``{% liens_export %}``
(``documents/templatetags/tableurs.py``).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from decimal import Decimal

from django.http import Http404
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from .echappement import cellule_tableur


def date_cellule(jour, format: str = "%d/%m/%Y") -> str:
    """A date (or a date and time) as a table cell shows it: ``31/12/2026``; empty for none."""
    return f"{jour:{format}}" if jour else ""


def csv_excel(entetes: list[str], lignes: list[list]) -> bytes:
    """CSV as French Excel opens it: ``;`` separator, decimal comma, UTF-8 with a BOM."""
    tampon = io.StringIO()
    writer = csv.writer(tampon, delimiter=";", lineterminator="\r\n")
    writer.writerow([cellule_tableur(v) for v in entetes])
    for ligne in lignes:
        writer.writerow(
            [str(v).replace(".", ",") if isinstance(v, float | Decimal) else cellule_tableur(v) for v in ligne]
        )
    return ("\ufeff" + tampon.getvalue()).encode("utf-8")


def remplir_feuille(feuille, titre: str, entetes: list[str], lignes: list[list], avertissement: str = "") -> None:
    """A sheet: a title, an optional warning (demonstration data), then the table with a frozen, coloured header."""
    feuille.append([cellule_tableur(titre)])
    feuille["A1"].font = Font(bold=True, size=13)
    if avertissement:
        feuille.append([cellule_tableur(avertissement)])
        feuille["A2"].font = Font(bold=True, color="B34000")
    feuille.append([])
    feuille.append([cellule_tableur(v) for v in entetes])
    ligne_entete = feuille.max_row
    for cellule in feuille[ligne_entete]:
        cellule.font = Font(bold=True)
        cellule.fill = PatternFill("solid", fgColor="E3E3FD")
    for ligne in lignes:
        feuille.append([cellule_tableur(v) for v in ligne])
    feuille.freeze_panes = feuille.cell(row=ligne_entete + 1, column=3)
    for colonne in range(1, len(entetes) + 1):
        lettre = feuille.cell(row=ligne_entete, column=colonne).column_letter
        feuille.column_dimensions[lettre].width = 36 if colonne == 2 else 18


def classeur(
    titre: str, entetes: list[str], lignes: list[list], avertissement: str = "", nom_feuille: str = "Tableau"
) -> bytes:
    """An XLSX workbook of one sheet (see :func:`remplir_feuille`)."""
    classeur = Workbook()
    feuille = classeur.active
    feuille.title = nom_feuille[:31]
    remplir_feuille(feuille, titre, entetes, lignes, avertissement)
    tampon = io.BytesIO()
    classeur.save(tampon)
    return tampon.getvalue()


FORMATS_TABLEUR = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}


class _EnteteNombre(str):
    """A header of a numeric column: right-aligned on the page (``class="nombre"``), a plain string everywhere else."""

    nombre = True


def nombre(libelle: str) -> str:
    return _EnteteNombre(libelle)


@dataclass
class TableauExporte:
    """A table as its page shows it and its CSV and XLSX exports write it: same headers, same rows, in order."""

    titre: str
    entetes: list[str]
    lignes: list[list]
    nom_fichier: str  # without extension
    avertissement: str = ""
    feuille: str = "Tableau"

    def contenu(self, format: str) -> bytes:
        if format == "csv":
            return csv_excel([str(e) for e in self.entetes], self.lignes)
        if format == "xlsx":
            return classeur(self.titre, [str(e) for e in self.entetes], self.lignes, self.avertissement, self.feuille)
        raise Http404("Format inconnu : csv ou xlsx.")


def reponse_tableur(tableau: TableauExporte, format: str):
    """The download of ``tableau`` as ``format`` (``csv`` or ``xlsx``; 404 for another)."""
    from ctg.televersement import reponse_fichier

    contenu = tableau.contenu(format)
    return reponse_fichier(contenu, f"{tableau.nom_fichier}.{format}", FORMATS_TABLEUR[format])
