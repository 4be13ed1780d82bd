"""Renewing a convention, correcting a signed one's clerical error and recording many adhesions at once through the
API: the pages' forms (``CorrectionForm``, ``AdhesionsEnBlocForm``), the rules (``cycle.renouveler``,
``cycle.corriger``, ``adhesions.enregistrer_adhesions``) and the rights of ``ctg.conventions.perms``; a refused state
is a 409, invalid input a 422 that writes nothing."""

import pytest

from ctg.conventions.models import Convention, Statut

from .conftest import entete


@pytest.fixture
def reference(convention_cambrai):
    """The reference convention (signed, in force until 31/12/2026) with its demo accounts only."""
    from ctg.demo.comptes import creer_comptes_demo

    creer_comptes_demo(convention_cambrai)
    return convention_cambrai


def _post(client, url, corps, secret):
    return client.post(f"/api/v1{url}", corps, content_type="application/json", **entete(secret))


def test_la_caf_renouvelle_une_fois_une_convention_signee(client, reference, jeton_de):
    url = f"/conventions/{reference.pk}/renouvellement"
    reponse = _post(client, url, {}, jeton_de("chef.projet", True))
    assert (reponse.status_code, reponse.json()["message"]) == (403, "Le renouvellement est préparé par la Caf.")
    assert _post(client, url, {}, jeton_de("demo")).status_code == 403  # a read-only token
    assert not Convention.objects.filter(precedente=reference).exists()

    secret = jeton_de("demo", ecriture=True)
    reponse = _post(client, url, {}, secret)
    assert reponse.status_code == 201, reponse.content
    nouvelle = reponse.json()
    assert (nouvelle["statut"], nouvelle["date_debut"], nouvelle["date_fin"]) == (
        "brouillon",
        "2027-01-01",
        "2031-12-31",
    )
    lue = client.get(f"/api/v1/conventions/{nouvelle['id']}", **entete(secret)).json()
    assert lue["titre"] == reference.titre and len(lue["signataires"]) == reference.signataires.count()
    assert Convention.objects.get(pk=nouvelle["id"]).precedente_id == reference.pk

    reponse = _post(client, url, {}, secret)
    assert (reponse.status_code, reponse.json()["message"]) == (409, "Cette convention a déjà été renouvelée.")
    reponse = _post(client, f"/conventions/{nouvelle['id']}/renouvellement", {}, secret)
    assert reponse.status_code == 409 and "brouillon ne se renouvelle pas" in reponse.json()["message"]
    assert Convention.objects.filter(epci=reference.epci).count() == 2


def test_la_caf_corrige_une_erreur_materielle_avec_son_motif(client, reference, jeton_de):
    url = f"/conventions/{reference.pk}/correction"
    corps = {"motif": "Coquille dans le nom de la cheffe de projet", "chef_projet_nom": "Alix Api"}
    reponse = _post(client, url, corps, jeton_de("chef.projet", True))
    assert (reponse.status_code, reponse.json()["message"]) == (403, "Seule la Caf corrige une erreur matérielle.")

    secret = jeton_de("demo", ecriture=True)
    reponse = _post(client, url, corps, secret)
    assert reponse.status_code == 200, reponse.content
    lue = client.get(f"/api/v1/conventions/{reference.pk}", **entete(secret)).json()
    assert (lue["chef_projet_nom"], lue["titre"]) == ("Alix Api", reference.titre)  # the others kept
    derniere = reference.historique.latest()
    assert derniere.history_user.username == "demo" and "Coquille" in derniere.history_change_reason

    # nothing changed, no reason, a value the rules refuse: 422, nothing written
    reponse = _post(client, url, corps, secret)
    assert reponse.status_code == 422 and "rien à corriger" in reponse.json()["erreurs"][0]["message"]
    reponse = _post(client, url, {"motif": "", "chef_projet_nom": "Autre"}, secret)
    assert (reponse.status_code, reponse.json()["erreurs"][0]["champ"]) == (422, "motif")
    reponse = _post(client, url, {"motif": "Essai", "date_fin": "2040-12-31"}, secret)
    assert reponse.status_code == 422, reponse.content
    reference.refresh_from_db()
    assert (reference.chef_projet_nom, reference.date_fin.year) == ("Alix Api", 2026)

    # a draft's terms change directly: 409
    brouillon = _post(client, f"/conventions/{reference.pk}/renouvellement", {}, secret).json()
    reponse = _post(client, f"/conventions/{brouillon['id']}/correction", corps, secret)
    assert reponse.status_code == 409 and "brouillon se modifie directement" in reponse.json()["message"]


