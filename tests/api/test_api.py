"""The JSON API: what a token reads and writes, with the pages' own rights."""

import json
import re
from datetime import date

import pytest
from django.core.files.base import ContentFile
from openapi_spec_validator import validate

from ctg.api.v1 import api
from ctg.plan.models import StatutFiche

from .conftest import CA_CAMBRAI, entete


def test_un_jeton_liste_ses_conventions_et_les_indicateurs_de_la_ca_de_cambrai(client, reference, jeton_de):
    secret = jeton_de("chef.projet")
    reponse = client.get("/api/v1/conventions", **entete(secret))
    assert reponse.status_code == 200
    corps = reponse.json()
    assert corps["count"] == 1
    convention = corps["items"][0]
    assert (convention["id"], convention["epci"]["code"]) == (reference.pk, CA_CAMBRAI)
    assert convention["statut"] == "en_vigueur" and convention["caf"]
    # filtered by territory: a commune of the EPCI finds it, a commune elsewhere does not
    assert client.get("/api/v1/conventions?territoire=59122", **entete(secret)).json()["count"] == 1
    assert client.get("/api/v1/conventions?territoire=75056", **entete(secret)).json()["count"] == 0

    reponse = client.get(
        f"/api/v1/territoires/{CA_CAMBRAI}/indicateurs?indicateur=population_municipale", **entete(secret)
    )
    assert reponse.status_code == 200
    (population,) = reponse.json()["items"]
    assert (population["indicateur"], population["niveau"], population["code"]) == (
        "population_municipale",
        "epci",
        CA_CAMBRAI,
    )
    assert population["valeur"] == reference.epci.population and population["annee"]
    assert population["sources"], "la provenance de la valeur"


def test_territoire_et_sa_forme_sur_demande(client, reference, jeton_de):
    secret = jeton_de("lecture")
    sans = client.get(f"/api/v1/territoires/{CA_CAMBRAI}", **entete(secret)).json()
    assert sans["forme"] is None and {"code": "59122", "nom": "Cambrai"} in sans["communes"]
    avec = client.get(f"/api/v1/territoires/{CA_CAMBRAI}?forme=1", **entete(secret)).json()
    assert avec["forme"]["type"] in {"Polygon", "MultiPolygon", "Feature", "FeatureCollection"}
    inconnu = client.get("/api/v1/territoires/999999999", **entete(secret))
    assert inconnu.status_code == 404 and inconnu.json()["code"] == "introuvable"


def _chemins_get(client):
    schema = client.get("/api/v1/openapi.json").json()
    return [chemin for chemin, operations in schema["paths"].items() if "get" in operations]


# The path parameters that name an object of the reference convention, or a commune (the stranger's own convention
# has no member commune): 404 also through the stranger's own convention.
OBJETS_DE_LA_REFERENCE = (
    r"\{(fiche|reunion|objectif|revue|cej|verification|commune|initiative|structure|indicateur_action|besoin)\}"
)


