"""A visitor without an account: the home page says what the product is, the territories' search finds the CA de
Cambrai, its page (communes, map), its diagnostic and indicators, a commune's page and figures, its département; no
convention shown, only an invitation to sign in."""

import pytest
from playwright.sync_api import expect

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_visiteur_sans_compte_parcourt_territoires_et_indicateurs(live_server, page, visiter):
    visiter(page, "/", "accueil")
    expect(page.get_by_role("heading", name="Convention territoriale globale", level=1)).to_be_visible()
    expect(page.locator("#presentation")).to_contain_text("Sans compte, vous pouvez consulter les territoires")

    page.get_by_role("link", name="Rechercher un territoire").click()
    # typed once the page has loaded: htmx (a deferred script) must be listening, else the typing sends nothing
    page.wait_for_load_state()
    page.get_by_label("Commune, intercommunalité (EPCI) ou département").fill("Cambrai")
    lien = page.get_by_role("link", name="CA de Cambrai")
    expect(lien).to_be_visible()  # the results arrive through htmx while typing
    assert "q=Cambrai" in page.url
    visiter(page, None, "recherche-cambrai")

    visiter(page, lien.click, "epci-cambrai")
    expect(page.get_by_role("heading", name="CA de Cambrai", level=1)).to_be_visible()
    expect(page.get_by_test_id("nombre-communes")).to_have_text("55")
    expect(page.locator("#table-communes tbody tr")).to_have_count(55)
    expect(page.locator("#table-communes tbody tr").first).to_contain_text("Cambrai")
    expect(page.locator("#table-communes tbody tr").first).to_contain_text("31\u00a0134")
    # the map: one shape per commune, drawn by Leaflet without any tile server
    expect(page.locator("#carte")).to_have_attribute("data-pret", "55")
    expect(page.locator("#carte path.leaflet-interactive")).to_have_count(55)
    expect(page.locator(".legende")).to_contain_text("Population")
    # no convention for a visitor: an invitation to sign in, back to this page
    expect(page.locator("#acces-diagnostic")).to_contain_text("ne sont visibles que des personnes qui y participent")
    expect(page.locator("#acces-diagnostic").get_by_role("link", name="connectez-vous")).to_have_attribute(
        "href", "/comptes/connexion/?next=/territoires/epci/200068500/"
    )

    page.get_by_role("link", name="Commune").click()  # sort by name, through htmx
    expect(page.locator("#table-communes tbody tr").first).to_contain_text("Abancourt")
    assert "tri=nom" in page.url

    # a commune, its own figures, then the diagnostic of its EPCI: key figures, a map per indicator, a tab per domain
    neuville = page.locator("#table-communes").get_by_role("link", name="Neuville-Saint-Rémy")
    visiter(page, neuville.click, "commune-neuville")
    expect(page.get_by_role("heading", name="Neuville-Saint-Rémy", level=1)).to_be_visible()
    expect(page.locator("#carte path.leaflet-interactive")).to_have_count(1)
    visiter(page, page.get_by_role("link", name="Chiffres de Neuville-Saint-Rémy").click, "diagnostic-neuville")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Neuville-Saint-Rémy")
    ariane = page.get_by_role("navigation", name="Fil d'Ariane")
    visiter(page, ariane.get_by_role("link", name="Diagnostic CA de Cambrai").click, "diagnostic-cambrai")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Diagnostic territorial CA de Cambrai — 55 communes")
    expect(page.get_by_role("link", name="Rapport PDF")).to_be_visible()
    onglet = page.get_by_role("navigation", name="Domaines").get_by_role("link").nth(1)
    visiter(page, onglet.click, "diagnostic-cambrai-domaine")
    expect(page.get_by_role("navigation", name="Domaines").locator("[aria-current=page]")).to_have_count(1)
    assert "domaine=" in page.url
    visiter(page, "/territoires/departements/59/", "departement-nord")
    expect(page.get_by_role("heading", name="Nord", level=1)).to_be_visible()

    # what stays private: the conventions send to the sign-in page
    page.goto(live_server.url + "/conventions/")
    expect(page.get_by_role("heading", name="Connexion")).to_be_visible()
