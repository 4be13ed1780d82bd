"""The data page's history of imports downloads as CSV and XLSX with the page's columns, for those who may import."""

import pytest
from django.urls import reverse

from ctg.donnees import tableaux
from ctg.donnees.importation import importer_fichier
from tests.donnees.test_page_import import FICHIERS, agent_caf
from tests.exports import entetes_de_la_page, lire_export

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_historique_des_imports(client, format):
    importer_fichier(FICHIERS / "txcouv_pe_epci.csv")
    client.force_login(agent_caf("agent.nord"))
    entetes, lignes, _ = lire_export(client.get(f"/donnees/imports.{format}").content, format)
    assert entetes == tableaux.ENTETES_FICHIERS
    assert lignes[0][0] == "txcouv_pe_epci.csv" and lignes[0][5].endswith("(ligne de commande)")
    assert len(lignes[0][6]) == 64 and lignes[0][7] == "en vigueur"  # the whole SHA-256


def test_page_memes_entetes_et_export_reserve(client):
    importer_fichier(FICHIERS / "txcouv_pe_epci.csv")
    client.force_login(agent_caf("agent.nord"))
    page = client.get(reverse("donnees:page")).content.decode()
    assert entetes_de_la_page(page, "table-imports") == tableaux.ENTETES_FICHIERS
    assert "/donnees/imports.xlsx" in page
    client.force_login(agent_caf("agent.sans.droit", droit=False))
    assert client.get("/donnees/imports.csv").status_code == 403
