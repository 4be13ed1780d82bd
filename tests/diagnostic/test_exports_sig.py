"""GeoJSON for a GIS (RFC 7946) and the key figures of a territory as CSV/XLSX."""

import json

import pytest
from shapely.geometry import shape

from ctg.diagnostic.catalogue import INDICATEURS
from ctg.diagnostic.sig import TerritoireSansCarte, geojson_indicateur

from .conftest import CA_CAMBRAI, CAMBRAI, IWUY

pytestmark = pytest.mark.django_db

TYPES_SIMPLES = (str, int, float, bool, type(None))


def test_geojson_rfc7946_des_communes_d_un_epci_avec_les_valeurs(donnees):
    donnees.lignes(
        "s_ben_com_f",
        2023,
        {CAMBRAI: {"indfoy_ndur": 10000, "indfoy_rsa": 2000}, IWUY: {"indfoy_ndur": 1000, "indfoy_rsa": 50}},
    )
    carte = json.loads(geojson_indicateur(CA_CAMBRAI, INDICATEURS["part_foyers_rsa"], 2023))
    assert carte["type"] == "FeatureCollection" and set(carte) == {"type", "features"}  # no crs, no legend
    assert len(carte["features"]) == 55
    par_code = {f["properties"]["code"]: f for f in carte["features"]}
    cambrai = par_code[CAMBRAI]["properties"]
    assert cambrai["valeur"] == 20 and cambrai["annee"] == 2023 and cambrai["indicateur"] == "part_foyers_rsa"
    assert par_code["59428"]["properties"]["valeur"] is None  # Neuville: no figure, no zero
    for f in carte["features"]:
        assert all(isinstance(v, TYPES_SIMPLES) for v in f["properties"].values())
        x, y = shape(f["geometry"]).representative_point().coords[0]
        assert 2.9 < x < 3.6 and 50.0 < y < 50.3  # WGS84 longitude, latitude (Cambrésis)


def test_geojson_d_un_departement_ses_epci_et_refus_d_une_commune(client):
    carte = json.loads(geojson_indicateur("59", INDICATEURS["foyers_allocataires"]))
    codes = {f["properties"]["code"] for f in carte["features"]}
    assert CA_CAMBRAI in codes and all(f["properties"]["niveau"] == "epci" for f in carte["features"])
    with pytest.raises(TerritoireSansCarte):
        geojson_indicateur(CAMBRAI, INDICATEURS["foyers_allocataires"])
    reponse = client.get(f"/diagnostic/territoires/{CA_CAMBRAI}/foyers_allocataires.geojson?annee=2023")
    assert reponse["Content-Type"] == "application/geo+json"
    assert reponse["Content-Disposition"].endswith(f'{CA_CAMBRAI}-foyers_allocataires-2023.geojson"')
    assert client.get(f"/diagnostic/territoires/{CA_CAMBRAI}/inconnu.geojson").status_code == 404
    assert client.get(f"/diagnostic/territoires/{CAMBRAI}/foyers_allocataires.geojson").status_code == 404


def test_chiffres_cles_en_csv_avec_les_colonnes_de_la_page(client):
    page = client.get(f"/diagnostic/communes/{CAMBRAI}/?domaine=petite_enfance").content.decode()
    assert f"/diagnostic/territoires/{CAMBRAI}/chiffres-cles.xlsx?domaine=petite_enfance" in page
    entetes = page.split('id="chiffres-cles"')[1].split("</thead>")[0]
    csv = client.get(f"/diagnostic/territoires/{CAMBRAI}/chiffres-cles.csv?domaine=petite_enfance")
    lignes = csv.content.decode("utf-8-sig").splitlines()
    assert lignes[0] == "Indicateur;Cambrai;Nord;France;Unité;Année;Source"
    assert all(f">{e}</th>" in entetes for e in lignes[0].split(";"))
    assert len(lignes) > 2 and lignes[1].count(";") == 6
