import json
import os
import re
import runpy
import secrets
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from ctg import settings as settings_module
from ctg.settings import env_bool, env_database, env_list


def test_booleen(monkeypatch):
    monkeypatch.setenv("DEBUG", "oui")
    assert env_bool("DEBUG", False) is True
    monkeypatch.setenv("DEBUG", "peut-être")
    with pytest.raises(ImproperlyConfigured, match="DEBUG='peut-être' n'est pas un booléen"):
        env_bool("DEBUG", False)


def test_liste(monkeypatch):
    monkeypatch.setenv("ALLOWED_HOSTS", "ctg.example.org, localhost")
    assert env_list("ALLOWED_HOSTS", []) == ["ctg.example.org", "localhost"]
    monkeypatch.setenv("ALLOWED_HOSTS", " , ")
    with pytest.raises(ImproperlyConfigured, match="ALLOWED_HOSTS est vide"):
        env_list("ALLOWED_HOSTS", [])


def test_base_de_donnees(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert env_database("DATABASE_URL", "sqlite:///tmp/ctg.sqlite3")["ENGINE"] == "django.db.backends.sqlite3"
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@hote:5432/ctg")
    config = env_database("DATABASE_URL", "")
    assert (config["ENGINE"], config["NAME"], config["HOST"]) == ("django.db.backends.postgresql", "ctg", "hote")
    monkeypatch.setenv("DATABASE_URL", "nimportequoi")
    with pytest.raises(ImproperlyConfigured, match="n'est pas une adresse de base de données valide"):
        env_database("DATABASE_URL", "")
    monkeypatch.setenv("DATABASE_URL", "mysql://u:p@hote/ctg")
    with pytest.raises(ImproperlyConfigured, match="moteur non pris en charge"):
        env_database("DATABASE_URL", "")


# --- production and local trial: the settings file is run afresh with each environment (runpy: the settings in use
# are not touched), with none of CTG's variables but those of the test ---

VARIABLES_DES_REGLAGES = re.compile(
    r"(DEBUG|SECRET_KEY.*|ALLOWED_HOSTS|CSRF_TRUSTED_ORIGINS|DATABASE_URL|CTG_.*|EMAIL_.*|SECURE_.*|DEFAULT_FROM_EMAIL"
    r"|SERVER_EMAIL|DJANGO_ALLOW_ASYNC_UNSAFE)"  # the last one is set by the browser tests (tests/e2e/conftest.py)
)
CLE = "k" + secrets.token_urlsafe(50)
PRODUCTION = {"DEBUG": "false", "SECRET_KEY": CLE, "ALLOWED_HOSTS": "ctg.example.org"}


def environnement(dossier: Path, **variables: str) -> dict[str, str]:
    """The machine's environment without any of CTG's variables, plus ``variables``; VAR_DIR in ``dossier``."""
    env = {nom: valeur for nom, valeur in os.environ.items() if not VARIABLES_DES_REGLAGES.fullmatch(nom)}
    return {**env, "CTG_VAR_DIR": str(dossier), **variables}


@pytest.fixture
def reglages(monkeypatch, tmp_path):
    """``reglages(**variables)``: the settings read with ``variables`` (VAR_DIR in ``tmp_path`` unless given)."""

    def lire(**variables: str) -> dict:
        for nom in list(os.environ):
            if VARIABLES_DES_REGLAGES.fullmatch(nom):
                monkeypatch.delenv(nom)
        for nom, valeur in {"CTG_VAR_DIR": str(tmp_path), **variables}.items():
            monkeypatch.setenv(nom, valeur)
        return runpy.run_path(settings_module.__file__)

    return lire


@pytest.fixture
def refus(reglages):
    """``refus(**variables)``: the French message by which start-up refuses ``variables``."""

    def lire(**variables: str) -> str:
        with pytest.raises(ImproperlyConfigured) as erreur:
            reglages(**variables)
        return str(erreur.value)

    return lire


@pytest.mark.parametrize(
    "variables",
    [{"DEBUG": "false"}, {"ALLOWED_HOSTS": "ctg.example.org"}, {"DEBUG": "non", "ALLOWED_HOSTS": "ctg.example.org"}],
)
def test_la_production_refuse_de_demarrer_sans_secret_key(refus, tmp_path, variables):
    assert "La variable SECRET_KEY est obligatoire en production" in refus(**variables)
    assert not (tmp_path / "cle-secrete-locale").exists()


@pytest.mark.parametrize("cle", ["courte", "a" * 60, "django-insecure-" + secrets.token_urlsafe(50)])
def test_une_secret_key_faible_est_refusee(refus, cle):
    assert "La variable SECRET_KEY est trop faible" in refus(**{**PRODUCTION, "SECRET_KEY": cle})


def test_l_essai_local_a_sa_propre_cle_gardee_dans_var_dir(reglages, tmp_path):
    cle = reglages()["SECRET_KEY"]
    fichier = tmp_path / "cle-secrete-locale"
    assert fichier.read_text().strip() == cle and len(cle) >= 50
    assert stat.S_IMODE(fichier.stat().st_mode) == 0o600
    assert reglages()["SECRET_KEY"] == cle  # the same at the next start
    assert reglages(CTG_VAR_DIR=str(tmp_path / "autre"))["SECRET_KEY"] != cle  # another installation, another key


def test_aucune_cle_n_est_ecrite_dans_le_depot():
    source = Path(settings_module.__file__).read_text()
    assert not re.search(r"""SECRET_KEY\s*=\s*["']""", source)
    assert "ctg-cle-locale-non-secrete" not in source


HTTPS = {
    "SECURE_SSL_REDIRECT": True,
    "SECURE_HSTS_SECONDS": 365 * 24 * 3600,
    "SECURE_HSTS_INCLUDE_SUBDOMAINS": True,
    "SECURE_HSTS_PRELOAD": False,
    "SESSION_COOKIE_SECURE": True,
    "CSRF_COOKIE_SECURE": True,
    "X_FRAME_OPTIONS": "DENY",
    "SECURE_REFERRER_POLICY": "same-origin",
}


def test_la_production_est_en_https_par_defaut(reglages):
    valeurs = reglages(**PRODUCTION)
    assert {nom: valeurs[nom] for nom in HTTPS} == HTTPS
    assert valeurs["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]["upgrade-insecure-requests"] is True


def test_ctg_http_simple_autorise_un_essai_en_http(reglages):
    valeurs = reglages(**PRODUCTION, CTG_HTTP_SIMPLE="true")
    assert {nom: valeurs[nom] for nom in HTTPS} == {
        **HTTPS,
        "SECURE_SSL_REDIRECT": False,
        "SECURE_HSTS_SECONDS": 0,
        "SESSION_COOKIE_SECURE": False,
        "CSRF_COOKIE_SECURE": False,
    }


def test_l_essai_local_reste_en_http(reglages):
    valeurs = reglages()
    assert (valeurs["DEBUG"], valeurs["SECURE_SSL_REDIRECT"], valeurs["SESSION_COOKIE_SECURE"]) == (False, False, False)
    assert valeurs["SECURE_HSTS_SECONDS"] == 0


def test_l_en_tete_https_du_proxy_inverse(reglages):
    valeurs = reglages(**PRODUCTION, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert valeurs["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert reglages(**PRODUCTION)["SECURE_PROXY_SSL_HEADER"] is None


def test_la_politique_de_securite_du_contenu_refuse_tout_script_en_ligne(reglages):
    directives = reglages(**PRODUCTION)["CONTENT_SECURITY_POLICY"]["DIRECTIVES"]
    assert directives["script-src"] == ["'self'"] and directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert all("unsafe" not in valeur for nom in ("script-src", "style-src-elem") for valeur in directives[nom])


def test_la_commande_ctg_refuse_en_une_ligne_de_francais(tmp_path):
    sortie = subprocess.run(
        [sys.executable, "-m", "ctg.cli", "check"],
        env=environnement(tmp_path, DEBUG="false"),
        capture_output=True,
        text=True,
    )
    assert sortie.returncode == 1
    assert sortie.stderr.startswith("CTG ne peut pas démarrer : La variable SECRET_KEY est obligatoire en production")
    assert "Traceback" not in sortie.stderr


def test_check_deploy_est_propre_avec_debug_secret_key_et_allowed_hosts(tmp_path):
    sortie = subprocess.run(
        [sys.executable, "-m", "ctg.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=environnement(tmp_path, **PRODUCTION),
        capture_output=True,
        text=True,
    )
    assert sortie.returncode == 0, sortie.stderr
    assert "System check identified no issues" in sortie.stdout


def test_le_courriel_se_regle_par_l_environnement(reglages):
    valeurs = reglages(
        EMAIL_HOST="smtp.caf.fr",
        EMAIL_USE_TLS="true",
        EMAIL_HOST_USER="ctg",
        EMAIL_HOST_PASSWORD="motdepasse",
        DEFAULT_FROM_EMAIL="CTG Caf du Nord <ctg@caf.fr>",
    )
    attendu = {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "smtp.caf.fr",
        "EMAIL_PORT": 587,
        "EMAIL_HOST_USER": "ctg",
        "EMAIL_HOST_PASSWORD": "motdepasse",
        "EMAIL_USE_TLS": True,
        "EMAIL_USE_SSL": False,
        "DEFAULT_FROM_EMAIL": "CTG Caf du Nord <ctg@caf.fr>",
        "SERVER_EMAIL": "CTG Caf du Nord <ctg@caf.fr>",
    }
    assert {nom: valeurs[nom] for nom in attendu} == attendu
    assert reglages(EMAIL_USE_SSL="oui")["EMAIL_PORT"] == 465
    assert reglages()["EMAIL_BACKEND"] == "django.core.mail.backends.console.EmailBackend"


@pytest.mark.parametrize(
    "variables, message",
    [
        ({"EMAIL_USE_TLS": "true", "EMAIL_USE_SSL": "true"}, "EMAIL_USE_TLS et EMAIL_USE_SSL s'excluent"),
        ({"EMAIL_HOST": "smtp.caf.fr"}, "DEFAULT_FROM_EMAIL est obligatoire avec EMAIL_HOST"),
        ({"EMAIL_HOST": "smtp://smtp.caf.fr:25"}, "EMAIL_HOST='smtp://smtp.caf.fr:25' doit être le nom"),
        ({"DEFAULT_FROM_EMAIL": "CTG <ctg@"}, "DEFAULT_FROM_EMAIL='CTG <ctg@' n'est pas une adresse électronique"),
        ({"SERVER_EMAIL": "ctg@caf.fr\nBcc: x@y.fr"}, "n'est pas une adresse électronique"),
        ({"EMAIL_PORT": "smtp"}, "EMAIL_PORT='smtp' doit être un nombre entier compris entre 1 et 65535"),
        ({"EMAIL_HOST_PASSWORD": "secret"}, "EMAIL_HOST_PASSWORD est donnée sans EMAIL_HOST_USER"),
        ({"SECURE_HSTS_SECONDS": "-1"}, "SECURE_HSTS_SECONDS='-1' doit être un nombre entier"),
        ({"SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto: https"}, "doit être le nom d'un en-tête HTTP"),
        ({"CTG_HTTP_SIMPLE": "peut-être"}, "CTG_HTTP_SIMPLE='peut-être' n'est pas un booléen"),
        ({"CTG_DEMO": "si"}, "CTG_DEMO='si' n'est pas un booléen"),
        ({"CTG_JOURNAL_NIVEAU": "bavard"}, "CTG_JOURNAL_NIVEAU='bavard' est inconnue"),
        ({"CTG_JOURNAL_FORMAT": "xml"}, "CTG_JOURNAL_FORMAT='xml' est inconnue"),
        ({"SECRET_KEY_FALLBACKS": "ancienne"}, "SECRET_KEY_FALLBACKS est trop faible"),
    ],
)
def test_une_valeur_invalide_arrete_le_demarrage_en_francais(refus, variables, message):
    assert message in refus(**variables)


def test_journal_json_sur_la_sortie_standard_en_production(tmp_path):
    code = "import django; django.setup(); import logging; logging.getLogger('ctg.essai').warning('Échéance dépassée')"
    sortie = subprocess.run(
        [sys.executable, "-c", code],
        env=environnement(tmp_path, DJANGO_SETTINGS_MODULE="ctg.settings", CTG_JOURNAL_SORTIE="stdout", **PRODUCTION),
        capture_output=True,
        text=True,
    )
    assert sortie.returncode == 0, sortie.stderr
    ligne = json.loads(sortie.stdout.splitlines()[-1])
    assert {"level": "WARNING", "logger": "ctg.essai", "message": "Échéance dépassée"}.items() <= ligne.items()
    assert "time" in ligne


@pytest.mark.parametrize(
    "variables, demo",
    [
        ({}, True),  # the embedded SQLite database of a local trial
        ({"DATABASE_URL": "postgres://ctg:motdepasse@localhost:5432/ctg"}, False),
        (PRODUCTION, False),
        ({**PRODUCTION, "CTG_DEMO": "true"}, True),
        ({"DATABASE_URL": "postgres://ctg:motdepasse@localhost:5432/ctg", "CTG_DEMO": "oui"}, True),
    ],
)
def test_la_demonstration_n_est_permise_d_office_que_sur_la_base_embarquee(reglages, variables, demo):
    assert reglages(**variables)["CTG_DEMO"] is demo
