"""Writing a fiche's indicators and the plan's lifecycle through the API: the page's forms (``IndicateurForm`` and
its yearly targets, ``AdoptionForm``, ``RevisionForm``), its rules (``plan.edition``, ``plan.cycle``) and rights
(``plan.perms``), a stale version (409), a refused state (409) and bad input (422, nothing written)."""

from datetime import date

from ctg.audit import utilisateur_systeme
from ctg.plan import cycle
from ctg.plan.models import IndicateurAction, TypeRevue

from .conftest import entete


def _url(reference, suite=""):
    return f"/api/v1/conventions/{reference.pk}/fiches/{reference.fiche.pk}/indicateurs{suite}"


def _envoyer(client, methode, url, corps, secret):
    return getattr(client, methode)(url, corps, content_type="application/json", **entete(secret))


NOUVEL = {
    "libelle": "Familles accompagnées",
    "unite": "familles",
    "valeur_initiale": 5,
    "cible": 20,
    "date_cible": "2026-12-31",
    "cibles": [{"annee": 2024, "valeur": 10}, {"annee": 2025, "valeur": 15}],
}


def test_la_cheffe_de_projet_ajoute_un_indicateur_le_modifie_puis_le_supprime(client, reference, jeton_de):
    secret = jeton_de("chef.projet", ecriture=True)
    reponse = _envoyer(client, "post", _url(reference), NOUVEL, secret)
    assert reponse.status_code == 200, reponse.content
    cree = reponse.json()
    lu = client.get(_url(reference, f"/{cree['id']}"), **entete(secret)).json()
    assert (lu["libelle"], lu["unite"], lu["valeur_initiale"], lu["cible"]) == (
        "Familles accompagnées",
        "familles",
        5,
        20,
    )
    # the target of the final year is the final target (``cibles.aligner_cible_finale``)
    assert [(c["annee"], c["valeur"]) for c in lu["cibles"]] == [(2024, 10), (2025, 15), (2026, 20)]

    # a field left out keeps its value; the yearly targets sent replace them
    corps = {"cible": 25, "cibles": [{"annee": 2025, "valeur": 16}], "version": lu["version"]}
    reponse = _envoyer(client, "patch", _url(reference, f"/{cree['id']}"), corps, secret)
    assert reponse.status_code == 200, reponse.content
    lu = client.get(_url(reference, f"/{cree['id']}"), **entete(secret)).json()
    assert (lu["libelle"], lu["valeur_initiale"], lu["cible"]) == ("Familles accompagnées", 5, 25)
    assert [(c["annee"], c["valeur"]) for c in lu["cibles"]] == [(2025, 16), (2026, 25)]
    assert lu["version"] == cree["version"] + 1
    # a stale version: refused, nothing written
    reponse = _envoyer(client, "patch", _url(reference, f"/{cree['id']}"), {"cible": 1, "version": 1}, secret)
    assert (reponse.status_code, reponse.json()["code"]) == (409, "version_perimee")
    assert IndicateurAction.objects.get(pk=cree["id"]).cible == 25

    reponse = client.delete(_url(reference, f"/{cree['id']}"), **entete(secret))
    assert reponse.status_code == 200, reponse.content
    assert [i["libelle"] for i in reponse.json()["indicateurs"]] == ["Places créées"]
    assert client.get(_url(reference, f"/{cree['id']}"), **entete(secret)).status_code == 404


def test_le_referent_qui_pilote_la_fiche_en_modifie_les_indicateurs(client, reference, jeton_de):
    from django.contrib.auth import get_user_model

    indicateur = reference.fiche.indicateurs.get()
    secret = jeton_de("referent.commune", ecriture=True)
    url = _url(reference, f"/{indicateur.pk}")
    assert _envoyer(client, "patch", url, {"cible": 12}, secret).status_code == 403
    reference.fiche.pilote = get_user_model().objects.get(username="referent.commune")
    reference.fiche.save()
    reponse = _envoyer(client, "patch", url, {"cible": 12}, secret)
    assert (reponse.status_code, reponse.json()["cible"]) == (200, 12), reponse.content


