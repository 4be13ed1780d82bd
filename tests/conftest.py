"""Shared fixtures: the test database holds the real territories snapshot; the clock is pinned for every test
(``CTG_DATE_TESTS``, or the test's own ``@pytest.mark.date("AAAA-MM-JJ")``); passwords are hashed with a fast
hasher (tests only: the product keeps Django's PBKDF2).

The test database is migrated and the territories imported once; on SQLite the result is kept as a template file
(``CTG_CACHE_TESTS``, by default ``$CTG_VAR_DIR/cache-tests/``) named after everything it depends on: the
migrations of every application, the product's code, the data files, Django's and SQLite's versions. The next
session with the same ones starts from a copy of it instead of migrating and importing again; any change to the
code or the data builds a new one. On PostgreSQL the tables are created from the models (see
``django_db_use_migrations``) and the territories imported in each session."""

import functools
import hashlib
import json
import os
import shutil
import sqlite3
from datetime import date, datetime, time
from pathlib import Path
from zoneinfo import ZoneInfo

import django
import pytest
import time_machine
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, connections, transaction

import ctg

from . import instantanes, memoire_pdf
from .instantanes import instantane

# PBKDF2 costs about half a second per password (each demo account, each create_user): the tests hash with MD5,
# which proves nothing about security and is never used outside the tests.
HACHEURS_DE_TEST = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def pytest_configure(config):
    settings.PASSWORD_HASHERS = HACHEURS_DE_TEST
    # The test database is a throwaway one, also on PostgreSQL (DATABASE_URL): the demonstration may be loaded there.
    settings.CTG_DEMO = True
    if _sur_sqlite() and os.environ.get("CTG_CLES_VERIFIEES_SUR_POSTGRES"):
        _sans_verification_des_cles_sur_sqlite()


def _sans_verification_des_cles_sur_sqlite() -> None:
    """At the end of each test, Django checks the foreign keys whose check was deferred to the commit that never
    comes: on PostgreSQL a cheap ``SET CONSTRAINTS ALL IMMEDIATE``, on SQLite a ``PRAGMA foreign_key_check`` of the
    whole database (the territories and the indicators: about 45 ms per test, half a minute per run). When the same
    tests run on PostgreSQL in the same CI run (scripts/tests.sh sets ``CTG_CLES_VERIFIEES_SUR_POSTGRES``), that
    check is left to PostgreSQL; a run on SQLite alone keeps it."""
    from django.test import testcases

    verifier = testcases.TestCase._should_check_constraints

    def sauf_sqlite(self, connexion):
        return connexion.vendor != "sqlite" and verifier(self, connexion)

    testcases.TestCase._should_check_constraints = sauf_sqlite


def _sur_sqlite() -> bool:
    return settings.DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3"


def _fichiers_du_modele() -> list[tuple[str, Path]]:
    """Everything the template database depends on, each file with a name independent of the clone's place: the
    migrations of every application (Django's and the libraries' included), the product's code (data migrations
    call it: the barèmes, the territories import…) and the data files (the territories snapshot)."""
    racine_code = Path(ctg.__file__).parent
    fichiers = [
        (f"migrations/{app.label}/{f.name}", f)
        for app in apps.get_app_configs()
        for f in Path(app.path, "migrations").glob("*.py")
    ]
    fichiers += [(f"ctg/{f.relative_to(racine_code)}", f) for f in racine_code.rglob("*.py")]
    dossiers = {"data": Path(settings.DATA_DIR)}
    if not Path(settings.CTG_TERRITOIRES_DIR).is_relative_to(settings.DATA_DIR):
        dossiers["territoires"] = Path(settings.CTG_TERRITOIRES_DIR)
    for nom, dossier in dossiers.items():
        fichiers += [(f"{nom}/{f.relative_to(dossier)}", f) for f in dossier.rglob("*") if f.is_file()]
    return sorted(fichiers)


