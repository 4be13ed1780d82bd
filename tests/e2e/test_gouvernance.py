"""The Caf adviser plans a meeting of the comité de pilotage, convenes it, records attendance and a decision (a
consultative member's vote is refused), writes the minutes and downloads them."""

import pytest
from playwright.sync_api import expect

from ctg.demo.comptes import MOT_DE_PASSE_DEMO, creer_comptes_demo
from ctg.demo.convention_cambrai import charger_convention_cambrai
from ctg.gouvernance.models import Cote, RoleComite
from ctg.gouvernance.regles import comite_de
from ctg.horloge import aujourd_hui
from tests.gouvernance.conftest import membre

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_reunion_du_comite_de_pilotage(live_server, page, captures, tmp_path):
    convention = charger_convention_cambrai()
    creer_comptes_demo(convention)
    comite = comite_de(convention)
    membre(comite, "Anne", Cote.CAF, RoleComite.ANIMATEUR)
    membre(comite, "Bruno", Cote.CAF)
    membre(comite, "Chloé", Cote.COLLECTIVITE, RoleComite.PILOTE)
    membre(comite, "Denis", Cote.COLLECTIVITE)
    membre(comite, "Émile", Cote.PARTENAIRE, RoleComite.CONSULTATIF)

    page.goto(live_server.url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill("demo")
    page.get_by_label("Mot de passe").fill(MOT_DE_PASSE_DEMO)
    page.get_by_role("button", name="Se connecter").click()
    page.goto(f"{live_server.url}/conventions/{convention.pk}/")
    page.get_by_role("link", name="Comité de pilotage", exact=True).click()
    expect(page.get_by_test_id("parite")).to_contain_text("Parité respectée")
    page.screenshot(path=captures / "gouvernance-comite.png", full_page=True)

    # plan a meeting today, with its agenda
    page.get_by_role("link", name="Planifier une réunion").click()
    page.get_by_label("Date").fill(aujourd_hui().isoformat())
    page.get_by_label("Lieu").fill("Siège de la CA de Cambrai, salle du conseil")
    page.get_by_label("Rubrique du point 1").select_option("diagnostic")
    page.get_by_label("Point 1 de l'ordre du jour").fill("Validation du diagnostic partagé")
    page.get_by_label("Rubrique du point 2").select_option("finances")
    page.get_by_label("Point 2 de l'ordre du jour").fill("Financements de l'année")
    page.get_by_role("button", name="Planifier la réunion").click()
    expect(page.get_by_text("planifiée. Envoyez les convocations.")).to_be_visible()
    expect(page.get_by_test_id("statut-reunion")).to_have_text("Planifiée")
    page.get_by_role("button", name="Envoyer les convocations").click()
    expect(page.get_by_text("Convocations envoyées à 5 membres.")).to_be_visible()

    # attendance: Denis is represented by Chloé
    page.get_by_role("link", name="Enregistrer les présences").click()
    for nom in ("Anne Test", "Bruno Test", "Chloé Test", "Émile Test"):
        page.get_by_label(f"Présence de {nom}").select_option("present")
    page.get_by_label("Présence de Denis Test").select_option("represente")
    page.get_by_label("Représenté·e par (pour Denis Test)").fill("Chloé Test")
    page.get_by_role("button", name="Enregistrer les présences").click()
    expect(page.get_by_test_id("statut-reunion")).to_have_text("Tenue")
    expect(page.get_by_test_id("quorum")).to_contain_text("4 membres votants présents ou représentés sur 4")

    # a decision put to the vote: the resource person's vote is refused, then the decision is recorded
    page.get_by_role("link", name="Enregistrer une décision").click()
    page.get_by_label("Décision").fill("Le comité adopte une adaptation de l'action relais petite enfance.")
    page.get_by_label("Mode").select_option("vote")
    page.get_by_label("Objet *", exact=True).select_option("action_adaptee")
    page.get_by_label("Référence").fill("Fiche action 1.2")
    for nom in ("Anne Test", "Bruno Test", "Chloé Test", "Denis Test"):
        page.get_by_label(nom, exact=True).select_option("pour")
    page.get_by_label("Émile Test (à titre consultatif)").select_option("pour")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("siège à titre consultatif (personne ressource)")).to_be_visible()
    page.screenshot(path=captures / "gouvernance-vote-consultatif-refuse.png", full_page=True)
    page.get_by_label("Émile Test (à titre consultatif)").select_option("")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Décision n° 1 enregistrée : adoptée (4 pour, 0 contre, 0 abstention).")).to_be_visible()

    page.get_by_role("link", name="Rédiger le compte rendu").click()
    page.get_by_label("Compte rendu").fill("La Caf présente le bilan.\nLe comité échange sur le relais petite enfance.")
    page.get_by_role("button", name="Enregistrer le compte rendu").click()
    expect(page.get_by_text("Compte rendu enregistré.")).to_be_visible()
    page.screenshot(path=captures / "gouvernance-reunion.png", full_page=True)

    with page.expect_download() as attente:
        page.get_by_role("link", name="Compte rendu (PDF)").click()
    chemin = tmp_path / "compte-rendu.pdf"
    attente.value.save_as(chemin)
    assert chemin.read_bytes()[:4] == b"%PDF"
    from pypdf import PdfReader

    texte = " ".join(" ".join(p.extract_text() for p in PdfReader(chemin).pages).split())
    assert "Représenté·e par Chloé Test" in texte and "Fiche action 1.2" in texte

    page.get_by_role("link", name="Composition et parité").click()
    page.screenshot(path=captures / "gouvernance-composition.png", full_page=True)
