"""The login settings read from the environment: limits, delay, proxies, mandatory second factor."""

import os
import re
import runpy
from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured

from ctg import settings as settings_module

VARIABLES = re.compile(r"(DEBUG|SECRET_KEY.*|ALLOWED_HOSTS|DATABASE_URL|CTG_.*|SECURE_.*)")


@pytest.fixture
def reglages(monkeypatch, tmp_path):
    """``reglages(**variables)``: the settings file run afresh with only ``variables`` among CTG's (a local trial)."""

    def lire(**variables: str) -> dict:
        for nom in list(os.environ):
            if VARIABLES.fullmatch(nom):
                monkeypatch.delenv(nom)
        for nom, valeur in {"CTG_VAR_DIR": str(tmp_path), **variables}.items():
            monkeypatch.setenv(nom, valeur)
        return runpy.run_path(settings_module.__file__)

    return lire


def test_par_defaut(reglages):
    lus = reglages()
    assert lus["AXES_FAILURE_LIMIT"] == 5
    assert lus["AXES_COOLOFF_TIME"] == timedelta(minutes=15)
    assert lus["AXES_LOCKOUT_PARAMETERS"] == ["username", "ip_address"]
    assert lus["CTG_NOMBRE_PROXIES"] == 0
    assert lus["CTG_DOUBLE_FACTEUR_CAF"] is False


def test_limites_reglables(reglages):
    lus = reglages(CTG_CONNEXION_ECHECS_MAX="10", CTG_CONNEXION_BLOCAGE_MINUTES="60", CTG_DOUBLE_FACTEUR_CAF="oui")
    assert lus["AXES_FAILURE_LIMIT"] == 10
    assert lus["AXES_COOLOFF_TIME"] == timedelta(minutes=60)
    assert lus["CTG_DOUBLE_FACTEUR_CAF"] is True


def test_un_proxy_de_confiance_pour_https_compte_pour_les_adresses(reglages):
    assert reglages(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")["CTG_NOMBRE_PROXIES"] == 1
    assert reglages(SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto", CTG_NOMBRE_PROXIES="2")["CTG_NOMBRE_PROXIES"] == 2


@pytest.mark.parametrize("valeur", ["cinq", "0", "-3"])
def test_une_limite_invalide_est_refusee(reglages, valeur):
    with pytest.raises(ImproperlyConfigured, match="CTG_CONNEXION_ECHECS_MAX=.* doit être un nombre entier"):
        reglages(CTG_CONNEXION_ECHECS_MAX=valeur)
