"""The referent of Cambrai, pilot of a fiche of the demo plan: opens it from the plan and records the progress of
its indicator (a measured value)."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from ctg.demo.comptes import creer_comptes_demo
from ctg.demo.convention_cambrai import charger_convention_cambrai
from ctg.demo.plan import charger_demo_plan

from .visite import connecter

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

INDICATEUR = "Enfants accompagnés dans l'année scolaire"


def test_referent_de_commune_met_a_jour_l_avancement_de_sa_fiche(live_server, page, visiter):
    convention = charger_convention_cambrai()
    creer_comptes_demo(convention)
    charger_demo_plan(convention)  # after the accounts: the referent pilots the fiche of Cambrai's school support
    connecter(page, live_server.url, get_user_model().objects.get(username="referent.commune"))

    visiter(page, f"/conventions/{convention.pk}/", "convention")
    visiter(page, page.get_by_role("link", name="Plan d'actions").click, "plan")
    fiche = page.get_by_role("link", name="Accompagnement à la scolarité à Cambrai").first
    visiter(page, fiche.click, "fiche")
    expect(page.get_by_role("link", name="Modifier la fiche")).to_be_visible()

    carte = page.locator(".carte-bord", has_text=INDICATEUR)
    carte.get_by_label("Date de la mesure").fill("2026-06-30")
    carte.locator("input[name='valeur']").fill("95")
    visiter(page, carte.get_by_role("button", name="Enregistrer la valeur").click, "fiche-valeur")
    carte = page.locator(".carte-bord", has_text=INDICATEUR)
    expect(carte).to_contain_text("Dernière valeur : 95")
    expect(carte).to_contain_text("atteinte")
