"""The portfolio's renewals and national tables download as CSV and XLSX with the page's columns, for the people
who may open their page."""

import pytest
from django.contrib.auth import get_user_model

from ctg.comptes.models import Profil
from ctg.demo.comptes import creer_comptes_demo
from ctg.portefeuille import calcul, tableaux
from tests.exports import entetes_de_la_page, lire_export

pytestmark = [pytest.mark.django_db, pytest.mark.date("2026-06-15")]

PAGE_NORD = "/portefeuille/departements/59/"


@pytest.fixture
def comptes(convention_cambrai):
    creer_comptes_demo(convention_cambrai)
    national = get_user_model().objects.create_user("national", password="x")
    Profil.objects.create(user=national, administrateur_national=True)
    return {u.username: u for u in get_user_model().objects.all()}


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_renouvellements_du_departement(client, comptes, format):
    client.force_login(comptes["demo"])
    entetes, lignes, _ = lire_export(client.get(PAGE_NORD + f"renouvellements.{format}").content, format)
    assert entetes == tableaux.ENTETES_RENOUVELLEMENTS
    assert lignes == [["CA de Cambrai", "31/12/2026", "à préparer"]]


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_vue_nationale(client, comptes, format):
    client.force_login(comptes["national"])
    entetes, lignes, _ = lire_export(client.get(f"/portefeuille/portefeuille.{format}").content, format)
    assert entetes == tableaux.entetes_national(2026)
    assert lignes[-1][0] == "France" and any(ligne[0] == "59 — Nord" for ligne in lignes)


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_epci_du_departement_avec_les_colonnes_de_la_page(client, comptes, format):
    client.force_login(comptes["demo"])
    entetes, lignes, _ = lire_export(client.get(PAGE_NORD + f"portefeuille.{format}").content, format)
    assert entetes == tableaux.entetes_departement(2026)
    cambrai = next(ligne for ligne in lignes if ligne[0] == "CA de Cambrai")
    assert cambrai[3].startswith("CTG en vigueur") and cambrai[7] == "à préparer"
    # the second link: every column, SIREN first
    entetes, lignes, _ = lire_export(client.get(PAGE_NORD + f"portefeuille.{format}?colonnes=toutes").content, format)
    assert entetes == calcul.ENTETES and ["200068500", "CA de Cambrai"] in [ligne[:2] for ligne in lignes]


def test_pages_memes_entetes_et_refus(client, comptes):
    client.force_login(comptes["demo"])
    page = client.get(PAGE_NORD).content.decode()
    assert entetes_de_la_page(page, "tableau-renouvellements") == tableaux.ENTETES_RENOUVELLEMENTS
    assert PAGE_NORD + "renouvellements.xlsx" in page
    assert entetes_de_la_page(page, "tableau-portefeuille") == tableaux.entetes_departement(2026)
    assert PAGE_NORD + "portefeuille.xlsx?colonnes=toutes" in page and "Exporter toutes les colonnes" in page
    # a Caf's staff: the home page's table is their département's
    assert client.get("/portefeuille/portefeuille.csv").content.decode("utf-8-sig").startswith("EPCI;Population;")
    client.force_login(comptes["referent.commune"])
    assert client.get(PAGE_NORD + "renouvellements.csv").status_code == 403
    client.force_login(comptes["national"])
    page = client.get("/portefeuille/").content.decode()
    assert entetes_de_la_page(page, "tableau-national") == tableaux.entetes_national(2026)
