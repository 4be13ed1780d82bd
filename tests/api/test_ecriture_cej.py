"""The Cej references of a convention through the API: created and changed with the Cej page's form and lines
(``ctg.financement.regles.enregistrer_cej``) and rights, read back through the GET, nothing written on a refusal."""

import pytest

from ctg.api.jetons import creer_jeton
from ctg.comptes.models import Organisation
from ctg.demo.comptes import creer_comptes_demo
from ctg.financement.models import Cej, LigneCej, Structure

from .conftest import entete

CAMBRAI = "59122"


@pytest.fixture
def reference(convention_cambrai):
    """The reference convention with its demo accounts and two structures of Cambrai."""
    creer_comptes_demo(convention_cambrai)
    gestionnaire = Organisation.objects.create(type=Organisation.Type.AUTRE, nom="Gestionnaire de l'API")
    convention_cambrai.creches = [
        Structure.objects.create(
            convention=convention_cambrai, nom=nom, type="eaje", commune_id=CAMBRAI, gestionnaire=gestionnaire
        )
        for nom in ("Crèche A de l'API", "Crèche B de l'API")
    ]
    return convention_cambrai


def _corps(reference):
    a, b = reference.creches
    return {
        "commune": CAMBRAI,
        "intitule": "Cej 2018-2021 de Cambrai",
        "date_debut": "2018-01-01",
        "date_fin": "2021-12-31",
        "annee_reference": 2021,
        "lignes": [
            {"structure": a.pk, "montant_n1": "12000.50", "unites_reference": 20, "engagement_commune": 50000},
            {"structure": b.pk, "montant_n1": 800},
        ],
    }


def _ecrire(client, methode, url, corps, secret):
    return getattr(client, methode)(url, corps, content_type="application/json", **entete(secret))


def _etat():
    return list(Cej.objects.values_list("pk", "intitule", "date_fin")), list(
        LigneCej.objects.order_by("pk").values_list("structure_id", "montant_n1", "engagement_commune")
    )


def test_creer_puis_modifier_un_cej(client, reference, jeton_de):
    secret = jeton_de("demo", ecriture=True)
    url = f"/api/v1/conventions/{reference.pk}/cej"
    cree = _ecrire(client, "post", url, _corps(reference), secret)
    assert cree.status_code == 201, cree.content
    pk = cree.json()["id"]
    lu = client.get(f"{url}/{pk}", **entete(jeton_de("lecture"))).json()
    assert (lu["commune"]["code"], lu["intitule"], lu["annee_reference"]) == (CAMBRAI, "Cej 2018-2021 de Cambrai", 2021)
    assert [(ligne["structure_nom"], ligne["montant_n1"], ligne["engagement_commune"]) for ligne in lu["lignes"]] == [
        ("Crèche A de l'API", "12000.50", "50000.00"),
        ("Crèche B de l'API", "800.00", "0.00"),
    ]
    assert [c["id"] for c in client.get(f"{url}?commune={CAMBRAI}", **entete(secret)).json()["items"]] == [pk]

    # a change: the absent fields keep their value; the lines given are all the lines (B's is removed)
    a = reference.creches[0]
    corps = {"intitule": "Cej de Cambrai", "lignes": [{"structure": a.pk, "montant_n1": "13000"}]}
    modifie = _ecrire(client, "patch", f"{url}/{pk}", corps, secret)
    assert modifie.status_code == 200, modifie.content
    lu = client.get(f"{url}/{pk}", **entete(secret)).json()
    assert (lu["intitule"], lu["date_fin"]) == ("Cej de Cambrai", "2021-12-31")
    assert [(ligne["structure"], ligne["montant_n1"]) for ligne in lu["lignes"]] == [(a.pk, "13000.00")]
    assert LigneCej.objects.get().pk == LigneCej.objects.get(structure=a).pk  # A's line changed in place


def test_saisie_invalide_422_et_rien_n_est_ecrit(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    url = f"/api/v1/conventions/{reference.pk}/cej"
    avant = _etat()
    dates = _ecrire(client, "post", url, {**_corps(reference), "date_fin": "2017-12-31"}, secret)
    assert dates.status_code == 422 and "La fin du contrat précède son début." in str(dates.json()["erreurs"])
    negatif = _corps(reference)
    negatif["lignes"][1]["montant_n1"] = -5
    refuse = _ecrire(client, "post", url, negatif, secret)
    assert refuse.status_code == 422 and refuse.json()["erreurs"][0]["champ"].startswith("lignes → 1")
    hors = _ecrire(client, "post", url, {**_corps(reference), "commune": "75056"}, secret)
    assert hors.status_code == 422 and hors.json()["erreurs"][0]["champ"] == "commune"
    assert _etat() == avant


def test_refus_de_droit_403_et_hors_convention_404(client, reference, jeton_de, etranger):
    url = f"/api/v1/conventions/{reference.pk}/cej"
    avant = _etat()
    assert _ecrire(client, "post", url, _corps(reference), jeton_de("demo")).status_code == 403
    for compte in ("referent.commune", "membre.copil", "lecture"):
        assert _ecrire(client, "post", url, _corps(reference), jeton_de(compte, ecriture=True)).status_code == 403
    dehors = creer_jeton(etranger, "Étranger", ecriture=True)[1]
    assert _ecrire(client, "post", url, _corps(reference), dehors).status_code == 404
    assert client.get(url, **entete(dehors)).status_code == 404
    assert _etat() == avant
