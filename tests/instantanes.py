"""Snapshots of what a test loader writes, so that the next test asking for the same loader gets the same rows copied
in instead of running it again (creating the reference convention through the rules layer, the demo accounts, the
demo plan, the embedded data and their indicators: from a tenth of a second to twenty seconds each time).

How it stays right:

- the first time, the loader runs and what it did is read back table by table: the rows it added; in the tables
  that already held rows (those of a loader before it, at most a few thousand rows), the rows it changed or
  removed, compared one by one with their content before; in a larger table (the open data, the indicators) only
  added rows are seen, which is all the loaders do there (rows removed or keys reused: no snapshot is taken);
- the next time, the same changes are applied (removed and changed rows deleted, added and changed rows inserted
  as they were) only if the database is in the state the snapshot was taken from: the same count and largest key
  in every table of the applications (or, for a loader whose rows refer to nothing else, in the tables it writes),
  at the same day of the pinned clock; otherwise the loader runs, as it would without snapshots;
- the state is told without reading the database when it can be: the test database starts every test in the same
  state (each test is rolled back) until a transactional test commits, so a test that has written nothing but
  snapshots, in the same order, since it began (``_Suivi``: every statement that writes is seen through Django's
  execute wrappers and ``COPY``) is in the state the snapshot was taken from; otherwise the counts and largest keys
  are read (on PostgreSQL, about 40 ms each time);
- ``CTG_TESTS_SANS_INSTANTANES=1`` turns them off, to compare.

The territories (the template's, never written by a loader) are left out.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, time

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.backends.utils import CursorWrapper

from ctg import horloge

ACTIFS = os.environ.get("CTG_TESTS_SANS_INSTANTANES", "") not in ("1", "true", "oui")
APPLICATIONS_EXCLUES = {"territoires"}  # the template's snapshot of the territories, read-only for the loaders
PETITE_TABLE = 5000  # rows: a table up to this size is compared row by row before and after a loader


@dataclass(frozen=True)
class _Table:
    model: type[models.Model]
    nom: str  # quoted
    colonnes: tuple[str, ...]  # quoted
    cle: str  # quoted primary key column
    rang_cle: int  # place of the key among the columns
    automatique: bool  # an AutoField: new rows have larger keys


@dataclass
class _Changements:
    inserees: list[tuple]  # rows added or changed, as they are after the loader
    supprimees: list[object]  # keys of rows changed or removed


@dataclass
class _Instantane:
    avant: dict[str, tuple[int, object]]  # signature the snapshot was taken from
    prefixe: tuple | None  # _Suivi.etat() it was taken from, if known
    changements: dict[str, _Changements]
    resultat: tuple[type[models.Model], object] | None  # the loader's returned object, as (model, key)
    fin: datetime  # the pinned clock when the loader ended


# Statements that do not write: everything else is taken as a write (``WITH`` included).
LECTURES = ("SELECT", "SAVEPOINT", "RELEASE", "ROLLBACK", "BEGIN", "COMMIT", "SET", "SHOW", "PRAGMA", "EXPLAIN")


@dataclass
class _Suivi:
    """What was done to the test database since the running test began, as far as the snapshots are concerned."""

    generation: int = 0  # bumped by each transactional test: what it commits changes every next test's start
    transactionnel: bool = False  # the running test commits: its starting state is unknown
    appliques: tuple[str, ...] = ()  # the loaders applied or run since the test began, in order
    ecarts: bool = False  # something else wrote since the test began
    en_cours: int = 0  # loaders running now (their writes are theirs)

    def etat(self) -> tuple | None:
        """The state of the database, told without reading it; None when unknown."""
        if self.ecarts or self.transactionnel:
            return None
        return (self.generation, self.appliques)

    def ecriture(self) -> None:
        if not self.en_cours:
            self.ecarts = True


_SUIVI = _Suivi()


def _surveiller(execute, sql, params, many, context):
    if not sql.lstrip().upper().startswith(LECTURES):
        _SUIVI.ecriture()
    return execute(sql, params, many, context)


def _copier(self, *args, **kwargs):
    _SUIVI.ecriture()
    return self.cursor.copy(*args, **kwargs)


def installer() -> None:
    """Every statement of the session's connection is seen (once per session, before the first test)."""
    if _surveiller not in connection.execute_wrappers:
        connection.execute_wrappers.append(_surveiller)
    # COPY (PostgreSQL) goes past the execute wrappers: Django's cursor hands it to psycopg's.
    CursorWrapper.copy = _copier


