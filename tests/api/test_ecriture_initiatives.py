"""The initiatives of the territory through the API: reported, changed with their follow-up, turned into a fiche
action, by the rules of the comité's pages (``ctg.gouvernance.decisions``, ``InitiativeForm``,
``TransformationForm``, the pages' rights), read back through the GET, nothing written on a refusal."""

from datetime import date

from ctg.gouvernance.models import Initiative

from .conftest import entete

NOUVELLE = {"titre": "Ludothèque itinérante", "commune": "59122", "description": "Un camion de jeux", "domaine": ""}


def _ecrire(client, methode, url, corps, secret):
    return getattr(client, methode)(url, corps, content_type="application/json", **entete(secret))


def _url(reference, suite=""):
    return f"/api/v1/conventions/{reference.pk}/initiatives{suite}"


def _etat():
    return list(Initiative.objects.values_list("pk", "titre", "commune_id", "suivi", "notes_suivi", "fiche_reference"))


def test_signaler_une_initiative_puis_la_lire(client, reference, jeton_de):
    cree = _ecrire(
        client, "post", _url(reference), NOUVELLE | {"reperee_le": "2024-05-02"}, jeton_de("referent.commune", True)
    )
    assert cree.status_code == 201, cree.content
    lecture = jeton_de("lecture")
    liste = client.get(_url(reference, "?suivi=reperee&commune=59122"), **entete(lecture)).json()
    assert [(i["titre"], i["commune"]["code"], i["reperee_le"], i["suivi"]) for i in liste["items"]] == [
        ("Ludothèque itinérante", "59122", "2024-05-02", "reperee")
    ]
    assert client.get(_url(reference, "?suivi=suivie"), **entete(lecture)).json()["items"] == []
    une = client.get(_url(reference, f"/{cree.json()['id']}"), **entete(lecture)).json()
    assert (une["description"], une["suivi_libelle"]) == ("Un camion de jeux", "Repérée")
    assert Initiative.objects.get().signalee_par.username == "referent.commune"


def test_signaler_refuse_en_lecture_seule_ou_invalide(client, reference, jeton_de):
    refus = _ecrire(client, "post", _url(reference), NOUVELLE, jeton_de("lecture", ecriture=True))
    assert (refus.status_code, refus.json()["code"]) == (403, "interdit")
    secret = jeton_de("chef.projet", ecriture=True)
    invalide = _ecrire(client, "post", _url(reference), NOUVELLE | {"titre": "", "commune": "75056"}, secret)
    assert invalide.status_code == 422
    assert {e["champ"] for e in invalide.json()["erreurs"]} == {"titre", "commune"}
    assert _etat() == []


def _initiative(reference):
    return Initiative.objects.create(
        convention=reference, titre="Repair café", description="Ateliers", reperee_le=date(2024, 3, 1)
    )


def test_suivre_une_initiative(client, reference, jeton_de):
    objet = _initiative(reference)
    url = _url(reference, f"/{objet.pk}")
    refus = _ecrire(client, "patch", url, {"suivi": "suivie"}, jeton_de("referent.commune", ecriture=True))
    assert refus.status_code == 403
    secret = jeton_de("demo", ecriture=True)
    invalide = _ecrire(client, "patch", url, {"suivi": "transformee"}, secret)  # only by the button
    assert invalide.status_code == 422 and invalide.json()["erreurs"][0]["champ"] == "suivi"
    avant = _etat()
    assert _ecrire(client, "patch", url, {"titre": ""}, secret).status_code == 422
    assert _etat() == avant
    modif = _ecrire(client, "patch", url, {"suivi": "a_discuter", "notes_suivi": "Au prochain comité"}, secret)
    assert modif.status_code == 200, modif.content
    lue = client.get(url, **entete(jeton_de("lecture"))).json()
    assert (lue["suivi"], lue["notes_suivi"], lue["titre"], lue["commune"]) == (
        "a_discuter",
        "Au prochain comité",
        "Repair café",
        None,
    )


def test_transformer_une_initiative_en_fiche_action(client, reference, jeton_de):
    objet = _initiative(reference)
    url = _url(reference, f"/{objet.pk}/transformer")
    assert _ecrire(client, "post", url, {}, jeton_de("referent.commune", ecriture=True)).status_code == 403
    secret = jeton_de("chef.projet", ecriture=True)
    invalide = _ecrire(client, "post", url, {"fiche_id": 0}, secret)
    assert invalide.status_code == 422 and invalide.json()["erreurs"][0]["champ"] == "fiche_id"
    assert Initiative.objects.get(pk=objet.pk).suivi == "reperee"
    faite = _ecrire(client, "post", url, {"reference": "Fiche action 3.2"}, secret)
    assert faite.status_code == 200, faite.content
    lue = client.get(_url(reference, f"/{objet.pk}"), **entete(jeton_de("lecture"))).json()
    assert (lue["suivi"], lue["fiche_reference"]) == ("transformee", "Fiche action 3.2")
    assert lue["transformee_le"] is not None
    encore = _ecrire(client, "post", url, {}, secret)
    assert (encore.status_code, encore.json()["message"]) == (
        409,
        "Cette initiative est déjà transformée en fiche action.",
    )
