"""The permission walk: every URL of the project, with every role, and the answer each must get."""

import importlib
from datetime import date

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from ctg import acces
from ctg.comptes.models import Role
from ctg.conventions.models import Convention, Habilitation
from ctg.demo.comptes import creer_comptes_demo

# The walk checks who may do what while the demo convention is in force (it ends on 31/12/2026; afterwards it is
# read-only for everyone, which the conventions' own tests check at dates in 2027 and 2031).
pytestmark = [pytest.mark.django_db, pytest.mark.date("2026-06-15")]

CODES = [("epci", "200068500"), ("commune", "59122"), ("departement", "59")]
# Accounts of the walk: anonymous, a signed-in outsider, the Caf adviser of another convention of the same EPCI
# (same answers as an outsider on every URL of the demo convention), one account per role on the demo convention,
# the administrator.
COMPTES = [
    None,
    "exterieur",
    "meme.epci",
    "lecture",
    "membre.copil",
    "referent.commune",
    "chef.projet",
    "demo",
    "admin",
]
# Accounts that must get, on every URL of the demo convention, exactly what an outsider gets.
ETRANGERS = {"exterieur", "meme.epci"}
EDITEURS = {"demo", "chef.projet", "admin"}
# Pages of the editors while the convention is a draft (its signature): ``acces.EDITION_BROUILLON``.
EDITION_BROUILLON = getattr(acces, "EDITION_BROUILLON", "edition_brouillon")
# Accounts that may create a convention: the Caf du Nord's adviser (permission conventions.add_convention, for the
# Nord's EPCI) and the administrator.
CREATEURS = {"demo", "admin"}
# Accounts that may import open data from the data page: the Caf du Nord's adviser (permission donnees.add_fichier)
# and the administrator.
IMPORTATEURS = {"demo", "admin"}
# Accounts that see the Caf du Nord's portfolio: its staff (the adviser, the comité member working for the Caf) and
# the administrator (national view).
PORTEFEUILLE = {"demo", "membre.copil", "admin"}


def modules_perms():
    for app in apps.get_app_configs():
        if app.name.startswith("ctg."):
            try:
                yield importlib.import_module(f"{app.name}.perms")
            except ModuleNotFoundError:
                continue


def regles() -> dict[str, str]:
    regles = {}
    for module in modules_perms():
        regles.update(getattr(module, "ACCES", {}))
    return regles


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
    comptes["meme.epci"] = User.objects.create_user("meme.epci", password="x")
    seconde = Convention.objects.create(  # directly in the database: another convention of the same EPCI, later
        caf=convention_cambrai.caf,
        epci=convention_cambrai.epci,
        date_debut=date(2032, 1, 1),
        date_fin=date(2036, 12, 31),
    )
    Habilitation.objects.create(user=comptes["meme.epci"], convention=seconde, role=Role.CONSEILLER_CAF)
    comptes["admin"] = User.objects.create_superuser("admin", password="x")
    valeurs = {"format": "txt"}
    for module in modules_perms():
        if hasattr(module, "exemples_acces"):
            valeurs.update(module.exemples_acces(convention_cambrai))
    return convention_cambrai, comptes, valeurs


def url_de(nom, motif, valeurs):
    arguments = {}
    for parametre in motif.pattern.regex.groupindex:
        cle = f"{nom}/{parametre}"
        if cle in valeurs:
            arguments[parametre] = valeurs[cle]
        elif parametre == "code":
            arguments[parametre] = next(code for mot, code in CODES if mot in nom)
        elif parametre == "format" and "rapport" in nom:
            arguments[parametre] = "html"
        else:
            arguments[parametre] = valeurs[parametre]
    return reverse(nom, kwargs=arguments)


def attendu(categorie: str, nom: str, compte: str | None) -> int:
    if nom == "logout":
        return 405  # Django's logout answers POST only, for everyone
    if categorie == acces.PUBLIQUE:
        return 200
    if categorie == acces.REDIRECTION:
        return 301
    if categorie == getattr(acces, "INTROUVABLE", "introuvable"):
        return 404
    if categorie == getattr(acces, "API_POST", "api_post"):
        return 405  # ninja answers a method it does not serve before authenticating
    if categorie.startswith("api_") and compte is None:
        return 401  # the API answers JSON, never the login page
    if compte is None:
        return 302
    if categorie == acces.POST:
        return 405
    if categorie in (acces.CONNECTE, getattr(acces, "API_CONNECTE", "api_connecte")):
        return 200
    if categorie == acces.CREATION:
        return 200 if compte in CREATEURS else 403
    if categorie == acces.IMPORT_DONNEES:
        return 200 if compte in IMPORTATEURS else 403
    if categorie == getattr(acces, "PORTEFEUILLE", "portefeuille"):
        return 200 if compte in PORTEFEUILLE else 403
    if compte in ETRANGERS:
        return 404
    if categorie in (acces.MEMBRE, getattr(acces, "API_MEMBRE", "api_membre")):
        return 200
    if categorie == acces.CONTRIBUTION:
        return 403 if compte == "lecture" else 200
    if categorie == acces.EDITION:
        return 200 if compte in EDITEURS else 403
    if categorie == EDITION_BROUILLON:
        return 403  # the walk's convention is signed: these pages serve a draft only, for everyone
    if categorie == acces.EDITION_OU_REFERENT:
        return 200 if compte in EDITEURS | {"referent.commune"} else 403
    raise AssertionError(f"Catégorie d'accès inconnue : {categorie} ({nom})")