def test_un_role_sur_une_autre_convention_ne_donne_rien_de_la_reference(client, reference, etranger):
    """Through every GET path of the schema: the reference convention and its objects are 404 or absent, also when
    reached through the stranger's own convention."""
    from ctg.api.jetons import creer_jeton
    from ctg.audit import utilisateur_systeme
    from ctg.comptes.models import Organisation
    from ctg.diagnostic.models import Besoin
    from ctg.diagnostic.partage import diagnostic_de
    from ctg.financement.models import Cej, Structure, Verification
    from ctg.gouvernance.models import Initiative
    from ctg.plan.cycle import enregistrer_revue

    secret = creer_jeton(etranger, "Étranger")[1]
    revue = enregistrer_revue(reference, utilisateur_systeme(), date=reference.date_debut)
    cej = Cej.objects.create(
        convention=reference, commune_id="59122", intitule="Cej de l'API", date_debut=date(2018, 1, 1),
        date_fin=date(2021, 12, 31), annee_reference=2021,
    )  # fmt: skip
    verification = Verification.objects.create(
        convention=reference, commune_id="59122", annee=2023, conclusion="conforme", documents="Compte 2023",
        fichier_nom="compte.pdf", fichier_type="application/pdf", fichier=ContentFile(b"%PDF-1.4", "compte.pdf"),
        verifie_par=utilisateur_systeme(),
    )  # fmt: skip
    structure = Structure.objects.create(
        convention=reference, nom="Crèche de l'API", type="eaje", commune_id="59122",
        gestionnaire=Organisation.objects.get(pk=reference.caf_id),
    )  # fmt: skip
    propre = etranger.convention
    identifiants = {
        "fiche": reference.fiche.pk,
        "reunion": reference.reunion.pk,
        "code": CA_CAMBRAI,
        "indicateur": "foyers_allocataires",
        "objectif": reference.objectifs.first().pk,
        "revue": revue.pk,
        "cej": cej.pk,
        "commune": "59122",
        "verification": verification.pk,
        "initiative": Initiative.objects.create(
            convention=reference,
            titre="Initiative de l'API",
            description="Salle du conseil",
            reperee_le=date(2023, 1, 1),
        ).pk,
        "structure": structure.pk,
        "indicateur_action": reference.fiche.indicateurs.get().pk,
        "besoin": Besoin.objects.create(diagnostic=diagnostic_de(reference), domaine="jeunesse", intitule="Besoin").pk,
    }
    vus = 0
    for chemin in _chemins_get(client):
        for pk in {reference.pk, propre.pk}:
            url = re.sub(r"\{(\w+)\}", lambda m: str(pk if m[1] == "pk" else identifiants[m[1]]), chemin)  # noqa: B023
            reponse = client.get(url, **entete(secret))
            vus += 1
            if "{pk}" in chemin and (pk == reference.pk or re.search(OBJETS_DE_LA_REFERENCE, chemin)):
                assert reponse.status_code == 404, url
                assert reponse.json()["code"] == "introuvable"
                continue
            assert reponse.status_code == 200, url
            texte = reponse.content.decode()
            assert "Fiche de l'API" not in texte and "Salle du conseil" not in texte, url
    assert vus >= 30
    liste = client.get("/api/v1/conventions", **entete(secret)).json()
    assert [c["id"] for c in liste["items"]] == [propre.pk]


def test_le_schema_openapi_est_valide_et_la_documentation_sans_script_en_ligne(client):
    texte = client.get("/api/v1/openapi.json").content

    def sans_cle_en_double(paires):  # Swagger UI refuses a key twice in one object (« duplicated mapping key »)
        cles = [cle for cle, _ in paires]
        assert len(cles) == len(set(cles)), cles
        return dict(paires)

    schema = json.loads(texte, object_pairs_hook=sans_cle_en_double)
    validate(schema)
    assert client.get("/api/v1/openapi.json").content == texte  # the schema built once, the same every time
    assert api.get_openapi_schema(path_prefix="/api/v1/") is api.get_openapi_schema(path_prefix="/api/v1/")
    assert schema["openapi"].startswith("3.")
    assert {"/api/v1/conventions", "/api/v1/territoires/{code}/indicateurs"} <= set(schema["paths"])
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    html = page.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html and "cdn" not in html.lower()
    # every <script> loads a file of the site or carries data (JSON), none runs inline code
    for attributs in re.findall(r"<script([^>]*)>.*?</script>", html, re.S):
        assert "src=" in attributs or 'type="application/json"' in attributs, attributs
    assert "script-src 'self'" in page["Content-Security-Policy"]


def test_jeton_inconnu_ou_revoque_401(client, reference, jeton_de):
    from ctg.api.jetons import authentifier, revoquer

    secret = jeton_de("demo")
    assert client.get("/api/v1/moi", **entete(secret)).json()["identifiant"] == "demo"
    jeton = authentifier(secret)
    revoquer(jeton, jeton.user)
    for envoye in (secret, "ctg_inconnu", "n'importe quoi"):
        reponse = client.get("/api/v1/conventions", **entete(envoye))
        assert reponse.status_code == 401
        assert reponse.json()["code"] == "non_authentifie" and "révoqué" in reponse.json()["message"]
    anonyme = client.get("/api/v1/conventions")
    assert anonyme.status_code == 401 and anonyme["WWW-Authenticate"].startswith("Bearer")
    # a revoked token refused even to a signed-in session: the token alone decides
    client.force_login(jeton.user)
    assert client.get("/api/v1/conventions", **entete(secret)).status_code == 401


