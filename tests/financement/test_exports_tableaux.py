"""Every financing table of the pages downloads as CSV and XLSX with the page's columns, for the convention's members
only (the national rates: anyone signed in)."""

import html
import re

import pytest

from ctg.financement import exports, tableaux
from tests.exports import entetes_de_la_page, lire_export

pytestmark = pytest.mark.django_db

BASE = "/financement/conventions/{pk}/"
SIMULATION = "commune=59122&places=12&places_employeurs=0&ouverture=2025-09-01"

CAS = [  # (address after the convention's, headers, a cell of a known row, the row's other cell)
    ("cej.{f}", tableaux.ENTETES_CEJ, "Cambrai", "2021"),
    ("communes/59122/engagement.{f}", tableaux.ENTETES_ENGAGEMENT_COMMUNE, "2024", "Inférieur à l'engagement"),
    ("communes/59122/verifications.{f}", tableaux.ENTETES_VERIFICATIONS, "2023", "Financement maintenu"),
    ("structures/{s}/capacite.{f}", tableaux.ENTETES_CAPACITES, "01/09/2024", "40"),
    ("structures/{s}/financements.{f}", tableaux.ENTETES_FINANCEMENTS, "2023", "compte de résultat"),
    ("structures/{s}/bonus.{f}", tableaux.ENTETES_BONUS_STRUCTURE, "2025", "Éligible"),
    ("simulation.{f}?" + SIMULATION, tableaux.ENTETES_SIMULATION, "2025", "Éligible"),
    ("export.{f}?tableau=bonus&annee=2025", exports.ENTETES_BONUS, "Cambrai", "Éligible"),
    ("export.{f}?tableau=engagements", exports.ENTETES_ENGAGEMENTS, "2024", "Cambrai"),
]


@pytest.fixture
def lucioles(demo):
    return demo.structures.get(nom__startswith="Multi-accueil Les Lucioles")


@pytest.mark.parametrize("format", ["csv", "xlsx"])
@pytest.mark.parametrize(("adresse", "entetes", "cle", "valeur"), CAS, ids=[c[0].split(".")[0] for c in CAS])
def test_export_avec_les_colonnes_de_la_page(client, demo, comptes, lucioles, format, adresse, entetes, cle, valeur):
    client.force_login(comptes["lecture"])
    reponse = client.get(BASE.format(pk=demo.pk) + adresse.format(f=format, s=lucioles.pk))
    assert reponse.status_code == 200
    lues, lignes, avertissement = lire_export(reponse.content, format)
    assert lues == [str(e) for e in entetes]
    assert any(cle in ligne and any(valeur in cellule for cellule in ligne) for ligne in lignes), lignes[:3]
    if format == "xlsx" and "structures/" in adresse:
        assert "FICTIVES" in avertissement  # the demo's structures


def test_bareme_pour_toute_personne_connectee(client, comptes):
    client.force_login(comptes["lecture"])
    lues, lignes, _ = lire_export(client.get("/financement/baremes.xlsx").content, "xlsx")
    assert lues == ["Barème", *tableaux.ENTETES_BAREMES, "Source"]
    assert any(ligne[0].startswith("Établissement d'accueil") and "(en vigueur)" in ligne[5] for ligne in lignes)


def test_pages_memes_entetes_et_liens(client, demo, comptes, lucioles):
    client.force_login(comptes["lecture"])
    page = client.get(BASE.format(pk=demo.pk) + f"structures/{lucioles.pk}/").content.decode()
    assert entetes_de_la_page(page, "table-capacite") == tableaux.ENTETES_CAPACITES
    assert entetes_de_la_page(page, "bonus-par-annee") == tableaux.ENTETES_BONUS_STRUCTURE
    assert f"structures/{lucioles.pk}/financements.csv" in page
    page = client.get(BASE.format(pk=demo.pk) + "?annee=2024").content.decode()
    assert entetes_de_la_page(page, "table-bonus") == exports.ENTETES_BONUS
    assert entetes_de_la_page(page, "table-engagements") == exports.ENTETES_ENGAGEMENTS
    assert entetes_de_la_page(page, "table-cej") == tableaux.ENTETES_CEJ
    assert "export.xlsx?tableau=bonus&amp;annee=2024" in page


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_pluriannuel_ligne_a_ligne_comme_la_page(client, demo, comptes, format):
    """The page and its export: same columns, and the same amounts in the same order (commune, structure, row)."""
    client.force_login(comptes["lecture"])
    page = client.get(BASE.format(pk=demo.pk) + "pluriannuel/").content.decode()
    reponse = client.get(BASE.format(pk=demo.pk) + f"export.{format}?tableau=pluriannuel")
    entetes, lignes, _ = lire_export(reponse.content, format)
    assert (
        entetes
        == entetes_de_la_page(page, "table-pluriannuelle")
        == [str(e) for e in exports.entetes_pluriannuel(range(2022, 2027))]
    )
    mesures = [html.unescape(m) for m in re.findall(r'<td class="mesure">([^<]+)', page)]
    assert [ligne[3].split(" ; ")[0] for ligne in lignes] == mesures
    lucioles = next(ligne for ligne in lignes if ligne[1].startswith("Multi-accueil Les Lucioles"))
    assert lucioles[:4] == ["Cambrai", lucioles[1], "EAJE", "Bonus territoire Caf"]
    assert lignes[-1][:4] == ["CA de Cambrai", "Total CA de Cambrai", "", "Autres financeurs"]


def test_simulation_incomplete_montre_le_formulaire(client, demo, comptes):
    client.force_login(comptes["lecture"])
    reponse = client.get(BASE.format(pk=demo.pk) + "simulation.xlsx?places=abc")
    assert reponse.status_code == 200 and "Simuler une nouvelle crèche" in reponse.content.decode()


def test_hors_de_la_convention_404(client, demo, lucioles, django_user_model):
    client.force_login(django_user_model.objects.create_user("etranger", password="x"))
    for adresse in ("cej.csv", f"structures/{lucioles.pk}/bonus.xlsx", "communes/59122/verifications.csv"):
        assert client.get(BASE.format(pk=demo.pk) + adresse).status_code == 404
