"""A visitor without an account: the home page says what the product is, the territories and their diagnostic from
open data are readable, and no convention shows on them."""

import pytest
from django.urls import reverse

from tests.lecture import texte_html

pytestmark = [pytest.mark.django_db, pytest.mark.date("2026-06-15")]


def test_accueil_presente_le_produit_sans_compte(client, convention_cambrai):
    reponse = client.get("/")
    assert reponse.status_code == 200
    page = reponse.content.decode()
    texte = texte_html(page)
    assert "Convention territoriale globale" in texte
    assert "une caisse d'allocations familiales (Caf) et une intercommunalité (EPCI)" in texte
    for nom in ("territoires:recherche", "glossaire", "accessibilite", "login"):
        assert f'href="{reverse(nom)}"' in page
    assert convention_cambrai.get_absolute_url() not in page and "Caf du Nord × CA de Cambrai" not in texte


def test_territoire_et_diagnostic_sans_compte_ni_convention(client, convention_cambrai):
    adresses = {
        "/territoires/epci/200068500/": "CA de Cambrai",
        "/territoires/communes/59122/": "Cambrai",
        "/territoires/departements/59/": "Nord",
        "/diagnostic/epci/200068500/": "Diagnostic territorial",
    }
    for url, attendu in adresses.items():
        reponse = client.get(url)
        assert reponse.status_code == 200, url
        page = reponse.content.decode()
        assert attendu in texte_html(page), url
        assert f"/conventions/{convention_cambrai.pk}/" not in page, url
        assert f"/diagnostic/conventions/{convention_cambrai.pk}/" not in page, url
    page = texte_html(client.get("/territoires/epci/200068500/").content.decode())
    assert "connectez-vous pour voir les vôtres" in page
    assert client.get(f"/diagnostic/conventions/{convention_cambrai.pk}/").status_code == 302  # shared: members


def test_le_rapport_du_diagnostic_se_propose_apres_connexion_au_visiteur(client, django_user_model):
    """The report is rendered on demand for signed-in users: a visitor is told so before the click, not sent to the
    login page by a button named « Rapport PDF »."""
    url = "/diagnostic/epci/200068500/"
    page = client.get(url).content.decode()
    assert "/diagnostic/epci/200068500/rapport" not in page
    assert f'href="{reverse("login")}?next=/diagnostic/epci/200068500/"' in page
    assert "Se connecter pour le rapport PDF ou DOCX" in texte_html(page)
    client.force_login(django_user_model.objects.create_user("lectrice", password="x"))
    page = client.get(url).content.decode()
    assert reverse("diagnostic:rapport_epci", args=["200068500", "pdf"]) in page
