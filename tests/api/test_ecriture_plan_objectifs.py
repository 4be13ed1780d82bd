"""The objectives tree and the reviews through the API: read back what is written, with the page's forms
(``ObjectifForm``, ``RevueForm``, ``EvaluationForm``) and rules (``ctg.plan.edition``, ``cycle.enregistrer_revue``)."""

from datetime import date

import pytest

from ctg.audit import utilisateur_systeme
from ctg.plan import cycle
from ctg.plan.models import Niveau, Objectif, Revue

from .conftest import entete


def _envoyer(client, methode, url, corps, secret):
    return getattr(client, methode)(url, corps, content_type="application/json", **entete(secret))


def test_ajouter_puis_modifier_un_objectif(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    base = f"/api/v1/conventions/{reference.pk}/objectifs"
    enjeu = Objectif.objects.filter(convention=reference, niveau=Niveau.ENJEU).first()
    reponse = _envoyer(client, "post", base, {"intitule": "Ouvrir 20 places", "rattachement": enjeu.pk}, secret)
    assert reponse.status_code == 200, reponse.content
    cree = reponse.json()
    assert (cree["parent"], cree["niveau"]) == (enjeu.pk, Niveau.STRATEGIQUE)
    liste = client.get(base, **entete(secret)).json()["items"]
    assert any(o["id"] == cree["id"] and o["numero"] for o in liste)

    url = f"{base}/{cree['id']}"
    modifie = _envoyer(client, "patch", url, {"description": "d'ici 2026", "version": cree["version"]}, secret)
    assert modifie.status_code == 200 and client.get(url, **entete(secret)).json()["description"] == "d'ici 2026"
    perimee = _envoyer(client, "patch", url, {"intitule": "Autre", "version": cree["version"]}, secret)
    assert perimee.status_code == 409 and perimee.json()["code"] == "version_perimee"
    invalide = _envoyer(client, "patch", url, {"champ": "autre", "signataire": ""}, secret)
    assert invalide.status_code == 422 and invalide.json()["erreurs"][0]["message"].startswith("Nommez le signataire")
    assert Objectif.objects.get(pk=cree["id"]).intitule == "Ouvrir 20 places"

    seme = _envoyer(client, "patch", f"{base}/{enjeu.pk}", {"intitule": "Renommé"}, secret)
    assert seme.status_code == 200 and seme.json()["intitule"] == enjeu.intitule  # a seeded node keeps its wording
    role = _envoyer(client, "post", base, {"intitule": "Non"}, jeton_de("referent.commune", ecriture=True))
    assert role.status_code == 403 and not Objectif.objects.filter(intitule="Non").exists()


def test_objectifs_arretes_apres_adoption_409(client, reference, jeton_de):
    cycle.adopter_plan(reference, date(2023, 6, 1), utilisateur_systeme())
    reponse = _envoyer(
        client,
        "post",
        f"/api/v1/conventions/{reference.pk}/objectifs",
        {"intitule": "Trop tard"},
        jeton_de("chef.projet", ecriture=True),
    )
    assert reponse.status_code == 409 and "ses objectifs sont arrêtés" in reponse.json()["message"]
    assert not Objectif.objects.filter(intitule="Trop tard").exists()


@pytest.mark.date("2025-07-01")
def test_enregistrer_une_revue_et_la_relire(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    base = f"/api/v1/conventions/{reference.pk}/revues"
    fiche = reference.fiche
    corps = {
        "date": "2025-06-30",
        "synthese": "Bon rythme",
        "evaluations": [{"fiche": fiche.pk, "progression": 40, "decision": "adapter", "commentaire": "à élargir"}],
    }
    reponse = _envoyer(client, "post", base, corps, secret)
    assert reponse.status_code == 200, reponse.content
    revue = client.get(f"{base}/{reponse.json()['id']}", **entete(secret)).json()
    assert revue["synthese"] == "Bon rythme" and revue["type"] == "revue"
    assert revue["evaluations"][0] | {"statut_libelle": ""} == {
        "fiche": fiche.pk,
        "numero": fiche.numero,
        "progression": 40,
        "statut": fiche.statut,
        "statut_libelle": "",
        "commentaire": "à élargir",
        "decision": "adapter",
        "decision_libelle": "Adapter",
    }
    assert client.get(base, **entete(secret)).json()["items"][0]["id"] == revue["id"]

    invalide = _envoyer(client, "post", base, {"date": "2025-06-30", "evaluations": [{"fiche": 999999}]}, secret)
    assert invalide.status_code == 422 and invalide.json()["erreurs"][0]["champ"] == "evaluations → 0 → fiche"
    hors_bornes = _envoyer(
        client, "post", base, {"date": "2025-06-30", "evaluations": [{"fiche": fiche.pk, "progression": 140}]}, secret
    )
    assert hors_bornes.status_code == 422 and "progression" in hors_bornes.json()["erreurs"][0]["champ"]
    futur = _envoyer(client, "post", base, {"date": "2025-08-01"}, secret)
    assert futur.status_code == 409 and "dans le futur" in futur.json()["message"]
    role = _envoyer(client, "post", base, {"date": "2025-06-30"}, jeton_de("referent.commune", ecriture=True))
    assert role.status_code == 403
    assert Revue.objects.filter(convention=reference).count() == 1
