"""Avenants and termination through the API: the pages' forms (``AvenantForm``, ``SignatureForm``,
``ResiliationForm``, ``MotifForm``), the rules of ``ctg.conventions.cycle`` (state 409, dates 422) and the rights
of ``ctg.conventions.perms`` (the party acting: the Caf alone for some modes)."""

import pytest

from ctg.conventions import cycle
from ctg.conventions.models import Avenant, Resiliation

from .conftest import CA_CAMBRAI, entete


@pytest.fixture
def reference(convention_cambrai):
    """The reference convention (signed 21/12/2021, in force until 31/12/2026) with its demo accounts only."""
    from ctg.demo.comptes import creer_comptes_demo

    creer_comptes_demo(convention_cambrai)
    return convention_cambrai


def _poster(client, url, corps, secret):
    return client.post(f"/api/v1{url}", corps, content_type="application/json", **entete(secret))


def test_la_collectivite_redige_puis_signe_un_avenant_qui_change_les_termes(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    url = f"/conventions/{reference.pk}/avenants"
    corps = {"objet": "Nouvelle cheffe de projet", "chef_projet_nom": "Alix Api", "domaines": ["jeunesse"]}
    reponse = _poster(client, url, corps, secret)
    assert reponse.status_code == 201, reponse.content
    assert (reponse.json()["statut"], reponse.json()["modifications"]) == (
        "projet",
        {"chef_projet_nom": "Alix Api", "domaines": ["jeunesse"]},
    )
    numero = reponse.json()["numero"]
    lus = client.get(f"/api/v1{url}", **entete(secret)).json()["items"]
    assert [(a["numero"], a["objet"]) for a in lus] == [(numero, "Nouvelle cheffe de projet")]

    # signed: its changes apply to the convention's terms
    reponse = _poster(client, f"{url}/{numero}/signature", {"date_signature": "2026-11-02"}, secret)
    assert reponse.status_code == 200, reponse.content
    assert (reponse.json()["statut"], reponse.json()["date"]) == ("signe", "2026-11-02")
    lue = client.get(f"/api/v1/conventions/{reference.pk}", **entete(secret)).json()
    assert (lue["chef_projet_nom"], lue["domaines"]) == ("Alix Api", ["jeunesse"])

    # signed twice: the state refuses it
    reponse = _poster(client, f"{url}/{numero}/signature", {"date_signature": "2026-11-02"}, secret)
    assert (reponse.status_code, reponse.json()["message"]) == (409, f"L'avenant n° {numero} est déjà signé.")


def test_avenant_refuse_par_le_role_la_saisie_ou_l_etat(client, reference, jeton_de):
    url = f"/conventions/{reference.pk}/avenants"
    assert _poster(client, url, {"objet": "Essai"}, jeton_de("lecture", ecriture=True)).status_code == 403
    secret = jeton_de("demo", ecriture=True)
    reponse = _poster(client, url, {"objet": ""}, secret)
    assert (reponse.status_code, reponse.json()["erreurs"][0]["champ"]) == (422, "objet")
    avenant = cycle.ajouter_avenant(reference, "Essai", {"titre": "CTG révisée"})
    reponse = _poster(client, f"{url}/{avenant.numero}/signature", {"date_signature": "2026-12-25"}, secret)
    assert reponse.status_code == 422
    assert "est dans le futur" in reponse.json()["erreurs"][0]["message"]
    assert Avenant.objects.get(pk=avenant.pk).statut == "projet"
    assert Avenant.objects.filter(convention=reference).count() == 1

    # a draft convention has no avenant: its terms change directly
    reponse = _poster(client, "/conventions", {"epci": CA_CAMBRAI, "date_debut": "2027-01-01"}, secret)
    brouillon = reponse.json()["id"]
    reponse = _poster(client, f"/conventions/{brouillon}/avenants", {"objet": "Essai"}, secret)
    assert (reponse.status_code, reponse.json()["message"]) == (
        409,
        "Un avenant modifie une convention signée et non terminée.",
    )


def test_la_collectivite_denonce_la_convention_et_la_caf_annule_la_resiliation(client, reference, jeton_de):
    chef = jeton_de("chef.projet", ecriture=True)
    url = f"/conventions/{reference.pk}/resiliation"
    # the Caf alone terminates for an infraction
    reponse = _poster(client, url, {"mode": "infraction", "date_envoi": "2026-11-30"}, chef)
    assert reponse.status_code == 403
    assert "seule la Caf peut la prononcer" in reponse.json()["message"]
    # a letter not yet sent; an effect already past without confirmation
    reponse = _poster(client, url, {"mode": "denonciation", "date_envoi": "2026-12-15"}, chef)
    assert (reponse.status_code, reponse.json()["erreurs"][0]["champ"]) == (422, "date_envoi")
    reponse = _poster(client, url, {"mode": "mise_en_demeure", "date_envoi": "2026-09-01"}, chef)
    assert (reponse.status_code, reponse.json()["erreurs"][0]["champ"]) == (422, "confirmer_effet_passe")
    assert not Resiliation.objects.exists()

    corps = {"mode": "denonciation", "date_envoi": "2026-11-30", "motif": "Fusion d'intercommunalités"}
    reponse = _poster(client, url, corps, chef)
    assert reponse.status_code == 200, reponse.content
    lue = client.get(f"/api/v1/conventions/{reference.pk}", **entete(chef)).json()
    assert lue["resiliation"] == {
        "mode": "denonciation",
        "mode_libelle": "Dénonciation avec un préavis de six mois",
        "initiative": "collectivite",
        "date_envoi": "2026-11-30",
        "date_effet": "2026-12-31",  # six months later is after the convention's own end
        "motif": "Fusion d'intercommunalités",
    }
    reponse = _poster(client, url, corps, chef)
    assert reponse.status_code == 409
    assert reponse.json()["message"].startswith("Une résiliation est déjà enregistrée")

    # undone by the Caf only, with a reason
    annulation = f"{url}/annulation"
    assert _poster(client, annulation, {"motif": "Erreur"}, chef).status_code == 403
    caf = jeton_de("demo", ecriture=True)
    assert _poster(client, annulation, {"motif": ""}, caf).status_code == 422
    reponse = _poster(client, annulation, {"motif": "Lettre envoyée par erreur"}, caf)
    assert (reponse.status_code, reponse.json()["resiliation"]) == (200, None)
    assert not Resiliation.objects.exists()
    reponse = _poster(client, annulation, {"motif": "Encore"}, caf)
    assert (reponse.status_code, reponse.json()["message"]) == (
        409,
        "Aucune résiliation n'est enregistrée pour cette convention.",
    )


@pytest.mark.date("2027-03-01")
def test_une_convention_terminee_ne_se_resilie_plus(client, reference, jeton_de):
    cycle.actualiser(reference)
    reponse = _poster(
        client,
        f"/conventions/{reference.pk}/resiliation",
        {"mode": "denonciation", "date_envoi": "2027-03-01"},
        jeton_de("demo", ecriture=True),
    )
    assert reponse.status_code == 409
    assert "Seule une convention signée ou en vigueur peut être résiliée" in reponse.json()["message"]
    assert not Resiliation.objects.exists()
