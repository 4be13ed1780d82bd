"""Headless Chromium (Debian's package) driven by Playwright, for the end-to-end tests."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from tests.e2e.visite import HAUTEUR, LARGEURS, Visites

# Playwright's synchronous API runs an event loop in the test thread; the ORM calls made by the
# test itself (creating its user) are still synchronous and safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

# A machine shared by several test runs answers slowly at times: an element may take more than the 5 s by default.
expect.set_options(timeout=10_000)

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
    contexte = navigateur.new_context(viewport={"width": LARGEURS[0], "height": HAUTEUR}, locale="fr-FR")
    page = contexte.new_page()
    page.set_default_timeout(15_000)
    yield page
    contexte.close()


@pytest.fixture(scope="session")
def captures(tmp_path_factory) -> Path:
    """The test artefacts' folder: CTG_ARTEFACTS if set, else ``artefacts`` in pytest's temporary folder."""
    dossier = Path(os.environ.get("CTG_ARTEFACTS") or tmp_path_factory.getbasetemp() / "artefacts")
    dossier.mkdir(parents=True, exist_ok=True)
    global _DOSSIER_ARTEFACTS
    _DOSSIER_ARTEFACTS = dossier
    return dossier


@pytest.fixture
def visiter(request, live_server, captures) -> Visites:
    """``visiter(page, chemin_ou_action, nom)``: the page loaded, audited by axe-core and captured at 1,280 and
    390 px in the journey's own folder of the artefacts (visite.py)."""
    dossier = captures / request.node.name.removeprefix("test_")
    dossier.mkdir(exist_ok=True)
    for ancienne in dossier.glob("*.png"):
        ancienne.unlink()
    return Visites(live_server.url, dossier)


_DOSSIER_ARTEFACTS: Path | None = None


def pytest_terminal_summary(terminalreporter):
    if _DOSSIER_ARTEFACTS is not None:
        terminalreporter.write_line(f"Captures d'écran des parcours : {_DOSSIER_ARTEFACTS}")


# When one CI run tests both databases (scripts/tests.sh sets CTG_PARCOURS_REPARTIS), each browser journey runs once,
# on the database named here, the two halves about as long; everything they do through the pages is also tested on
# both databases by the view tests. A journey not listed runs on both. Run alone, every journey runs.
BASE_DU_PARCOURS = {
    "test_plan.py": "sqlite",
    "test_gouvernance.py": "sqlite",
    "test_parcours_territoires.py": "postgresql",
    "test_parcours_referent.py": "sqlite",
    "test_parcours_convention.py": "postgresql",
    "test_parcours_chef_projet.py": "postgresql",
    "test_financement.py": "postgresql",
    "test_accessibilite.py": "postgresql",
    "test_visite.py": "sqlite",
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
