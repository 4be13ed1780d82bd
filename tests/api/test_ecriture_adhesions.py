"""Recording a commune's adhesion through the API: the rules of its page (``ctg.conventions.cycle``, its forms and
rights), a read-write token, nothing written on a refusal."""

import pytest

from ctg.api.jetons import creer_jeton
from ctg.conventions.models import Adhesion

from .conftest import entete

CAMBRAI = "59122"  # the demo referent's commune


def _poster(client, reference, corps, secret, commune=CAMBRAI):
    url = f"/api/v1/conventions/{reference.pk}/adhesions/{commune}"
    return client.post(url, corps, content_type="application/json", **entete(secret))


def _etat(reference, commune=CAMBRAI):
    return Adhesion.objects.filter(convention=reference, commune_id=commune).values().get()


def test_la_collectivite_enregistre_la_commune_propose(client, reference, jeton_de):
    Adhesion.objects.filter(convention=reference, commune_id=CAMBRAI).update(maire_nom="Durand")
    corps = {"statut": "adheree", "date_deliberation": "2022-03-01"}
    reponse = _poster(client, reference, corps, jeton_de("chef.projet", ecriture=True))
    assert reponse.status_code == 200, reponse.content
    assert reponse.json()["statut"] == "adheree" and reponse.json()["date_deliberation"] == "2022-03-01"
    etat = _etat(reference)
    assert (etat["statut"], etat["maire_nom"]) == ("adheree", "Durand")  # an absent field keeps its value

    referent = jeton_de("referent.commune", ecriture=True)
    reponse = _poster(client, reference, {"statut": "refusee", "date_deliberation": "2022-04-01"}, referent)
    assert reponse.status_code == 200, reponse.content
    assert (reponse.json()["statut"], reponse.json()["proposition"]) == ("adheree", "refusee")  # to be confirmed
    autre = reference.adhesions.exclude(commune_id=CAMBRAI).first().commune_id
    assert _poster(client, reference, {"statut": "refusee"}, referent, commune=autre).status_code == 403


def test_refus_rien_n_est_ecrit(client, reference, jeton_de, etranger):
    avant = _etat(reference)
    corps = {"statut": "adheree", "date_deliberation": "2022-03-01"}
    lecture_seule = _poster(client, reference, corps, jeton_de("chef.projet"))
    assert lecture_seule.status_code == 403 and "lecture seule" in lecture_seule.json()["message"]
    role = _poster(client, reference, corps, jeton_de("lecture", ecriture=True))
    assert role.status_code == 403 and role.json()["code"] == "interdit"
    dehors = _poster(client, reference, corps, creer_jeton(etranger, "Étranger", ecriture=True)[1])
    assert dehors.status_code == 404 and dehors.json()["code"] == "introuvable"
    assert _etat(reference) == avant


def test_donnees_invalides_422_en_francais(client, reference, jeton_de):
    avant = _etat(reference)
    secret = jeton_de("chef.projet", ecriture=True)
    sans_date = _poster(client, reference, {"statut": "adheree"}, secret)
    assert sans_date.status_code == 422 and sans_date.json()["code"] == "validation"
    assert sans_date.json()["erreurs"] == [
        {"champ": "date_deliberation", "message": "Indiquez la date de la délibération du conseil municipal."}
    ]
    inconnu = _poster(client, reference, {"statut": "peut-etre", "maire_civilite": "Maître"}, secret)
    assert {e["champ"] for e in inconnu.json()["erreurs"]} == {"statut", "maire_civilite"}
    futur = _poster(client, reference, {"statut": "refusee", "date_deliberation": "2099-01-01"}, secret)
    assert futur.status_code == 422 and "dans le futur" in futur.json()["message"] + str(futur.json()["erreurs"])
    proposition = _poster(client, reference, {"statut": "en_attente"}, jeton_de("referent.commune", ecriture=True))
    assert proposition.status_code == 422 and proposition.json()["erreurs"][0]["champ"] == "statut"
    assert _etat(reference) == avant


@pytest.mark.date("2027-03-01")  # the reference convention expired on 31/12/2026
def test_convention_terminee(client, reference, jeton_de):
    avant = _etat(reference)
    corps = {"statut": "adheree", "date_deliberation": "2022-03-01"}
    reponse = _poster(client, reference, corps, jeton_de("chef.projet", ecriture=True))
    assert reponse.status_code == 403
    assert reponse.json()["message"] == "Cette convention est terminée : ses adhésions ne se modifient plus."
    assert _etat(reference) == avant
