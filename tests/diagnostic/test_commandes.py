import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ctg import cli
from ctg.diagnostic.models import ValeurIndicateur

from .conftest import CA_CAMBRAI, CAMBRAI, IWUY

pytestmark = pytest.mark.django_db


@pytest.fixture
def jeu(donnees):
    donnees.lignes(
        "s_ben_com_f",
        2023,
        {CAMBRAI: {"indfoy_ndur": 10000, "indfoy_rsa": 2000}, IWUY: {"indfoy_ndur": 1000, "indfoy_rsa": None}},
        nom="s_ben_com_f_2023.csv",
    )
    return donnees


def test_calculer_indicateurs(jeu, capsys):
    call_command("calculer_indicateurs")
    sortie = capsys.readouterr().out
    assert "1\u00a0255 EPCI, 101 départements et la France" in sortie
    assert "Valeurs enregistrées" in sortie
    assert "DÉMONSTRATION" not in sortie
    assert ValeurIndicateur.objects.filter(niveau="epci", code=CA_CAMBRAI, indicateur="foyers_rsa").get().valeur == 2000
    call_command("calculer_indicateurs", "--annee", "2023", verbosity=0)
    assert "années 2023" in capsys.readouterr().out


def test_calculer_indicateurs_annee_sans_donnee(jeu, capsys):
    call_command("calculer_indicateurs", "--annee", "1999", verbosity=0)
    assert "Aucune donnée à calculer pour 1999" in capsys.readouterr().out


def test_calculer_indicateurs_demonstration(donnees, capsys):
    donnees.lignes("s_ben_com_f", 2023, {CAMBRAI: {"indfoy_ndur": 10}}, demonstration=True)
    call_command("calculer_indicateurs", verbosity=0)
    assert "données de DÉMONSTRATION (fictives)" in capsys.readouterr().out


def test_indicateurs_d_un_epci_en_texte(jeu, capsys):
    call_command("indicateurs", CA_CAMBRAI)
    sortie = capsys.readouterr().out
    assert sortie.startswith("Indicateurs du diagnostic — CA de Cambrai (EPCI, SIREN 200068500)")
    assert "Part des foyers allocataires percevant le RSA [part_foyers_rsa]" in sortie
    # Iwuy's RSA count is secret: the rate runs over Cambrai only, 2000 / 10000.
    assert (
        "2023 : 20,0\u00a0% — partiel (somme de 1 commune sur 55 (1 en secret statistique, 53 sans donnée), " in sortie
    )
    assert "Nord (59) : " in sortie
    assert "France : " in sortie
    assert "s_ben_com_f — s_ben_com_f_2023.csv, période 2023 (somme des communes)" in sortie
    assert "Population municipale [population_municipale]" in sortie
    assert "2023 : 80\u00a0120 habitants — disponible (55 communes retenues)" in sortie
    assert "== Petite enfance ==" in sortie
    assert "DÉMONSTRATION" not in sortie


def test_indicateurs_en_json(jeu, capsys):
    call_command("indicateurs", CAMBRAI, "--json")
    data = json.loads(capsys.readouterr().out)
    assert data["territoire"]["niveau"] == "commune"
    assert data["territoire"]["departement"] == "59"
    assert data["demonstration"] is False and data["avertissement"] is None
    par_code = {i["code"]: i for i in data["indicateurs"]}
    rsa = par_code["part_foyers_rsa"]
    assert rsa["valeur"] == pytest.approx(20.0)
    assert rsa["unite"] == "%"
    assert rsa["annee"] == 2023 and rsa["etat"] == "disponible"
    assert rsa["departement"]["code"] == "59" and rsa["france"]["code"] == "FR"
    assert rsa["sources"][0]["dataset"] == "s_ben_com_f"
    assert par_code["sppe_communes_plus_10000"]["valeur"] == 1


def test_indicateurs_annee_de_reference(jeu, capsys):
    call_command("indicateurs", "59", "--annee", "2022", "--json")
    data = json.loads(capsys.readouterr().out)
    par_code = {i["code"]: i for i in data["indicateurs"]}
    assert par_code["foyers_allocataires"]["annee"] is None  # no Caf figures up to 2022
    assert par_code["foyers_allocataires"]["etat"] == "absent"
    assert par_code["foyers_allocataires"]["departement"] is None


def test_indicateurs_avertit_des_donnees_de_demonstration(donnees, capsys):
    donnees.lignes("s_ben_com_f", 2023, {CAMBRAI: {"indfoy_ndur": 10}}, demonstration=True)
    call_command("indicateurs", CAMBRAI)
    sortie = capsys.readouterr().out
    assert sortie.splitlines()[1].startswith("ATTENTION : certaines valeurs sont calculées sur des données de DÉMO")
    assert "[DÉMONSTRATION]" in sortie
    call_command("indicateurs", "FR", "--json")
    assert json.loads(capsys.readouterr().out)["demonstration"] is True


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
        call_command("indicateurs", code)


def test_console_ctg_sort_en_erreur(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["indicateurs", "pas-un-code"])
    assert exc.value.code == 1
    assert "mal formé" in capsys.readouterr().err
