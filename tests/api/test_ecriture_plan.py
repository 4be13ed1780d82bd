"""Writing through the API the values of a fiche's indicator: the rules of the fiche's page (``ctg.plan.valeurs``,
its form), a read-write token, nothing written on a refusal."""

import pytest

from ctg.api.jetons import creer_jeton
from ctg.plan.models import ValeurSaisie

from .conftest import entete


def _url(reference, jour=""):
    indicateur = reference.fiche.indicateurs.get()
    base = f"/api/v1/conventions/{reference.pk}/fiches/{reference.fiche.pk}/indicateurs/{indicateur.pk}/valeurs"
    return f"{base}/{jour}" if jour else base


def _poster(client, url, corps, secret):
    return client.post(url, corps, content_type="application/json", **entete(secret))


def test_saisir_remplacer_puis_supprimer_une_valeur(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    reponse = _poster(client, _url(reference), {"date": "2025-06-30", "valeur": 4}, secret)
    assert reponse.status_code == 200, reponse.content
    reponse = _poster(client, _url(reference), {"date": "2025-06-30", "valeur": 6, "commentaire": "recompté"}, secret)
    assert reponse.json()["valeurs"] == [{"date": "2025-06-30", "valeur": 6.0, "commentaire": "recompté"}]
    assert ValeurSaisie.objects.get().valeur == 6

    reponse = client.delete(_url(reference, "2025-06-30"), **entete(secret))
    assert reponse.status_code == 200 and reponse.json()["valeurs"] == []
    assert not ValeurSaisie.objects.exists()
    absente = client.delete(_url(reference, "2025-06-30"), **entete(secret))
    assert (
        absente.status_code == 404 and absente.json()["message"] == "Aucune valeur du 30/06/2025 pour cet indicateur."
    )


def test_refus_rien_n_est_ecrit(client, reference, jeton_de, etranger):
    corps = {"date": "2025-06-30", "valeur": 4}
    lecture_seule = _poster(client, _url(reference), corps, jeton_de("chef.projet"))
    assert lecture_seule.status_code == 403 and "lecture seule" in lecture_seule.json()["message"]
    role = _poster(client, _url(reference), corps, jeton_de("lecture", ecriture=True))  # the role may not
    assert role.status_code == 403 and role.json()["code"] == "interdit"
    dehors = _poster(client, _url(reference), corps, creer_jeton(etranger, "Étranger", ecriture=True)[1])
    assert dehors.status_code == 404 and dehors.json()["code"] == "introuvable"
    assert not ValeurSaisie.objects.exists()

    saisie = ValeurSaisie.objects.create(indicateur=reference.fiche.indicateurs.get(), date="2025-06-30", valeur=1)
    assert client.delete(_url(reference, "2025-06-30"), **entete(jeton_de("chef.projet"))).status_code == 403
    assert client.delete(_url(reference, "2025-06-30"), **entete(jeton_de("lecture", True))).status_code == 403
    assert ValeurSaisie.objects.filter(pk=saisie.pk).exists()


def test_donnees_invalides_422_en_francais(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    reponse = _poster(client, _url(reference), {"date": "30/06/2025", "valeur": "beaucoup"}, secret)
    assert reponse.status_code == 422 and reponse.json()["code"] == "validation"
    assert reponse.json()["erreurs"] == [
        {"champ": "date", "message": "date attendue, au format AAAA-MM-JJ"},
        {"champ": "valeur", "message": "nombre attendu"},
    ]
    # the page's form: its length of a comment, its plausible dates
    reponse = _poster(client, _url(reference), {"date": "1850-01-01", "valeur": 1, "commentaire": "x" * 201}, secret)
    assert reponse.status_code == 422
    erreurs = {e["champ"]: e["message"] for e in reponse.json()["erreurs"]}
    assert erreurs["commentaire"] == "« Commentaire » : trop long : 201 caractères, 200 au plus.", erreurs
    assert erreurs["date"] == "« Date de la mesure » : 01/01/1850 n'est pas une date plausible (entre 2000 et 2100)."
    illisible = _poster(client, _url(reference), "{pas du JSON", secret)
    assert illisible.status_code == 400 and illisible.json()["code"] == "requete_invalide"
    assert illisible.json()["message"].startswith("Corps de la requête illisible")
    assert not ValeurSaisie.objects.exists()


@pytest.mark.date("2027-03-01")  # the reference convention ended on 31/12/2026
def test_convention_terminee_refusee_avec_le_message_de_la_page(client, reference, jeton_de):
    reponse = _poster(client, _url(reference), {"date": "2026-12-31", "valeur": 4}, jeton_de("chef.projet", True))
    assert reponse.status_code == 409 and reponse.json()["code"] == "changement_impossible"
    assert "La convention a pris fin le 31/12/2026" in reponse.json()["message"]
    assert not ValeurSaisie.objects.exists()


def test_la_fiche_donne_la_definition_les_cibles_annuelles_et_le_budget(client, reference, jeton_de):
    url = f"/api/v1/conventions/{reference.pk}/fiches/{reference.fiche.pk}"
    fiche = client.get(url, **entete(jeton_de("lecture"))).json()
    (indicateur,) = fiche["indicateurs"]
    assert indicateur["definition_id"] == reference.fiche.indicateurs.get().definition_id
    assert (indicateur["libelle"], indicateur["unite"], indicateur["cible"]) == ("Places créées", "places", 10.0)
    assert indicateur["cibles"] == [{"annee": 2025, "valeur": 4.0}, {"annee": 2026, "valeur": 10.0}]
    assert fiche["financements"] == [
        {
            "id": reference.fiche.financements.get().pk,  # to change this line through the fiche's PATCH
            "financeur": "Caf du Nord",
            "annee": 2024,
            "nature": "aide",
            "montant": "1500.50",
            "montant_realise": "1400.00",
        }
    ]