def _deux_communes(reference):
    adhesions = list(reference.adhesions.order_by("commune_id")[:2])
    return [(a, "refusee" if a.statut != "refusee" else "adheree") for a in adhesions]


def test_adhesions_en_bloc_tout_ou_rien(client, reference, jeton_de):
    url = f"/conventions/{reference.pk}/adhesions"
    communes = _deux_communes(reference)
    corps = {
        "adhesions": [{"commune": a.commune_id, "statut": s, "date_deliberation": "2026-10-01"} for a, s in communes]
    }
    assert _post(client, url, corps, jeton_de("referent.commune", True)).status_code == 403
    assert _post(client, url, corps, jeton_de("lecture", True)).status_code == 403
    secret = jeton_de("chef.projet", ecriture=True)

    # a missing deliberation date, a commune outside the EPCI, a date in the future: 422, nothing written
    mauvais = {"adhesions": [{"commune": communes[0][0].commune_id, "statut": communes[0][1]}]}
    reponse = _post(client, url, mauvais, secret)
    assert reponse.status_code == 422, reponse.content
    erreur = reponse.json()["erreurs"][0]
    assert erreur["champ"] == "adhesions → 0 → date_deliberation"
    assert "indiquez la date de la délibération" in erreur["message"]
    reponse = _post(client, url, {"adhesions": [{"commune": "75056", "statut": "adheree"}]}, secret)
    assert reponse.json()["erreurs"][0] == {
        "champ": "adhesions → 0 → commune",
        "message": "Cette commune n'est pas membre de l'intercommunalité de la convention.",
    }
    futur = {"adhesions": [{**corps["adhesions"][0]}, {**corps["adhesions"][1], "date_deliberation": "2027-01-05"}]}
    reponse = _post(client, url, futur, secret)
    assert reponse.status_code == 422, reponse.content
    assert "dans le futur" in reponse.json()["erreurs"][0]["message"]
    assert [a.statut for a, _ in communes] == [
        reference.adhesions.get(commune_id=a.commune_id).statut for a, _ in communes
    ]

    reponse = _post(client, url, corps, secret)
    assert reponse.status_code == 200, reponse.content
    assert [(a["commune"]["code"], a["statut"]) for a in reponse.json()] == [(a.commune_id, s) for a, s in communes]
    lues = client.get(f"/api/v1{url}?limit=500", **entete(secret)).json()["items"]
    lues = {a["commune"]["code"]: (a["statut"], a["date_deliberation"]) for a in lues}
    assert all(lues[a.commune_id] == (s, "2026-10-01") for a, s in communes)


@pytest.mark.date("2027-03-01")  # the reference convention expired on 31/12/2026
def test_adhesions_en_bloc_convention_terminee(client, reference, jeton_de):
    (a, statut), _ = _deux_communes(reference)
    corps = {"adhesions": [{"commune": a.commune_id, "statut": statut, "date_deliberation": "2026-10-01"}]}
    reponse = _post(client, f"/conventions/{reference.pk}/adhesions", corps, jeton_de("demo", True))
    assert (reponse.status_code, reponse.json()["message"]) == (
        403,
        "Cette convention est terminée : ses adhésions ne se modifient plus.",
    )
    assert reference.adhesions.get(commune_id=a.commune_id).statut == a.statut
    assert reference.statut != Statut.BROUILLON
