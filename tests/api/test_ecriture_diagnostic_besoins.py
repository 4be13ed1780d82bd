"""Writing the shared diagnostic's needs, a partner's contribution and its status through the API: the pages' forms
(``BesoinForm``, ``ContributionForm``, ``DateForm``), rules (``diagnostic.partage``) and rights
(``diagnostic.perms``), a refused state (409: submitted, validated, nothing to submit) and bad input (422)."""

from datetime import date

import pytest

from ctg.diagnostic.models import Besoin, Contribution
from ctg.diagnostic.partage import diagnostic_de, soumettre

from .conftest import entete


@pytest.fixture
def reference(convention_cambrai):
    """The reference convention with its demo accounts only."""
    from ctg.demo.comptes import creer_comptes_demo

    creer_comptes_demo(convention_cambrai)
    return convention_cambrai


def _url(reference, suite=""):
    return f"/api/v1/conventions/{reference.pk}/diagnostic{suite}"


def _envoyer(client, methode, url, corps, secret):
    return getattr(client, methode)(url, corps, content_type="application/json", **entete(secret))


BESOIN = {
    "domaine": "jeunesse",
    "intitule": "Un accueil des 11-17 ans",
    "public": "Adolescents",
    "communes": ["59122"],
    "indicateurs": ["foyers_allocataires"],
}


def test_la_cheffe_de_projet_identifie_un_besoin_le_modifie_puis_le_supprime(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    reponse = _envoyer(client, "post", _url(reference, "/besoins"), BESOIN, secret)
    assert reponse.status_code == 200, reponse.content
    cree = reponse.json()
    lus = client.get(_url(reference, "/besoins"), **entete(secret)).json()["items"]
    assert lus == [cree]
    assert (cree["intitule"], cree["communes"], cree["indicateurs"], cree["priorite"]) == (
        "Un accueil des 11-17 ans",
        ["59122"],
        ["foyers_allocataires"],
        2,
    )
    # a field left out keeps its value
    reponse = _envoyer(client, "patch", _url(reference, f"/besoins/{cree['id']}"), {"priorite": 1}, secret)
    assert reponse.status_code == 200, reponse.content
    lu = client.get(_url(reference, f"/besoins/{cree['id']}"), **entete(secret)).json()
    assert lu == {**cree, "priorite": 1}
    assert Besoin.objects.get().historique.latest().history_user.username == "chef.projet"

    reponse = client.delete(_url(reference, f"/besoins/{cree['id']}"), **entete(secret))
    assert (reponse.status_code, reponse.json()["besoins"]) == (200, [])
    assert client.get(_url(reference, f"/besoins/{cree['id']}"), **entete(secret)).status_code == 404


def test_besoin_refuse_par_le_role_la_saisie_ou_l_etat(client, reference, jeton_de):
    url = _url(reference, "/besoins")
    assert _envoyer(client, "post", url, BESOIN, jeton_de("referent.commune", True)).status_code == 403
    secret = jeton_de("demo", ecriture=True)
    reponse = _envoyer(client, "post", url, {**BESOIN, "domaine": "inconnu", "communes": ["75056"]}, secret)
    assert reponse.status_code == 422
    assert {e["champ"] for e in reponse.json()["erreurs"]} == {"domaine", "communes"}
    reponse = _envoyer(client, "post", url, {"domaine": "jeunesse"}, secret)
    assert (reponse.status_code, reponse.json()["erreurs"][0]["champ"]) == (422, "intitule")
    assert not Besoin.objects.exists()

    besoin = _envoyer(client, "post", url, BESOIN, secret).json()
    soumettre(diagnostic_de(reference), date(2026, 11, 2))
    for methode, adresse, corps in (
        ("post", url, BESOIN),
        ("patch", f"{url}/{besoin['id']}", {"intitule": "Trop tard"}),
        ("delete", f"{url}/{besoin['id']}", {}),
    ):
        reponse = _envoyer(client, methode, adresse, corps, secret)
        assert reponse.status_code == 409, methode
        assert reponse.json()["message"].startswith("Le diagnostic est soumis au comité de pilotage depuis le 02/11")
    assert list(Besoin.objects.values_list("intitule", flat=True)) == ["Un accueil des 11-17 ans"]


def test_un_partenaire_apporte_sa_contribution(client, reference, jeton_de):
    corps = {"auteur": "Centre social", "domaine": "jeunesse", "texte": "Des horaires élargis."}
    assert (
        _envoyer(client, "post", _url(reference, "/contributions"), corps, jeton_de("lecture", True)).status_code == 403
    )
    secret = jeton_de("referent.commune", ecriture=True)
    reponse = _envoyer(client, "post", _url(reference, "/contributions"), {"texte": "Sans auteur"}, secret)
    assert (reponse.status_code, reponse.json()["erreurs"][0]["champ"]) == (422, "auteur")
    reponse = _envoyer(client, "post", _url(reference, "/contributions"), corps, secret)
    assert reponse.status_code == 200, reponse.content
    assert reponse.json()["contributions"] == [{**corps, "date": "2026-11-30"}]  # today, as the page proposes
    assert Contribution.objects.count() == 1


def test_soumettre_et_retirer_le_diagnostic(client, reference, jeton_de):
    url = _url(reference, "/statut")
    assert _envoyer(client, "post", url, {"action": "soumettre"}, jeton_de("referent.commune", True)).status_code == 403
    secret = jeton_de("chef.projet", ecriture=True)
    reponse = _envoyer(client, "post", url, {"action": "soumettre"}, secret)
    assert (reponse.status_code, reponse.json()["message"]) == (
        409,
        "Rédigez la synthèse ou identifiez au moins un besoin avant de soumettre.",
    )
    reponse = _envoyer(client, "post", url, {"action": "inconnue"}, secret)
    assert (reponse.status_code, reponse.json()["erreurs"][0]["champ"]) == (422, "action")
    reponse = _envoyer(client, "post", url, {"action": "valider"}, secret)
    assert reponse.status_code == 409
    assert reponse.json()["message"].startswith("La validation du diagnostic et sa réouverture sont des décisions")

    _envoyer(client, "post", _url(reference, "/besoins"), BESOIN, secret)
    reponse = _envoyer(client, "post", url, {"action": "soumettre", "date": "2027-01-01"}, secret)
    assert (reponse.status_code, diagnostic_de(reference).statut) == (409, "brouillon")
    reponse = _envoyer(client, "post", url, {"action": "soumettre", "date": "2026-11-02"}, secret)
    assert reponse.status_code == 200, reponse.content
    assert (reponse.json()["statut"], reponse.json()["soumis_le"]) == ("soumis", "2026-11-02")
    reponse = _envoyer(client, "post", url, {"action": "retirer"}, secret)
    assert (reponse.status_code, reponse.json()["statut"]) == (200, "brouillon")
