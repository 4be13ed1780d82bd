import pytest
from django.core.management import call_command

from ctg.comptes.models import Habilitation, Role
from ctg.conventions.models import Convention
from ctg.demo.comptes import MOT_DE_PASSE_DEMO

pytestmark = pytest.mark.django_db


def test_demarrer_sans_serveur_prepare_tout(client, capsys):
    call_command("demarrer", sans_serveur=True)
    sortie = capsys.readouterr().out
    assert "Territoires déjà importés" in sortie  # the session's import came from the same snapshot
    assert f"identifiant : demo              mot de passe : {MOT_DE_PASSE_DEMO}" in sortie
    assert client.login(username="demo", password=MOT_DE_PASSE_DEMO)
    assert "Caf du Nord × CA de Cambrai" in client.get("/").content.decode()


def test_charger_demo_est_rejouable_et_donne_un_compte_par_role():
    call_command("charger_demo", verbosity=0)
    call_command("charger_demo", verbosity=0)
    convention = Convention.objects.get(ctes_identifiant="059-200068500-20211221-D2021_12_10_01-CC")
    assert Convention.objects.count() == 1
    roles = set(Habilitation.objects.filter(convention=convention).values_list("role", flat=True))
    assert roles == set(Role.values)
    assert convention.adhesions.count() == 55
    assert not convention.adhesions.exclude(maire_nom="").exists()  # mayors blank in the seed stay blank
