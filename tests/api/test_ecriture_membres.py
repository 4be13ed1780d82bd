"""The comité's composition through the API (members, sub-committees) and a member's own part on a meeting (their
answer to the invitation, their comment on the draft minutes): the rules of the comité's pages
(``ctg.gouvernance.regles``, ``ctg.gouvernance.participation``, the pages' forms and rights), read back through the
GET, nothing written on a refusal."""

from datetime import date

from django.contrib.auth import get_user_model

from ctg.gouvernance.models import Cote, Membre, Reunion
from ctg.gouvernance.regles import comite_de

from .conftest import entete

NOUVEAU = {"prenom": "Dominique", "nom": "Pilote", "organisation": "CA de Cambrai", "cote": "collectivite"}


def _ecrire(client, methode, url, corps, secret):
    return getattr(client, methode)(url, corps, content_type="application/json", **entete(secret))


def _composition(client, reference, secret):
    reponse = client.get(f"/api/v1/conventions/{reference.pk}/comite", **entete(secret))
    assert reponse.status_code == 200, reponse.content
    return reponse.json()


def _etat():
    return list(Membre.objects.values_list("pk", "comite_id", "nom", "cote", "role", "debut", "fin", "compte_id"))


def test_ajouter_puis_modifier_un_membre_du_comite(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    url = f"/api/v1/conventions/{reference.pk}/comite/membres"
    avant = _composition(client, reference, jeton_de("lecture"))
    assert [m["nom_complet"] for m in avant["membres"]] == ["Alix Api"] and not avant["parite"]["respectee"]
    corps = NOUVEAU | {"role": "pilote", "debut": "2024-01-01", "email": "pilote@example.org"}
    cree = _ecrire(client, "post", url, corps, secret)
    assert cree.status_code == 201, cree.content
    membre = cree.json()
    assert membre["parite"].startswith("Parité respectée au ") and "1 Caf / 1 collectivité" in membre["parite"]

    lue = _composition(client, reference, jeton_de("lecture"))
    (pilote,) = [m for m in lue["membres"] if m["id"] == membre["id"]]
    assert (pilote["cote"], pilote["role"], pilote["vote"], pilote["debut"]) == (
        "collectivite",
        "pilote",
        True,
        "2024-01-01",
    )
    assert pilote["email"] is None  # the read-only role does not read the members' addresses
    assert (lue["parite"]["caf"], lue["parite"]["collectivite"], lue["parite"]["respectee"]) == (1, 1, True)

    # a change: the absent fields keep their value; the end of the mandate, an account of the convention
    copil = get_user_model().objects.get(username="membre.copil")
    modif = _ecrire(client, "patch", f"{url}/{membre['id']}", {"fin": "2024-12-31", "compte": copil.pk}, secret)
    assert modif.status_code == 200, modif.content
    (pilote,) = [m for m in _composition(client, reference, secret)["membres"] if m["id"] == membre["id"]]
    assert (pilote["fin"], pilote["compte"], pilote["role"], pilote["email"]) == (
        "2024-12-31",
        copil.pk,
        "pilote",
        "pilote@example.org",
    )
    assert not pilote["en_fonction"]


def test_membre_refuse_sans_le_droit_ou_invalide(client, reference, jeton_de):
    url = f"/api/v1/conventions/{reference.pk}/comite/membres"
    alix = Membre.objects.get(nom="Api")
    avant = _etat()
    for identifiant in ("lecture", "membre.copil", "referent.commune"):
        reponse = _ecrire(client, "post", url, NOUVEAU, jeton_de(identifiant, ecriture=True))
        assert (reponse.status_code, reponse.json()["code"]) == (403, "interdit"), identifiant
    secret = jeton_de("demo", ecriture=True)
    refus = _ecrire(client, "post", url, NOUVEAU | {"role": "animateur"}, secret)  # the animator is the Caf's
    assert refus.status_code == 422
    assert refus.json()["erreurs"] == [
        {"champ": "role", "message": "Le comité est animé par la Caf (article 6) : l'animateur·rice représente la Caf."}
    ]
    refus = _ecrire(client, "patch", f"{url}/{alix.pk}", {"fin": "2019-01-01"}, secret)
    assert refus.status_code == 422
    assert refus.json()["erreurs"] == [{"champ": "fin", "message": "La fin du mandat précède son début."}]
    inconnu = get_user_model().objects.create_user("hors.convention")  # not an account of the convention
    refus = _ecrire(client, "patch", f"{url}/{alix.pk}", {"compte": inconnu.pk}, secret)
    assert refus.status_code == 422 and refus.json()["erreurs"][0]["champ"] == "compte"
    assert _ecrire(client, "patch", f"{url}/999999", {"nom": "X"}, secret).status_code == 404
    assert _etat() == avant


def test_creer_un_sous_comite_et_y_nommer_un_membre(client, reference, jeton_de):
    secret = jeton_de("demo", ecriture=True)
    url = f"/api/v1/conventions/{reference.pk}/comite"
    vide = _ecrire(client, "post", f"{url}/sous-comites", {"thematique": "  "}, secret)
    assert vide.status_code == 422 and vide.json()["erreurs"][0]["champ"] == "thematique"
    assert not comite_de(reference).sous_comites.exists()
    cree = _ecrire(client, "post", f"{url}/sous-comites", {"thematique": "Petite enfance"}, secret)
    assert cree.status_code == 201, cree.content
    sous_comite = cree.json()["id"]
    membre = _ecrire(client, "post", f"{url}/membres", NOUVEAU | {"comite": sous_comite}, secret)
    assert membre.status_code == 201, membre.content
    lue = _composition(client, reference, jeton_de("lecture"))
    assert [(c["nom"], c["thematique"], [m["nom"] for m in c["membres"]]) for c in lue["sous_comites"]] == [
        ("Commission thématique", "Petite enfance", ["Pilote"])
    ]
    assert [m["nom"] for m in lue["membres"]] == ["Api"]  # the comité de pilotage's own members
    refus = _ecrire(client, "post", f"{url}/sous-comites", {"thematique": "Jeunesse"}, jeton_de("lecture", True))
    assert refus.status_code == 403


def _siege(reference, identifiant="membre.copil"):
    compte = get_user_model().objects.get(username=identifiant)
    return Membre.objects.create(
        comite=comite_de(reference), prenom="Sacha", nom="Siège", organisation="Caf", cote=Cote.CAF,
        debut=reference.date_debut, compte=compte,
    )  # fmt: skip


def test_repondre_a_la_convocation(client, reference, jeton_de):
    _siege(reference)
    planifiee = Reunion.objects.create(comite=comite_de(reference), date=date(2026, 12, 15), lieu="Mairie")
    base = f"/api/v1/conventions/{reference.pk}/reunions"
    secret = jeton_de("membre.copil", ecriture=True)
    corps = {"reponse": "excuse", "remplacant": "Camille Adjointe", "commentaire": "Retenu·e ailleurs"}
    reponse = _ecrire(client, "put", f"{base}/{planifiee.pk}/reponse", corps, secret)
    assert reponse.status_code == 200, reponse.content
    lue = client.get(f"{base}/{planifiee.pk}", **entete(jeton_de("lecture"))).json()
    assert [(r["nom"], r["reponse"], r["remplacant"], r["commentaire"]) for r in lue["reponses"]] == [
        ("Sacha Siège", "excuse", "Camille Adjointe", "Retenu·e ailleurs")
    ]

    avant = list(planifiee.reponses.values_list("reponse", "remplacant"))
    invalide = _ecrire(client, "put", f"{base}/{planifiee.pk}/reponse", {"reponse": "vient", "remplacant": "X"}, secret)
    assert invalide.status_code == 422 and invalide.json()["erreurs"][0]["champ"] == "remplacant"
    sans_siege = _ecrire(client, "put", f"{base}/{planifiee.pk}/reponse", {"reponse": "vient"}, jeton_de("demo", True))
    assert sans_siege.status_code == 403 and "Vous ne siégez pas" in sans_siege.json()["message"]
    tenue = _ecrire(client, "put", f"{base}/{reference.reunion.pk}/reponse", {"reponse": "vient"}, secret)
    assert tenue.status_code == 409 and "on ne répond plus à sa convocation" in tenue.json()["message"]
    assert list(planifiee.reponses.values_list("reponse", "remplacant")) == avant
    assert not reference.reunion.reponses.exists()


def test_commenter_le_projet_de_compte_rendu(client, reference, jeton_de):
    _siege(reference)
    tenue = reference.reunion
    url = f"/api/v1/conventions/{reference.pk}/reunions/{tenue.pk}/commentaire"
    secret = jeton_de("membre.copil", ecriture=True)
    sans_projet = _ecrire(client, "put", url, {"texte": "Trop tôt"}, secret)
    assert sans_projet.status_code == 409 and "une fois la réunion tenue" in sans_projet.json()["message"]
    Reunion.objects.filter(pk=tenue.pk).update(compte_rendu="Projet de compte rendu.")
    vide = _ecrire(client, "put", url, {"texte": ""}, secret)
    assert vide.status_code == 422 and vide.json()["erreurs"][0]["champ"] == "texte"
    assert not tenue.commentaires.exists()
    ecrit = _ecrire(client, "put", url, {"texte": "Ajouter la date du prochain comité."}, secret)
    assert ecrit.status_code == 200, ecrit.content
    lue = client.get(f"/api/v1/conventions/{reference.pk}/reunions/{tenue.pk}", **entete(jeton_de("lecture"))).json()
    assert [(c["nom"], c["texte"]) for c in lue["commentaires"]] == [
        ("Sacha Siège", "Ajouter la date du prochain comité.")
    ]
    assert _ecrire(client, "put", url, {"texte": "Lu."}, jeton_de("chef.projet", True)).status_code == 403
