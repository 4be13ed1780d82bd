"""Shared fixtures: the test database holds the real territories snapshot, imported once per session; the
clock is pinned for every test (``CTG_DATE_TESTS``, or the test's own ``@pytest.mark.date("AAAA-MM-JJ")``);
passwords are hashed with a fast hasher (tests only: the product keeps Django's PBKDF2)."""

import os
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.core.management import call_command

# PBKDF2 costs about half a second per password (each demo account, each create_user): the tests hash with MD5,
# which proves nothing about security and is never used outside the tests.
HACHEURS_DE_TEST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    settings.PASSWORD_HASHERS = HACHEURS_DE_TEST


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        call_command("import_territoires", source=settings.CTG_TERRITOIRES_DIR, verbosity=0)


@pytest.fixture
def convention_cambrai(db):
    """The real CTG Caf du Nord × CA de Cambrai (December 2021), as the demo loads it."""
    from ctg.demo.convention_cambrai import charger_convention_cambrai

    return charger_convention_cambrai()


@pytest.fixture
def utilisateur(django_user_model):
    return django_user_model.objects.create_user(username="agent", password="mot-de-passe-de-test", first_name="Alix")


@pytest.fixture
def client_connecte(client, utilisateur):
    client.force_login(utilisateur)
    return client


def pytest_collection_modifyitems(config, items):
    # Browser tests use live_server, whose transactional teardown empties the database: they run last.
    items.sort(key=lambda item: item.get_closest_marker("navigateur") is not None)


# The date the whole suite runs at; the README's test command also runs the view tests at a date in 2027 and in
# 2031 (CTG_DATE_TESTS), so that no test depends on the machine's calendar.
DATE_TESTS = os.environ.get("CTG_DATE_TESTS", "2026-11-30")


def instant_de(jour: str) -> datetime:
    """10:00, Paris time, on ``jour`` (AAAA-MM-JJ)."""
    return datetime.combine(date.fromisoformat(jour), time(10), tzinfo=ZoneInfo("Europe/Paris"))


@pytest.fixture(autouse=True)
def horloge(request):
    """The product's clock (ctg.horloge), pinned: to the test's ``date`` marker if it has one, else to DATE_TESTS.
    The clock ticks from there, so that instants recorded one after the other stay ordered."""
    marqueur = request.node.get_closest_marker("date")
    jour = marqueur.args[0] if marqueur else DATE_TESTS
    with time_machine.travel(instant_de(jour), tick=True) as voyage:
        yield voyage
