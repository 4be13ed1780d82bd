"""The financing pages with the demo convention, and who may do what on them. The tests that edit the demo
convention pin a date inside its life (2022–2026); the others pass whatever the date (CTG_DATE_TESTS)."""

from datetime import date
from decimal import Decimal

import pytest

from ctg.financement.models import Bareme, FinancementReel, Verification

from .conftest import plat

pytestmark = pytest.mark.django_db
EN_COURS = "2026-06-15"  # a day in the life of the demo convention (2022-01-01 → 2026-12-31)


def page(client, url, statut=200):
    reponse = client.get(url)
    assert reponse.status_code == statut, url
    return plat(reponse.content.decode())


def test_pages_du_financement_de_la_demo(client, demo, comptes):
    client.force_login(comptes["lecture"])
    base = f"/financement/conventions/{demo.pk}"
    contenu = page(client, f"{base}/?annee=2024")
    assert "Données FICTIVES de démonstration" in contenu
    assert "Multi-accueil Les Lucioles (démonstration)" in contenu and "117 415,38 €" in contenu
    assert "À vérifier" in contenu
    assert (
        "Commune Cambrai : financement 2024 inférieur à l&#x27;engagement Cej (262 500,00 € au lieu de 273 000,00 €"
        in contenu
    )
    assert "La commune Iwuy n&#x27;a pas encore adhéré à la CTG (annexe 4)" in contenu
    assert "Ajouter une structure" not in contenu  # read-only
    contenu = page(client, f"{base}/pluriannuel/")
    assert "<svg" in contenu and "Total CA de Cambrai" in contenu and "Engagements Cej" in contenu
    lucioles = demo.structures.get(nom__startswith="Multi-accueil Les Lucioles")
    contenu = page(client, f"{base}/structures/{lucioles.pk}/")
    assert "Places nouvelles : 8 places au-delà des 32 places de référence du Cej × 3 600,00 €" in contenu
    contenu = page(client, f"{base}/communes/59122/")
    assert "Inférieur à l&#x27;engagement" in contenu and "Financement maintenu : bonus versé" in contenu
    assert "Enregistrer une vérification" not in contenu
    contenu = page(client, "/financement/baremes/")
    assert "à confirmer" in contenu and "Réviser" not in contenu
    assert "Tranche 1 (territoire le moins favorisé)" in contenu and "2 800,00 € par place" in contenu


def test_le_tableau_de_bord_de_la_convention_montre_l_alerte_et_le_lien(client, demo, comptes):
    client.force_login(comptes["membre.copil"])
    contenu = page(client, f"/conventions/{demo.pk}/")
    assert "Commune Cambrai : financement 2024 inférieur à l&#x27;engagement Cej" in contenu
    assert f'href="/financement/conventions/{demo.pk}/">Financement</a>' in contenu


@pytest.mark.date(EN_COURS)
def test_ajouter_une_structure_et_un_cej(client, demo, comptes):
    client.force_login(comptes["chef.projet"])
    base = f"/financement/conventions/{demo.pk}"
    reponse = client.post(
        f"{base}/structures/nouvelle/",
        {
            "nom": "Crèche Les Écureuils",
            "type": "eaje",
            "nouveau_gestionnaire": "Association Les Écureuils",
            "commune": "59206",
            "psu": "on",
            "cofinancee": "on",
            "date_ouverture": "2025-09-01",
            "places": "18",
            "places_employeurs": "0",
        },
    )
    structure = demo.structures.get(nom="Crèche Les Écureuils")
    assert reponse.status_code == 302 and reponse["Location"] == f"{base}/structures/{structure.pk}/"
    assert structure.gestionnaire.nom == "Association Les Écureuils" and structure.gestionnaire.type == "autre"
    assert structure.capacites.get().places == 18 and structure.capacites.get().depuis == date(2025, 9, 1)
    # more places from 2026: a new capacity row, the old one stays
    donnees = {
        "nom": "Crèche Les Écureuils",
        "type": "eaje",
        "gestionnaire": structure.gestionnaire_id,
        "commune": "59206",
        "psu": "on",
        "cofinancee": "on",
        "date_ouverture": "2025-09-01",
        "capacite_depuis": "2026-01-01",
        "places": "24",
        "places_employeurs": "0",
        "version_lue": "1",
    }
    assert client.post(f"{base}/structures/{structure.pk}/modifier/", donnees).status_code == 302
    assert list(structure.capacites.values_list("places", flat=True)) == [18, 24]
    reponse = client.post(
        f"{base}/cej/nouveau/",
        {
            "commune": "59206",
            "intitule": "Cej 2019-2022 d'Escaudœuvres",
            "date_debut": "2019-01-01",
            "date_fin": "2022-12-31",
            "annee_reference": "2022",
            "lignes-TOTAL_FORMS": "1",
            "lignes-INITIAL_FORMS": "0",
            "lignes-0-structure": structure.pk,
            "lignes-0-montant_n1": "12000",
            "lignes-0-unites_reference": "18",
            "lignes-0-engagement_commune": "30000",
        },
    )
    assert reponse.status_code == 302
    assert demo.cej.get(intitule__startswith="Cej 2019-2022 d'Esc").lignes.get().montant_n1 == Decimal("12000")


