"""From one database engine to the other: the suite runs on SQLite and on PostgreSQL (scripts/tests.sh); here the
test database (either) hands its convention to a second database, a throwaway SQLite file whose tables are created
from the models in one go. The backup made on that SQLite database restores on the test database and the new
backup is the same, byte for byte: on the PostgreSQL run, SQLite → PostgreSQL (and PostgreSQL → SQLite before)."""

import io

import pytest
from django.apps import apps
from django.db import connections
from django.db.backends.sqlite3.base import DatabaseWrapper

from ctg.conventions.models import Convention
from ctg.sauvegarde import archive, export, restauration

from .conftest import en_zip, parties

pytestmark = pytest.mark.django_db
AUTRE = "sauvegarde_sqlite"


@pytest.fixture
def autre_base(tmp_path):
    """A second database, SQLite, with every table of the product (no migration: created from the models)."""
    reglages = connections.configure_settings(
        {"default": {}, AUTRE: {"ENGINE": "django.db.backends.sqlite3", "NAME": str(tmp_path / "autre.sqlite3")}}
    )[AUTRE]
    connections[AUTRE] = DatabaseWrapper(reglages, AUTRE)  # a connection of the test's own, not in the settings
    try:
        with connections[AUTRE].schema_editor() as editeur:
            for modele in apps.get_models():
                editeur.create_model(modele)
        yield AUTRE
    finally:
        connections[AUTRE].close()
        del connections[AUTRE]


def copier_territoires(contenu: bytes, alias: str):
    """The territories the archive refers to (and those they belong to), copied from the test database."""
    Commune = apps.get_model("territoires.Commune")
    codes = restauration.Preparation(archive.lire(io.BytesIO(contenu)), alias).codes_territoires()
    communes = list(Commune.objects.filter(pk__in=codes.get(Commune, set())))
    for nom in ("Region", "Departement", "Epci"):
        modele = apps.get_model("territoires", nom)
        modele.objects.using(alias).bulk_create(modele.objects.all())
    Commune.objects.using(alias).bulk_create(communes)


def test_une_sauvegarde_faite_sur_sqlite_se_restaure_sur_l_autre_base_a_l_identique(convention, autre_base):
    depuis_la_base_de_test = en_zip([convention])
    with pytest.raises(archive.ArchiveRefusee, match="Territoires de l.archive absents"):
        restauration.preparer(io.BytesIO(depuis_la_base_de_test), autre_base)
    copier_territoires(depuis_la_base_de_test, autre_base)
    restauration.restaurer(io.BytesIO(depuis_la_base_de_test), using=autre_base)

    tampon = io.BytesIO()
    manifeste = export.sauvegarder(Convention.objects.using(autre_base).all(), tampon, using=autre_base)
    faite_sur_sqlite = tampon.getvalue()
    assert manifeste["moteur_source"] == "sqlite"
    assert parties(faite_sur_sqlite) == parties(depuis_la_base_de_test)

    ctes = convention.ctes_identifiant
    convention.delete()
    restauration.restaurer(io.BytesIO(faite_sur_sqlite))
    apres = parties(en_zip([Convention.objects.get(ctes_identifiant=ctes)]))
    assert apres == parties(faite_sur_sqlite)
