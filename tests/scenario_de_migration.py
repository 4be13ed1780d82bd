"""A migration scenario run on a copy of the session's SQLite template (migrated, with the territories), in a process
of its own, so that the session's database is never migrated backwards (tests/plan/test_migrations.py,
tests/financement/test_migration_pieces.py)."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings


def rejouer_sur_copie(script: str, dossier: Path) -> dict:
    """Run ``script`` (Python, which sets Django up and prints its findings as JSON on its last line) on a copy of the
    template in ``dossier``; returns what it printed. Skipped where there is no SQLite template (PostgreSQL)."""
    from tests.conftest import _modele_sqlite, _sur_sqlite

    modele = _modele_sqlite()
    if not (_sur_sqlite() and modele.is_file()):
        pytest.skip("essai sur une copie de la base modèle SQLite des tests")
    copie = dossier / "copie.sqlite3"
    shutil.copyfile(modele, copie)
    environnement = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "ctg.settings",
        "DATABASE_URL": f"sqlite:///{copie}",
        "CTG_VAR_DIR": str(dossier / "var"),
        "CTG_FICHIERS_DIR": str(dossier / "fichiers"),
        "CTG_DATA_DIR": str(settings.DATA_DIR),
    }
    sortie = subprocess.run(
        [sys.executable, "-c", script], env=environnement, capture_output=True, text=True, timeout=600, check=False
    )
    assert sortie.returncode == 0, sortie.stderr[-3000:]
    return json.loads(sortie.stdout.strip().splitlines()[-1])
