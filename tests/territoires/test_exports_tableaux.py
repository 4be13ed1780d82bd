"""The territories' tables download as CSV and XLSX with the page's columns, in the page's order, for anyone."""

import pytest

from ctg.diagnostic import exports
from tests.exports import entetes_de_la_page, lire_export

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_communes_d_un_epci_dans_l_ordre_de_la_page(client, format):
    reponse = client.get(f"/diagnostic/epci/200068500/population.{format}", {"tri": "nom", "ordre": "asc"})
    entetes, lignes, _ = lire_export(reponse.content, format)
    assert entetes == exports.entetes_communes_epci() and len(lignes) == 55
    assert lignes[0][:2] == ["Abancourt", "59001"]
    cambrai = next(ligne for ligne in lignes if ligne[0] == "Cambrai")
    assert cambrai[1:] == (["59122", "31134", "38,86"] if format == "csv" else ["59122", "31134", "38.86"])


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_intercommunalites_d_un_departement(client, format):
    entetes, lignes, _ = lire_export(
        client.get(f"/diagnostic/departements/59/intercommunalites.{format}").content, format
    )
    assert entetes == exports.entetes_intercommunalites()
    assert any(ligne[0] == "CA de Cambrai" for ligne in lignes)


def test_pages_memes_entetes_et_liens(client):
    page = client.get("/territoires/epci/200068500/", {"tri": "nom", "ordre": "asc"}).content.decode()
    assert [e.rstrip(" ▲▼") for e in entetes_de_la_page(page, "table-communes")] == exports.entetes_communes_epci()
    assert "/diagnostic/epci/200068500/population.xlsx?tri=nom&amp;ordre=asc" in page
    page = client.get("/territoires/departements/59/").content.decode()
    assert entetes_de_la_page(page, "epci-du-departement") == exports.entetes_intercommunalites()
    assert client.get("/diagnostic/departements/00/intercommunalites.csv").status_code == 404