def debut_de_test(transactionnel: bool) -> None:
    """A test begins: the database is in the state every test of the same generation starts from."""
    if transactionnel or _SUIVI.transactionnel:
        _SUIVI.generation += 1
    _SUIVI.transactionnel = transactionnel
    _SUIVI.appliques = ()
    _SUIVI.ecarts = False
    _SUIVI.en_cours = 0


@contextmanager
def _charge(cle: str):
    """A loader run or a snapshot applied: its writes are its own, and the state afterwards is known if it was
    before."""
    _SUIVI.en_cours += 1
    try:
        yield
    except BaseException:
        _SUIVI.ecarts = True
        raise
    finally:
        _SUIVI.en_cours -= 1
    _SUIVI.appliques += (cle,)


_TABLES: dict[str, _Table] = {}
_INSTANTANES: dict[tuple, _Instantane] = {}
# The pinned clock of the running test (its time_machine traveller, set by the ``horloge`` fixture): after a snapshot
# is applied, it is moved past the moment the loader ended the first time, so that what the test does comes after
# the rows of the snapshot (their history, their dates) as it would after the loader.
voyage_en_cours = None


def _tables() -> dict[str, _Table]:
    if not _TABLES:
        nom = connection.ops.quote_name
        for model in apps.get_models(include_auto_created=True):
            meta = model._meta
            if meta.app_label in APPLICATIONS_EXCLUES or not meta.managed or meta.proxy or meta.db_table in _TABLES:
                continue
            champs = list(meta.concrete_fields)
            _TABLES[meta.db_table] = _Table(
                model,
                nom(meta.db_table),
                tuple(nom(f.column) for f in champs),
                nom(meta.pk.column),
                champs.index(meta.pk),
                isinstance(meta.pk, models.AutoField),
            )
    return _TABLES


def _signature(tables: list[str] | None = None) -> dict[str, tuple[int, object]]:
    """table -> (row count, largest key), read in one statement."""
    choisies = [t for t in _tables().values() if tables is None or t.model._meta.db_table in tables]
    # The largest keys as text (the keys of the tables are not all of one type, and PostgreSQL has no MAX of a
    # UUID), read back as numbers for the automatic ones.
    requete = " UNION ALL ".join(
        f"SELECT {i}, COUNT(*), "  # noqa: S608 (names from the models)
        + (f"CAST(MAX({t.cle}) AS TEXT)" if t.automatique else f"MAX(CAST({t.cle} AS TEXT))")
        + f" FROM {t.nom}"
        for i, t in enumerate(choisies)
    )
    with connection.cursor() as curseur:
        curseur.execute(requete)
        return {
            choisies[i].model._meta.db_table: (n, int(m) if m is not None and choisies[i].automatique else m)
            for i, n, m in curseur.fetchall()
        }


def _lignes(t: _Table, condition: str = "", parametres=()) -> dict[object, tuple]:
    with connection.cursor() as curseur:
        curseur.execute(f"SELECT {', '.join(t.colonnes)} FROM {t.nom} {condition}", list(parametres))  # noqa: S608
        return {ligne[t.rang_cle]: ligne for ligne in curseur.fetchall()}


def _contenus(signature: dict) -> dict[str, dict[object, tuple]]:
    """The rows of every small table that holds some, by key."""
    return {table: _lignes(_tables()[table]) for table, (n, _m) in signature.items() if 0 < n <= PETITE_TABLE}


