import json
import re

import pytest
import shapely
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_territoires_publics_conventions_sur_connexion(client):
    for url in ["/", "/territoires/", "/territoires/epci/200068500/", "/territoires/communes/59122/"]:
        assert client.get(url).status_code == 200
    reponse = client.get("/conventions/")
    assert reponse.status_code == 302
    assert reponse["Location"].startswith(reverse("login"))


def test_page_de_connexion_en_francais(client, utilisateur):
    assert "Connexion" in client.get(reverse("login")).content.decode()
    reponse = client.post(reverse("login"), {"username": "agent", "password": "faux"})
    assert "Identifiant ou mot de passe incorrect" in reponse.content.decode()
    reponse = client.post(reverse("login"), {"username": "agent", "password": "mot-de-passe-de-test"})
    assert reponse.status_code == 302 and reponse["Location"] == "/"


def test_accueil_liste_les_rubriques(client_connecte):
    contenu = client_connecte.get("/").content.decode()
    assert "Bonjour Alix" in contenu
    assert reverse("territoires:recherche") in contenu


def test_recherche_page_et_fragment_htmx(client_connecte):
    contenu = client_connecte.get("/territoires/", {"q": "neuville st remy"}).content.decode()
    assert "Neuville-Saint-Rémy" in contenu and "<html" in contenu
    fragment = client_connecte.get("/territoires/", {"q": "cambrai"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment
    assert "CA de Cambrai" in fragment
    assert "Aucun territoire ne correspond" in client_connecte.get("/territoires/", {"q": "zzzqqq"}).content.decode()


def lignes_du_tableau(contenu: str) -> list[tuple[str, str]]:
    return re.findall(r'<tr><td><a href="/territoires/communes/(\w+)/">([^<]+)</a>', contenu)


def test_page_epci(client_connecte):
    contenu = client_connecte.get("/territoires/epci/200068500/").content.decode()
    assert "<h1>CA de Cambrai</h1>" in contenu
    assert 'data-testid="nombre-communes">55<' in contenu
    lignes = lignes_du_tableau(contenu)
    assert len(lignes) == 55
    assert lignes[0] == ("59122", "Cambrai")  # sorted by population, largest first
    assert "31\xa0134" in contenu and "38,9&nbsp;%" in contenu
    assert "population municipale 2023" in contenu  # source and vintage beside the figures


def test_tri_du_tableau_en_fragment_htmx(client_connecte):
    reponse = client_connecte.get(
        "/territoires/epci/200068500/", {"tri": "nom", "ordre": "asc"}, HTTP_HX_REQUEST="true"
    )
    contenu = reponse.content.decode()
    assert contenu.startswith('<table class="tableau" id="table-communes">')
    noms = [nom for _, nom in lignes_du_tableau(contenu)]
    assert noms[0] == "Abancourt" and len(noms) == 55
    population_croissante = client_connecte.get("/territoires/epci/200068500/", {"tri": "population", "ordre": "asc"})
    assert lignes_du_tableau(population_croissante.content.decode())[-1][1] == "Cambrai"
    assert client_connecte.get("/territoires/epci/200068500/", {"tri": "inconnu"}).status_code == 200


def test_carte_epci_geojson(client_connecte):
    reponse = client_connecte.get("/territoires/epci/200068500/carte.geojson")
    assert reponse["Content-Type"] == "application/geo+json"
    donnees = json.loads(reponse.content)
    assert len(donnees["features"]) == 55
    cambrai = next(f for f in donnees["features"] if f["properties"]["code"] == "59122")
    assert cambrai["properties"]["url"] == "/territoires/communes/59122/"
    forme = shapely.geometry.shape(cambrai["geometry"])
    assert forme.is_valid and forme.contains(shapely.Point(3.235, 50.175))  # Cambrai town hall


def test_page_commune_et_departement(client_connecte):
    contenu = client_connecte.get("/territoires/communes/59122/").content.decode()
    assert "<h1>Cambrai</h1>" in contenu and "31\xa0134" in contenu and "CA de Cambrai" in contenu
    assert json.loads(client_connecte.get("/territoires/communes/59122/carte.geojson").content)["features"][0][
        "geometry"
    ]
    contenu = client_connecte.get("/territoires/departements/59/").content.decode()
    assert "Nord (59)" in contenu and "CA de Cambrai" in contenu
    assert len(json.loads(client_connecte.get("/territoires/departements/59/carte.geojson").content)["features"]) == 17


@pytest.mark.parametrize(
    "url",
    [
        "/territoires/epci/999999999/",
        "/territoires/communes/00000/",
        "/territoires/departements/00/",
        "/territoires/epci/x/carte.geojson",
    ],
)
def test_territoire_inconnu_404(client_connecte, url):
    assert client_connecte.get(url).status_code == 404
