import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ctg import cli

pytestmark = pytest.mark.django_db


def territoire_json(code, capsys):
    call_command("territoire", code, json=True)
    return json.loads(capsys.readouterr().out)


def test_epci_en_json(capsys):
    fiche = territoire_json("200068500", capsys)
    assert fiche["type"] == "epci"
    assert fiche["nom"] == "CA de Cambrai"
    assert fiche["type_epci"] == "CA"
    assert len(fiche["communes"]) == 55
    cambrai = next(c for c in fiche["communes"] if c["code"] == "59122")
    assert cambrai == {"code": "59122", "nom": "Cambrai", "population": 31134, "part_epci": 38.86}
    assert fiche["population"] == sum(c["population"] for c in fiche["communes"]) == 80120
    assert fiche["population_annee"] == 2023
    assert fiche["departements"] == [{"code": "59", "nom": "Nord"}]


def test_commune_en_json(capsys):
    fiche = territoire_json("59428", capsys)
    assert fiche["type"] == "commune"
    assert fiche["nom"] == "Neuville-Saint-Rémy"
    assert fiche["epci"]["code"] == "200068500"
    assert fiche["departement"] == {"code": "59", "nom": "Nord"}
    assert fiche["population"] > 3500


@pytest.mark.parametrize(
    ("code", "nom"), [("59", "Nord"), ("2A", "Corse-du-Sud"), ("2a", "Corse-du-Sud"), ("971", "Guadeloupe")]
)
def test_departements(code, nom, capsys):
    fiche = territoire_json(code, capsys)
    assert fiche["type"] == "departement"
    assert fiche["nom"] == nom
    assert fiche["population"] > 0


def test_sortie_texte(capsys):
    call_command("territoire", "59122")
    sortie = capsys.readouterr().out
    assert "Cambrai (commune, code 59122)" in sortie
    assert "Population municipale (2023) : 31\xa0134" in sortie
    assert "EPCI : CA de Cambrai (200068500)" in sortie


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("abc", "Code « abc » mal formé"),
        ("5912", "Code « 5912 » mal formé"),
        ("99999", "Aucune commune de code INSEE 99999"),
        ("123456789", "Aucun EPCI de SIREN 123456789"),
        ("00", "Aucun département de code 00"),
    ],
)
def test_code_inconnu_ou_mal_forme(code, message):
    with pytest.raises(CommandError, match=message):
        call_command("territoire", code)


def test_console_ctg_sort_en_erreur(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["territoire", "pas-un-code"])
    assert exc.value.code == 1
    assert "mal formé" in capsys.readouterr().err