def _changements(avant: dict, contenus: dict, apres: dict) -> dict[str, _Changements] | None:
    """What the loader changed, table by table; None if it cannot be told exactly."""
    changements = {}
    for table, (n_apres, max_apres) in apres.items():
        n_avant, max_avant = avant[table]
        t = _tables()[table]
        if table in contenus:
            lignes = _lignes(t)
            anciennes = contenus[table]
            inserees = [ligne for cle, ligne in lignes.items() if anciennes.get(cle) != ligne]
            supprimees = [cle for cle, ligne in anciennes.items() if lignes.get(cle) != ligne]
        elif (n_apres, max_apres) == (n_avant, max_avant):
            continue
        elif n_avant == 0:
            inserees, supprimees = list(_lignes(t).values()), []
        elif t.automatique:
            inserees, supprimees = list(_lignes(t, f"WHERE {t.cle} > %s", [max_avant]).values()), []
            if len(inserees) != n_apres - n_avant:
                return None  # rows removed or keys reused in a large table: not told apart
        else:
            return None
        if inserees or supprimees:
            changements[table] = _Changements(inserees, supprimees)
    return changements


def _pour_sqlite(ligne: tuple) -> tuple:
    """A row as read back (Django's converters give a TimeField a ``time``), written as Django writes it: sqlite3 has
    no adapter for ``time`` (it has for dates, datetimes and decimals, Django's or its own)."""
    return tuple(str(valeur) if isinstance(valeur, time) else valeur for valeur in ligne)


def _appliquer(instantane: _Instantane) -> None:
    with transaction.atomic(), connection.cursor() as curseur:
        for table, changement in instantane.changements.items():
            t = _tables()[table]
            for debut in range(0, len(changement.supprimees), 500):
                lot = changement.supprimees[debut : debut + 500]
                marques = ", ".join(["%s"] * len(lot))
                curseur.execute(f"DELETE FROM {t.nom} WHERE {t.cle} IN ({marques})", lot)  # noqa: S608
            colonnes = ", ".join(t.colonnes)
            if connection.vendor == "postgresql":
                with curseur.copy(f"COPY {t.nom} ({colonnes}) FROM STDIN") as copie:
                    for ligne in changement.inserees:
                        copie.write_row(ligne)
            else:
                marques = ", ".join(["%s"] * len(t.colonnes))
                sql = f"INSERT INTO {t.nom} ({colonnes}) VALUES ({marques})"  # noqa: S608
                curseur.executemany(sql, [_pour_sqlite(ligne) for ligne in changement.inserees])
        # The copied rows keep their keys: the sequences go on after them (SQLite's follow by themselves).
        modeles = [_tables()[table].model for table in instantane.changements]
        for sql in connection.ops.sequence_reset_sql(no_style(), modeles):
            curseur.execute(sql)


def instantane(cle: str, charger: Callable[[], object], autonome: bool = False):
    """``charger()``, or the changes it made the first time it ran, applied again from the same state.

    ``autonome``: the loader's rows refer to no row of another table than those it writes (and the territories), so
    only the tables it writes need to be in the same state. Returns what ``charger`` returned (a model instance is
    read again from the database)."""
    if not ACTIFS:
        return charger()
    jour = horloge.aujourd_hui().isoformat()
    deja = _INSTANTANES.get((cle, jour))
    etat = _SUIVI.etat()
    if deja is not None:
        if (
            not (etat is not None and etat == deja.prefixe)
            and _signature(list(deja.avant) if autonome else None) != deja.avant
        ):
            with _charge(cle):
                return charger()  # another starting state: the snapshot does not apply
        with _charge(cle):
            _appliquer(deja)
        if voyage_en_cours is not None and horloge.maintenant() < deja.fin:
            voyage_en_cours.move_to(deja.fin)
        if deja.resultat is None:
            return None
        model, pk = deja.resultat
        return model._default_manager.get(pk=pk)
    avant = _signature()
    contenus = _contenus(avant)
    with _charge(cle):
        resultat = charger()
    changements = _changements(avant, contenus, _signature())
    if changements is not None and (resultat is None or isinstance(resultat, models.Model)):
        _INSTANTANES[(cle, jour)] = _Instantane(
            avant={t: avant[t] for t in changements} if autonome else avant,
            prefixe=etat,
            changements=changements,
            resultat=None if resultat is None else (type(resultat), resultat.pk),
            fin=horloge.maintenant(),
        )
    return resultat
