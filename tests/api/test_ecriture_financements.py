"""Entering a commune's actual funding of a structure through the API: the rules of the commune's entry page
(``ctg.financement.regles.enregistrer_financement``, its form and rights), a read-write token, the commitment of
the year in the answer, nothing written on a refusal."""

from datetime import date
from decimal import Decimal

import pytest

from ctg.api.jetons import creer_jeton
from ctg.comptes.models import Organisation
from ctg.demo.comptes import creer_comptes_demo
from ctg.financement.models import Cej, FinancementReel, LigneCej, Structure

from .conftest import entete

CAMBRAI, IWUY = "59122", "59322"  # the demo referent's commune, another member


@pytest.fixture
def reference(convention_cambrai):
    """The reference convention with its demo accounts only (no fiche nor meeting needed here)."""
    creer_comptes_demo(convention_cambrai)
    return convention_cambrai


@pytest.fixture
def structure(reference):
    """A crèche of Cambrai, a former Cej commune committed to 100 000 € a year."""
    gestionnaire = Organisation.objects.create(type=Organisation.Type.AUTRE, nom="Gestionnaire de l'API")
    creche = Structure.objects.create(
        convention=reference, nom="Crèche de l'API", type="eaje", commune_id=CAMBRAI, gestionnaire=gestionnaire
    )
    cej = Cej.objects.create(
        convention=reference,
        commune_id=CAMBRAI,
        intitule="Cej Cambrai",
        date_debut=date(2018, 1, 1),
        date_fin=date(2021, 12, 31),
        annee_reference=2021,
    )
    LigneCej.objects.create(
        cej=cej, structure=creche, montant_n1=Decimal(1), unites_reference=Decimal(1), engagement_commune=100000
    )
    return creche


def _poster(client, reference, corps, secret, commune=CAMBRAI):
    url = f"/api/v1/conventions/{reference.pk}/communes/{commune}/financements"
    return client.post(url, corps, content_type="application/json", **entete(secret))


def _lignes():
    return list(FinancementReel.objects.values_list("structure_id", "annee", "document", "montant_commune", "version"))


def test_le_referent_saisit_puis_modifie_le_financement_de_sa_commune(client, reference, structure, jeton_de):
    secret = jeton_de("referent.commune", ecriture=True)
    corps = {"structure": structure.pk, "annee": 2023, "montant_commune": "90000.50", "commentaire": "CA 2023"}
    reponse = _poster(client, reference, corps, secret)
    assert reponse.status_code == 200, reponse.content
    ligne = reponse.json()
    assert (ligne["document"], ligne["montant_commune"], ligne["montant_autres"], ligne["version"]) == (
        "compte",
        "90000.50",
        "0.00",
        1,
    )
    engagement = ligne["engagement"]
    assert (engagement["engagement"], engagement["financement"]) == ("100000.00", "90000.50")
    assert "inférieur à l'engagement" in engagement["alerte"]
    enregistree = FinancementReel.objects.get()
    assert (enregistree.origine, enregistree.saisi_par.username) == ("saisie", "referent.commune")

    # the same structure, year and document: the line is changed (not a second one)
    reponse = _poster(client, reference, {**corps, "montant_commune": 100000, "version": 1}, secret)
    assert reponse.status_code == 200, reponse.content
    assert (reponse.json()["version"], reponse.json()["engagement"]["alerte"]) == (2, "")
    assert _lignes() == [(structure.pk, 2023, "compte", Decimal("100000.00"), 2)]


def test_refus_rien_n_est_ecrit(client, reference, structure, jeton_de, etranger):
    corps = {"structure": structure.pk, "annee": 2023, "montant_commune": 1}
    lecture_seule = _poster(client, reference, corps, jeton_de("chef.projet"))
    assert lecture_seule.status_code == 403 and "lecture seule" in lecture_seule.json()["message"]
    role = _poster(client, reference, corps, jeton_de("lecture", ecriture=True))
    assert role.status_code == 403 and role.json()["code"] == "interdit"
    autre_commune = _poster(client, reference, corps, jeton_de("referent.commune", ecriture=True), commune=IWUY)
    assert autre_commune.status_code == 403
    dehors = _poster(client, reference, corps, creer_jeton(etranger, "Étranger", ecriture=True)[1])
    assert dehors.status_code == 404 and dehors.json()["code"] == "introuvable"
    assert _poster(client, reference, corps, jeton_de("chef.projet", True), commune="59999").status_code == 404
    assert _lignes() == []


def test_une_ligne_modifiee_entre_temps_est_refusee(client, reference, structure, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    corps = {"structure": structure.pk, "annee": 2024, "document": "budget", "montant_commune": 1000}
    assert _poster(client, reference, corps, secret).status_code == 200
    assert _poster(client, reference, {**corps, "montant_commune": 2000, "version": 1}, secret).status_code == 200
    perimee = _poster(client, reference, {**corps, "montant_commune": 3000, "version": 1}, secret)
    assert perimee.status_code == 409 and perimee.json()["code"] == "version_perimee"
    assert "« financement de la commune (€) » modifié par" in perimee.json()["message"]
    assert _lignes() == [(structure.pk, 2024, "budget", Decimal("2000.00"), 2)]


def test_donnees_invalides_422_en_francais(client, reference, structure, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    negatif = _poster(client, reference, {"structure": structure.pk, "annee": 2023, "montant_commune": -5}, secret)
    assert negatif.status_code == 422 and negatif.json()["code"] == "validation"
    assert negatif.json()["erreurs"] == [
        {"champ": "montant_commune", "message": "Un montant ne peut pas être négatif."}
    ]
    autre = Structure.objects.create(
        convention=reference, nom="Ailleurs", type="eaje", commune_id=IWUY, gestionnaire=structure.gestionnaire
    )
    corps = {"structure": autre.pk, "annee": 1900, "document": "devis", "montant_commune": "beaucoup"}
    invalide = _poster(client, reference, corps, secret)
    assert invalide.status_code == 422
    assert {e["champ"] for e in invalide.json()["erreurs"]} == {"document", "montant_commune"}
    hors_commune = _poster(client, reference, {**corps, "document": "compte", "montant_commune": 1}, secret)
    assert {e["champ"] for e in hors_commune.json()["erreurs"]} == {"structure", "annee"}
    assert _lignes() == []


@pytest.mark.date("2027-03-01")  # the reference convention expired on 31/12/2026
def test_convention_terminee(client, reference, structure, jeton_de):
    corps = {"structure": structure.pk, "annee": 2026, "montant_commune": 1}
    reponse = _poster(client, reference, corps, jeton_de("chef.projet", ecriture=True))
    assert reponse.status_code == 403
    assert reponse.json()["message"] == "Cette convention est terminée : elle ne se modifie plus."
    assert _lignes() == []
