"""The second factor (TOTP): enrolment from a page (QR code and secret), login asking for the code, mandatory for
the Caf's staff when CTG_DOUBLE_FACTEUR_CAF is on."""

from datetime import timedelta

import pytest
from django.test import override_settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from ctg.comptes import double_facteur
from ctg.comptes.models import Organisation, Profil, caf_du_departement
from ctg.territoires.models import Departement

pytestmark = pytest.mark.django_db

MOT_DE_PASSE = "bonne-phrase-de-passe-2026"


def code_de(device: TOTPDevice) -> str:
    """The code the application shows now."""
    return f"{totp(device.bin_key, device.step, device.t0, device.digits):06d}"


def faux_code(device: TOTPDevice) -> str:
    return f"{(int(code_de(device)) + 1) % 1_000_000:06d}"


@pytest.fixture
def agent(django_user_model):
    return django_user_model.objects.create_user("agent.caf", password=MOT_DE_PASSE)


@pytest.fixture
def agent_caf(agent):
    Profil.objects.create(user=agent, organisation=caf_du_departement(Departement.objects.get(code="59")))
    return agent


@pytest.fixture
def appareil(agent):
    return TOTPDevice.objects.create(user=agent, name=double_facteur.NOM_APPAREIL, confirmed=True)


def connexion(client, suivant="/conventions/"):
    return client.post("/comptes/connexion/", {"username": "agent.caf", "password": MOT_DE_PASSE, "next": suivant})


def connecte(client) -> bool:
    return "_auth_user_id" in client.session


def test_sans_second_facteur_le_mot_de_passe_suffit(client, agent):
    assert connexion(client).url == "/conventions/" and connecte(client)


def test_chaque_page_mene_a_la_double_authentification(client, agent):
    client.force_login(agent)
    assert 'href="/comptes/double-authentification/"' in client.get("/").content.decode()


def test_la_page_d_enregistrement_montre_le_qr_code_et_la_cle(client, agent):
    client.force_login(agent)
    page = client.get("/comptes/double-authentification/").content.decode()
    device = TOTPDevice.objects.get(user=agent, confirmed=False)
    assert "<svg" in page and 'role="img"' in page  # the QR code, inline, no image fetched elsewhere
    assert "<script" not in page.split("<main", 1)[1]
    assert double_facteur.secret_en_clair(device) in page
    # Reloading the page shows the same secret until it is confirmed.
    client.get("/comptes/double-authentification/")
    assert TOTPDevice.objects.filter(user=agent).count() == 1


def test_enregistrement_par_un_code_juste(client, agent):
    client.force_login(agent)
    client.get("/comptes/double-authentification/")
    device = TOTPDevice.objects.get(user=agent)
    reponse = client.post("/comptes/double-authentification/", {"code": code_de(device)})
    assert reponse.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert "active" in client.get("/comptes/double-authentification/").content.decode()


def test_un_code_faux_n_enregistre_rien(client, agent):
    client.force_login(agent)
    client.get("/comptes/double-authentification/")
    device = TOTPDevice.objects.get(user=agent)
    reponse = client.post("/comptes/double-authentification/", {"code": faux_code(device)})
    assert reponse.status_code == 200 and "Code incorrect" in reponse.content.decode()
    device.refresh_from_db()
    assert not device.confirmed


def test_un_code_mal_forme_est_explique(client, agent):
    client.force_login(agent)
    reponse = client.post("/comptes/double-authentification/", {"code": "12a456"})
    assert "Saisissez les six chiffres" in reponse.content.decode()


def test_la_connexion_demande_le_code(client, agent, appareil):
    reponse = connexion(client)
    assert reponse.status_code == 302 and reponse.url == "/comptes/connexion/code/"
    assert not connecte(client)  # the password alone opens nothing
    assert client.get("/conventions/").status_code == 302
    reponse = client.post("/comptes/connexion/code/", {"code": code_de(appareil)})
    assert reponse.status_code == 302 and reponse.url == "/conventions/"
    assert connecte(client)
    assert client.get("/conventions/").status_code == 200


def test_un_code_faux_ne_connecte_pas(client, agent, appareil):
    connexion(client)
    reponse = client.post("/comptes/connexion/code/", {"code": faux_code(appareil)})
    assert reponse.status_code == 200 and "Code incorrect" in reponse.content.decode()
    assert not connecte(client)


