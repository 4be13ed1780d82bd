"""The Caf adviser finds the CA de Cambrai by its name, reads its diagnostic, creates its convention (the EPCI named,
not its SIREN), records both signatories in one form and the signature, invites the project lead of the
collectivité (the link goes by e-mail, the pending invitation is listed), and downloads the convention."""

import re

import pytest
from django.contrib.auth.models import Permission
from django.core import mail
from playwright.sync_api import expect

from ctg.comptes.models import Profil, caf_du_departement
from ctg.territoires.models import Departement

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_conseillere_caf_de_l_epci_a_l_invitation(live_server, page, visiter, django_user_model, tmp_path):
    user = django_user_model.objects.create_user(username="conseillere", password="mot-de-passe-e2e", first_name="Inès")
    Profil.objects.create(user=user, organisation=caf_du_departement(Departement.objects.get(code="59")))
    user.user_permissions.add(Permission.objects.get(codename="add_convention"))  # a Caf adviser sets it up

    visiter(page, "/comptes/connexion/", "connexion")
    page.get_by_label("Identifiant").fill("conseillere")
    page.get_by_label("Mot de passe").fill("mot-de-passe-e2e")
    visiter(page, page.get_by_role("button", name="Se connecter").click, "accueil")
    expect(page.get_by_role("heading", name="Bonjour Inès")).to_be_visible()

    # the EPCI found by its name, its page, its diagnostic
    navigation = page.get_by_role("navigation", name="Navigation principale")
    visiter(page, navigation.get_by_role("link", name="Territoires").click, "territoires")
    page.get_by_label("Commune, intercommunalité (EPCI) ou département").fill("CA de Cambrai")
    lien = page.get_by_role("link", name="CA de Cambrai")
    visiter(page, lien.click, "epci")
    expect(page.locator("#acces-diagnostic")).to_contain_text("Vous ne participez à aucune convention")
    visiter(page, page.get_by_role("link", name="Diagnostic territorial").click, "diagnostic")
    expect(page.get_by_role("heading", level=1)).to_contain_text("CA de Cambrai — 55 communes")

    # its convention, the EPCI named
    visiter(page, navigation.get_by_role("link", name="Conventions").click, "conventions")
    visiter(page, page.get_by_role("link", name="Nouvelle convention").click, "nouvelle-convention")
    page.get_by_label("Intercommunalité (EPCI)").fill("CA de Cambrai")
    page.get_by_label("Date de début").fill("2025-01-01")
    visiter(page, page.get_by_role("button", name="Créer la convention").click, "convention-creee")
    expect(page.get_by_text("Convention créée en brouillon")).to_be_visible()
    expect(page.get_by_test_id("statut")).to_have_text("Brouillon")

    # both signatories in one form, then the signature
    visiter(page, page.get_by_role("link", name="Modifier la convention").click, "convention-modifier")
    for numero, (partie, civilite, nom, qualite) in enumerate(
        (("caf", "Madame", "Présidente", "president_ca"), ("collectivite", "Monsieur", "Président", "president_epci"))
    ):
        ligne = page.locator("table.formset tbody tr").nth(numero)
        ligne.locator("select[name$='-partie']").select_option(partie)
        ligne.locator("select[name$='-civilite']").select_option(civilite)
        ligne.locator("input[name$='-prenom']").fill("Prénom")
        ligne.locator("input[name$='-nom']").fill(nom)
        ligne.locator("select[name$='-qualite']").select_option(qualite)
    visiter(page, page.get_by_role("button", name="Enregistrer").click, "convention-enregistree")
    expect(page.get_by_text("Convention enregistrée.")).to_be_visible()
    visiter(page, page.get_by_role("link", name="Enregistrer la signature").click, "signature")
    page.get_by_label("Date de signature").fill("2024-12-16")
    visiter(page, page.get_by_role("button", name="Enregistrer la signature").click, "convention-signee")
    expect(page.get_by_test_id("statut")).to_have_text("En vigueur")

    # the project lead invited: the link goes by e-mail only, the invitation is listed, revocable
    visiter(page, page.get_by_role("link", name="Membres et invitations").click, "membres")
    page.get_by_label("Adresse électronique").fill("cheffe.projet@agglo-cambrai.test")
    page.get_by_label("Rôle").select_option("chef_projet")
    visiter(page, page.get_by_role("button", name="Envoyer l'invitation").click, "invitation-envoyee")
    expect(page.get_by_text("Invitation envoyée par courriel à cheffe.projet@agglo-cambrai.test")).to_be_visible()
    expect(page.get_by_role("button", name="Révoquer l'invitation de cheffe.projet@agglo-cambrai.test")).to_be_visible()
    (courriel,) = mail.outbox
    assert courriel.to == ["cheffe.projet@agglo-cambrai.test"]
    lien = re.search(r"https?://\S+/conventions/invitations/\S+/", courriel.body).group(0)
    assert lien.split("/")[-2] not in page.content()  # the one-time link is not shown to the inviter

    page.get_by_role("navigation", name="Fil d'Ariane").get_by_role("link", name="CA de Cambrai (2025–2029)").click()
    expect(page.get_by_test_id("statut")).to_have_text("En vigueur")
    for format_, libelle in (("docx", "DOCX, modifiable"), ("pdf", "PDF, à imprimer")):
        with page.expect_download() as attente:
            page.get_by_role("link", name=libelle).click()
        chemin = tmp_path / f"convention.{format_}"
        attente.value.save_as(chemin)
        assert chemin.read_bytes()[:4] == (b"PK\x03\x04" if format_ == "docx" else b"%PDF")