@pytest.mark.date(EN_COURS)
def test_formulaire_de_structure_invalide(client, demo, comptes):
    client.force_login(comptes["demo"])
    reponse = client.post(
        f"/financement/conventions/{demo.pk}/structures/nouvelle/",
        {"nom": "X", "type": "eaje", "commune": "59206", "places": "5", "places_employeurs": "8"},
    )
    contenu = plat(reponse.content.decode())
    assert reponse.status_code == 200
    assert "Choisissez le gestionnaire" in contenu and "Plus de places réservées" in contenu


@pytest.mark.date(EN_COURS)
def test_le_referent_saisit_les_financements_de_sa_commune_seulement(client, demo, comptes):
    client.force_login(comptes["referent.commune"])
    lucioles = demo.structures.get(nom__startswith="Multi-accueil Les Lucioles")
    base = f"/financement/conventions/{demo.pk}/communes"
    donnees = {"structure": lucioles.pk, "annee": "2024", "document": "compte", "montant_commune": "152000,00"}
    donnees["montant_autres"] = "43500"
    # the 2024 accounts are already entered: a second line is refused, the existing one is edited
    reponse = client.post(f"{base}/59122/financements/", donnees)
    assert reponse.status_code == 200
    assert "est déjà saisi (141 500,00 €) : modifiez cette ligne" in plat(reponse.content.decode())
    ligne = FinancementReel.objects.get(structure=lucioles, annee=2024, document="compte")
    assert "Modifier le financement 2024 (compte de résultat)" in page(
        client, f"{base}/59122/financements/?ligne={ligne.pk}"
    )
    modification = {"ligne": ligne.pk, "version_lue": ligne.version, "montant_commune": "152000,00"}
    modification["montant_autres"] = "43500"
    assert client.post(f"{base}/59122/financements/", modification).status_code == 302
    ligne.refresh_from_db()
    assert ligne.montant_commune == Decimal("152000") and ligne.saisi_par == comptes["referent.commune"]
    assert client.get(f"{base}/59322/financements/").status_code == 403
    # the shortfall of 2024 is gone: 152 000 + 88 000 + 25 000 + 8 000 = 273 000 = the commitment
    client.force_login(comptes["lecture"])
    assert "inférieur à l&#x27;engagement" not in client.get(f"/conventions/{demo.pk}/").content.decode()


