"""Recording the attendance of a comité meeting through the API: the rules of the attendance page
(``ctg.gouvernance.decisions.enregistrer_presences``, its form and rights), a read-write token, nothing written on a
refusal."""

from datetime import date

from ctg.api.jetons import creer_jeton
from ctg.gouvernance.models import Presence, Reunion, StatutReunion

from .conftest import entete


def _poster(client, reference, lignes, secret):
    url = f"/api/v1/conventions/{reference.pk}/reunions/{reference.reunion.pk}/presences"
    return client.post(url, {"presences": lignes}, content_type="application/json", **entete(secret))


def _etats(reference):
    return list(Presence.objects.filter(reunion=reference.reunion).values_list("membre_id", "etat", "represente_par"))


def test_la_collectivite_enregistre_les_presences(client, reference, jeton_de):
    (membre,) = reference.reunion.comite.membres.values_list("pk", flat=True)
    ligne = {"membre": membre, "etat": "represente", "represente_par": "Camille Suppléante"}
    reponse = _poster(client, reference, [ligne], jeton_de("chef.projet", ecriture=True))
    assert reponse.status_code == 200, reponse.content
    assert reponse.json()["presences"] == [
        {"membre": membre, "nom": "Alix Api", "etat": "represente", "represente_par": "Camille Suppléante"}
    ]
    assert _etats(reference) == [(membre, "represente", "Camille Suppléante")]


def test_refus_rien_n_est_ecrit(client, reference, jeton_de, etranger):
    avant = _etats(reference)
    ligne = {"membre": avant[0][0], "etat": "absent"}
    lecture_seule = _poster(client, reference, [ligne], jeton_de("chef.projet"))
    assert lecture_seule.status_code == 403 and "lecture seule" in lecture_seule.json()["message"]
    assert _poster(client, reference, [ligne], jeton_de("lecture", ecriture=True)).status_code == 403
    dehors = _poster(client, reference, [ligne], creer_jeton(etranger, "Étranger", ecriture=True)[1])
    assert dehors.status_code == 404 and dehors.json()["code"] == "introuvable"
    # a meeting whose minutes are approved is closed: the page's message
    Reunion.objects.filter(pk=reference.reunion.pk).update(
        statut=StatutReunion.APPROUVEE, compte_rendu="Relevé de décisions.", compte_rendu_approuve_le=date(2023, 4, 1)
    )
    close = _poster(client, reference, [ligne], jeton_de("chef.projet", ecriture=True))
    assert close.status_code == 409 and "la réunion est close" in close.json()["message"]
    assert _etats(reference) == avant


def test_donnees_invalides_422_en_francais(client, reference, jeton_de):
    avant = _etats(reference)
    membre = avant[0][0]
    secret = jeton_de("chef.projet", ecriture=True)
    sans_representant = _poster(client, reference, [{"membre": membre, "etat": "represente"}], secret)
    assert sans_representant.status_code == 422
    assert sans_representant.json()["erreurs"] == [
        {"champ": f"membre {membre} → represente_par", "message": "Indiquez qui représentait Alix Api."}
    ]
    inconnu = _poster(
        client, reference, [{"membre": membre, "etat": "parti"}, {"membre": 0, "etat": "present"}], secret
    )
    assert inconnu.status_code == 422
    assert [e["champ"] for e in inconnu.json()["erreurs"]] == ["presences → 1 → membre"]
    etat = _poster(client, reference, [{"membre": membre, "etat": "parti"}], secret)
    assert f"membre {membre} → etat" in [e["champ"] for e in etat.json()["erreurs"]]
    assert _etats(reference) == avant
