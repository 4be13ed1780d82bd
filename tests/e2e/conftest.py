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
