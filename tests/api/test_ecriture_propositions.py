"""Confirming or setting aside a commune referent's adhesion proposal through the API: the rule of the adhesions'
page (``ctg.conventions.adhesions.confirmer_adhesion``) and its rights, a read-write token, nothing written on a
refusal."""

from datetime import date

import pytest

from ctg.api.jetons import creer_jeton
from ctg.conventions import adhesions
from ctg.conventions.models import Adhesion
from ctg.demo.comptes import creer_comptes_demo

from .conftest import entete

CAMBRAI = "59122"


@pytest.fixture
def reference(convention_cambrai):
    """The reference convention with its demo accounts, and Cambrai's proposal to adhere (to be confirmed)."""
    creer_comptes_demo(convention_cambrai)
    adhesions.proposer_adhesion(convention_cambrai.adhesions.get(commune_id=CAMBRAI), "adheree", date(2022, 3, 1))
    return convention_cambrai


def _poster(client, reference, decision, secret):
    url = f"/api/v1/conventions/{reference.pk}/adhesions/{CAMBRAI}/proposition"
    return client.post(url, {"decision": decision}, content_type="application/json", **entete(secret))


def _etat(reference):
    adhesion = Adhesion.objects.get(convention=reference, commune_id=CAMBRAI)
    return adhesion.statut, adhesion.date_deliberation, adhesion.proposition


def test_la_collectivite_confirme_la_proposition(client, reference, jeton_de):
    reponse = _poster(client, reference, "confirmer", jeton_de("chef.projet", ecriture=True))
    assert reponse.status_code == 200, reponse.content
    assert (reponse.json()["statut"], reponse.json()["proposition"]) == ("adheree", "")
    assert _etat(reference) == ("adheree", date(2022, 3, 1), "")


def test_la_caf_ecarte_la_proposition_puis_plus_rien_a_traiter(client, reference, jeton_de):
    statut = _etat(reference)[0]
    secret = jeton_de("demo", ecriture=True)  # the Caf adviser
    reponse = _poster(client, reference, "ecarter", secret)
    assert reponse.status_code == 200, reponse.content
    assert _etat(reference) == (statut, None, "")
    encore = _poster(client, reference, "confirmer", secret)
    assert encore.status_code == 409 and encore.json()["code"] == "changement_impossible"
    assert encore.json()["message"] == "Aucune proposition de Cambrai n'est en attente."
    assert _etat(reference) == (statut, None, "")


def test_refus_rien_n_est_ecrit(client, reference, jeton_de, etranger):
    avant = _etat(reference)
    lecture_seule = _poster(client, reference, "confirmer", jeton_de("chef.projet"))
    assert lecture_seule.status_code == 403 and "lecture seule" in lecture_seule.json()["message"]
    referent = _poster(client, reference, "confirmer", jeton_de("referent.commune", ecriture=True))
    assert referent.status_code == 403 and referent.json()["code"] == "interdit"
    dehors = _poster(client, reference, "confirmer", creer_jeton(etranger, "Étranger", ecriture=True)[1])
    assert dehors.status_code == 404 and dehors.json()["code"] == "introuvable"
    inconnue = _poster(client, reference, "accepter", jeton_de("chef.projet", ecriture=True))
    assert inconnue.status_code == 422 and inconnue.json()["erreurs"][0]["champ"] == "decision"
    assert _etat(reference) == avant


@pytest.mark.date("2027-03-01")  # the reference convention expired on 31/12/2026
def test_convention_terminee(client, reference, jeton_de):
    avant = _etat(reference)
    reponse = _poster(client, reference, "confirmer", jeton_de("chef.projet", ecriture=True))
    assert reponse.status_code == 403
    assert reponse.json()["message"] == "Cette convention est terminée : ses adhésions ne se modifient plus."
    assert _etat(reference) == avant
