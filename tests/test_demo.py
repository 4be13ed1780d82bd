"""The demonstration: the reference convention A (Caf du Nord × CA de Cambrai, 2022–2026), its renewal 2027–2031 in
preparation, one account per role on both, and a home page that reads right before and after A's end."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

from ctg.comptes.models import Role
from ctg.conventions.models import Convention, Habilitation, Statut
from ctg.demo.comptes import COMPTES_DEMO, MOT_DE_PASSE_DEMO, DemoRefusee, creer_comptes_demo

pytestmark = pytest.mark.django_db

CTES_CAMBRAI = "059-200068500-20211221-D2021_12_10_01-CC"


# Only test_demarrer_sans_serveur_prepare_tout loads the demo with its open data and computes every indicator (half a
# minute); the other tests are about conventions, accounts and pages, which do not depend on them
# (tests/test_donnees_embarquees.py covers the data). They start from ``demo_chargee`` (tests/conftest.py): the
# command run once per date, its rows copied in for the next test.


def convention_a() -> Convention:
    return Convention.objects.get(ctes_identifiant=CTES_CAMBRAI)


# ``ctg demarrer`` is the README's first command, on the embedded SQLite database: when the CI tests both databases,
# it runs on that one; what it chains (the demonstration, the embedded data, every indicator) is tested on both.
@pytest.mark.une_base("sqlite")
def test_demarrer_sans_serveur_prepare_tout(client, capsys):
    assert "actualiser" in get_commands(), "ctg demarrer lance la mise à jour quotidienne « ctg actualiser »"
    call_command("demarrer", sans_serveur=True)
    sortie = capsys.readouterr().out
    assert "Territoires déjà importés" in sortie  # the session's import came from the same snapshot
    assert f"identifiant : demo              mot de passe : {MOT_DE_PASSE_DEMO}" in sortie
    assert "Renouvellement en préparation (brouillon de démonstration)" in sortie
    for convention in Convention.objects.all():
        assert convention.statut == convention.statut_du_jour  # the daily update ran
    assert client.login(username="demo", password=MOT_DE_PASSE_DEMO)
    assert "Caf du Nord × CA de Cambrai" in client.get("/").content.decode()


def test_charger_demo_est_rejouable_et_donne_un_compte_par_role(demo_chargee):
    call_command("charger_demo", sans_donnees=True, verbosity=0)  # a second time, on the loaded demonstration
    convention = convention_a()
    assert Convention.objects.count() == 2  # A and its renewal, once
    roles = set(Habilitation.objects.filter(convention=convention).values_list("role", flat=True))
    assert roles == set(Role.values)
    assert convention.adhesions.count() == 55
    assert not convention.adhesions.exclude(maire_nom="").exists()  # mayors blank in the seed stay blank


def test_le_renouvellement_2027_2031_est_un_brouillon_de_demonstration_qui_cite_a(demo_chargee):
    a = convention_a()
    renouvellement = Convention.objects.get(precedente=a)
    assert (renouvellement.date_debut, renouvellement.date_fin) == (date(2027, 1, 1), date(2031, 12, 31))
    assert renouvellement.statut == Statut.BROUILLON and renouvellement.ctes_identifiant is None
    assert "(démonstration)" in renouvellement.titre
    assert (renouvellement.caf, renouvellement.epci) == (a.caf, a.epci)
    roles = dict(Habilitation.objects.filter(convention=renouvellement).values_list("user__username", "role"))
    assert roles == {identifiant: role for identifiant, _p, _n, role, _r, _f in COMPTES_DEMO}
    referent = Habilitation.objects.get(convention=renouvellement, role=Role.REFERENT_COMMUNE)
    assert referent.commune_id == "59122"
    creation = renouvellement.historique.earliest()
    assert creation.history_change_reason.startswith("Renouvellement")  # made by the rules layer, as an act
    assert creation.history_user.username == "demo"


def test_seul_le_conseiller_caf_de_demo_peut_creer_et_aucun_compte_n_est_staff(demo_chargee):
    for identifiant, *_ in COMPTES_DEMO:
        user = get_user_model().objects.get(username=identifiant)
        assert user.has_perm("conventions.add_convention") == (identifiant == "demo"), identifiant
        assert not user.is_staff and not user.is_superuser, identifiant


ACCUEIL = {
    # today: (what the home page says of A, what it says of its renewal)
    "2026-11-30": ("En vigueur jusqu'au 31/12/2026", "Renouvellement 2027–2031 en préparation (brouillon)"),
    "2027-01-15": (
        "Terminée le 31/12/2026 — renouvellement 2027–2031 en préparation (brouillon)",
        "Renouvellement 2027–2031 en préparation (brouillon)",
    ),
    "2031-06-15": (
        "Terminée le 31/12/2026 — renouvellement 2027–2031 en préparation (brouillon)",
        "Renouvellement 2027–2031 en préparation (brouillon)",
    ),
}


@pytest.mark.parametrize("jour", [pytest.param(jour, marks=pytest.mark.date(jour)) for jour in ACCUEIL])
def test_l_accueil_se_lit_juste_avant_et_apres_la_fin_de_a(client, jour, demo_chargee):
    client.login(username="demo", password=MOT_DE_PASSE_DEMO)
    page = client.get("/").content.decode()
    sur_a, sur_le_renouvellement = ACCUEIL[jour]
    assert sur_a in page and sur_le_renouvellement in page
    statut_a = "En vigueur" if jour < "2027-01-01" else "Terminée (arrivée à échéance)"
    assert f">{statut_a}</span>" in page
    assert "Signée</span>" not in page  # never the stale stored status
    assert page.count("(démonstration)") >= 1


# --- the demonstration only where it is asked for (settings.CTG_DEMO: see tests/test_settings.py for its default) ---


def comptes_de_demo_existants() -> list[str]:
    identifiants = [identifiant for identifiant, *_ in COMPTES_DEMO]
    return list(get_user_model().objects.filter(username__in=identifiants).values_list("username", flat=True))


def test_charger_demo_refuse_sur_une_base_de_production_sans_rien_ecrire(settings):
    settings.CTG_DEMO = False
    with pytest.raises(CommandError, match="Démonstration refusée : .* relancez avec la variable CTG_DEMO=true"):
        call_command("charger_demo", sans_donnees=True, verbosity=0)
    assert comptes_de_demo_existants() == []
    assert not Convention.objects.exists()


def test_creer_comptes_demo_refuse_aussi_sur_une_base_de_production(settings, convention_cambrai):
    settings.CTG_DEMO = False
    with pytest.raises(DemoRefusee, match=MOT_DE_PASSE_DEMO):
        creer_comptes_demo(convention_cambrai)
    assert comptes_de_demo_existants() == []


def test_demarrer_prepare_une_base_de_production_sans_la_demonstration(settings, capsys):
    settings.CTG_DEMO = False
    call_command("demarrer", sans_serveur=True)
    assert "Démonstration non chargée" in capsys.readouterr().out
    assert comptes_de_demo_existants() == []
    assert not Convention.objects.exists()