@functools.cache
def _modele_sqlite() -> Path:
    empreinte = hashlib.sha256(f"{django.__version__} {sqlite3.sqlite_version}".encode())
    for nom, fichier in _fichiers_du_modele():
        empreinte.update(nom.encode())
        with open(fichier, "rb") as handle:
            empreinte.update(hashlib.file_digest(handle, "sha256").digest())
    dossier = Path(os.environ.get("CTG_CACHE_TESTS") or Path(settings.VAR_DIR) / "cache-tests")
    return dossier / f"modele-{empreinte.hexdigest()[:20]}.sqlite3"


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix, tmp_path_factory):
    """On SQLite, the test database is a file of the session's own, a copy of the template when there is one."""
    if _sur_sqlite():
        base = tmp_path_factory.mktemp("base") / "tests.sqlite3"
        settings.DATABASES["default"].setdefault("TEST", {})["NAME"] = str(base)
        modele = _modele_sqlite()
        if modele.is_file():
            shutil.copyfile(modele, base)


@pytest.fixture(scope="session")
def django_db_use_migrations(request):
    """SQLite: the test database is built by the migrations (every CI run builds the template anew, so every
    migration is applied there from a new database, data migrations included). PostgreSQL: the tables are created
    from the models, as the migrations leave them (``makemigrations --check`` in CI holds the two equal), and the
    one data migration a new database needs, the initial rates table, is run by ``django_db_setup`` below: replaying
    the migrations costs a minute of model states at each session, for the same tables."""
    return _sur_sqlite() and not request.config.getvalue("nomigrations")


@pytest.fixture(scope="session")
def django_db_keepdb(request):
    """On SQLite Django must not erase the session's file (it may be the template's copy); django_db_setup removes
    it at the end of the session."""
    return request.config.getvalue("reuse_db") or _sur_sqlite()


def _territoires_importes() -> bool:
    """The latest import came from the snapshot's files as they are now (their checksums in sources.json)."""
    from ctg.territoires.models import ImportTerritoires

    dernier = ImportTerritoires.objects.order_by("-date").first()
    meta = json.loads((Path(settings.CTG_TERRITOIRES_DIR) / "sources.json").read_text(encoding="utf-8"))
    attendues = meta.get("fichiers", {})
    return dernier is not None and bool(attendues) and attendues.items() <= dernier.empreintes.items()


def _enregistrer_modele() -> None:
    """Copy the migrated database holding the territories to the template file (written aside, then renamed: a
    session reading the previous one, or writing the same one, is never disturbed); older templates are removed."""
    modele = _modele_sqlite()
    modele.parent.mkdir(parents=True, exist_ok=True)
    provisoire = modele.with_name(f"{modele.name}.{os.getpid()}.provisoire")
    connection.ensure_connection()
    destination = sqlite3.connect(provisoire)
    try:
        connection.connection.backup(destination)
    finally:
        destination.close()
    os.replace(provisoire, modele)
    for ancien in modele.parent.glob("modele-*.sqlite3"):
        if ancien != modele:
            ancien.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker, django_db_use_migrations):
    with django_db_blocker.unblock():
        if not django_db_use_migrations:
            from ctg.financement.baremes import semer_baremes

            semer_baremes()  # financement's migration 0002, on tables created from the models
        if not _territoires_importes():
            call_command("import_territoires", source=settings.CTG_TERRITOIRES_DIR, verbosity=0)
            if _sur_sqlite():
                _enregistrer_modele()
        if not _sur_sqlite():
            _garder_territoires_pg()
    yield
    base = settings.DATABASES["default"].get("TEST", {}).get("NAME")
    if _sur_sqlite() and base and Path(base).parent.name.startswith("base"):
        # The session's own file, from django_db_modify_db_settings (Django keeps it: see django_db_keepdb).
        base = Path(base)
        connections.close_all()
        for fichier in (base, base.with_name(f"{base.name}-wal"), base.with_name(f"{base.name}-shm")):
            fichier.unlink(missing_ok=True)


