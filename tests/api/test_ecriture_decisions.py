"""Recording a decision of a comité meeting through the API: the rules of the decision's page
(``ctg.gouvernance.decisions.enregistrer_decision``, which executes an adopted decision; its form and rights), a
read-write token, nothing written on a refusal."""

from datetime import date

from ctg.api.jetons import creer_jeton
from ctg.gouvernance.models import Decision, Initiative, Reunion, StatutReunion, Vote

from .conftest import entete


def _poster(client, reference, corps, secret, reunion=None):
    url = f"/api/v1/conventions/{reference.pk}/reunions/{(reunion or reference.reunion).pk}/decisions"
    return client.post(url, corps, content_type="application/json", **entete(secret))


def _decisions():
    return list(Decision.objects.values_list("reunion_id", "ordre", "texte", "effet")), Vote.objects.count()


def test_une_decision_adoptee_est_executee_une_rejetee_ne_change_rien(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    initiative = Initiative.objects.create(
        convention=reference, titre="Ludothèque itinérante", description="…", reperee_le=date(2023, 1, 5)
    )
    corps = {"texte": "Le comité retient la ludothèque.", "objet": "initiative", "objet_id": initiative.pk}
    reponse = _poster(client, reference, corps, secret)
    assert reponse.status_code == 200, reponse.content
    assert (reponse.json()["ordre"], reponse.json()["resultat"]) == (1, "adoptée par consensus")
    assert reponse.json()["effet"] == "Initiative « Ludothèque itinérante » retenue et suivie."
    initiative.refresh_from_db()
    assert initiative.suivi == "suivie" and "retenue par le comité de pilotage" in initiative.notes_suivi

    (membre,) = reference.reunion.comite.membres.values_list("pk", flat=True)
    vote = {"texte": "Étendre les horaires.", "mode": "vote", "votes": [{"membre": membre, "choix": "contre"}]}
    rejetee = _poster(client, reference, vote, secret)
    assert rejetee.status_code == 200, rejetee.content
    assert rejetee.json()["resultat"] == "rejetée (0 pour, 1 contre, 0 abstention)"
    assert rejetee.json()["effet"] == "Décision rejetée : rien n'est modifié."
    assert _decisions() == (
        [
            (reference.reunion.pk, 1, corps["texte"], reponse.json()["effet"]),
            (reference.reunion.pk, 2, vote["texte"], rejetee.json()["effet"]),
        ],
        1,
    )


def test_refus_rien_n_est_ecrit(client, reference, jeton_de, etranger):
    corps = {"texte": "Décision refusée."}
    lecture_seule = _poster(client, reference, corps, jeton_de("chef.projet"))
    assert lecture_seule.status_code == 403 and "lecture seule" in lecture_seule.json()["message"]
    assert _poster(client, reference, corps, jeton_de("lecture", ecriture=True)).status_code == 403
    dehors = _poster(client, reference, corps, creer_jeton(etranger, "Étranger", ecriture=True)[1])
    assert dehors.status_code == 404 and dehors.json()["code"] == "introuvable"
    secret = jeton_de("chef.projet", ecriture=True)
    a_venir = Reunion.objects.create(comite=reference.reunion.comite, date=date(2026, 12, 15), lieu="Mairie")
    planifiee = _poster(client, reference, corps, secret, reunion=a_venir)
    assert planifiee.status_code == 409 and "enregistrez d'abord les présences" in planifiee.json()["message"]
    Reunion.objects.filter(pk=reference.reunion.pk).update(
        statut=StatutReunion.APPROUVEE, compte_rendu="Relevé de décisions.", compte_rendu_approuve_le=date(2023, 4, 1)
    )
    close = _poster(client, reference, corps, secret)
    assert close.status_code == 409 and "la réunion est close" in close.json()["message"]
    assert _decisions() == ([], 0)


def test_donnees_invalides_422_en_francais(client, reference, jeton_de):
    (membre,) = reference.reunion.comite.membres.values_list("pk", flat=True)
    secret = jeton_de("chef.projet", ecriture=True)
    sans_motif = _poster(client, reference, {"texte": "Rouvrir.", "objet": "diagnostic_rouvert"}, secret)
    assert sans_motif.status_code == 422
    assert sans_motif.json()["erreurs"] == [
        {"champ": "motif", "message": "Indiquez le motif de la réouverture du diagnostic validé."}
    ]
    votes = [{"membre": membre, "choix": "peut-être"}, {"membre": 0, "choix": "pour"}]
    inconnu = _poster(client, reference, {"texte": "Voter.", "mode": "vote", "votes": votes}, secret)
    assert [e["champ"] for e in inconnu.json()["erreurs"]] == ["votes → 1 → membre"]
    choix = _poster(client, reference, {"texte": "Voter.", "mode": "vote", "votes": votes[:1]}, secret)
    assert [e["champ"] for e in choix.json()["erreurs"]] == [f"membre {membre} → choix"]
    sans_vote = _poster(client, reference, {"texte": "Voter.", "mode": "vote"}, secret)
    assert sans_vote.status_code == 422 and "au moins un membre votant" in sans_vote.json()["erreurs"][0]["message"]
    trop_grand = _poster(client, reference, {"texte": "Adapter.", "objet": "action_adaptee", "objet_id": 2**31}, secret)
    assert [e["champ"] for e in trop_grand.json()["erreurs"]] == ["objet_id"]
    sans_texte = _poster(client, reference, {"objet": "autre"}, secret)
    assert sans_texte.status_code == 422 and sans_texte.json()["erreurs"][0]["champ"] == "texte"
    assert _decisions() == ([], 0)
