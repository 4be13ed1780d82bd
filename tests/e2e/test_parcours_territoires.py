import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_chercher_cambrai_et_ouvrir_la_ca(live_server, page, django_user_model, captures):
    django_user_model.objects.create_user(username="conseillere", password="mot-de-passe-e2e", first_name="Inès")

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Convention territoriale globale", level=1)).to_be_visible()
    page.get_by_role("link", name="Se connecter", exact=True).click()
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
    page.get_by_label("Identifiant").fill("conseillere")
    page.get_by_label("Mot de passe").fill("mot-de-passe-e2e")
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Bonjour Inès")).to_be_visible()

    page.get_by_role("link", name="Territoires").first.click()
    page.get_by_label("Commune, intercommunalité (EPCI) ou département").fill("Cambrai")
    lien = page.get_by_role("link", name="CA de Cambrai")
    expect(lien).to_be_visible()  # results arrive through htmx while typing
    page.screenshot(path=captures / "recherche-cambrai.png", full_page=True)
    lien.click()

    expect(page.get_by_role("heading", name="CA de Cambrai", level=1)).to_be_visible()
    expect(page.get_by_test_id("nombre-communes")).to_have_text("55")
    expect(page.locator("#table-communes tbody tr")).to_have_count(55)
    expect(page.locator("#table-communes tbody tr").first).to_contain_text("Cambrai")
    expect(page.locator("#table-communes tbody tr").first).to_contain_text("31\u00a0134")
    # the map: one shape per commune, drawn by Leaflet without any tile server
    expect(page.locator("#carte")).to_have_attribute("data-pret", "55")
    expect(page.locator("#carte path.leaflet-interactive")).to_have_count(55)
    expect(page.locator(".legende")).to_contain_text("Population")
    page.screenshot(path=captures / "epci-cambrai.png", full_page=True)

    page.get_by_role("link", name="Commune").click()  # sort by name, through htmx
    expect(page.locator("#table-communes tbody tr").first).to_contain_text("Abancourt")
    assert "tri=nom" in page.url

    page.locator("#table-communes").get_by_role("link", name="Neuville-Saint-Rémy").click()
    expect(page.get_by_role("heading", name="Neuville-Saint-Rémy", level=1)).to_be_visible()
    expect(page.locator("#carte path.leaflet-interactive")).to_have_count(1)
    page.screenshot(path=captures / "commune-neuville.png", full_page=True)