# On PostgreSQL the territories imported by the session are kept in a schema of their own, which the flush at the end
# of a transactional test does not touch (it empties only the tables of the applications).
SCHEMA_MODELE_PG = "modele_territoires"


def _tables_des_territoires() -> list[str]:
    from ctg.territoires.models import Commune, Departement, Epci, ImportTerritoires, Region

    return [model._meta.db_table for model in (Region, Departement, Epci, Commune, ImportTerritoires)]


def _garder_territoires_pg() -> None:
    """Copy the imported territories into the schema kept aside (PostgreSQL only)."""
    nom = connection.ops.quote_name
    with connection.cursor() as curseur:
        curseur.execute(f"DROP SCHEMA IF EXISTS {SCHEMA_MODELE_PG} CASCADE")
        curseur.execute(f"CREATE SCHEMA {SCHEMA_MODELE_PG}")
        for table in _tables_des_territoires():
            curseur.execute(f"CREATE TABLE {SCHEMA_MODELE_PG}.{nom(table)} AS TABLE public.{nom(table)}")


def _territoires_depuis_le_modele() -> bool:
    """Copy the territories back, in one statement per table: from the SQLite template file, or from the schema kept
    aside on PostgreSQL; False if there is none."""
    from ctg.territoires.models import ImportTerritoires

    nom = connection.ops.quote_name
    if not _sur_sqlite():
        with connection.cursor() as curseur:
            curseur.execute("SELECT 1 FROM information_schema.schemata WHERE schema_name = %s", [SCHEMA_MODELE_PG])
            if curseur.fetchone() is None:
                return False
            with transaction.atomic():
                for table in _tables_des_territoires():
                    curseur.execute(f"INSERT INTO public.{nom(table)} SELECT * FROM {SCHEMA_MODELE_PG}.{nom(table)}")
                # The copied rows keep their ids: the sequences go on after them.
                for sql in connection.ops.sequence_reset_sql(no_style(), [ImportTerritoires]):
                    curseur.execute(sql)
        return True
    modele = _modele_sqlite()
    if not modele.is_file():
        return False
    with connection.cursor() as curseur:
        curseur.execute("ATTACH DATABASE %s AS modele", [str(modele)])
        try:
            with transaction.atomic():
                for table in _tables_des_territoires():
                    curseur.execute(f"INSERT INTO main.{nom(table)} SELECT * FROM modele.{nom(table)}")
        finally:
            curseur.execute("DETACH DATABASE modele")
    return True


def _transactionnel(request) -> bool:
    marqueur = request.node.get_closest_marker("django_db")
    return bool(marqueur and marqueur.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )


@pytest.fixture(autouse=True)
def territoires_presents(request, django_db_blocker):
    """A transactional test (``transaction=True``, ``live_server``) empties every table when it ends: the next one
    gets the territories back, from the SQLite template or by importing them again. The snapshots are told how the
    test starts (``tests.instantanes``)."""
    transactionnel = _transactionnel(request)
    instantanes.debut_de_test(transactionnel)
    if transactionnel:
        from ctg.territoires.models import Epci

        with django_db_blocker.unblock():
            if not Epci.objects.exists() and not _territoires_depuis_le_modele():
                call_command("import_territoires", source=settings.CTG_TERRITOIRES_DIR, verbosity=0)


@pytest.fixture(scope="session", autouse=True)
def mises_en_page_gardees():
    """A PDF laid out again from the same HTML is the session's first layout of it (``tests.memoire_pdf``); the
    snapshots see every statement that writes (``tests.instantanes``)."""
    memoire_pdf.installer()
    instantanes.installer()


