"""Reading back what a table's page shows and what its CSV and XLSX exports hold, for the export tests."""

from __future__ import annotations

import csv
import html
import io
import re

from openpyxl import load_workbook


def entetes_de_la_page(page: str, identifiant: str) -> list[str]:
    """The column headers of the table ``id="identifiant"`` of ``page``, without the hidden ones (an "Action" column
    only a screen reader announces)."""
    table = page.split(f'id="{identifiant}"', 1)[1].split("</thead>", 1)[0]
    return [
        html.unescape(re.sub(r"<[^>]+>", "", th)).strip()
        for th in re.findall(r"<th[^>]*>(.*?)</th>", table, re.S)
        if 'class="sr"' not in th
    ]


def lire_export(contenu: bytes, format: str) -> tuple[list[str], list[list[str]], str]:
    """(headers, rows, demonstration warning) of a CSV (``;``, BOM) or XLSX export, cells as text ("" when empty)."""
    if format == "csv":
        assert contenu.startswith("\ufeff".encode())
        lignes = list(csv.reader(io.StringIO(contenu.decode("utf-8-sig")), delimiter=";"))
        return lignes[0], lignes[1:], ""
    feuille = load_workbook(io.BytesIO(contenu)).active
    rangees = [["" if v is None else str(v) for v in r] for r in feuille.iter_rows(values_only=True)]
    vide = next(i for i, r in enumerate(rangees) if not any(r))  # title, warning, an empty row, then the headers
    avertissement = rangees[1][0] if vide == 2 else ""
    return rangees[vide + 1], rangees[vide + 2 :], avertissement
