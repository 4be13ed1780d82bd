"""The profile page: name and e-mail edited (an address of another account refused), organisation and roles shown,
the password changed from it, the API tokens offered only when the product has them."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import NoReverseMatch

from ctg.comptes import profil
from ctg.demo.comptes import MOT_DE_PASSE_DEMO
from tests.lecture import texte_html

pytestmark = [pytest.mark.django_db, pytest.mark.date("2026-06-15")]


def test_profil_montre_organisation_et_roles_et_se_modifie(compte_demo, convention_cambrai):
    client = compte_demo("chef.projet")
    page = client.get("/comptes/profil/").content.decode()
    texte = texte_html(page)
    assert "Chef·fe de projet CTG de la collectivité" in texte
    assert f'href="{convention_cambrai.get_absolute_url()}"' in page
    assert 'href="/comptes/profil/mot-de-passe/"' in page and 'href="/comptes/profil/"' in page  # header link
    assert 'href="/rgpd/mes-donnees/"' in page and 'href="/api/jetons/"' in page
    for champ in ("id_first_name", "id_last_name", "id_email"):
        assert f'<label for="{champ}">' in page

    get_user_model().objects.create_user("autre", email="pris@exemple.fr")
    refus = client.post("/comptes/profil/", {"first_name": "Lou", "last_name": "Martin", "email": "PRIS@exemple.fr"})
    assert "déjà celle d'un autre compte" in texte_html(refus.content.decode())
    moi = get_user_model().objects.get(username="chef.projet")
    assert moi.first_name != "Lou"  # bad input changes nothing

    reponse = client.post("/comptes/profil/", {"first_name": "Lou", "last_name": "Martin", "email": "lou@cambrai.fr"})
    assert reponse.status_code == 302
    moi.refresh_from_db()
    assert (moi.first_name, moi.last_name, moi.email) == ("Lou", "Martin", "lou@cambrai.fr")


def test_changer_de_mot_de_passe_depuis_le_profil(compte_demo):
    client = compte_demo("lecture")
    nouveau = "un-mot-de-passe-tout-neuf-2026"
    donnees = {"old_password": "faux", "new_password1": nouveau, "new_password2": nouveau}
    assert client.post("/comptes/profil/mot-de-passe/", donnees).status_code == 200  # the former one is asked
    donnees["old_password"] = MOT_DE_PASSE_DEMO
    reponse = client.post("/comptes/profil/mot-de-passe/", donnees, follow=True)
    assert "Votre mot de passe est changé" in reponse.content.decode()  # still signed in, back on the profile
    assert get_user_model().objects.get(username="lecture").check_password(nouveau)


def test_jetons_d_api_seulement_si_la_page_existe(monkeypatch):
    assert profil.url_facultative("comptes:profil") == "/comptes/profil/"
    assert profil.url_facultative("application:inexistante") is None

    def absente(nom):
        raise NoReverseMatch(nom)

    monkeypatch.setattr(profil, "reverse", absente)
    assert profil.url_facultative("api:jetons") is None
