import pytest
from django.core.management import call_command

from ctg.demo.comptes import MOT_DE_PASSE_DEMO

pytestmark = pytest.mark.django_db


def test_demarrer_sans_serveur_prepare_tout(client, capsys):
    call_command("demarrer", sans_serveur=True)
    sortie = capsys.readouterr().out
    assert "Territoires déjà importés" in sortie  # the session's import came from the same snapshot
    assert f"identifiant : demo   mot de passe : {MOT_DE_PASSE_DEMO}" in sortie
    assert client.login(username="demo", password=MOT_DE_PASSE_DEMO)
    assert "Camille" in client.get("/").content.decode()


def test_charger_demo_est_rejouable():
    call_command("charger_demo", verbosity=0)
    call_command("charger_demo", verbosity=0)
