"""The needs of a convention's diagnostic download as CSV and XLSX with the page's columns, for its members only;
the territorial tables carry their export links in the table itself."""

import html
import re

import pytest

from ctg.demo.comptes import creer_comptes_demo
from ctg.diagnostic import exports
from ctg.diagnostic.models import Besoin
from ctg.diagnostic.partage import diagnostic_de
from tests.exports import entetes_de_la_page, lire_export

pytestmark = pytest.mark.django_db


@pytest.fixture
def besoin(convention_cambrai):
    creer_comptes_demo(convention_cambrai)
    besoin = Besoin.objects.create(
        diagnostic=diagnostic_de(convention_cambrai), domaine="petite_enfance", intitule="=Places au sud"
    )
    besoin.communes.add("59122")
    return besoin


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_besoins_avec_les_colonnes_de_la_page(client, convention_cambrai, besoin, format):
    client.force_login(convention_cambrai.habilitations.get(user__username="lecture").user)
    reponse = client.get(f"/diagnostic/conventions/{convention_cambrai.pk}/besoins.{format}")
    entetes, lignes, _ = lire_export(reponse.content, format)
    assert entetes == exports.ENTETES_BESOINS
    assert lignes == [["moyenne", "petite enfance", "'=Places au sud", "—", "Cambrai", "—"]]


def test_page_memes_entetes_et_export_reserve_aux_membres(client, convention_cambrai, besoin, django_user_model):
    client.force_login(convention_cambrai.habilitations.get(user__username="lecture").user)
    page = client.get(f"/diagnostic/conventions/{convention_cambrai.pk}/").content.decode()
    assert entetes_de_la_page(page, "table-besoins") == exports.ENTETES_BESOINS
    assert f"/diagnostic/conventions/{convention_cambrai.pk}/besoins.xlsx" in page
    client.force_login(django_user_model.objects.create_user("etranger", password="x"))
    assert client.get(f"/diagnostic/conventions/{convention_cambrai.pk}/besoins.csv").status_code == 404


EPCI = "/diagnostic/epci/200068500/"


@pytest.mark.parametrize("format", ["csv", "xlsx"])
def test_communes_d_un_epci_comme_la_page(client_connecte, format):
    """The export carries the page's choices (indicator, order): same columns, same communes in the same order."""
    choix = {"domaine": "petite_enfance", "indicateur": "places_total", "tri": "population", "ordre": "desc"}
    page = client_connecte.get(EPCI, choix).content.decode()
    table = page.split('id="table-communes"', 1)[1].split("</table>", 1)[0]
    assert "communes.xlsx?" + "&amp;".join(f"{cle}={valeur}" for cle, valeur in choix.items()) in table
    entetes, lignes, _ = lire_export(client_connecte.get(EPCI + f"communes.{format}", choix).content, format)
    assert entetes == entetes_de_la_page(page, "table-communes") == ["Commune", "Population", entetes[2]]
    assert "places" in entetes[2].lower()
    communes = re.findall(r'/diagnostic/communes/\d+/">([^<]+)</a>', table)
    assert [ligne[0] for ligne in lignes] == [html.unescape(nom) for nom in communes]
    assert lignes[0][0] == "Cambrai" and len(lignes) == 55
    # the second link: every indicator of the domain, INSEE code first
    assert "Exporter tous les indicateurs du domaine" in table
    entetes, lignes, _ = lire_export(
        client_connecte.get(EPCI + f"communes.{format}", {**choix, "colonnes": "toutes"}).content, format
    )
    assert entetes[:2] == ["Code INSEE", "Commune"] and len(entetes) > 4 and len(lignes) == 55