@pytest.fixture(autouse=True)
def memoire_des_donnees_oubliee():
    """What the diagnostic derives from the data is kept by version of the data
    (``ctg.diagnostic.calcul._MEMOIRE_DES_DONNEES``); a rolled-back test may leave a version that the next one reaches
    again with other rows (same count, same largest key): each test starts without it."""
    from ctg.diagnostic import calcul

    calcul._MEMOIRE_DES_DONNEES.clear()


@pytest.fixture(autouse=True)
def memoire_des_generations_oubliee():
    """What is kept under a convention's token (``ctg.generations``): two tests may start from the same copied rows,
    token included, and one of them change rows without ``save()`` (``QuerySet.update``): each test starts without
    it."""
    from ctg.generations import memoire

    memoire.oublier()


@pytest.fixture
def donnees_embarquees_calculees(db):
    """The embedded open data imported and every indicator computed on them, as ``ctg demarrer`` leaves them.

    The first test of the session imports and computes (``charger_donnees_embarquees``, ``calculer_tout``: about
    twenty seconds over the whole of France); the next ones get the same rows copied in (``tests.instantanes``)."""
    from ctg.demo.donnees import charger_donnees_embarquees
    from ctg.diagnostic.calcul import calculer_tout

    def charger():
        charger_donnees_embarquees()
        calculer_tout()

    instantane("donnees_embarquees_calculees", charger, autonome=True)


@pytest.fixture
def convention_cambrai(db):
    """The real CTG Caf du Nord × CA de Cambrai (December 2021), as the demo loads it."""
    from ctg.demo.convention_cambrai import charger_convention_cambrai

    return instantane("convention_cambrai", charger_convention_cambrai)


@pytest.fixture
def demo_chargee(db):
    """``ctg charger_demo --sans-donnees``: the reference convention with every module's demonstration content, its
    2027–2031 renewal and one account per role. The first test of the session at its date runs the command; the next
    ones get the same rows copied in (``tests.instantanes``)."""

    def charger():
        call_command("charger_demo", sans_donnees=True, verbosity=0)

    instantane("charger_demo --sans-donnees", charger)


@pytest.fixture
def utilisateur(django_user_model):
    return django_user_model.objects.create_user(username="agent", password="mot-de-passe-de-test", first_name="Alix")


@pytest.fixture
def compte_demo(client, convention_cambrai):
    """The demo accounts on the reference convention; ``compte_demo("chef.projet")`` signs the test client in as one
    of them (by its password, as a person would) and returns it."""
    from ctg.demo.comptes import MOT_DE_PASSE_DEMO, creer_comptes_demo

    creer_comptes_demo(convention_cambrai)

    def connecter(identifiant):
        client.logout()
        assert client.login(username=identifiant, password=MOT_DE_PASSE_DEMO)
        return client

    return connecter


@pytest.fixture
def client_connecte(client, utilisateur):
    client.force_login(utilisateur)
    return client


@pytest.hookimpl(trylast=True)
def pytest_terminal_summary(terminalreporter, config):
    """With ``--durations`` (scripts/tests.sh), the time of each folder of tests after the slowest tests: setup
    (fixtures, loaders), test and teardown, summed over its tests, the largest first."""
    if config.getoption("durations", None) is None:
        return
    par_dossier: dict[str, list] = {}
    for rapports in terminalreporter.stats.values():
        for rapport in rapports:
            if getattr(rapport, "when", None) not in ("setup", "call", "teardown"):
                continue
            dossier = rapport.nodeid.split("::")[0].rsplit("/", 1)[0] if "/" in rapport.nodeid else "tests"
            ligne = par_dossier.setdefault(dossier, [set(), 0.0, 0.0, 0.0])
            ligne[0].add(rapport.nodeid)
            ligne[1 + ("setup", "call", "teardown").index(rapport.when)] += rapport.duration
    if not par_dossier:
        return
    terminalreporter.write_sep("=", "durée par dossier (préparation + test + nettoyage, en secondes)")
    for dossier, (tests, prep, test, nett) in sorted(par_dossier.items(), key=lambda kv: -sum(kv[1][1:])):
        total = prep + test + nett
        terminalreporter.write_line(
            f"{total:8.1f}  {dossier:<24} {len(tests):5d} tests   préparation {prep:7.1f}  test {test:7.1f}"
            f"  nettoyage {nett:6.1f}"
        )


