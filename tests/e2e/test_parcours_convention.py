import pytest
from django.contrib.auth.models import Permission
from playwright.sync_api import expect

from ctg.comptes.models import Profil, caf_du_departement
from ctg.territoires.models import Departement

pytestmark = [pytest.mark.navigateur, pytest.mark.django_db(transaction=True)]


def test_creer_une_convention_jusqu_aux_documents(live_server, page, django_user_model, captures, tmp_path):
    user = django_user_model.objects.create_user(username="conseillere", password="mot-de-passe-e2e", first_name="Inès")
    Profil.objects.create(user=user, organisation=caf_du_departement(Departement.objects.get(code="59")))
    user.user_permissions.add(Permission.objects.get(codename="add_convention"))  # a Caf adviser sets it up

    page.goto(live_server.url + "/comptes/connexion/")
    page.get_by_label("Identifiant").fill("conseillere")
    page.get_by_label("Mot de passe").fill("mot-de-passe-e2e")
    page.get_by_role("button", name="Se connecter").click()

    # create a convention for the CA de Cambrai
    page.get_by_role("navigation", name="Navigation principale").get_by_role("link", name="Conventions").click()
    page.get_by_role("link", name="Nouvelle convention").click()
    page.get_by_label("Intercommunalité (EPCI)").fill("CA de Cambrai")
    page.get_by_label("Date de début").fill("2025-01-01")
    page.get_by_role("button", name="Créer la convention").click()
    expect(page.get_by_text("Convention créée en brouillon")).to_be_visible()
    expect(page.get_by_test_id("statut")).to_have_text("Brouillon")

    # signatories, then signature
    page.get_by_role("link", name="Modifier la convention").click()
    ligne = page.locator("table.formset tbody tr").first
    ligne.locator("select[name$='-partie']").select_option("caf")
    ligne.locator("select[name$='-civilite']").select_option("Madame")
    ligne.locator("input[name$='-prenom']").fill("Prénom")
    ligne.locator("input[name$='-nom']").fill("Présidente")
    ligne.locator("select[name$='-qualite']").select_option("president_ca")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_text("Convention enregistrée.")).to_be_visible()
    page.get_by_role("link", name="Modifier la convention").click()
    ligne = page.locator("table.formset tbody tr").nth(1)
    ligne.locator("select[name$='-partie']").select_option("collectivite")
    ligne.locator("select[name$='-civilite']").select_option("Monsieur")
    ligne.locator("input[name$='-prenom']").fill("Prénom")
    ligne.locator("input[name$='-nom']").fill("Président")
    ligne.locator("select[name$='-qualite']").select_option("president_epci")
    page.get_by_role("button", name="Enregistrer").click()
    page.get_by_role("link", name="Enregistrer la signature").click()
    page.get_by_label("Date de signature").fill("2024-12-16")
    page.get_by_role("button", name="Enregistrer la signature").click()
    expect(page.get_by_test_id("statut")).to_have_text("En vigueur")

    # an avenant
    page.get_by_role("link", name="Préparer un avenant").click()
    page.get_by_label("Objet de l'avenant").fill("Ajout d'un objectif sur la parentalité")
    page.get_by_role("textbox", name="Titre").fill("Convention territoriale globale du Cambrésis")
    page.get_by_role("button", name="Enregistrer l'avenant").click()
    expect(page.get_by_text("Avenant n° 1 enregistré en projet")).to_be_visible()
    page.get_by_label("Signé le").fill("2025-06-02")
    page.get_by_role("button", name="Enregistrer la signature de l'avenant").click()
    expect(page.get_by_text("Avenant n° 1 signé")).to_be_visible()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Convention territoriale globale du Cambrésis")

    # adhesions, edited in place through htmx
    page.get_by_role("link", name="Adhésions des communes").click()
    ligne = page.locator("#adhesion-59122")
    ligne.get_by_role("link", name="Modifier").click()
    formulaire = page.locator("#adhesion-59122 form")
    formulaire.get_by_label("Statut").select_option("adheree")
    formulaire.get_by_label("Date de la délibération du conseil municipal").fill("2025-02-10")
    formulaire.get_by_label("Nom du ou de la maire", exact=True).fill("Exemple")
    formulaire.get_by_role("button", name="Enregistrer").click()
    # The row is back to its display once the answer has come (the form's own options also say « Adhérée »).
    expect(formulaire).to_have_count(0)
    expect(page.locator("#adhesion-59122")).to_contain_text("Adhérée")
    page.reload()
    expect(page.get_by_test_id("adherees")).to_contain_text("1 / 55")
    page.screenshot(path=captures / "convention-adhesions.png", full_page=True)

    page.get_by_role("link", name="CA de Cambrai (2025–2029)").click()
    page.screenshot(path=captures / "convention-tableau.png", full_page=True)
    for format_, lien in (("docx", "DOCX, modifiable"), ("pdf", "PDF, à imprimer")):
        with page.expect_download() as attente:
            page.get_by_role("link", name=lien).click()
        chemin = tmp_path / f"convention.{format_}"
        attente.value.save_as(chemin)
        debut = chemin.read_bytes()[:4]
        assert debut == (b"PK\x03\x04" if format_ == "docx" else b"%PDF")
