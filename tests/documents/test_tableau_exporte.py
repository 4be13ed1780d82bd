"""One table description, two downloads: CSV (``;``, BOM) and XLSX with the same headers and rows."""

import io

import pytest
from django.http import Http404
from openpyxl import load_workbook

from ctg.documents.tableurs import TableauExporte, nombre, reponse_tableur


def _tableau():
    return TableauExporte("Titre", ["Nom", nombre("Population")], [["=HYPERLINK(1)", 12], ["Caudry", 14.5]], "essai")


def test_csv_et_xlsx_memes_colonnes_et_cellules_neutralisees():
    tableau = _tableau()
    csv = tableau.contenu("csv")
    assert csv.startswith("\ufeff".encode()) and csv.decode("utf-8-sig").splitlines() == [
        "Nom;Population",
        "'=HYPERLINK(1);12",
        "Caudry;14,5",
    ]
    feuille = load_workbook(io.BytesIO(tableau.contenu("xlsx"))).active
    lignes = [list(r) for r in feuille.iter_rows(min_row=3, values_only=True)]
    assert lignes == [["Nom", "Population"], ["'=HYPERLINK(1)", 12], ["Caudry", 14.5]]


def test_reponse_par_format_et_format_inconnu():
    reponse = reponse_tableur(_tableau(), "xlsx")
    assert reponse["Content-Disposition"].endswith('essai.xlsx"')
    assert reponse["Content-Type"].startswith("application/vnd.openxmlformats")
    with pytest.raises(Http404):
        reponse_tableur(_tableau(), "ods")
