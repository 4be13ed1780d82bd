"""From a need of the diagnostic to a fiche action with a dated, quantified target, seen in the table, the Gantt and
the map of needs; a review recorded; the plan, a fiche and the table downloaded."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from ctg.demo.comptes import creer_comptes_demo
from ctg.demo.convention_cambrai import charger_convention_cambrai
from ctg.demo.plan import charger_demo_plan
from ctg.diagnostic.models import Besoin
from ctg.diagnostic.partage import diagnostic_de

from .visite import connecter

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

BESOIN = "Pas de relais petite enfance dans le nord du territoire"


def test_d_un_besoin_a_la_revue_du_plan(live_server, page, visiter, tmp_path):
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

    connecter(page, live_server.url, get_user_model().objects.get(username="demo"))
    visiter(page, f"/conventions/{convention.pk}/", "convention")
    expect(page.get_by_text("Plan d'actions : 1 action en retard (n° 3).")).to_be_visible()
    visiter(page, page.get_by_role("link", name="Plan d'actions").click, "plan")
    expect(page.get_by_test_id("adoption")).to_have_text("Adopté le 16/11/2023")

    # the need, on the map of needs, without any action yet
    visiter(page, page.get_by_role("link", name="Cartographie des besoins").click, "besoins")
    expect(page.locator("#carte")).to_have_attribute("data-pret", "55")
    ligne = page.locator("#besoins tr", has_text=BESOIN)
    expect(ligne).to_contain_text("aucune action")
    visiter(page, ligne.get_by_role("link", name="Créer une fiche action").click, "fiche-nouvelle")

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
    visiter(page, page.get_by_role("button", name="Enregistrer la fiche").click, "fiche")
    expect(page.get_by_text("Fiche n° 13 créée.")).to_be_visible()

    # a dated, quantified target
    visiter(page, page.get_by_role("link", name="Ajouter un indicateur").click, "indicateur")
    page.locator("#id_libelle").fill("Assistantes maternelles accompagnées")
    page.get_by_label("Valeur initiale", exact=True).fill("0")
    page.get_by_label("Valeur cible").fill("30")
    page.get_by_label("Cible à atteindre le").fill("2026-12-31")
    visiter(page, page.get_by_role("button", name="Enregistrer l'indicateur").click, "fiche-indicateur")
    carte = page.locator(".carte-bord", has_text="Assistantes maternelles accompagnées")
    expect(carte).to_contain_text("cible 30 au 31/12/2026")
    carte.get_by_label("Date de la mesure").fill("2026-11-20")
    carte.locator("input[name='valeur']").fill("12")
    carte.get_by_role("button", name="Enregistrer la valeur").click()
    expect(page.locator(".carte-bord", has_text="Assistantes maternelles accompagnées")).to_contain_text("40 %")

    # in the table (filtered by commune through htmx), the Gantt and the map of needs
    visiter(page, page.get_by_role("link", name="Tableau des actions").click, "tableau")
    expect(page.get_by_test_id("compte")).to_contain_text("13 actions sur 13")
    page.get_by_label("Commune").select_option("59322")
    expect(page.get_by_test_id("compte")).to_contain_text("3 actions sur 13 (filtrées)")
    expect(page.locator("#tableau-actions")).to_contain_text("Relais petite enfance à Iwuy")
    assert "commune=59322" in page.url
    page.get_by_role("link", name="Tout afficher").click()
    page.get_by_role("link", name="Budget").click()
    expect(page.locator("#tableau-actions th[aria-sort]")).to_contain_text("Budget")

    visiter(page, page.get_by_role("link", name="Calendrier").click, "calendrier")
    expect(page.locator("#gantt")).to_contain_text("Relais petite enfance à Iwuy")
    expect(page.locator("#gantt .gantt-jalon.jalon-manque")).to_have_count(2)  # fiche 3's forum, fiche 9's local

    page.get_by_role("link", name="Cartographie des besoins").click()
    expect(page.locator("#carte")).to_have_attribute("data-pret", "55")
    expect(page.locator("#besoins tr", has_text=BESOIN)).to_contain_text("Relais petite enfance à Iwuy")
    expect(page.locator("#commune-59455")).to_contain_text("n° 13")

    # a review of the plan
    visiter(page, page.get_by_role("link", name="Évaluation").click, "revues")
    visiter(page, page.get_by_role("link", name="Enregistrer une revue").click, "revue-nouvelle")
    page.locator("#id_date").fill("2026-11-27")
    page.get_by_label("Décision pour la fiche n° 13").select_option("adapter")
    page.get_by_label("Commentaire sur la fiche n° 13").fill("Étendre le relais à Paillencourt.")
    visiter(page, page.get_by_role("button", name="Enregistrer la revue").click, "revue")
    expect(page.get_by_text("Revue du plan d'actions du 27/11/2026 enregistrée.")).to_be_visible()
    expect(page.locator("#evaluations")).to_contain_text("Étendre le relais à Paillencourt.")

    visiter(page, page.get_by_role("link", name="Tableau de bord").click, "tableau-de-bord")
    expect(page.get_by_test_id("nombre-actions")).to_have_text("13")
    expect(page.get_by_test_id("retards")).to_contain_text("Fiche n° 3")

    # downloads: the plan (10 pages at most), one fiche, the table
    from pypdf import PdfReader

    visiter(page, page.get_by_role("link", name="Arbre des objectifs").click, "arbre")
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
