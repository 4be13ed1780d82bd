"""Password reset by e-mail (request, e-mail, link, new password, login) and the strength rules of a password."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import mail
from django.core.exceptions import ValidationError

from ctg.demo.comptes import COMPTES_DEMO, MOT_DE_PASSE_DEMO

pytestmark = pytest.mark.django_db

NOUVEAU = "nouvelle-phrase-de-passe-2026"


@pytest.fixture
def camille(django_user_model):
    return django_user_model.objects.create_user(
        "camille", email="camille@caf-exemple.fr", password="ancienne-phrase-de-passe", first_name="Camille"
    )


def lien_du_courriel(message) -> str:
    return re.search(r"http://testserver(/comptes/mot-de-passe-oublie/\S+/)", message.body).group(1)


def test_la_page_de_connexion_propose_le_lien(client):
    assert 'href="/comptes/mot-de-passe-oublie/"' in client.get("/comptes/connexion/").content.decode()


def test_mot_de_passe_oublie_de_bout_en_bout(client, camille):
    reponse = client.post("/comptes/mot-de-passe-oublie/", {"email": "camille@caf-exemple.fr"})
    assert reponse.status_code == 302 and reponse.url == "/comptes/mot-de-passe-oublie/envoye/"
    assert len(mail.outbox) == 1
    courriel = mail.outbox[0]
    assert courriel.to == ["camille@caf-exemple.fr"]
    assert courriel.subject == "CTG : choisir un nouveau mot de passe"
    assert "Bonjour Camille" in courriel.body and "camille" in courriel.body

    lien = lien_du_courriel(courriel)
    formulaire = client.get(lien, follow=True)  # Django hides the token behind a redirect
    assert "Nouveau mot de passe" in formulaire.content.decode()
    adresse_du_formulaire = formulaire.redirect_chain[-1][0]
    reponse = client.post(adresse_du_formulaire, {"new_password1": NOUVEAU, "new_password2": NOUVEAU})
    assert reponse.status_code == 302 and reponse.url == "/comptes/mot-de-passe-oublie/change/"

    assert (
        client.post("/comptes/connexion/", {"username": "camille", "password": "ancienne-phrase-de-passe"}).status_code
        == 200
    )
    reponse = client.post("/comptes/connexion/", {"username": "camille", "password": NOUVEAU})
    assert reponse.status_code == 302 and "_auth_user_id" in client.session


def test_le_lien_ne_sert_qu_une_fois(client, camille):
    client.post("/comptes/mot-de-passe-oublie/", {"email": "camille@caf-exemple.fr"})
    lien = lien_du_courriel(mail.outbox[0])
    adresse = client.get(lien, follow=True).redirect_chain[-1][0]
    client.post(adresse, {"new_password1": NOUVEAU, "new_password2": NOUVEAU})
    client.logout()
    page = client.get(lien, follow=True).content.decode()
    assert "Ce lien n'est pas valide" in page


def test_le_lien_expire(client, camille, horloge):
    client.post("/comptes/mot-de-passe-oublie/", {"email": "camille@caf-exemple.fr"})
    lien = lien_du_courriel(mail.outbox[0])
    horloge.shift(settings.PASSWORD_RESET_TIMEOUT + 60)
    assert "Ce lien n'est pas valide" in client.get(lien, follow=True).content.decode()


def test_une_adresse_inconnue_ne_revele_rien(client, camille):
    reponse = client.post("/comptes/mot-de-passe-oublie/", {"email": "personne@exemple.fr"})
    assert reponse.status_code == 302 and reponse.url == "/comptes/mot-de-passe-oublie/envoye/"
    assert mail.outbox == []


def test_un_mot_de_passe_faible_est_refuse_et_rien_ne_change(client, camille):
    client.post("/comptes/mot-de-passe-oublie/", {"email": "camille@caf-exemple.fr"})
    adresse = client.get(lien_du_courriel(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    reponse = client.post(adresse, {"new_password1": "camille2026", "new_password2": "camille2026"})
    assert reponse.status_code == 200
    assert "Ce mot de passe est trop court" in reponse.content.decode()
    camille.refresh_from_db()
    assert camille.check_password("ancienne-phrase-de-passe")


def test_le_nouveau_mot_de_passe_leve_le_blocage_du_compte(client, camille):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/comptes/connexion/", {"username": "camille", "password": "faux"}, REMOTE_ADDR="203.0.113.10")
    client.post("/comptes/mot-de-passe-oublie/", {"email": "camille@caf-exemple.fr"})
    adresse = client.get(lien_du_courriel(mail.outbox[0]), follow=True).redirect_chain[-1][0]
    client.post(adresse, {"new_password1": NOUVEAU, "new_password2": NOUVEAU})
    reponse = client.post(
        "/comptes/connexion/", {"username": "camille", "password": NOUVEAU}, REMOTE_ADDR="198.51.100.7"
    )
    assert reponse.status_code == 302


# Strength rules.


@pytest.mark.parametrize(
    ("mot_de_passe", "raison"),
    [
        ("court-2026", "trop court"),
        ("qwerty123456", "trop courant"),
        ("202620262026", "entièrement numérique"),
        ("dominique.exemple", "trop semblable"),
    ],
)
def test_mots_de_passe_refuses(django_user_model, mot_de_passe, raison):
    compte = django_user_model(username="dominique.exemple", first_name="Dominique", last_name="Exemple")
    with pytest.raises(ValidationError) as erreur:
        validate_password(mot_de_passe, user=compte)
    assert raison in " ".join(erreur.value.messages)


def test_un_mot_de_passe_long_et_rare_est_accepte(django_user_model):
    compte = django_user_model(username="dominique.exemple", first_name="Dominique", last_name="Exemple")
    validate_password("lanterne-violette-sous-la-pluie", user=compte)


@pytest.mark.parametrize("identifiant", [compte[0] for compte in COMPTES_DEMO])
def test_le_mot_de_passe_de_la_demo_respecte_les_regles(django_user_model, identifiant):
    _, prenom, nom, *_ = next(compte for compte in COMPTES_DEMO if compte[0] == identifiant)
    compte = django_user_model(username=identifiant, first_name=prenom, last_name=f"{nom} (compte de démonstration)")
    validate_password(MOT_DE_PASSE_DEMO, user=compte)
