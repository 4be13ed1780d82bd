"""Serving CTG in production as the README says: gunicorn with the production settings (SECRET_KEY, HTTPS rules,
JSON logs), static files collected and served by WhiteNoise; the Content Security Policy on every page, which holds
no inline script, no event-handler attribute and no javascript: link."""

import http.client
import json
import re
import signal
import socket
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest
from django.conf import settings
from django.db import connection

import ctg
from ctg.demo.comptes import MOT_DE_PASSE_DEMO
from tests.test_settings import PRODUCTION, environnement

GUNICORN = Path(sys.executable).parent / "gunicorn"
ATTENTE_S = 180  # the worker loads Django and every application; the machine may be busy
PRODUCTION_LOCALE = {**PRODUCTION, "ALLOWED_HOSTS": "127.0.0.1"}  # the production settings, on this machine


# --- gunicorn, as the README's « Mettre en production » starts it ---


def url_de_la_base_de_test() -> str:
    """The test database (migrated, committed), for the server to read."""
    base = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{base['NAME']}"
    identite = f"{quote(base['USER'] or '', safe='')}:{quote(base['PASSWORD'] or '', safe='')}"
    return f"postgres://{identite}@{quote(base['HOST'] or '', safe='')}:{base['PORT'] or 5432}/{base['NAME']}"


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def var_dir(tmp_path_factory):
    """A VAR_DIR whose static files were collected by `ctg collectstatic` (the product's own ones: the libraries'
    would only make the test longer)."""
    dossier = tmp_path_factory.mktemp("var")
    ignores = [
        option
        for nom in ("admin", "vendor", "django_htmx", "simple_history", "django_otp", "ninja")
        for option in ("-i", nom)
    ]
    sortie = subprocess.run(
        [sys.executable, "-m", "ctg.cli", "collectstatic", "--noinput", *ignores],
        env=environnement(dossier),
        capture_output=True,
        text=True,
    )
    assert sortie.returncode == 0, sortie.stderr
    assert (dossier / "static" / "ctg" / "ctg.css.gz").is_file()
    return dossier