def test_ecriture_par_les_regles_de_la_page(client, reference, jeton_de):
    fiche = reference.fiche
    url = f"/api/v1/conventions/{reference.pk}/fiches/{fiche.pk}/statut"
    lecture_seule = jeton_de("chef.projet")
    reponse = client.post(url, {"transition": "demarrer"}, content_type="application/json", **entete(lecture_seule))
    assert reponse.status_code == 403 and reponse.json()["code"] == "interdit"
    fiche.refresh_from_db()
    assert fiche.statut == StatutFiche.A_VENIR
    # a read-write token of an account whose role does not allow it: refused by the plan's rights
    role_lecture = jeton_de("lecture", ecriture=True)
    reponse = client.post(url, {"transition": "demarrer"}, content_type="application/json", **entete(role_lecture))
    assert reponse.status_code == 403
    ecriture = jeton_de("chef.projet", ecriture=True)
    inconnue = client.post(url, {"transition": "envoler"}, content_type="application/json", **entete(ecriture))
    assert inconnue.status_code == 409 and inconnue.json()["code"] == "changement_impossible"
    invalide = client.post(url, {"etat": "x"}, content_type="application/json", **entete(ecriture))
    assert invalide.status_code == 422 and invalide.json()["code"] == "validation"
    reponse = client.post(url, {"transition": "demarrer"}, content_type="application/json", **entete(ecriture))
    assert reponse.status_code == 200, reponse.content
    assert reponse.json()["statut"] == StatutFiche.EN_COURS
    fiche.refresh_from_db()
    assert fiche.statut == StatutFiche.EN_COURS


def test_session_ecrit_avec_le_jeton_csrf_seulement(reference):
    from django.contrib.auth import get_user_model
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="chef.projet"))
    url = f"/api/v1/conventions/{reference.pk}/fiches/{reference.fiche.pk}/statut"
    assert client.get(f"/api/v1/conventions/{reference.pk}/fiches").status_code == 200
    reponse = client.post(url, {"transition": "demarrer"}, content_type="application/json")
    assert reponse.status_code == 403 and "CSRF" in reponse.json()["message"]
    reference.fiche.refresh_from_db()
    assert reference.fiche.statut == StatutFiche.A_VENIR


def test_debit_limite_par_jeton(client, reference, jeton_de, settings):
    settings.CTG_API_DEBIT = "2/min"
    secret, autre = jeton_de("demo"), jeton_de("demo")
    assert [client.get("/api/v1/moi", **entete(secret)).status_code for _ in range(3)] == [200, 200, 429]
    trop = client.get("/api/v1/moi", **entete(secret))
    assert trop.json()["code"] == "trop_de_requetes" and int(trop["Retry-After"]) > 0
    assert client.get("/api/v1/moi", **entete(autre)).status_code == 200  # each token its own count


@pytest.mark.parametrize("ecriture", [False, True])
def test_commande_jeton_api(reference, ecriture):
    from io import StringIO

    from django.core.management import call_command
    from django.test import Client

    sortie = StringIO()
    options = {"ecriture": True} if ecriture else {}
    call_command("jeton_api", "lecture", nom="Tableur", stdout=sortie, stderr=StringIO(), **options)
    secret = sortie.getvalue().strip().splitlines()[-1]
    moi = Client().get("/api/v1/moi", **entete(secret)).json()
    assert (moi["identifiant"], moi["jeton"], moi["ecriture"]) == ("lecture", "Tableur", ecriture)


def test_un_corps_trop_volumineux_est_refuse_en_json_et_rien_n_est_ecrit(client, reference, jeton_de):
    """A 5 MB name: Django's size limit, said in French JSON (413), not its HTML error page."""
    from ctg.gouvernance.models import Membre

    avant = Membre.objects.count()
    corps = {"prenom": "Ada", "nom": "x" * 5_000_000, "organisation": "Caf", "cote": "caf", "debut": "2023-01-01"}
    reponse = client.post(
        f"/api/v1/conventions/{reference.pk}/comite/membres",
        corps,
        content_type="application/json",
        **entete(jeton_de("demo", ecriture=True)),
    )
    assert reponse.status_code == 413
    assert reponse.json() == {
        "code": "trop_volumineux",
        "message": "Requête trop volumineuse : au plus 2,5 Mo de données, fichiers joints à part.",
    }
    assert Membre.objects.count() == avant
