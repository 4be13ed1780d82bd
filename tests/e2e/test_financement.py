import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from ctg.demo.comptes import creer_comptes_demo
from ctg.demo.convention_cambrai import charger_convention_cambrai
from ctg.demo.financement import charger_demo_financement
from ctg.financement.baremes import semer_baremes
from ctg.financement.models import Structure

from .visite import connecter

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_bonus_expliques_et_simulation_d_une_creche(live_server, page, visiter):
    semer_baremes()  # seeded by a data migration; a transactional test run before may have emptied the tables
    convention = charger_convention_cambrai()
    creer_comptes_demo(convention)
    charger_demo_financement(convention)
    lucioles = Structure.objects.get(convention=convention, nom__startswith="Multi-accueil Les Lucioles")
    mesanges = Structure.objects.get(convention=convention, nom__startswith="Multi-accueil Les Mésanges")

    connecter(page, live_server.url, get_user_model().objects.get(username="demo"))

    # the convention's dashboard: the shortfall alert and the way to the financing
    visiter(page, f"/conventions/{convention.pk}/", "convention")
    expect(page.get_by_text("Commune Cambrai : financement 2024 inférieur à l'engagement Cej")).to_be_visible()
    visiter(page, page.get_by_role("link", name="Financement", exact=True).click, "financement")

    # the bonus of 2024 per structure, each with its explanation
    annees = page.get_by_role("navigation", name="Années")
    visiter(page, annees.get_by_role("link", name="2024").click, "financement-2024")
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

    # the multi-year table and its chart
    visiter(page, page.get_by_role("link", name="Tableau pluriannuel et graphique").click, "pluriannuel")
    expect(page.locator("figure.graphique svg")).to_be_visible()
    expect(page.get_by_test_id("total-2024")).to_have_text("196\u202f800,00\u00a0€")
    with page.expect_download() as attente:
        page.get_by_role("link", name="XLSX", exact=True).click()
    assert attente.value.suggested_filename == "financement-200068500-pluriannuel.xlsx"

    # a new crèche of 20 places in a QPV of Cambrai, simulated before it exists (htmx)
    page.get_by_role("link", name="Retour au financement").click()
    visiter(page, page.get_by_role("link", name="Simuler une nouvelle crèche").click, "simulation")
    page.get_by_label("Commune").select_option("59122")
    page.get_by_label("Nombre de places").fill("20")
    page.get_by_label("Date d'ouverture").fill("2026-01-01")
    page.get_by_label("En quartier prioritaire (QPV)").check()
    page.get_by_role("button", name="Simuler").click()
    expect(page.get_by_test_id("resume-simulation")).to_contain_text(
        "apporterait 78\u202f000,00\u00a0€ de bonus territoire en 2026"
    )
    page.locator("#table-simulation tbody").first.get_by_text("Explication").click()
    visiter(page, None, "simulation-resultat")
    expect(page.locator("#table-simulation")).to_contain_text("structure située en QPV : taux maximal")

    # the rates table, with history and "à confirmer"
    visiter(page, "/financement/baremes/", "baremes")
    expect(page.get_by_text("Tranche 1 (territoire le moins favorisé)").first).to_be_visible()

    # the Caf records its verification of Cambrai's 2024 funding: the structures' bonus becomes "vérifié"
    page.goto(f"{live_server.url}/financement/conventions/{convention.pk}/?annee=2024")
    visiter(page, page.get_by_role("link", name="Enregistrer la vérification").click, "verification")
    page.get_by_label("Conclusion").select_option("conforme")
    page.get_by_label("Documents examinés").fill("Comptes de résultat 2024 des crèches (démonstration)")
    visiter(page, page.get_by_role("button", name="Enregistrer la vérification").click, "financement-commune")
    expect(page.get_by_text("Vérification 2024 de Cambrai enregistrée.")).to_be_visible()
    expect(page.locator("#engagements-commune")).to_contain_text("Vérifié : conforme")
    visiter(page, f"/financement/conventions/{convention.pk}/structures/{lucioles.pk}/", "structure")
    expect(page.locator("#bonus-par-annee")).to_contain_text("Vérifié par la Caf")
