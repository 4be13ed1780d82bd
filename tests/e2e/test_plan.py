"""From a need of the diagnostic to a fiche action with a dated, quantified target, seen in the table, the Gantt and
the map of needs; a review recorded; the plan, a fiche and the table downloaded."""

import io
import re

import pytest
from playwright.sync_api import expect

from ctg.demo.comptes import MOT_DE_PASSE_DEMO, creer_comptes_demo
from ctg.demo.convention_cambrai import charger_convention_cambrai
from ctg.demo.plan import charger_demo_plan
from ctg.diagnostic.models import Besoin
from ctg.diagnostic.partage import diagnostic_de

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

BESOIN = "Pas de relais petite enfance dans le nord du territoire"


def test_d_un_besoin_a_la_revue_du_plan(live_server, page, captures, tmp_path):
    convention = charger_convention_cambrai()
    creer_comptes_demo(convention)
    charger_demo_plan(convention)
    besoin = Besoin.objects.create(
        diagnostic=diagnostic_de(convention),
        domaine="petite_enfance",
        intitule=BESOIN,
        public="assistantes maternelles",
    )
    besoin.communes.set(["59322", "59455"])  # Iwuy, Paillencourt

    page.goto(live_server.url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill("demo")
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE_DEMO)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/conventions/{convention.pk}/")
    expect(page.get_by_text("Plan d'actions : 1 action en retard (n° 3).")).to_be_visible()
    page.get_by_role("link", name="Plan d'actions").click()
    expect(page.get_by_test_id("adoption")).to_have_text("Adopté le 16/11/2023")

    # the need, on the map of needs, without any action yet
    page.get_by_role("link", name="Cartographie des besoins").click()
    expect(page.locator("#carte")).to_have_attribute("data-pret", "55")
    ligne = page.locator("#besoins tr", has_text=BESOIN)
    expect(ligne).to_contain_text("aucune action")
    ligne.get_by_role("link", name="Créer une fiche action").click()

    # the fiche, pre-filled from the need
    expect(page.get_by_label("Titre")).to_have_value(BESOIN)
    page.get_by_label("Titre").fill("Relais petite enfance à Iwuy")
    page.get_by_label("Structure pilote").fill("CA de Cambrai")
    page.get_by_label("Début").fill("2026-01-05")
    page.get_by_label("Fin", exact=True).fill("2026-12-31")
    page.get_by_label("Statut").select_option("en_cours")
    page.locator("input[name='jalons-0-libelle']").fill("Recrutement de l'animatrice")
    page.locator("input[name='jalons-0-date_prevue']").fill("2026-12-15")
    page.locator("input[name='financements-0-financeur']").fill("Caf du Nord")
    page.locator("input[name='financements-0-annee']").fill("2026")
    page.locator("input[name='financements-0-montant']").fill("25000")
    page.get_by_role("button", name="Enregistrer la fiche").click()
    expect(page.get_by_text("Fiche n° 13 créée.")).to_be_visible()

    # a dated, quantified target
    page.get_by_role("link", name="Ajouter un indicateur").click()
    page.locator("#id_libelle").fill("Assistantes maternelles accompagnées")
    page.get_by_label("Valeur initiale", exact=True).fill("0")
    page.get_by_label("Valeur cible").fill("30")
    page.get_by_label("Cible à atteindre le").fill("2026-12-31")
    page.get_by_role("button", name="Enregistrer l'indicateur").click()
    carte = page.locator(".carte-bord", has_text="Assistantes maternelles accompagnées")
    expect(carte).to_contain_text("cible 30 au 31/12/2026")
    carte.get_by_label("Date de la mesure").fill("2026-11-20")
    carte.locator("input[name='valeur']").fill("12")
    carte.get_by_role("button", name="Enregistrer la valeur").click()
    expect(page.locator(".carte-bord", has_text="Assistantes maternelles accompagnées")).to_contain_text("40 %")
    page.screenshot(path=captures / "plan-fiche.png", full_page=True)

    # in the table (filtered by commune through htmx), the Gantt and the map of needs
    page.get_by_role("link", name="Tableau des actions").click()
    expect(page.get_by_test_id("compte")).to_contain_text("13 actions sur 13")
    page.get_by_label("Commune").select_option("59322")
    expect(page.get_by_test_id("compte")).to_contain_text("3 actions sur 13 (filtrées)")
    expect(page.locator("#tableau-actions")).to_contain_text("Relais petite enfance à Iwuy")
    assert "commune=59322" in page.url
    page.get_by_role("link", name="Tout afficher").click()
    page.get_by_role("link", name="Budget").click()
    expect(page.locator("#tableau-actions th[aria-sort]")).to_contain_text("Budget")
    page.screenshot(path=captures / "plan-tableau.png", full_page=True)

    page.get_by_role("link", name="Calendrier").click()
    expect(page.locator("#gantt")).to_contain_text("Relais petite enfance à Iwuy")
    expect(page.locator("#gantt .gantt-jalon.jalon-manque")).to_have_count(2)  # fiche 3's forum, fiche 9's local
    page.screenshot(path=captures / "plan-gantt.png", full_page=True)

    page.get_by_role("link", name="Cartographie des besoins").click()
    expect(page.locator("#carte")).to_have_attribute("data-pret", "55")
    expect(page.locator("#besoins tr", has_text=BESOIN)).to_contain_text("Relais petite enfance à Iwuy")
    expect(page.locator("#commune-59455")).to_contain_text("n° 13")
    page.screenshot(path=captures / "plan-besoins.png", full_page=True)

    # a review of the plan
    page.get_by_role("link", name="Évaluation").click()
    page.get_by_role("link", name="Enregistrer une revue").click()
    page.locator("#id_date").fill("2026-11-27")
    page.get_by_label("Décision pour la fiche n° 13").select_option("adapter")
    page.get_by_label("Commentaire sur la fiche n° 13").fill("Étendre le relais à Paillencourt.")
    page.get_by_role("button", name="Enregistrer la revue").click()
    expect(page.get_by_text("Revue du plan d'actions du 27/11/2026 enregistrée.")).to_be_visible()
    expect(page.locator("#evaluations")).to_contain_text("Étendre le relais à Paillencourt.")

    page.get_by_role("link", name="Tableau de bord").click()
    expect(page.get_by_test_id("nombre-actions")).to_have_text("13")
    expect(page.get_by_test_id("retards")).to_contain_text("Fiche n° 3")
    page.screenshot(path=captures / "plan-tableau-de-bord.png", full_page=True)

    # downloads: the plan (10 pages at most), one fiche, the table
    from pypdf import PdfReader

    page.get_by_role("link", name="Arbre des objectifs").click()
    page.screenshot(path=captures / "plan-arbre.png", full_page=True)
    with page.expect_download() as attente:
        page.get_by_role("link", name="Plan PDF (10 pages au plus)").click()
    chemin = tmp_path / "plan.pdf"
    attente.value.save_as(chemin)
    assert chemin.read_bytes()[:4] == b"%PDF" and len(PdfReader(io.BytesIO(chemin.read_bytes())).pages) <= 10

    page.get_by_role("link", name=re.compile("Relais petite enfance à Iwuy")).first.click()
    with page.expect_download() as attente:
        page.get_by_role("link", name="Fiche PDF (une page, pour les élus)").click()
    attente.value.save_as(tmp_path / "fiche.pdf")
    assert len(PdfReader(tmp_path / "fiche.pdf").pages) == 1

    page.get_by_role("link", name="Tableau des actions").click()
    with page.expect_download() as attente:
        page.get_by_role("link", name="Télécharger le tableau (XLSX)").click()
    attente.value.save_as(tmp_path / "plan.xlsx")
    from openpyxl import load_workbook

    actions = load_workbook(tmp_path / "plan.xlsx")["Actions"]
    assert any(cellule.value == "Relais petite enfance à Iwuy" for cellule in actions["B"])
