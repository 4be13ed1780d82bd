"""Headless Chromium (Debian's package) driven by Playwright, for the end-to-end tests."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

# Playwright's synchronous API runs an event loop in the test thread; the ORM calls made by the
# test itself (creating its user) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARGUMENTS_CHROMIUM = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chemin_chromium() -> str | None:
    return os.environ.get("CTG_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def navigateur():
    executable = chemin_chromium()
    if executable is None:
        if os.environ.get("CTG_EXIGER_NAVIGATEUR"):
            pytest.fail("Chromium est introuvable (paquet Debian « chromium ») et CTG_EXIGER_NAVIGATEUR est défini.")
        pytest.skip("Chromium est introuvable : installez le paquet Debian « chromium » (tests de bout en bout).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=ARGUMENTS_CHROMIUM)
        yield browser
        browser.close()


@pytest.fixture
def page(navigateur):
    contexte = navigateur.new_context(viewport={"width": 1366, "height": 900}, locale="fr-FR")
    page = contexte.new_page()
    yield page
    contexte.close()


@pytest.fixture(scope="session")
def captures() -> Path:
    dossier = Path(settings.VAR_DIR) / "captures"
    dossier.mkdir(parents=True, exist_ok=True)
    return dossier


# When one CI run tests both databases (scripts/tests.sh sets CTG_PARCOURS_REPARTIS), each browser journey runs once,
# on the database named here, the two halves about as long; everything they do through the pages is also tested on
# both databases by the view tests. A journey not listed runs on both. Run alone, every journey runs.
BASE_DU_PARCOURS = {
    "test_plan.py": "sqlite",
    "test_gouvernance.py": "sqlite",
    "test_parcours_territoires.py": "sqlite",
    "test_parcours_convention.py": "postgresql",
    "test_financement.py": "postgresql",
    "test_accessibilite.py": "postgresql",
}


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("CTG_PARCOURS_REPARTIS"):
        return
    base = "sqlite" if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3") else "postgresql"
    ici = Path(__file__).parent
    ailleurs = [i for i in items if i.path.parent == ici and BASE_DU_PARCOURS.get(i.path.name, base) != base]
    if ailleurs:
        config.hook.pytest_deselected(items=ailleurs)
        items[:] = [i for i in items if i not in ailleurs]