def test_un_code_deja_utilise_est_refuse(client, agent, appareil):
    connexion(client)
    code = code_de(appareil)
    client.post("/comptes/connexion/code/", {"code": code})
    client.logout()
    connexion(client)
    client.post("/comptes/connexion/code/", {"code": code})
    assert not connecte(client)


def test_les_codes_faux_a_la_suite_sont_freines(client, agent, appareil):
    connexion(client)
    client.post("/comptes/connexion/code/", {"code": faux_code(appareil)})
    reponse = client.post("/comptes/connexion/code/", {"code": code_de(appareil)})  # right, but too soon
    assert "Trop de codes erronés" in reponse.content.decode()
    assert not connecte(client)


def test_la_connexion_en_attente_expire(client, agent, appareil, horloge):
    connexion(client)
    horloge.shift(double_facteur.DUREE_ATTENTE + timedelta(seconds=1))
    reponse = client.post("/comptes/connexion/code/", {"code": code_de(appareil)})
    assert "Aucune connexion n'attend de code" in reponse.content.decode()
    assert not connecte(client)


def test_le_code_sans_connexion_en_cours(client):
    reponse = client.get("/comptes/connexion/code/")
    assert reponse.status_code == 200 and "Aucune connexion n'attend de code" in reponse.content.decode()


def test_desactiver_demande_un_code(client, agent, appareil, horloge):
    connexion(client)
    client.post("/comptes/connexion/code/", {"code": code_de(appareil)})
    client.post("/comptes/double-authentification/", {"code": faux_code(appareil)})
    assert TOTPDevice.objects.filter(user=agent).exists()
    horloge.shift(timedelta(seconds=appareil.step))  # the next code (the login's one is used) after the delay
    reponse = client.post("/comptes/double-authentification/", {"code": code_de(appareil)})
    assert reponse.status_code == 302
    assert not TOTPDevice.objects.filter(user=agent).exists()


def test_une_session_ouverte_sans_code_est_fermee(client, agent, appareil):
    client.force_login(agent)  # a session opened before the application was enrolled elsewhere
    reponse = client.get("/conventions/")
    assert reponse.status_code == 302 and reponse.url.startswith("/comptes/connexion/")
    assert not connecte(client)


# Mandatory for the Caf's staff.


@override_settings(CTG_DOUBLE_FACTEUR_CAF=True)
def test_obligatoire_le_personnel_caf_s_enregistre_a_la_connexion(client, agent_caf):
    assert connexion(client).url == "/comptes/connexion/code/"
    assert not connecte(client)
    page = client.get("/comptes/connexion/code/").content.decode()
    assert "obligatoire" in page and "<svg" in page
    device = TOTPDevice.objects.get(user=agent_caf, confirmed=False)
    reponse = client.post("/comptes/connexion/code/", {"code": code_de(device)})
    assert reponse.url == "/conventions/" and connecte(client)
    device.refresh_from_db()
    assert device.confirmed


@override_settings(CTG_DOUBLE_FACTEUR_CAF=True)
def test_obligatoire_le_personnel_caf_ne_le_desactive_pas(client, agent_caf):
    device = TOTPDevice.objects.create(user=agent_caf, name=double_facteur.NOM_APPAREIL, confirmed=True)
    connexion(client)
    client.post("/comptes/connexion/code/", {"code": code_de(device)})
    device.refresh_from_db()
    device.throttle_reset()
    reponse = client.post("/comptes/double-authentification/", {"code": code_de(device)})
    assert "obligatoire" in reponse.content.decode()
    assert TOTPDevice.objects.filter(user=agent_caf, confirmed=True).exists()


@override_settings(CTG_DOUBLE_FACTEUR_CAF=True)
def test_obligatoire_une_session_caf_ouverte_sans_code_est_fermee(client, agent_caf):
    client.force_login(agent_caf)
    assert client.get("/conventions/").url.startswith("/comptes/connexion/")


@override_settings(CTG_DOUBLE_FACTEUR_CAF=True)
def test_obligatoire_seulement_pour_la_caf(client, agent):
    Profil.objects.create(
        user=agent, organisation=Organisation.objects.create(type=Organisation.Type.AUTRE, nom="Association")
    )
    assert connexion(client).url == "/conventions/" and connecte(client)


@override_settings(CTG_DOUBLE_FACTEUR_CAF=False)
def test_facultatif_par_defaut_pour_la_caf(client, agent_caf):
    assert connexion(client).url == "/conventions/" and connecte(client)
