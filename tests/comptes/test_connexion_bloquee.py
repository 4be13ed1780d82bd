"""Failed logins are throttled per account and per address (django-axes): a locked account or address is refused
even with the right password, until the cool-off has passed; the lockout is logged, and explained in French."""

import logging
from datetime import timedelta

import pytest
from django.conf import settings
from django.test import RequestFactory, override_settings

from ctg.comptes.connexion import adresse_du_client

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "bonne-phrase-de-passe-2026"


@pytest.fixture
def alice(django_user_model):
    return django_user_model.objects.create_user("alice", password=MOT_DE_PASSE)


@pytest.fixture
def bruno(django_user_model):
    return django_user_model.objects.create_user("bruno", password=MOT_DE_PASSE)


def connexion(client, identifiant, mot_de_passe, adresse="203.0.113.10", **entetes):
    return client.post(
        "/comptes/connexion/", {"username": identifiant, "password": mot_de_passe}, REMOTE_ADDR=adresse, **entetes
    )


def connecte(client) -> bool:
    return "_auth_user_id" in client.session


def test_le_bon_mot_de_passe_connecte(client, alice):
    reponse = connexion(client, "alice", MOT_DE_PASSE)
    assert reponse.status_code == 302 and connecte(client)


def test_cinquante_echecs_puis_le_bon_mot_de_passe_est_refuse(client, alice):
    for _ in range(50):
        connexion(client, "alice", "mauvais-mot-de-passe")
    reponse = connexion(client, "alice", MOT_DE_PASSE)
    assert reponse.status_code == 429
    assert not connecte(client)
    page = reponse.content.decode()
    assert "Connexion bloquée" in page and "15 minutes" in page


def test_le_blocage_commence_a_la_limite(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert connexion(client, "alice", "mauvais-mot-de-passe").status_code == 200
    assert connexion(client, "alice", "mauvais-mot-de-passe").status_code == 429


def test_un_autre_compte_depuis_une_autre_adresse_se_connecte(client, alice, bruno):
    for _ in range(50):
        connexion(client, "alice", "mauvais-mot-de-passe", adresse="203.0.113.10")
    assert connexion(client, "bruno", MOT_DE_PASSE, adresse="198.51.100.7").status_code == 302
    assert connecte(client)


def test_le_compte_reste_bloque_depuis_une_autre_adresse(client, alice):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        connexion(client, "alice", "mauvais-mot-de-passe", adresse="203.0.113.10")
    assert connexion(client, "alice", MOT_DE_PASSE, adresse="198.51.100.7").status_code == 429
    assert not connecte(client)


def test_l_adresse_reste_bloquee_pour_un_autre_compte(client, alice, bruno):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        connexion(client, "alice", "mauvais-mot-de-passe", adresse="203.0.113.10")
    assert connexion(client, "bruno", MOT_DE_PASSE, adresse="203.0.113.10").status_code == 429


def test_apres_le_delai_la_connexion_reussit(client, alice, horloge):
    for _ in range(50):
        connexion(client, "alice", "mauvais-mot-de-passe")
    horloge.shift(settings.AXES_COOLOFF_TIME - timedelta(minutes=1))
    assert connexion(client, "alice", MOT_DE_PASSE).status_code == 429  # a failure during the lockout restarts it
    horloge.shift(settings.AXES_COOLOFF_TIME + timedelta(seconds=1))
    assert connexion(client, "alice", MOT_DE_PASSE).status_code == 302
    assert connecte(client)


def test_le_blocage_est_journalise(client, alice, caplog):
    with caplog.at_level(logging.WARNING, logger="ctg.comptes.connexion"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            connexion(client, "alice", "mauvais-mot-de-passe", adresse="203.0.113.10")
    lignes = [r for r in caplog.records if r.name == "ctg.comptes.connexion"]
    assert len(lignes) == 1
    message = lignes[0].getMessage()
    assert "Connexion bloquée" in message and "alice" in message and "203.0.113.10" in message


def test_l_administration_passe_par_la_meme_limite(client, django_user_model):
    django_user_model.objects.create_user("gestion", password=MOT_DE_PASSE, is_staff=True)
    # The administration's login page sends to the product's, where the attempts are counted.
    assert client.get("/admin/login/?next=/admin/").url == "/comptes/connexion/?next=%2Fadmin%2F"
    for _ in range(settings.AXES_FAILURE_LIMIT):
        connexion(client, "gestion", "mauvais-mot-de-passe")
    assert connexion(client, "gestion", MOT_DE_PASSE).status_code == 429


# The client's address, with and without a reverse proxy.


def requete(adresse="10.0.0.2", transmise=None):
    entetes = {"REMOTE_ADDR": adresse}
    if transmise is not None:
        entetes["HTTP_X_FORWARDED_FOR"] = transmise
    return RequestFactory().get("/", **entetes)


@override_settings(CTG_NOMBRE_PROXIES=0)
def test_sans_proxy_l_entete_transmise_est_ignoree():
    assert adresse_du_client(requete("203.0.113.10", transmise="1.2.3.4")) == "203.0.113.10"


@override_settings(CTG_NOMBRE_PROXIES=1)
def test_derriere_le_proxy_l_adresse_vue_par_le_proxy():
    # The client wrote "1.2.3.4" itself; our proxy appended the address it saw.
    assert adresse_du_client(requete("10.0.0.2", transmise="1.2.3.4, 203.0.113.10")) == "203.0.113.10"


@override_settings(CTG_NOMBRE_PROXIES=2)
def test_derriere_deux_proxies():
    transmise = "1.2.3.4, 203.0.113.10, 10.0.0.9"
    assert adresse_du_client(requete("10.0.0.2", transmise=transmise)) == "203.0.113.10"


@override_settings(CTG_NOMBRE_PROXIES=1)
@pytest.mark.parametrize("transmise", ["", "pas-une-adresse"])
def test_derriere_le_proxy_une_entete_inutilisable_retombe_sur_la_connexion(transmise):
    assert adresse_du_client(requete("10.0.0.2", transmise=transmise)) == "10.0.0.2"


@override_settings(CTG_NOMBRE_PROXIES=1)
def test_derriere_le_proxy_changer_l_entete_ne_donne_pas_une_nouvelle_adresse(client, alice):
    """Each attempt forges another left-most address: the address our proxy saw is still counted."""
    for i in range(settings.AXES_FAILURE_LIMIT):
        connexion(client, "inconnu", "x", adresse="10.0.0.2", HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 203.0.113.10")
    reponse = connexion(client, "alice", MOT_DE_PASSE, adresse="10.0.0.2", HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.10")
    assert reponse.status_code == 429
