"""The permission walk: every URL of the project, with every role, and the answer each must get."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver

from ctg.comptes.models import Habilitation, Invitation, Role
from ctg.demo.comptes import creer_comptes_demo

pytestmark = pytest.mark.django_db

# Views that only answer POST (their GET is 405 for everyone signed in).
POST_SEULEMENT = {"conventions:renouveler", "conventions:retirer_membre", "diagnostic:statut", "logout"}
# Pages of a convention that any member may read.
LECTURE = {
    "conventions:tableau",
    "conventions:adhesions",
    "conventions:document",
    "conventions:export_json",
    "conventions:membres",
    "diagnostic:convention",
    "diagnostic:rapport_convention",
}
# Pages that need the right to edit (Caf adviser, project lead).
EDITION = {
    "conventions:modifier",
    "conventions:avenant_nouveau",
    "conventions:signer",
    "conventions:resilier",
    "diagnostic:besoin_nouveau",
    "diagnostic:besoin",
}
# Contributions to the shared diagnostic: every member but the read-only ones.
CONTRIBUTION = {"diagnostic:contribution"}
PUBLIQUES = {"login", "comptes:invitation"}


def motifs(resolver=None, prefixe=""):
    resolver = resolver or get_resolver()
    for motif in resolver.url_patterns:
        if isinstance(motif, URLResolver):
            if motif.app_name == "admin":
                continue
            espace = f"{motif.namespace}:" if motif.namespace else ""
            yield from motifs(motif, prefixe + espace)
        elif isinstance(motif, URLPattern) and motif.name:
            yield prefixe + motif.name, motif


@pytest.fixture
def monde(convention_cambrai):
    creer_comptes_demo(convention_cambrai)
    User = get_user_model()
    comptes = {u.username: u for u in User.objects.filter(habilitations__convention=convention_cambrai)}
    comptes["exterieur"] = User.objects.create_user("exterieur", password="x")
    comptes["admin"] = User.objects.create_superuser("admin", password="x")
    invitation = Invitation.objects.create(
        convention=convention_cambrai, email="x@example.org", role=Role.LECTURE, invitee_par=comptes["demo"]
    )
    habilitation = Habilitation.objects.get(user=comptes["lecture"], convention=convention_cambrai)
    from ctg.diagnostic.models import Besoin
    from ctg.diagnostic.partage import diagnostic_de

    besoin = Besoin.objects.create(diagnostic=diagnostic_de(convention_cambrai), domaine="jeunesse", intitule="Besoin")
    valeurs = {
        "besoin": besoin.pk,
        "action": "soumettre",
        "pk": convention_cambrai.pk,
        "commune": "59122",
        "format": "txt",
        "jeton": invitation.jeton,
        "habilitation": habilitation.pk,
    }
    return convention_cambrai, comptes, valeurs


def url_de(nom, motif, valeurs):
    from django.urls import reverse

    noms = list(motif.pattern.regex.groupindex)
    arguments = {n: valeurs.get(n) for n in noms}
    if "code" in noms:
        arguments["code"] = next(code for mot, code in CODES if mot in nom)
    if "format" in noms:
        arguments["format"] = {"diagnostic:epci_export": "csv"}.get(nom, "html" if "rapport" in nom else "txt")
    return reverse(nom, kwargs=arguments)


CODES = [("epci", "200068500"), ("commune", "59122"), ("departement", "59")]


def attendu(nom: str, compte: str | None) -> int:
    if nom == "logout":
        return 405  # Django's logout answers POST only, for everyone
    if compte is None:
        return 200 if nom in PUBLIQUES else 302
    if nom in POST_SEULEMENT:
        return 405
    if nom == "comptes:invitation" or nom.split(":")[0] not in {"conventions", "diagnostic"}:
        return 200
    if nom in {"diagnostic:epci", "diagnostic:epci_carte", "diagnostic:epci_export", "diagnostic:rapport_epci"}:
        return 200  # the territorial diagnostic is public data
    if nom == "diagnostic:commune":
        return 200
    if nom == "conventions:liste":
        return 200
    if nom == "conventions:nouvelle":
        return 200 if compte in {"demo", "chef.projet", "membre.copil", "lecture", "admin"} else 403
    if compte == "exterieur":
        return 404
    if nom in LECTURE:
        return 200
    if nom == "conventions:adhesion":
        return 200 if compte in {"demo", "chef.projet", "referent.commune", "admin"} else 403
    if nom in EDITION:
        return 200 if compte in {"demo", "chef.projet", "admin"} else 403
    if nom in CONTRIBUTION:
        return 403 if compte == "lecture" else 200
    raise AssertionError(f"URL sans règle attendue : {nom}")


COMPTES = [None, "exterieur", "lecture", "membre.copil", "referent.commune", "chef.projet", "demo", "admin"]


def test_chaque_url_avec_chaque_role(client, monde):
    _, comptes, valeurs = monde
    vus = []
    for compte in COMPTES:
        client.logout()
        if compte:
            client.force_login(comptes[compte])
        for nom, motif in motifs():
            url = url_de(nom, motif, valeurs)
            reponse = client.get(url)
            assert reponse.status_code == attendu(nom, compte), f"{compte or 'anonyme'} GET {url} ({nom})"
            vus.append(nom)
    assert {"conventions:tableau", "conventions:adhesion", "territoires:epci", "comptes:invitation"} <= set(vus)


def test_lecture_seule_ne_voit_aucun_bouton_de_modification(client, monde):
    convention, comptes, _ = monde
    client.force_login(comptes["lecture"])
    page = client.get(f"/conventions/{convention.pk}/").content.decode()
    assert "Modifier la convention" not in page and "Mettre fin" not in page and "Ajouter un avenant" not in page
    page = client.get(f"/conventions/{convention.pk}/adhesions/").content.decode()
    assert ">Modifier</a>" not in page
    client.force_login(comptes["chef.projet"])
    page = client.get(f"/conventions/{convention.pk}/").content.decode()
    assert "Modifier la convention" in page and "Ajouter un avenant" in page


def test_referent_modifie_seulement_sa_commune(client, monde):
    convention, comptes, _ = monde
    client.force_login(comptes["referent.commune"])
    donnees = {
        "a59122-statut": "adheree",
        "a59122-date_deliberation": "2022-03-14",
        "a59122-maire_civilite": "",
        "a59122-maire_prenom": "",
        "a59122-maire_nom": "",
    }
    assert client.post(f"/conventions/{convention.pk}/adhesions/59122/", donnees).status_code == 302
    assert convention.adhesions.get(commune_id="59122").statut == "adheree"
    autre = {k.replace("59122", "59428"): v for k, v in donnees.items()}
    assert client.post(f"/conventions/{convention.pk}/adhesions/59428/", autre).status_code == 403
    assert convention.adhesions.get(commune_id="59428").statut == "en_attente"
    page = client.get(f"/conventions/{convention.pk}/adhesions/").content.decode()
    assert page.count(">Modifier</a>") == 1


def test_ecritures_refusees_en_lecture(client, monde):
    convention, comptes, _ = monde
    client.force_login(comptes["lecture"])
    assert client.post(f"/conventions/{convention.pk}/modifier/", {"titre": "X"}).status_code == 403
    assert client.post(f"/conventions/{convention.pk}/renouveler/").status_code == 403
    assert client.post(f"/conventions/{convention.pk}/avenants/nouveau/", {"objet": "x"}).status_code == 403
    client.force_login(comptes["exterieur"])
    assert client.post(f"/conventions/{convention.pk}/renouveler/").status_code == 404
    convention.refresh_from_db()
    assert convention.titre == "Convention territoriale globale" and convention.avenants.count() == 0
