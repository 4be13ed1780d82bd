"""Creating and editing a fiche action through the API: the page's form (``FicheForm``) and rules
(``ctg.plan.edition``), its rights, its version check (409 ``version_perimee``), nothing written on a refusal."""

import pytest

from ctg.plan.models import FicheAction

from .conftest import entete


def _base(reference):
    return f"/api/v1/conventions/{reference.pk}/fiches"


def _envoyer(client, methode, url, corps, secret):
    return getattr(client, methode)(url, corps, content_type="application/json", **entete(secret))


def test_creer_une_fiche_demarree_puis_la_relire(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    objectif = reference.objectifs.first()
    corps = {
        "titre": "Ludothèque itinérante",
        "date_debut": "2025-01-01",
        "date_fin": "2026-06-30",
        "communes": ["59122"],
        "objectifs": [objectif.pk],
        "statut": "en_cours",
    }
    reponse = _envoyer(client, "post", _base(reference), corps, secret)
    assert reponse.status_code == 200, reponse.content
    cree = reponse.json()
    assert (cree["numero"], cree["statut"], cree["objectifs"]) == (
        reference.fiche.numero + 1,
        "en_cours",
        [objectif.pk],
    )
    relue = client.get(f"{_base(reference)}/{cree['id']}", **entete(secret)).json()
    assert relue["titre"] == "Ludothèque itinérante" and relue["communes"] == ["59122"]
    assert relue["date_fin"] == "2026-06-30" and relue["version"] == cree["version"]


def test_creer_refus_et_validation(client, reference, jeton_de):
    avant = FicheAction.objects.count()
    role = _envoyer(client, "post", _base(reference), {"titre": "X"}, jeton_de("lecture", ecriture=True))
    assert role.status_code == 403 and role.json()["code"] == "interdit"
    secret = jeton_de("chef.projet", ecriture=True)
    invalide = _envoyer(
        client,
        "post",
        _base(reference),
        {"titre": "", "date_debut": "2026-01-01", "date_fin": "2025-01-01", "statut": "terminee"},
        secret,
    )
    assert invalide.status_code == 422 and invalide.json()["code"] == "validation"
    erreurs = {e["champ"]: e["message"] for e in invalide.json()["erreurs"]}
    assert erreurs["date_fin"] == "La fin précède le début." and "titre" in erreurs and "statut" in erreurs
    assert FicheAction.objects.count() == avant


def test_modifier_une_fiche_avec_sa_version(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    url = f"{_base(reference)}/{reference.fiche.pk}"
    lue = client.get(url, **entete(secret)).json()
    reponse = _envoyer(client, "patch", url, {"titre": "Titre revu", "priorite": 1, "version": lue["version"]}, secret)
    assert reponse.status_code == 200, reponse.content
    assert reponse.json()["version"] == lue["version"] + 1
    relue = client.get(url, **entete(secret)).json()
    assert (relue["titre"], relue["priorite"], relue["date_debut"]) == ("Titre revu", 1, lue["date_debut"])

    perimee = _envoyer(client, "patch", url, {"titre": "Trop tard", "version": lue["version"]}, secret)
    assert perimee.status_code == 409 and perimee.json()["code"] == "version_perimee"
    assert "« titre » modifié" in perimee.json()["message"]
    invalide = _envoyer(client, "patch", url, {"date_fin": "2020-01-01"}, secret)
    assert invalide.status_code == 422 and invalide.json()["erreurs"][0]["champ"] == "date_fin"
    assert FicheAction.objects.get(pk=reference.fiche.pk).titre == "Titre revu"


def test_modifier_refuse_au_role_qui_ne_pilote_pas(client, reference, jeton_de):
    url = f"{_base(reference)}/{reference.fiche.pk}"
    for identifiant in ("lecture", "referent.commune"):
        reponse = _envoyer(client, "patch", url, {"titre": "Non"}, jeton_de(identifiant, ecriture=True))
        assert reponse.status_code == 403 and reponse.json()["code"] == "interdit"
    assert FicheAction.objects.get(pk=reference.fiche.pk).titre == "Fiche de l'API"


@pytest.mark.date("2027-03-01")  # the reference convention ended on 31/12/2026
def test_convention_terminee_409_avec_la_raison_de_la_page(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    cree = _envoyer(client, "post", _base(reference), {"titre": "Trop tard"}, secret)
    modifiee = _envoyer(client, "patch", f"{_base(reference)}/{reference.fiche.pk}", {"titre": "Trop tard"}, secret)
    for reponse in (cree, modifiee):
        assert reponse.status_code == 409 and "La convention a pris fin le 31/12/2026" in reponse.json()["message"]
    assert not FicheAction.objects.filter(titre="Trop tard").exists()
