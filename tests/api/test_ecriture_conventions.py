"""Creating a convention and changing its settings through the API: the pages' forms (``CreationForm``,
``ConventionForm``), the rules layer (``cycle.creer_convention``, ``cycle.enregistrer_convention``) and the rights
of ``ctg.conventions.perms``; a signed convention's terms refused (409), a stale version refused (409), nothing
written on a refusal."""

from datetime import date

import pytest

from ctg.conventions.models import Convention

from .conftest import CA_CAMBRAI, entete


@pytest.fixture
def reference(convention_cambrai):
    """The reference convention (signed, in force until 31/12/2026) with its demo accounts only."""
    from ctg.demo.comptes import creer_comptes_demo

    creer_comptes_demo(convention_cambrai)
    return convention_cambrai


def _envoyer(client, methode, url, corps, secret):
    return getattr(client, methode)(f"/api/v1{url}", corps, content_type="application/json", **entete(secret))


def test_la_caf_cree_une_convention_puis_en_modifie_les_termes_tant_qu_elle_est_en_brouillon(
    client, reference, jeton_de
):
    secret = jeton_de("demo", ecriture=True)
    reponse = _envoyer(client, "post", "/conventions", {"epci": CA_CAMBRAI, "date_debut": "2027-01-01"}, secret)
    assert reponse.status_code == 201, reponse.content
    creee = reponse.json()
    assert (creee["statut"], creee["date_fin"], creee["epci"]["code"]) == ("brouillon", "2031-12-31", CA_CAMBRAI)
    assert creee["visas"] and creee["version"] == 1
    nouvelle = Convention.objects.get(pk=creee["id"])
    assert nouvelle.adhesions.count() == reference.adhesions.count()
    assert nouvelle.habilitations.get().user.username == "demo"

    # a draft: its terms and visas change; the change is read back through the GET
    changement = {"titre": "CTG 2027-2031", "visas": ["Vu le code de l'essai ;"], "chef_projet_nom": "Alix Api"}
    reponse = _envoyer(client, "patch", f"/conventions/{nouvelle.pk}", {**changement, "version": 1}, secret)
    assert reponse.status_code == 200, reponse.content
    lue = client.get(f"/api/v1/conventions/{nouvelle.pk}", **entete(secret)).json()
    assert (lue["titre"], lue["visas"], lue["chef_projet_nom"], lue["version"]) == (
        "CTG 2027-2031",
        ["Vu le code de l'essai ;"],
        "Alix Api",
        2,
    )
    assert nouvelle.historique.latest().history_user.username == "demo"

    # signed once each party has a signatory; then signed, its signatories are part of its terms
    signature = f"/conventions/{nouvelle.pk}/signature"
    reponse = _envoyer(client, "post", signature, {"date_signature": "2026-11-30"}, secret)
    assert (reponse.status_code, reponse.json()["message"]) == (
        409,
        "Signature impossible : il manque au moins un signataire pour la Caf et au moins un signataire pour la "
        "collectivité.",
    )
    signataires = [
        {"partie": "caf", "civilite": "Madame", "prenom": "Alix", "nom": "Caf", "qualite": "president_ca"},
        {"partie": "collectivite", "civilite": "Monsieur", "prenom": "Sam", "nom": "Epci", "qualite": "president_epci"},
    ]
    reponse = _envoyer(client, "patch", f"/conventions/{nouvelle.pk}", {"signataires": signataires[:1]}, secret)
    assert reponse.status_code == 200, reponse.content
    reponse = _envoyer(client, "patch", f"/conventions/{nouvelle.pk}", {"signataires": signataires}, secret)
    lus = [(s["partie"], s["nom"]) for s in reponse.json()["signataires"]]
    assert lus == [("caf", "Caf"), ("collectivite", "Epci")]
    reponse = _envoyer(client, "post", signature, {"date_signature": "2026-12-01"}, secret)
    assert (reponse.status_code, reponse.json()["erreurs"][0]["champ"]) == (422, "date_signature")
    reponse = _envoyer(client, "post", signature, {"date_signature": "2026-11-30"}, secret)
    assert (reponse.status_code, reponse.json()["statut"], reponse.json()["date_signature"]) == (
        200,
        "signee",
        "2026-11-30",
    )
    reponse = _envoyer(client, "post", signature, {"date_signature": "2026-11-30"}, secret)
    assert (reponse.status_code, reponse.json()["message"]) == (409, "La convention est déjà signée (le 30/11/2026).")
    reponse = _envoyer(client, "patch", f"/conventions/{nouvelle.pk}", {"signataires": signataires[1:]}, secret)
    assert reponse.status_code == 409
    assert nouvelle.signataires.count() == 2


def test_creation_refusee_sans_le_droit_ou_sur_une_periode_deja_couverte(client, reference, jeton_de):
    avant = Convention.objects.count()
    reponse = _envoyer(
        client, "post", "/conventions", {"epci": CA_CAMBRAI, "date_debut": "2027-01-01"}, jeton_de("chef.projet", True)
    )
    assert (reponse.status_code, reponse.json()["message"]) == (
        403,
        "Une convention est créée par un conseiller ou une conseillère de la Caf compétente.",
    )
    secret = jeton_de("demo", ecriture=True)
    reponse = _envoyer(client, "post", "/conventions", {"epci": "999999999", "date_debut": "2027-01-01"}, secret)
    assert reponse.status_code == 422
    assert "Aucun EPCI de SIREN « 999999999 »" in reponse.json()["erreurs"][0]["message"]
    reponse = _envoyer(client, "post", "/conventions", {"epci": CA_CAMBRAI, "date_debut": "2024-01-01"}, secret)
    assert reponse.status_code == 422, reponse.content
    assert "a déjà une convention sur cette période" in reponse.json()["erreurs"][0]["message"]
    assert Convention.objects.count() == avant


def test_une_convention_signee_garde_ses_termes_et_suit_sa_transmission(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    version = reference.version
    url = f"/conventions/{reference.pk}"
    reponse = _envoyer(client, "patch", url, {"objectifs_identifies_le": "2023-06-30", "version": version}, secret)
    assert reponse.status_code == 200, reponse.content
    assert client.get(f"/api/v1{url}", **entete(secret)).json()["objectifs_identifies_le"] == "2023-06-30"

    # its terms change by avenant only: refused with the rules' words, nothing written
    reponse = _envoyer(client, "patch", url, {"titre": "Autre titre"}, secret)
    assert (reponse.status_code, reponse.json()["code"]) == (409, "changement_impossible")
    assert "ne changent que par un avenant signé" in reponse.json()["message"]
    # a stale version: refused with what changed since
    reponse = _envoyer(client, "patch", url, {"affiche_le": "2022-01-05", "version": version}, secret)
    assert (reponse.status_code, reponse.json()["code"]) == (409, "version_perimee")
    # invalid input: the page form's message
    reponse = _envoyer(client, "patch", url, {"recu_prefecture_le": "2021-12-01"}, secret)
    assert reponse.status_code == 422, reponse.content
    assert "précède la date d'envoi" in reponse.json()["erreurs"][0]["message"]
    # a role the page refuses
    reponse = _envoyer(client, "patch", url, {"affiche_le": "2022-01-05"}, jeton_de("lecture", True))
    assert reponse.status_code == 403
    reference.refresh_from_db()
    assert (reference.titre, reference.affiche_le, reference.version) == (
        "Convention territoriale globale",
        None,
        version + 1,
    )
    assert reference.recu_prefecture_le == date(2021, 12, 21)