@pytest.mark.date(EN_COURS)
def test_la_caf_enregistre_sa_verification(client, demo, comptes):
    base = f"/financement/conventions/{demo.pk}/communes/59122"
    client.force_login(comptes["chef.projet"])
    assert client.post(f"{base}/verifications/", {"annee": "2024"}).status_code == 403
    client.force_login(comptes["demo"])
    assert "Enregistrer une vérification" in page(client, f"{base}/")
    from django.core.files.uploadedfile import SimpleUploadedFile

    reponse = client.post(
        f"{base}/verifications/",
        {
            "annee": "2024",
            "conclusion": "conforme",
            "documents": "Comptes de résultat 2024 des crèches",
            "commentaire": "Baisse liée à une subvention versée début 2025",
            "fichier": SimpleUploadedFile("cr-2024.pdf", b"%PDF-1.4 test", content_type="application/pdf"),
        },
    )
    assert reponse.status_code == 302
    verification = Verification.objects.get(annee=2024)
    assert verification.verifie_par == comptes["demo"] and verification.fichier_nom == "cr-2024.pdf"
    document = client.get(f"/financement/conventions/{demo.pk}/verifications/{verification.pk}/document/")
    assert b"".join(document.streaming_content) == b"%PDF-1.4 test"
    contenu = page(client, f"/financement/conventions/{demo.pk}/?annee=2024")
    assert "Vérifié par la Caf" in contenu and "inférieur à l&#x27;engagement Cej (" not in contenu
    reponse = client.post(f"{base}/verifications/", {"annee": "2024"}, follow=True)
    assert "Vérification non enregistrée" in reponse.content.decode()
    # the same year again: the verification is replaced, the former one stays in the history
    reponse = client.post(
        f"{base}/verifications/",
        {"annee": "2024", "conclusion": "non_conforme", "documents": "Comptes de résultat 2024 corrigés"},
        follow=True,
    )
    assert "Vérification 2024 de Cambrai mise à jour ; la précédente reste dans l&#x27;historique." in plat(
        reponse.content.decode()
    )
    verification = Verification.objects.get(convention=demo, annee=2024)
    assert verification.conclusion == "non_conforme"
    assert [h.conclusion for h in verification.historique.order_by("history_date")] == ["conforme", "non_conforme"]


def test_un_administrateur_national_revise_un_taux(client, demo, comptes, administrateur_national):
    tranche = Bareme.objects.get(nature="nouvelles_unites", tranche__startswith="Tranche 1", valide_au=None)
    client.force_login(comptes["chef.projet"])
    assert client.post(f"/financement/baremes/{tranche.pk}/reviser/", {}).status_code == 403
    client.force_login(administrateur_national)
    contenu = page(client, f"/financement/baremes/?reviser={tranche.pk}")
    assert "Réviser « EAJE : Places ou unités nouvelles (bonus territoire) — Tranche 1" in contenu
    donnees = {
        "valide_du": "2026-01-01",
        "montant": "3800",
        "seuil_potentiel_financier": "900",
        "seuil_revenu": "13000",
        "arrondi": "centime",
        "source": "Circulaire de test",
        "note": "",
    }
    reponse = client.post(f"/financement/baremes/{tranche.pk}/reviser/", donnees)
    assert reponse.status_code == 302
    tranche.refresh_from_db()
    assert tranche.valide_au == date(2025, 12, 31)
    nouveau = Bareme.objects.get(remplace=tranche)
    assert nouveau.montant == Decimal("3800") and nouveau.cree_par == administrateur_national
    assert nouveau.historique.get().history_user == administrateur_national
    # the QPV crèche's 8 new places: 2025 unchanged (3 600 €), 2026 at 3 800 €
    client.force_login(comptes["lecture"])
    contenu = page(client, f"/financement/conventions/{demo.pk}/?annee=2026")
    assert "8 places au-delà des 32 places de référence du Cej × 3 800,00 €" in contenu
    contenu = page(client, f"/financement/conventions/{demo.pk}/?annee=2025")
    assert "8 places au-delà des 32 places de référence du Cej × 3 600,00 €" in contenu
    # a revision that starts before the current row: refused, nothing changes
    client.force_login(administrateur_national)
    donnees["valide_du"] = "2020-01-01"
    reponse = client.post(f"/financement/baremes/{nouveau.pk}/reviser/", donnees)
    assert reponse.status_code == 422 and "au plus tôt le 01/01/2026" in reponse.content.decode()


def test_ajouter_un_taux_pour_les_alsh(client, demo, administrateur_national):
    client.force_login(administrateur_national)
    donnees = {
        "type_structure": "alsh",
        "nature": "nouvelles_unites",
        "unite": "heure",
        "tranche": "",
        "valide_du": "2026-01-01",
        "montant": "0.50",
        "arrondi": "centime",
        "source": "Caf du Nord, note interne (exemple)",
    }
    assert client.post("/financement/baremes/nouveau/", donnees).status_code == 302
    reponse = client.post("/financement/baremes/nouveau/", donnees)
    assert reponse.status_code == 422 and "chevauche" in reponse.content.decode()
    assert Bareme.objects.filter(type_structure="alsh", nature="nouvelles_unites").count() == 1
