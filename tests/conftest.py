"""Shared fixtures: the test database holds the real territories snapshot, imported once per session."""

import pytest
from django.conf import settings
from django.core.management import call_command


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
