"""A fiche's lines written through the API as its page writes them: partners and operators, milestones, budget
lines (planned and actual), the diagnostic's needs and the pilot's account — the page's formsets and
``ctg.plan.edition``, the fiche's rights and version, one 422 naming each bad line, nothing written on a refusal."""

import pytest
from django.contrib.auth import get_user_model

from ctg.diagnostic.partage import diagnostic_de
from ctg.plan.models import FicheAction

from .conftest import entete


def _url(reference):
    return f"/api/v1/conventions/{reference.pk}/fiches/{reference.fiche.pk}"


def _envoyer(client, methode, url, corps, secret):
    return getattr(client, methode)(url, corps, content_type="application/json", **entete(secret))


def _etat(fiche: FicheAction) -> tuple:
    fiche.refresh_from_db()
    return (
        fiche.version,
        fiche.titre,
        list(fiche.acteurs.values_list("organisation__nom", "precision")),
        list(fiche.jalons.values_list("libelle", "date_prevue")),
        list(fiche.financements.values_list("financeur", "montant", "montant_realise")),
        fiche.pilote_id,
    )


def test_l_editeur_remplace_les_lignes_puis_les_relit(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    besoin = diagnostic_de(reference).besoins.create(domaine="petite_enfance", intitule="Places d'accueil")
    referent = get_user_model().objects.get(username="referent.commune")
    lue = client.get(_url(reference), **entete(secret)).json()
    financement = lue["financements"][0]
    corps = {
        "version": lue["version"],
        "besoins": [besoin.pk],
        "pilote": referent.pk,
        "acteurs": [
            {"role": "operateur", "nom": "Centre social du Cambrésis", "precision": "directrice"},
            {"organisation_id": reference.caf_id, "precision": "PMI"},
        ],
        "jalons": [
            {"libelle": "Recrutement", "date_prevue": "2025-03-01"},
            {"libelle": "Ouverture", "date_prevue": "2025-09-01", "date_realisee": "2025-09-02"},
        ],
        "financements": [
            {**financement, "montant_realise": "1500.50"},
            {"financeur": "CA de Cambrai", "annee": 2025, "nature": "fonds_propres", "montant": 800},
        ],
    }
    reponse = _envoyer(client, "patch", _url(reference), corps, secret)
    assert reponse.status_code == 200, reponse.content
    relue = client.get(_url(reference), **entete(secret)).json()
    assert relue["version"] == lue["version"] + 1 and relue["titre"] == lue["titre"]
    assert relue["besoins"] == [besoin.pk] and relue["pilote"] == referent.pk
    assert [(a["role"], a["organisation"], a["precision"]) for a in relue["acteurs"]] == [
        ("operateur", "Centre social du Cambrésis", "directrice"),
        ("partenaire", reference.caf.nom, "PMI"),
    ]
    assert [(j["libelle"], j["date_realisee"]) for j in relue["jalons"]] == [
        ("Recrutement", None),
        ("Ouverture", "2025-09-02"),
    ]
    assert [(f["id"], f["montant"], f["montant_realise"]) for f in relue["financements"]] == [
        (financement["id"], "1500.50", "1500.50"),
        (relue["financements"][1]["id"], "800.00", None),
    ]

    # Replace again: the first milestone kept (same line) and done, the second dropped; no more partners.
    premier = relue["jalons"][0]
    corps = {"jalons": [{**premier, "date_realisee": "2025-03-15"}], "acteurs": []}
    reponse = _envoyer(client, "patch", _url(reference), corps, secret)
    assert reponse.status_code == 200, reponse.content
    relue = client.get(_url(reference), **entete(secret)).json()
    assert relue["jalons"] == [{**premier, "date_realisee": "2025-03-15"}] and relue["acteurs"] == []
    assert len(relue["financements"]) == 2  # a list left out keeps its lines


def test_une_ligne_refusee_nommee_par_sa_place_et_rien_n_est_ecrit(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    avant = _etat(reference.fiche)
    financement = reference.fiche.financements.get()
    corps = {
        "titre": "Pas enregistré",
        "jalons": [
            {"libelle": "Bon jalon", "date_prevue": "2025-03-01"},
            {"libelle": "", "date_prevue": "2025-04-01"},
        ],
        "financements": [{"id": financement.pk, "financeur": "Caf du Nord", "annee": 2024, "montant": -5}],
        "acteurs": [{"role": "partenaire"}],
    }
    reponse = _envoyer(client, "patch", _url(reference), corps, secret)
    assert reponse.status_code == 422 and reponse.json()["code"] == "validation"
    erreurs = {e["champ"]: e["message"] for e in reponse.json()["erreurs"]}
    assert erreurs["financements → 0 → montant"] == "Un montant est positif ou nul."
    assert erreurs["acteurs → 0 → organisation_id"] == "Choisissez une organisation ou nommez-en une."
    assert "jalons → 1 → libelle" in erreurs and "jalons → 0 → libelle" not in erreurs
    inconnue = _envoyer(
        client, "patch", _url(reference), {"jalons": [{"id": financement.pk + 999, **corps["jalons"][0]}]}, secret
    )
    assert inconnue.status_code == 422
    assert inconnue.json()["erreurs"] == [{"champ": "jalons → 0 → id", "message": "Ligne inconnue dans cette fiche."}]
    assert _etat(reference.fiche) == avant


def test_role_refuse_et_referent_pilote(client, reference, jeton_de):
    corps = {"jalons": [{"libelle": "Ouverture", "date_prevue": "2025-09-01"}]}
    avant = _etat(reference.fiche)
    for identifiant in ("lecture", "referent.commune", "membre.copil"):
        reponse = _envoyer(client, "patch", _url(reference), corps, jeton_de(identifiant, ecriture=True))
        assert reponse.status_code == 403 and reponse.json()["code"] == "interdit", identifiant
    assert _etat(reference.fiche) == avant

    referent = get_user_model().objects.get(username="referent.commune")
    FicheAction.objects.filter(pk=reference.fiche.pk).update(pilote=referent)
    secret = jeton_de("referent.commune", ecriture=True)
    cede = _envoyer(client, "patch", _url(reference), {**corps, "pilote": None}, secret)
    assert cede.status_code == 403 and "désignent le compte du pilote" in cede.json()["message"]
    assert not reference.fiche.jalons.exists()
    reponse = _envoyer(client, "patch", _url(reference), {**corps, "pilote": referent.pk}, secret)
    assert reponse.status_code == 200, reponse.content
    assert [j["libelle"] for j in reponse.json()["jalons"]] == ["Ouverture"]


def test_lignes_sous_la_version_de_la_fiche(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    lue = client.get(_url(reference), **entete(secret)).json()
    assert _envoyer(client, "patch", _url(reference), {"titre": "Titre revu"}, secret).status_code == 200
    avant = _etat(reference.fiche)
    corps = {"version": lue["version"], "jalons": [{"libelle": "Trop tard", "date_prevue": "2025-09-01"}]}
    perimee = _envoyer(client, "patch", _url(reference), corps, secret)
    assert perimee.status_code == 409 and perimee.json()["code"] == "version_perimee"
    assert _etat(reference.fiche) == avant


def test_creer_une_fiche_avec_ses_lignes(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    base = f"/api/v1/conventions/{reference.pk}/fiches"
    corps = {
        "titre": "Relais petite enfance",
        "jalons": [{"libelle": "Ouverture", "date_prevue": "2025-09-01"}],
        "financements": [{"financeur": "Caf du Nord", "annee": 2025, "montant": "1200"}],
        "acteurs": [{"nom": "caf du nord"}],  # found whatever its case
    }
    reponse = _envoyer(client, "post", base, corps, secret)
    assert reponse.status_code == 200, reponse.content
    cree = client.get(f"{base}/{reponse.json()['id']}", **entete(secret)).json()
    assert [j["libelle"] for j in cree["jalons"]] == ["Ouverture"]
    assert [(f["financeur"], f["montant"]) for f in cree["financements"]] == [("Caf du Nord", "1200.00")]
    assert [a["organisation_id"] for a in cree["acteurs"]] == [reference.caf_id]
    avec_id = _envoyer(
        client, "post", base, {**corps, "titre": "Autre", "jalons": [{"id": 1, **corps["jalons"][0]}]}, secret
    )
    assert avec_id.status_code == 422 and avec_id.json()["erreurs"][0]["champ"] == "jalons → 0 → id"
    assert not FicheAction.objects.filter(titre="Autre").exists()


@pytest.mark.date("2027-03-01")  # the reference convention ended on 31/12/2026: the plan is read-only
def test_plan_en_lecture_seule_409(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    avant = _etat(reference.fiche)
    corps = {"jalons": [{"libelle": "Trop tard", "date_prevue": "2025-09-01"}], "financements": []}
    reponse = _envoyer(client, "patch", _url(reference), corps, secret)
    assert reponse.status_code == 409 and "La convention a pris fin le 31/12/2026" in reponse.json()["message"]
    assert _etat(reference.fiche) == avant
