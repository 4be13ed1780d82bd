"""Creating and changing a structure and its capacities through the API: the structure page's ``StructureForm``,
``regles.enregistrer_structure`` and ``financement.perms.peut_modifier``; what is written is read back by the GET;
a stale version is a 409, invalid input a 422 that writes nothing."""

import pytest

from ctg.api.jetons import creer_jeton
from ctg.financement.models import Structure

from .conftest import entete


@pytest.fixture
def reference(convention_cambrai):
    from ctg.demo.comptes import creer_comptes_demo

    creer_comptes_demo(convention_cambrai)
    return convention_cambrai


def _envoyer(client, methode, url, corps, secret):
    return getattr(client, methode)(f"/api/v1{url}", corps, content_type="application/json", **entete(secret))


NOUVELLE = {
    "nom": "Crèche des Essais",
    "type": "eaje",
    "commune": "59122",
    "nouveau_gestionnaire": "Association des Essais",
    "date_ouverture": "2024-09-01",
    "places": 24,
    "places_employeurs": 4,
    "heures": "2640.50",
    "etp": 6,
}


def test_creer_puis_modifier_une_structure_et_ses_capacites(client, reference, jeton_de):
    url = f"/conventions/{reference.pk}/structures"
    assert _envoyer(client, "post", url, NOUVELLE, jeton_de("lecture", True)).status_code == 403
    secret = jeton_de("chef.projet", ecriture=True)
    reponse = _envoyer(client, "post", url, NOUVELLE, secret)
    assert reponse.status_code == 201, reponse.content
    creee = reponse.json()
    lue = client.get(f"/api/v1{url}/{creee['id']}", **entete(secret)).json()
    assert lue == creee
    assert (lue["gestionnaire"]["nom"], lue["commune"]["code"], lue["version"]) == (
        "Association des Essais",
        "59122",
        1,
    )
    assert lue["capacites"] == [
        {"depuis": "2024-09-01", "places": 24, "places_employeurs": 4, "heures": "2640.50", "etp": "6.00"}
    ]
    assert creee["id"] in [s["id"] for s in client.get(f"/api/v1{url}?limit=500", **entete(secret)).json()["items"]]

    # a new capacity from a date: the former one stays; an absent field keeps its value
    changement = {"places": 30, "capacite_depuis": "2026-01-01", "en_qpv": True, "version": 1}
    reponse = _envoyer(client, "patch", f"{url}/{creee['id']}", changement, secret)
    assert reponse.status_code == 200, reponse.content
    lue = client.get(f"/api/v1{url}/{creee['id']}", **entete(secret)).json()
    assert [(c["depuis"], c["places"]) for c in lue["capacites"]] == [("2024-09-01", 24), ("2026-01-01", 30)]
    assert (lue["en_qpv"], lue["nom"], lue["gestionnaire"]["nom"], lue["version"]) == (
        True,
        "Crèche des Essais",
        "Association des Essais",
        2,
    )

    # the version read before that change: refused with what changed, nothing written
    reponse = _envoyer(client, "patch", f"{url}/{creee['id']}", {"nom": "Autre nom", "version": 1}, secret)
    assert (reponse.status_code, reponse.json()["code"]) == (409, "version_perimee")
    assert Structure.objects.get(pk=creee["id"]).nom == "Crèche des Essais"


def test_saisie_invalide_422_par_champ_et_rien_n_est_ecrit(client, reference, jeton_de, etranger):
    url = f"/conventions/{reference.pk}/structures"
    secret = jeton_de("demo", ecriture=True)
    avant = Structure.objects.count()
    reponse = _envoyer(client, "post", url, {**NOUVELLE, "places_employeurs": 40}, secret)
    assert reponse.json()["erreurs"] == [
        {"champ": "places_employeurs", "message": "Plus de places réservées par des employeurs que de places."}
    ]
    reponse = _envoyer(client, "post", url, {**NOUVELLE, "commune": "75056", "type": "piscine"}, secret)
    assert reponse.status_code == 422
    assert {e["champ"] for e in reponse.json()["erreurs"]} == {"commune", "type"}
    reponse = _envoyer(client, "post", url, {**NOUVELLE, "nouveau_gestionnaire": ""}, secret)
    assert reponse.json()["erreurs"][0] == {
        "champ": "gestionnaire",
        "message": "Choisissez le gestionnaire ou saisissez-en un nouveau.",
    }
    assert Structure.objects.count() == avant

    creee = _envoyer(client, "post", url, NOUVELLE, secret).json()
    reponse = _envoyer(client, "patch", f"{url}/{creee['id']}", {"date_fermeture": "2030-13-01"}, secret)
    assert (reponse.status_code, reponse.json()["erreurs"][0]["champ"]) == (422, "date_fermeture")
    # another convention's structure is not found through it, nor changed
    dehors = creer_jeton(etranger, "Étranger", ecriture=True)[1]
    propre = f"/conventions/{etranger.convention.pk}/structures/{creee['id']}"
    assert client.get(f"/api/v1{propre}", **entete(dehors)).status_code == 404
    assert _envoyer(client, "patch", propre, {"nom": "Pris"}, dehors).status_code == 404


@pytest.mark.date("2027-03-01")  # the reference convention expired on 31/12/2026
def test_convention_terminee(client, reference, jeton_de):
    reponse = _envoyer(client, "post", f"/conventions/{reference.pk}/structures", NOUVELLE, jeton_de("demo", True))
    assert (reponse.status_code, reponse.json()["message"]) == (
        403,
        "Cette convention est terminée : elle ne se modifie plus.",
    )