# The walk in two halves, each with an outsider, a role that only reads and an editor, so that every page is opened
# and rendered in full on each database; when one CI run tests both databases (CTG_PARCOURS_REPARTIS,
# ``une_base``), each half runs on one of them (the rules are the same Python on both; every page still renders on
# both); run alone, both halves run.
MOITIES = [
    pytest.param([None, "exterieur", "lecture", "referent.commune", "demo"], marks=pytest.mark.une_base("sqlite")),
    pytest.param(["meme.epci", "membre.copil", "chef.projet", "admin"], marks=pytest.mark.une_base("postgresql")),
]


@pytest.mark.parametrize("comptes_du_parcours", MOITIES, ids=["sqlite", "postgresql"])
def test_chaque_url_avec_chaque_role(client, monde, comptes_du_parcours):
    _, comptes, valeurs = monde
    categories = regles()
    tous = list(motifs())
    sans_regle = [nom for nom, _ in tous if nom not in categories]
    assert not sans_regle, f"URL sans catégorie d'accès dans un ACCES de perms.py : {sans_regle}"
    assert set(categories.values()) <= acces.CATEGORIES
    for compte in comptes_du_parcours:
        client.logout()
        if compte:
            client.force_login(comptes[compte])
        for nom, motif in tous:
            url = url_de(nom, motif, valeurs)
            reponse = client.get(url)
            if reponse.streaming:  # read through, as a WSGI server does: a download streamed from a file closes it
                b"".join(reponse.streaming_content)
            assert reponse.status_code == attendu(categories[nom], nom, compte), (
                f"{compte or 'anonyme'} GET {url} ({nom})"
            )
    assert len(tous) >= 36  # a walk over nearly nothing would prove nothing


def test_les_deux_moities_du_parcours_couvrent_chaque_compte_une_fois():
    comptes = [c for moitie in MOITIES for c in moitie.values[0]]
    assert sorted(comptes, key=str) == sorted(COMPTES, key=str)


def test_lecture_seule_ne_voit_aucun_bouton_de_modification(client, monde):
    convention, comptes, _ = monde
    client.force_login(comptes["lecture"])
    page = client.get(f"/conventions/{convention.pk}/").content.decode()
    assert "Modifier la convention" not in page and "Mettre fin" not in page and "Préparer un avenant" not in page
    page = client.get(f"/conventions/{convention.pk}/adhesions/").content.decode()
    assert ">Modifier</a>" not in page
    client.force_login(comptes["chef.projet"])
    page = client.get(f"/conventions/{convention.pk}/").content.decode()
    assert "Modifier la convention" in page and "Préparer un avenant" in page


def test_referent_propose_seulement_pour_sa_commune(client, monde):
    """A commune's referent proposes its own commune's adhesion (the Caf or the project lead confirms it), and
    nothing for another commune."""
    convention, comptes, _ = monde
    client.force_login(comptes["referent.commune"])
    donnees = {"a59122-proposition": "adheree", "a59122-date_deliberation": "2022-03-14"}
    assert client.post(f"/conventions/{convention.pk}/adhesions/59122/", donnees).status_code == 302
    adhesion = convention.adhesions.get(commune_id="59122")
    assert (adhesion.proposition, adhesion.statut) == ("adheree", "en_attente")  # counts once confirmed
    autre = {k.replace("59122", "59428"): v for k, v in donnees.items()}
    assert client.post(f"/conventions/{convention.pk}/adhesions/59428/", autre).status_code == 403
    assert convention.adhesions.get(commune_id="59428").proposition == ""
    page = client.get(f"/conventions/{convention.pk}/adhesions/").content.decode()
    assert page.count(">Modifier</a>") == 1


def test_ecritures_refusees_en_lecture(client, monde):
    convention, comptes, _ = monde
    client.force_login(comptes["lecture"])
    assert client.post(f"/conventions/{convention.pk}/modifier/", {"titre": "X"}).status_code == 403
    assert client.post(f"/conventions/{convention.pk}/renouveler/").status_code == 403
    assert client.post(f"/conventions/{convention.pk}/avenants/nouveau/", {"objet": "x"}).status_code == 403
    for etranger in ETRANGERS:
        client.force_login(comptes[etranger])
        assert client.post(f"/conventions/{convention.pk}/renouveler/").status_code == 404
        assert client.post(f"/conventions/{convention.pk}/modifier/", {"titre": "X"}).status_code == 404
    convention.refresh_from_db()
    assert convention.titre == "Convention territoriale globale" and convention.avenants.count() == 0
