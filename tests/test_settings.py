import pytest
from django.core.exceptions import ImproperlyConfigured

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