def test_indicateur_refuse_par_le_role_la_saisie_ou_l_etat(client, reference, jeton_de):
    assert _envoyer(client, "post", _url(reference), NOUVEL, jeton_de("lecture", True)).status_code == 403
    assert _envoyer(client, "post", _url(reference), NOUVEL, jeton_de("chef.projet")).status_code == 403  # read-only
    secret = jeton_de("demo", ecriture=True)
    reponse = _envoyer(client, "post", _url(reference), {"unite": "places"}, secret)
    assert reponse.status_code == 422
    erreurs = {e["champ"]: e["message"] for e in reponse.json()["erreurs"]}
    assert erreurs["libelle"] == "Nommez l'indicateur, ou choisissez un indicateur déjà défini."
    assert {"cible", "date_cible", "valeur_initiale"} <= set(erreurs)
    corps = {
        **NOUVEL,
        "cibles": [{"annee": 2025, "valeur": 1}, {"annee": 2025, "valeur": 2}, {"annee": 1900, "valeur": 3}],
    }
    reponse = _envoyer(client, "post", _url(reference), corps, secret)
    assert reponse.status_code == 422
    assert [e["champ"] for e in reponse.json()["erreurs"]] == ["cibles → 1 → annee", "cibles → 2 → annee"]
    corps = {
        **NOUVEL,
        "date_cible": "1990-12-31",
        "cibles": [{"annee": 2025, "valeur": 1}, {"annee": 1900, "valeur": 3}],
    }
    reponse = _envoyer(client, "post", _url(reference), corps, secret)
    assert [(e["champ"], e["message"]) for e in reponse.json()["erreurs"]] == [
        ("date_cible", "« Cible à atteindre le » : 31/12/1990 n'est pas une date plausible (entre 2000 et 2100)."),
        ("cibles → 1 → annee", "Assurez-vous que cette valeur est supérieure ou égale à 2000."),
    ]
    reponse = _envoyer(client, "post", _url(reference), {**NOUVEL, "cibles": [{"annee": 1900, "valeur": 3}]}, secret)
    assert [e["champ"] for e in reponse.json()["erreurs"]] == ["cibles → 0 → annee"]
    assert reference.fiche.indicateurs.count() == 1
    # the fiche already follows that indicator
    corps = {**NOUVEL, "libelle": "Places créées", "unite": "places"}
    reponse = _envoyer(client, "post", _url(reference), corps, secret)
    assert (reponse.status_code, reponse.json()["message"]) == (
        409,
        "Cette fiche suit déjà l'indicateur « Places créées ».",
    )

    # the plan closed by its final bilan: nothing changes
    cycle.enregistrer_revue(reference, utilisateur_systeme(), date=date(2026, 6, 30), type=TypeRevue.BILAN)
    indicateur = reference.fiche.indicateurs.get()
    for methode, url, corps in (
        ("post", _url(reference), NOUVEL),
        ("patch", _url(reference, f"/{indicateur.pk}"), {"cible": 3}),
        ("delete", _url(reference, f"/{indicateur.pk}"), {}),
    ):
        reponse = _envoyer(client, methode, url, corps, secret)
        assert (reponse.status_code, reponse.json()["code"]) == (409, "changement_impossible"), methode
        assert "bilan final" in reponse.json()["message"]
    assert IndicateurAction.objects.get(pk=indicateur.pk).cible == 10


# --- The plan's lifecycle ----------------------------------------------------------------------------------------


def _plan(client, reference, suite, corps, secret, methode="post"):
    return _envoyer(client, methode, f"/api/v1/conventions/{reference.pk}/plan{suite}", corps, secret)


def test_adoption_revision_et_retrait_du_plan(client, reference, jeton_de):
    secret = jeton_de("demo", ecriture=True)
    lu = client.get(f"/api/v1/conventions/{reference.pk}/plan", **entete(secret)).json()
    assert (lu["statut"], lu["adopte_le"], lu["objectifs_modifiables"]) == ("en_preparation", None, True)

    reponse = _plan(client, reference, "/adoption", {"date": "2023-06-30"}, secret)
    assert reponse.status_code == 200, reponse.content
    assert (reponse.json()["statut"], reponse.json()["adopte_le"]) == ("adopte", "2023-06-30")
    reference.refresh_from_db()
    assert reference.objectifs_identifies_le == date(2023, 6, 30)

    assert _plan(client, reference, "/revision", {"motif": ""}, secret).status_code == 422
    reponse = _plan(client, reference, "/revision", {"motif": "Revue du 26/06/2025"}, secret)
    assert (reponse.status_code, reponse.json()["statut"]) == (200, "en_revision"), reponse.content
    # a plan under revision: its adoption is not withdrawn (the page's reason)
    reponse = _plan(client, reference, "/adoption", {}, secret, "delete")
    assert reponse.status_code == 409
    assert reponse.json()["message"].startswith("Ce changement (« retirer adoption »)")
    reponse = _plan(client, reference, "/adoption", {"date": "2026-11-30"}, secret)
    assert (reponse.status_code, reponse.json()["revise_le"]) == (200, "2026-11-30"), reponse.content
    lu = client.get(f"/api/v1/conventions/{reference.pk}/plan", **entete(secret)).json()
    assert (lu["statut"], lu["adopte_le"], lu["objectifs_modifiables"]) == ("adopte", "2023-06-30", False)


def test_adoption_refusee_par_le_role_la_date_ou_l_etat(client, reference, jeton_de):
    assert (
        _plan(client, reference, "/adoption", {"date": "2023-06-30"}, jeton_de("referent.commune", True)).status_code
        == 403
    )
    secret = jeton_de("chef.projet", ecriture=True)
    reponse = _plan(client, reference, "/adoption", {"date": "2027-01-01"}, secret)
    assert reponse.status_code == 409
    assert "est dans le futur" in reponse.json()["message"]
    reponse = _plan(client, reference, "/adoption", {"date": "2020-01-01"}, secret)
    assert reponse.status_code == 409
    assert "précède la signature de la convention" in reponse.json()["message"]
    reponse = _plan(client, reference, "/adoption", {}, secret)
    assert (reponse.status_code, reponse.json()["erreurs"][0]["champ"]) == (422, "date")
    reponse = _plan(client, reference, "/adoption", {}, secret, "delete")  # never adopted
    assert reponse.status_code == 409
    assert cycle.plan_lu(reference).statut == "en_preparation"
    assert _plan(client, reference, "/adoption", {"date": "2023-06-30"}, secret).status_code == 200
    reponse = _plan(client, reference, "/adoption", {}, secret, "delete")
    assert (reponse.status_code, reponse.json()["statut"], reponse.json()["adopte_le"]) == (200, "en_preparation", None)
