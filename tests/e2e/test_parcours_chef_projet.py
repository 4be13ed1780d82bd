"""The project lead of the collectivité: joins the convention through the link of her invitation, records every
commune's adhesion in one table (with the deliberations' dates), then the last one from a CSV file; writes the
shared diagnostic (synthesis, a domain's comment, a need) and builds the plan (a field of intervention, a fiche)."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from ctg.comptes.models import Role, caf_du_departement
from ctg.conventions.cycle import creer_convention
from ctg.conventions.models import Habilitation, Invitation
from ctg.territoires.models import Departement, Epci

from .visite import connecter

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]

IWUY = "59322"


def convention_en_brouillon():
    conseillere = get_user_model().objects.create_user(username="conseillere", first_name="Inès")
    caf = caf_du_departement(Departement.objects.get(code="59"))
    return creer_convention(caf, Epci.objects.get(code="200068500"), date(2025, 1, 1)), conseillere


def test_cheffe_de_projet_rejoint_la_convention_et_saisit_les_adhesions(live_server, page, visiter, tmp_path):
    convention, conseillere = convention_en_brouillon()
    invitation = Invitation.objects.create(
        convention=convention, email="cheffe.projet@agglo-cambrai.test", role=Role.CHEF_PROJET, invitee_par=conseillere
    )

    # the link of the e-mail: an account created, the role received
    visiter(page, f"/conventions/invitations/{invitation.jeton}/", "invitation")
    page.get_by_label("Prénom").fill("Dominique")
    page.locator("#id_last_name").fill("Exemple")
    page.get_by_label("Identifiant").fill("cheffe.projet")
    page.locator("#id_password1").fill("Un mot de passe solide 2025")
    page.get_by_label("Mot de passe (confirmation)").fill("Un mot de passe solide 2025")
    visiter(page, page.get_by_role("button", name="Créer mon compte et rejoindre").click, "convention")
    expect(page.get_by_text("Bienvenue ! Vous avez rejoint la")).to_be_visible()
    assert Habilitation.objects.get(user__username="cheffe.projet", convention=convention).role == Role.CHEF_PROJET

    # every commune in one table: 54 adhered on 10 March, Iwuy's council has not voted yet
    visiter(page, page.get_by_role("link", name="Adhésions des communes").click, "adhesions")
    expect(page.get_by_test_id("adherees")).to_contain_text("0 / 55")
    visiter(page, page.get_by_role("link", name="Saisir toutes les adhésions").click, "adhesions-saisie")
    page.evaluate(
        """() => {
            for (const s of document.querySelectorAll("select[name^='statut_']")) s.value = "adheree";
            for (const d of document.querySelectorAll("input[name^='date_']")) d.value = "2025-03-10";
        }"""
    )
    page.get_by_label("Statut — Iwuy").select_option("en_attente")
    page.get_by_label("Date de la délibération — Iwuy").fill("")
    visiter(page, page.get_by_role("button", name="Enregistrer toutes les adhésions").click, "adhesions-enregistrees")
    expect(page.get_by_text("54 adhésion(s) enregistrée(s)")).to_be_visible()
    expect(page.get_by_test_id("adherees")).to_contain_text("54 / 55")

    # Iwuy from a CSV file (as Excel writes it: « ; », the dates in French)
    csv = tmp_path / "adhesions.csv"
    csv.write_text(f"code_insee;commune;statut;date_deliberation\n{IWUY};Iwuy;Adhérée;17/03/2025\n", encoding="utf-8")
    page.get_by_role("link", name="Saisir toutes les adhésions").click()
    page.get_by_label("Fichier CSV des adhésions").set_input_files(csv)
    visiter(page, page.get_by_role("button", name="Importer le fichier").click, "adhesions-csv")
    expect(page.get_by_text("1 adhésion(s) enregistrée(s)")).to_be_visible()
    expect(page.get_by_test_id("adherees")).to_contain_text("55 / 55")
    adhesion = convention.adhesions.get(commune_id=IWUY)
    assert (adhesion.statut, adhesion.date_deliberation) == ("adheree", date(2025, 3, 17))


def test_cheffe_de_projet_redige_le_diagnostic_et_construit_le_plan(live_server, page, visiter):
    convention, _ = convention_en_brouillon()
    cheffe = get_user_model().objects.create_user(username="cheffe.projet", first_name="Dominique")
    Habilitation.objects.create(user=cheffe, convention=convention, role=Role.CHEF_PROJET)
    connecter(page, live_server.url, cheffe)

    # the shared diagnostic: its synthesis, a domain's comment, a need
    visiter(page, f"/conventions/{convention.pk}/", "convention")
    visiter(page, page.get_by_role("link", name="Diagnostic", exact=True).click, "diagnostic-partage")
    page.get_by_label("Synthèse du diagnostic partagé").fill("Un territoire rural où l'accueil du jeune enfant manque.")
    page.get_by_label("Commentaire partagé : petite enfance").fill("Deux communes sur trois sans mode d'accueil.")
    visiter(page, page.get_by_role("button", name="Enregistrer").click, "diagnostic-enregistre")
    expect(page.get_by_text("Un territoire rural où l'accueil du jeune enfant manque.").last).to_be_visible()
    visiter(page, page.get_by_role("link", name="Ajouter un besoin").click, "besoin")
    page.get_by_label("Domaine").select_option("petite_enfance")
    page.get_by_label("Besoin").fill("Un relais petite enfance au nord du territoire")
    page.get_by_label("Iwuy").check()
    visiter(page, page.get_by_role("button", name="Enregistrer").click, "besoin-enregistre")
    expect(page.get_by_role("link", name="Un relais petite enfance au nord du territoire")).to_be_visible()

    # the plan: a field of intervention, then a fiche action under it
    visiter(page, f"/plan/conventions/{convention.pk}/", "plan")
    visiter(page, page.get_by_role("link", name="Ajouter un champ d'intervention (article 3)").click, "objectif")
    page.get_by_label("Intitulé").fill("Développer l'accueil du jeune enfant")
    page.get_by_label("Champ d'intervention").select_option("partage")
    visiter(page, page.get_by_role("button", name="Enregistrer").click, "objectif-enregistre")
    expect(page.locator("li[id^='objectif-']", has_text="Développer l'accueil du jeune enfant")).to_be_visible()
    visiter(page, page.get_by_role("link", name="Nouvelle fiche action").click, "fiche-nouvelle")
    page.get_by_label("Titre").fill("Relais petite enfance à Iwuy")
    page.get_by_label("Structure pilote").fill("CA de Cambrai")
    page.get_by_label("Début").fill("2026-01-05")
    page.get_by_label("Fin", exact=True).fill("2026-12-31")
    visiter(page, page.get_by_role("button", name="Enregistrer la fiche").click, "fiche")
    expect(page.get_by_text("Fiche n° 1 créée.")).to_be_visible()
