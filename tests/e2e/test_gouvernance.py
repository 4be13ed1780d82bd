"""The secretariat (the Caf adviser) plans a meeting of the comité de pilotage and convenes it; a member confirms
attendance with her own account; the secretariat records attendance and a decision (a consultative member's vote is
refused), writes the draft minutes; a member comments them; the minutes are approved and downloaded."""

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from ctg.comptes.models import Role
from ctg.conventions.models import Habilitation
from ctg.demo.comptes import creer_comptes_demo
from ctg.demo.convention_cambrai import charger_convention_cambrai
from ctg.gouvernance.models import Cote, RoleComite
from ctg.gouvernance.regles import comite_de
from ctg.horloge import aujourd_hui
from tests.gouvernance.conftest import membre

from .visite import connecter

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def compte_de_membre(convention, identifiant):
    user = get_user_model().objects.create_user(username=identifiant, first_name=identifiant.capitalize())
    Habilitation.objects.create(user=user, convention=convention, role=Role.MEMBRE_COPIL)
    return user


def changer_de_compte(page, live_server, user):
    page.context.clear_cookies()
    connecter(page, live_server.url, user)


def test_reunion_du_comite_de_pilotage(live_server, page, visiter, tmp_path):
    convention = charger_convention_cambrai()
    creer_comptes_demo(convention)
    comite = comite_de(convention)
    membre(comite, "Anne", Cote.CAF, RoleComite.ANIMATEUR)
    bruno = compte_de_membre(convention, "bruno")
    chloe = compte_de_membre(convention, "chloe")
    membre(comite, "Bruno", Cote.CAF, compte=bruno)
    membre(comite, "Chloé", Cote.COLLECTIVITE, RoleComite.PILOTE, compte=chloe)
    membre(comite, "Denis", Cote.COLLECTIVITE)
    membre(comite, "Émile", Cote.PARTENAIRE, RoleComite.CONSULTATIF)

    secretariat = get_user_model().objects.get(username="demo")
    reunion_url = ""

    def page_de_la_reunion(nom):
        visiter(page, reunion_url, nom)

    connecter(page, live_server.url, secretariat)
    visiter(page, f"/conventions/{convention.pk}/", "convention")
    visiter(page, page.get_by_role("link", name="Comité de pilotage", exact=True).click, "comite")
    expect(page.get_by_test_id("parite")).to_contain_text("Parité respectée")

    # plan a meeting today, with its agenda
    visiter(page, page.get_by_role("link", name="Planifier une réunion").click, "reunion-nouvelle")
    page.get_by_label("Date").fill(aujourd_hui().isoformat())
    page.get_by_label("Lieu").fill("Siège de la CA de Cambrai, salle du conseil")
    page.get_by_label("Rubrique du point 1").select_option("diagnostic")
    page.get_by_label("Point 1 de l'ordre du jour").fill("Validation du diagnostic partagé")
    page.get_by_label("Rubrique du point 2").select_option("finances")
    page.get_by_label("Point 2 de l'ordre du jour").fill("Financements de l'année")
    page.get_by_role("button", name="Planifier la réunion").click()
    expect(page.get_by_text("planifiée. Envoyez les convocations.")).to_be_visible()
    expect(page.get_by_test_id("statut-reunion")).to_have_text("Planifiée")
    reunion_url = page.url
    visiter(page, page.get_by_role("button", name="Envoyer les convocations").click, "reunion-convoquee")
    expect(page.get_by_text("Convocations envoyées à 5 membres.")).to_be_visible()

    # Bruno, with his own account, confirms he will attend
    changer_de_compte(page, live_server, bruno)
    page_de_la_reunion("reunion-membre")
    page.get_by_label("Votre réponse").select_option("vient")
    visiter(page, page.get_by_role("button", name="Répondre à la convocation").click, "reunion-reponse")
    expect(page.get_by_text("Votre réponse est enregistrée : présent·e.")).to_be_visible()
    expect(page.get_by_test_id("ma-reponse")).to_contain_text("présent·e")

    # the secretariat sees his answer, then records attendance: Denis is represented by Chloé
    changer_de_compte(page, live_server, secretariat)
    page_de_la_reunion("reunion-reponses")
    expect(page.locator("#bilan-reponses")).to_contain_text("Réponses à la convocation")
    visiter(page, page.get_by_role("link", name="Enregistrer les présences").click, "presences")
    for nom in ("Anne Test", "Bruno Test", "Chloé Test", "Émile Test"):
        page.get_by_label(f"Présence de {nom}").select_option("present")
    page.get_by_label("Présence de Denis Test").select_option("represente")
    page.get_by_label("Représenté·e par (pour Denis Test)").fill("Chloé Test")
    visiter(page, page.get_by_role("button", name="Enregistrer les présences").click, "reunion-tenue")
    expect(page.get_by_test_id("statut-reunion")).to_have_text("Tenue")
    expect(page.get_by_test_id("quorum")).to_contain_text("4 membres votants présents ou représentés sur 4")

    # a decision put to the vote: the resource person's vote is refused, then the decision is recorded
    visiter(page, page.get_by_role("link", name="Enregistrer une décision").click, "decision")
    page.get_by_label("Décision").fill("Le comité adopte une adaptation de l'action relais petite enfance.")
    page.get_by_label("Mode").select_option("vote")
    page.get_by_label("Objet *", exact=True).select_option("action_adaptee")
    page.get_by_label("Référence").fill("Fiche action 1.2")
    for nom in ("Anne Test", "Bruno Test", "Chloé Test", "Denis Test"):
        page.get_by_label(nom, exact=True).select_option("pour")
    page.get_by_label("Émile Test (à titre consultatif)").select_option("pour")
    visiter(page, page.get_by_role("button", name="Enregistrer la décision").click, "decision-refusee")
    expect(page.get_by_text("siège à titre consultatif (personne ressource)")).to_be_visible()
    page.get_by_label("Émile Test (à titre consultatif)").select_option("")
    page.get_by_role("button", name="Enregistrer la décision").click()
    expect(page.get_by_text("Décision n° 1 enregistrée : adoptée (4 pour, 0 contre, 0 abstention).")).to_be_visible()

    # the draft minutes
    visiter(page, page.get_by_role("link", name="Rédiger le compte rendu").click, "compte-rendu")
    page.get_by_label("Compte rendu").fill("La Caf présente le bilan.\nLe comité échange sur le relais petite enfance.")
    visiter(page, page.get_by_role("button", name="Enregistrer le compte rendu").click, "reunion-compte-rendu")
    expect(page.get_by_text("Compte rendu enregistré.")).to_be_visible()

    # Chloé comments the draft minutes
    changer_de_compte(page, live_server, chloe)
    page_de_la_reunion("reunion-projet-compte-rendu")
    page.get_by_label("Votre commentaire sur le projet de compte rendu").fill("Ajouter la date du prochain comité.")
    visiter(page, page.get_by_role("button", name="Envoyer mon commentaire").click, "reunion-commentaire")
    expect(page.get_by_text("Votre commentaire est transmis au secrétariat du comité.")).to_be_visible()

    # the secretariat reads it and approves the minutes: the meeting is closed, comments too
    changer_de_compte(page, live_server, secretariat)
    page_de_la_reunion("reunion-avant-approbation")
    expect(page.locator("#commentaires")).to_contain_text("Ajouter la date du prochain comité.")
    approuver = page.get_by_role("button", name="Approuver le compte rendu (clôt la réunion)")
    visiter(page, approuver.click, "reunion-approuvee")
    expect(page.get_by_test_id("reunion-close")).to_contain_text("Compte rendu approuvé le")
    expect(page.get_by_text("Compte rendu approuvé : les commentaires sont clos.")).to_be_visible()

    with page.expect_download() as attente:
        page.get_by_role("link", name="Compte rendu (PDF)").click()
    chemin = tmp_path / "compte-rendu.pdf"
    attente.value.save_as(chemin)
    assert chemin.read_bytes()[:4] == b"%PDF"
    from pypdf import PdfReader

    texte = " ".join(" ".join(p.extract_text() for p in PdfReader(chemin).pages).split())
    assert "Représenté·e par Chloé Test" in texte and "Fiche action 1.2" in texte

    visiter(page, page.get_by_role("link", name="Composition et parité").click, "composition")