class Serveur:
    def __init__(self, dossier: Path, **variables: str):
        self.port = port_libre()
        self.journal = dossier / f"gunicorn-{self.port}.log"
        self.erreurs = dossier / f"gunicorn-{self.port}.err"
        commande = [str(GUNICORN), "ctg.wsgi", "--bind", f"127.0.0.1:{self.port}", "--workers", "1"]
        commande += ["--access-logfile", "-"]
        with self.journal.open("w") as sortie, self.erreurs.open("w") as erreurs:
            self.processus = subprocess.Popen(
                commande, env=environnement(dossier, **variables), stdout=sortie, stderr=erreurs
            )

    def attendre(self) -> None:
        limite = time.monotonic() + ATTENTE_S
        while time.monotonic() < limite:
            assert self.processus.poll() is None, f"gunicorn s'est arrêté : {self.erreurs.read_text()[-3000:]}"
            try:
                socket.create_connection(("127.0.0.1", self.port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.2)
        pytest.fail(f"gunicorn n'écoute pas au bout de {ATTENTE_S} s")

    def get(self, chemin: str, **entetes: str) -> http.client.HTTPResponse:
        connexion = http.client.HTTPConnection("127.0.0.1", self.port, timeout=ATTENTE_S)
        connexion.request("GET", chemin, headers={nom.replace("_", "-"): valeur for nom, valeur in entetes.items()})
        reponse = connexion.getresponse()
        reponse.corps = reponse.read()
        connexion.close()
        return reponse

    def arreter(self) -> str:
        """Stop the server; its standard output (access and application logs)."""
        if self.processus.poll() is None:
            self.processus.send_signal(signal.SIGTERM)
            self.processus.wait(timeout=60)
        return self.journal.read_text()


@pytest.fixture
def gunicorn(var_dir):
    serveurs = []

    def demarrer(**variables: str) -> Serveur:
        serveur = Serveur(var_dir, DATABASE_URL=url_de_la_base_de_test(), **variables)
        serveurs.append(serveur)
        serveur.attendre()
        return serveur

    yield demarrer
    for serveur in serveurs:
        serveur.arreter()


def cookies(reponse) -> dict[str, str]:
    return {entete.split("=", 1)[0]: entete for entete in reponse.msg.get_all("Set-Cookie") or []}


@pytest.mark.django_db
def test_gunicorn_en_http_simple_sert_les_pages_et_les_fichiers_statiques_collectes(gunicorn):
    serveur = gunicorn(**PRODUCTION_LOCALE, CTG_HTTP_SIMPLE="true")

    assert serveur.get("/").status == 200  # the product presented to visitors
    conventions = serveur.get("/conventions/")
    assert (conventions.status, conventions.getheader("Location")) == (302, "/comptes/connexion/?next=/conventions/")

    connexion = serveur.get("/comptes/connexion/")
    assert connexion.status == 200
    assert "script-src 'self'" in connexion.getheader("Content-Security-Policy")
    assert connexion.getheader("X-Frame-Options") == "DENY"
    assert connexion.getheader("Referrer-Policy") == "same-origin"
    assert connexion.getheader("X-Content-Type-Options") == "nosniff"
    assert connexion.getheader("Strict-Transport-Security") is None  # plain HTTP: no HSTS
    assert "Secure" not in cookies(connexion)["csrftoken"]

    css = serveur.get("/static/ctg/ctg.css", Accept_Encoding="gzip")
    assert css.status == 200 and css.getheader("Content-Type").startswith("text/css")
    assert css.getheader("Content-Encoding") == "gzip"  # the compressed copy made by collectstatic

    assert serveur.get("/page-inexistante/").status == 404
    journal = [json.loads(ligne) for ligne in serveur.arreter().splitlines() if ligne.startswith("{")]
    assert any(
        ligne["level"] == "WARNING" and ligne["logger"] == "django.request" and "/page-inexistante/" in ligne["message"]
        for ligne in journal
    ), "le journal JSON de l'application est sur la sortie standard"


@pytest.mark.django_db
def test_gunicorn_derriere_un_proxy_https_envoie_hsts_et_des_cookies_secure(gunicorn):
    serveur = gunicorn(**PRODUCTION_LOCALE, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")

    en_http = serveur.get("/comptes/connexion/")
    assert en_http.status == 301
    assert en_http.getheader("Location") == f"https://127.0.0.1:{serveur.port}/comptes/connexion/"

    en_https = serveur.get("/comptes/connexion/", X_Forwarded_Proto="https")
    assert en_https.status == 200
    assert en_https.getheader("Strict-Transport-Security") == "max-age=31536000; includeSubDomains"
    assert "upgrade-insecure-requests" in en_https.getheader("Content-Security-Policy")
    assert "Secure" in cookies(en_https)["csrftoken"]


def test_gunicorn_refuse_de_demarrer_sans_secret_key(var_dir):
    serveur = Serveur(var_dir, DEBUG="false", ALLOWED_HOSTS="127.0.0.1")
    try:
        serveur.processus.wait(timeout=ATTENTE_S)
    finally:
        serveur.arreter()
    assert serveur.processus.returncode != 0
    assert "La variable SECRET_KEY est obligatoire en production" in serveur.erreurs.read_text()


# --- the Content Security Policy: no inline script anywhere ---


class Analyse(HTMLParser):
    """What a policy without 'unsafe-inline' for scripts would block in a page, and the links it holds."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.interdits: list[str] = []
        self.liens: list[str] = []

    def handle_starttag(self, balise, attributs):
        valeurs = dict(attributs)
        if balise == "script" and not valeurs.get("src") and valeurs.get("type") != "application/json":
            self.interdits.append(f"<script> en ligne (ligne {self.getpos()[0]})")
        for nom, valeur in attributs:
            if nom.startswith("on"):
                self.interdits.append(f"attribut {nom} sur <{balise}> (ligne {self.getpos()[0]})")
            if valeur and valeur.strip().lower().startswith("javascript:"):
                self.interdits.append(f"lien javascript: dans {nom} de <{balise}> (ligne {self.getpos()[0]})")
        if balise == "a" and valeurs.get("href"):
            self.liens.append(valeurs["href"])


def analyser(reponse) -> Analyse:
    analyse = Analyse()
    analyse.feed(reponse.content.decode())
    return analyse


A_NE_PAS_SUIVRE = re.compile(r"/admin/|/deconnexion/|\.[a-z0-9]+$")  # the administration, logging out, files


@pytest.mark.django_db
def test_les_pages_principales_ont_la_politique_et_aucun_script_en_ligne(client, demo_chargee):
    pages = {"/comptes/connexion/": client.get("/comptes/connexion/")}
    assert client.login(username="demo", password=MOT_DE_PASSE_DEMO)
    a_visiter, vues = ["/"], set(pages)
    while a_visiter and len(vues) < 60:  # the pages reached from the home page, breadth first
        chemin = a_visiter.pop(0)
        if chemin in vues:
            continue
        vues.add(chemin)
        reponse = client.get(chemin)
        if reponse.status_code != 200 or not reponse["Content-Type"].startswith("text/html"):
            continue
        pages[chemin] = reponse
        for lien in analyser(reponse).liens:
            cible = urlsplit(urljoin(chemin, lien))
            if not cible.netloc and cible.path.startswith("/") and not A_NE_PAS_SUIVRE.search(cible.path):
                a_visiter.append(cible.path)
    pages["/cette-page-n-existe-pas/"] = client.get("/cette-page-n-existe-pas/")
    assert len(pages) >= 30, sorted(pages)  # conventions, plan, comité, financement, territoires…
    for rubrique in ("/conventions/", "/plan/", "/gouvernance/", "/financement/", "/territoires/", "/diagnostic/"):
        assert any(chemin.startswith(rubrique) for chemin in pages), rubrique

    sans_politique = [
        chemin
        for chemin, reponse in pages.items()
        if "script-src 'self'" not in reponse.get("Content-Security-Policy", "")
    ]
    assert sans_politique == []
    interdits = {chemin: analyser(reponse).interdits for chemin, reponse in pages.items()}
    assert {chemin: liste for chemin, liste in interdits.items() if liste} == {}


@pytest.mark.django_db
def test_la_page_d_acces_refuse_revient_en_arriere_sans_script_en_ligne(client, convention_cambrai):
    from ctg.demo.comptes import creer_comptes_demo

    creer_comptes_demo(convention_cambrai)
    client.login(username="lecture", password=MOT_DE_PASSE_DEMO)
    reponse = client.get(f"/conventions/{convention_cambrai.pk}/modifier/")
    assert reponse.status_code == 403
    assert analyser(reponse).interdits == []
    assert "data-retour" in reponse.content.decode() and "ctg/retour.js" in reponse.content.decode()


@pytest.mark.django_db
def test_le_rapport_html_garde_sa_feuille_de_style_en_ligne_et_rien_d_autre(client_connecte):
    reponse = client_connecte.get("/diagnostic/epci/200068500/rapport.html")
    assert reponse.status_code == 200, reponse.headers
    assert "<style>" in reponse.content.decode()
    politique = directives(reponse["Content-Security-Policy"])
    assert politique["style-src-elem"] == "'self' 'unsafe-inline'" and politique["script-src"] == "'self'"
    assert analyser(reponse).interdits == []
    autre_page = directives(client_connecte.get("/territoires/epci/200068500/")["Content-Security-Policy"])
    assert "'unsafe-inline'" not in autre_page["style-src-elem"]


def directives(politique: str) -> dict[str, str]:
    """A Content-Security-Policy header as directive -> sources (the header lists them in no fixed order)."""
    return {
        nom: sources.strip()
        for nom, _, sources in (d.strip().partition(" ") for d in politique.split(";") if d.strip())
    }


SCRIPT_EN_LIGNE = re.compile(r"<script\b(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", re.IGNORECASE)
GESTIONNAIRE = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
LIEN_JAVASCRIPT = re.compile(r"=\s*[\"']?\s*javascript:", re.IGNORECASE)
BALISE_DE_GABARIT = re.compile(r"{% comment %}.*?{% endcomment %}|{%.*?%}|{#.*?#}", re.DOTALL)


def test_aucun_gabarit_n_a_de_script_en_ligne_ni_de_gestionnaire_d_evenement():
    gabarits = list(Path(ctg.__file__).parent.rglob("templates/**/*.html"))
    assert len(gabarits) > 50
    fautifs = []
    for gabarit in gabarits:
        texte = BALISE_DE_GABARIT.sub(" ", gabarit.read_text(encoding="utf-8"))  # {% if x == y %} is not an attribute
        for motif, regle in (
            ("script en ligne", SCRIPT_EN_LIGNE),
            ("on…=", GESTIONNAIRE),
            ("javascript:", LIEN_JAVASCRIPT),
        ):
            if regle.search(texte):
                fautifs.append(f"{gabarit.relative_to(settings.SRC_DIR)} : {motif}")
    assert fautifs == []