# The fixtures through which a test reaches the database (pytest-django's, and its live server).
FIXTURES_DE_LA_BASE = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def _atteint_la_base(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(
        FIXTURES_DE_LA_BASE & set(getattr(item, "fixturenames", ()))
    )


def pytest_collection_finish(session):
    """``CTG_SIGNAL_COLLECTE``: a file written once the tests are collected (scripts/tests.sh starts the PostgreSQL
    session then, on the test modules and libraries this session has just compiled)."""
    signal = os.environ.get("CTG_SIGNAL_COLLECTE")
    if signal:
        Path(signal).touch()


def pytest_collection_modifyitems(config, items):
    # Browser tests use live_server, whose transactional teardown empties the database: they run last.
    items.sort(key=lambda item: item.get_closest_marker("navigateur") is not None)
    # When one CI run tests both databases (CTG_PARCOURS_REPARTIS, scripts/tests.sh), a long black-box test marked
    # ``une_base("sqlite")`` or ``une_base("postgresql")`` runs once, on that database; what it goes through is tested
    # on both by the other tests. A test that cannot reach the database (pytest-django refuses it any query) runs on
    # SQLite only: the same code gives the same answer. Run alone, every test runs on any database.
    if os.environ.get("CTG_PARCOURS_REPARTIS"):
        base = "sqlite" if _sur_sqlite() else "postgresql"
        ailleurs = [
            i
            for i in items
            if ((m := i.get_closest_marker("une_base")) and m.args[0] != base)
            or (base != "sqlite" and not _atteint_la_base(i))
        ]
        if ailleurs:
            config.hook.pytest_deselected(items=ailleurs)
            items[:] = [i for i in items if i not in ailleurs]


# The date the whole suite runs at (CTG_DATE_TESTS).
DATE_TESTS = os.environ.get("CTG_DATE_TESTS", "2026-11-30")

# The view tests of conventions, plan, comité and financement that are not pinned to a date of their own also run, in
# the same session, at each date of CTG_DATES_VUES (AAAA-MM-JJ, separated by commas): the README's test command gives
# a date in 2027 to one database and one in 2031 to the other, so that no page depends on the machine's calendar.
MODULES_AUX_DATES = (
    "conventions/test_vues.py",
    "plan/test_vues.py",
    "gouvernance/test_vues.py",
    "financement/test_vues.py",
)
DATES_VUES = [jour.strip() for jour in os.environ.get("CTG_DATES_VUES", "").split(",") if jour.strip()]
for _jour in (DATE_TESTS, *DATES_VUES):
    try:
        date.fromisoformat(_jour)
    except ValueError:
        raise pytest.UsageError(f"Date de test invalide : « {_jour} » (attendu : AAAA-MM-JJ).") from None


def pytest_generate_tests(metafunc):
    """Each view test of MODULES_AUX_DATES without a ``date`` marker, once at DATE_TESTS and once at each date of
    DATES_VUES (``test_…[2031-06-15]``)."""
    definition = metafunc.definition
    if not DATES_VUES or definition.get_closest_marker("date"):
        return
    if definition.path.relative_to(Path(__file__).parent).as_posix() not in MODULES_AUX_DATES:
        return
    metafunc.fixturenames.append("date_de_la_vue")
    metafunc.parametrize(
        "date_de_la_vue", [DATE_TESTS, *(pytest.param(jour, marks=pytest.mark.date(jour)) for jour in DATES_VUES)]
    )


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
        instantanes.voyage_en_cours = voyage
        try:
            yield voyage
        finally:
            instantanes.voyage_en_cours = None
