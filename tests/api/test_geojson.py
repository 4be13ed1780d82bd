"""The map of an indicator for a GIS through the API: the same GeoJSON as the diagnostic page's download."""

import json

from .conftest import CA_CAMBRAI, entete


def test_geojson_d_un_indicateur_par_l_api(client, reference, jeton_de):
    secret = jeton_de("lecture")
    url = f"/api/v1/territoires/{CA_CAMBRAI}/indicateurs/foyers_allocataires.geojson"
    reponse = client.get(url, **entete(secret))
    assert reponse.status_code == 200 and reponse["Content-Type"] == "application/geo+json"
    carte = json.loads(reponse.content)
    assert carte["type"] == "FeatureCollection" and len(carte["features"]) == 55 and "crs" not in carte
    assert client.get(url).status_code == 401
    inconnu = client.get(f"/api/v1/territoires/{CA_CAMBRAI}/indicateurs/inconnu.geojson", **entete(secret))
    assert inconnu.status_code == 404 and inconnu.json()["code"] == "introuvable"
    commune = client.get("/api/v1/territoires/59122/indicateurs/foyers_allocataires.geojson", **entete(secret))
    assert commune.status_code == 404 and "intercommunalité" in commune.json()["message"]


def test_le_schema_documente_les_erreurs_de_chaque_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    operation = schema["paths"]["/api/v1/territoires/{code}/indicateurs"]["get"]
    assert {"200", "401", "404", "422", "429"} <= set(operation["responses"])
    assert operation["responses"]["404"]["content"]["application/json"]["schema"]["$ref"].endswith("/Erreur")
    geojson = schema["paths"]["/api/v1/territoires/{code}/indicateurs/{indicateur}.geojson"]["get"]
    assert "application/geo+json" in geojson["responses"]["200"]["content"]
