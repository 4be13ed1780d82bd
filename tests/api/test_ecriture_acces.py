"""Every write operation of the schema (POST, PUT, PATCH, DELETE), walked: a read-only token is refused (403), a
read-write token of an account whose only role is on another convention finds nothing of the reference (404)."""

import re

from ctg.api.jetons import creer_jeton

from .conftest import entete

# One body that every write operation accepts (each reads its own fields, ignores the others).
CORPS = {
    "transition": "demarrer",
    "date": "2025-06-30",
    "valeur": 1,
    "statut": "adheree",
    "date_deliberation": None,
    "presences": [],
    "structure": 1,
    "annee": 2025,
    "montant_commune": 1,
    "decision": "ecarter",
    "texte": "Décision de l'essai",
    "action": "annuler",
    "compte_rendu": "Compte rendu de l'essai",
    "titre": "Fiche de l'essai",
    "intitule": "Objectif de l'essai",
    "epci": "200068500",
    "date_debut": "2027-01-01",
    "objet": "Essai",
    "date_signature": "2025-06-30",
    "mode": "denonciation",
    "date_envoi": "2025-06-30",
    "motif": "Essai",
    "commune": "59122",
    "date_fin": "2021-12-31",
    "annee_reference": 2021,
    "prenom": "Alix",
    "nom": "Essai",
    "organisation": "Caf du Nord",
    "cote": "caf",
    "thematique": "Essai",
    "reponse": "vient",
    "description": "Essai",
    "adhesions": [],
    "email": "essai@example.org",
    "role": "lecture",
    "type": "eaje",
}


def test_chaque_ecriture_refusee_en_lecture_seule_et_introuvable_hors_de_ses_conventions(
    client, reference, jeton_de, etranger
):
    identifiants = {
        "pk": reference.pk,
        "fiche": reference.fiche.pk,
        "indicateur_action": reference.fiche.indicateurs.get().pk,
        "reunion": reference.reunion.pk,
        "commune": "59122",
        "jour": "2025-06-30",
        "objectif": reference.objectifs.first().pk,
        "numero": 1,
        "section": "synthese",
        "cej": 1,
        "membre": 1,
        "initiative": 1,
        "invitation": 1,
        "habilitation": 1,
        "structure": 1,
        "besoin": 1,
    }
    lecture_seule = jeton_de("chef.projet")
    dehors = creer_jeton(etranger, "Étranger", ecriture=True)[1]
    schema = client.get("/api/v1/openapi.json").json()
    vues = []
    for chemin, operations in schema["paths"].items():
        for methode in set(operations) & {"post", "put", "patch", "delete"}:
            url = re.sub(r"\{(\w+)\}", lambda m: str(identifiants[m[1]]), chemin)
            envoyer = getattr(client, methode)
            hors = (404, "introuvable") if "{pk}" in chemin else (403, "interdit")  # creating: not a Caf's agent
            for secret, attendu, code in ((lecture_seule, 403, "interdit"), (dehors, *hors)):
                reponse = envoyer(url, CORPS, content_type="application/json", **entete(secret))
                assert (reponse.status_code, reponse.json()["code"]) == (attendu, code), (methode, url, reponse.json())
            vues.append(f"{methode} {chemin}")
    assert len(vues) >= 5, vues
