import pytest
from playwright.sync_api import expect

from ctg.demo.comptes import MOT_DE_PASSE_DEMO, creer_comptes_demo
from ctg.demo.convention_cambrai import charger_convention_cambrai
from ctg.demo.financement import charger_demo_financement
from ctg.financement.baremes import semer_baremes
from ctg.financement.models import Structure

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_bonus_expliques_et_simulation_d_une_creche(live_server, page, captures):
    semer_baremes()  # seeded by a data migration; a transactional test run before may have emptied the tables
    convention = charger_convention_cambrai()
    creer_comptes_demo(convention)
    charger_demo_financement(convention)
    lucioles = Structure.objects.get(convention=convention, nom__startswith="Multi-accueil Les Lucioles")
    mesanges = Structure.objects.get(convention=convention, nom__startswith="Multi-accueil Les Mésanges")

    page.goto(live_server.url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill("demo")
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE_DEMO)
    page.get_by_role("button", name="Se connecter").click()

    # the convention's dashboard: the shortfall alert and the way to the financing
    page.goto(f"{live_server.url}/conventions/{convention.pk}/")
    expect(page.get_by_text("Commune Cambrai : financement 2024 inférieur à l'engagement Cej")).to_be_visible()
    page.get_by_role("link", name="Financement", exact=True).click()

    # the bonus of 2024 per structure, each with its explanation
    page.get_by_role("navigation", name="Années").get_by_role("link", name="2024").click()
    expect(page.get_by_text("Données FICTIVES de démonstration")).to_be_visible()
    ligne = page.locator(f"#bonus-{lucioles.pk}")
    expect(ligne).to_contain_text("À vérifier")
    expect(ligne).to_contain_text("117\u202f415,38\u00a0€")
    ligne.get_by_text("Explication").click()
    expect(ligne.get_by_text("Places nouvelles : 8 places au-delà des 32 places de référence du Cej")).to_be_visible()
    bloquee = page.locator(f"#bonus-{mesanges.pk}")
    expect(bloquee).to_contain_text("Non éligible")
    expect(bloquee).to_contain_text("La commune Iwuy n'a pas encore adhéré à la CTG (annexe 4)")
    expect(page.locator("#table-engagements")).to_contain_text("Inférieur à l'engagement")
    page.screenshot(path=captures / "financement-bonus-2024.png", full_page=True)

    # the multi-year table and its chart
    page.get_by_role("link", name="Tableau pluriannuel et graphique").click()
    expect(page.locator("figure.graphique svg")).to_be_visible()
    expect(page.get_by_test_id("total-2024")).to_have_text("196\u202f800,00\u00a0€")
    page.screenshot(path=captures / "financement-pluriannuel.png", full_page=True)
    with page.expect_download() as attente:
        page.get_by_role("link", name="Exporter (XLSX)").click()
    assert attente.value.suggested_filename == "financement-200068500-pluriannuel.xlsx"

    # a new crèche of 20 places in a QPV of Cambrai, simulated before it exists (htmx)
    page.get_by_role("link", name="Retour au financement").click()
    page.get_by_role("link", name="Simuler une nouvelle crèche").click()
    page.get_by_label("Commune").select_option("59122")
    page.get_by_label("Nombre de places").fill("20")
    page.get_by_label("Date d'ouverture").fill("2026-01-01")
    page.get_by_label("En quartier prioritaire (QPV)").check()
    page.get_by_role("button", name="Simuler").click()
    expect(page.get_by_test_id("resume-simulation")).to_contain_text(
        "apporterait 78\u202f000,00\u00a0€ de bonus territoire en 2026"
    )
    page.locator("#table-simulation tbody").first.get_by_text("Explication").click()
    expect(page.locator("#table-simulation")).to_contain_text("structure située en QPV : taux maximal")
    page.screenshot(path=captures / "financement-simulation.png", full_page=True)

    # the rates table, with history and "à confirmer"
    page.goto(f"{live_server.url}/financement/baremes/")
    expect(page.get_by_text("Tranche 1 (territoire le moins favorisé)").first).to_be_visible()
    page.screenshot(path=captures / "financement-baremes.png", full_page=True)

    # the Caf records its verification of Cambrai's 2024 funding: the structures' bonus becomes "vérifié"
    page.goto(f"{live_server.url}/financement/conventions/{convention.pk}/?annee=2024")
    page.get_by_role("link", name="Enregistrer la vérification").click()
    page.get_by_label("Conclusion").select_option("conforme")
    page.get_by_label("Documents examinés").fill("Comptes de résultat 2024 des crèches (démonstration)")
    page.get_by_role("button", name="Enregistrer la vérification").click()
    expect(page.get_by_text("Vérification 2024 de Cambrai enregistrée.")).to_be_visible()
    expect(page.locator("#engagements-commune")).to_contain_text("Vérifié : conforme")
    page.screenshot(path=captures / "financement-commune.png", full_page=True)
    page.goto(f"{live_server.url}/financement/conventions/{convention.pk}/structures/{lucioles.pk}/")
    expect(page.locator("#bonus-par-annee")).to_contain_text("Vérifié par la Caf")
    page.screenshot(path=captures / "financement-structure.png", full_page=True)
