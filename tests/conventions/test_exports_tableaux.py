"""The tables of a convention's pages export to CSV and XLSX with the page's columns."""

import io
import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from openpyxl import load_workbook

from ctg.conventions import tableaux


def _entetes_de_la_page(html: str, identifiant: str) -> list[str]:
    table = html.split(f'id="{identifiant}"', 1)[1].split("</thead>", 1)[0]
    return [re.sub(r"<[^>]+>", "", th) for th in re.findall(r"<th[^>]*>(.*?)</th>", table)]


def test_adhesions_la_page_et_ses_exports(compte_demo, convention_cambrai):
    client = compte_demo("lecture")
    page = client.get(f"/conventions/{convention_cambrai.pk}/adhesions/").content.decode()
    assert _entetes_de_la_page(page, "table-adhesions")[:-1] == tableaux.ENTETES_ADHESIONS
    assert f'href="/conventions/{convention_cambrai.pk}/adhesions.xlsx"' in page
    csv = client.get(f"/conventions/{convention_cambrai.pk}/adhesions.csv")
    lignes = csv.content.decode("utf-8-sig").splitlines()
    assert lignes[0].split(";") == tableaux.ENTETES_ADHESIONS
    assert len(lignes) == 1 + convention_cambrai.adhesions.count()
    assert any(ligne.startswith("59122;Cambrai;") for ligne in lignes)
    xlsx = client.get(f"/conventions/{convention_cambrai.pk}/adhesions.xlsx").content
    feuille = load_workbook(io.BytesIO(xlsx)).active
    assert [c.value for c in feuille[3]] == tableaux.ENTETES_ADHESIONS
    assert client.get(f"/conventions/{convention_cambrai.pk}/adhesions.ods").status_code == 404


def test_echeances_membres_historique(convention_cambrai):
    from ctg.conventions.echeances import echeances
    from ctg.conventions.historique import collecter, detailler

    liste = echeances(convention_cambrai)
    export = tableaux.echeances(convention_cambrai, liste)
    assert len(export.lignes) == len(liste) and export.lignes[0][0] == f"{liste[0].date:%d/%m/%Y}"
    assert [len(ligne) for ligne in export.lignes] == [len(tableaux.ENTETES_ECHEANCES)] * len(liste)
    membres = tableaux.membres(convention_cambrai, tableaux.habilitations(convention_cambrai))
    assert len(membres.lignes) == convention_cambrai.habilitations.count()
    historique = tableaux.historique(convention_cambrai, detailler(collecter(convention_cambrai)[:5]))
    assert len(historique.lignes) == 5 and all(len(ligne) == 5 for ligne in historique.lignes)
    assert re.fullmatch(r"\d\d/\d\d/\d{4} \d\d:\d\d", historique.lignes[0][0])


@pytest.mark.parametrize("table", ["conventions", "communications"])
def test_liste_et_communications_exportees_avec_les_colonnes_de_la_page(compte_demo, convention_cambrai, table):
    from ctg.conventions.communication import creer

    from ..exports import entetes_de_la_page, lire_export

    client = compte_demo("lecture")
    base = f"/conventions/{convention_cambrai.pk}"
    if table == "conventions":
        page, export, connue = "/conventions/", "/conventions/conventions", "Caf du Nord"
    else:
        lecteur = get_user_model().objects.get(username="lecture")
        creer(
            convention_cambrai,
            lecteur,
            objet="@Journal",
            support="communique",
            date_prevue=date(2024, 5, 2),
            contenu=".",
        )
        page, export, connue = f"{base}/communication/", f"{base}/communication", "'@Journal"
    html = client.get(page).content.decode()
    entetes = entetes_de_la_page(html, table)
    assert f'href="{export}.xlsx"' in html and len(entetes) == 5
    for format in ("csv", "xlsx"):
        lues, lignes, _ = lire_export(client.get(f"{export}.{format}").content, format)
        assert lues == entetes and len(lignes) == 1
        assert connue in lignes[0]
    client.force_login(get_user_model().objects.create_user("exterieur"))
    if table == "conventions":  # another user's list: none of the reference convention's rows
        assert lire_export(client.get(f"{export}.csv").content, "csv")[1] == []
    else:
        assert client.get(f"{export}.csv").status_code == 404
