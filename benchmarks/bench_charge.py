"""Load test of the production server on PostgreSQL.

Run from the repository root, after ``pip install -e ".[dev,charge]"``:

    .venv/bin/python benchmarks/bench_charge.py [--utilisateurs 50] [--duree 60] [--workers 4] [--threads 2]

1. A throwaway PostgreSQL cluster (``scripts/pg_temporaire.sh``) is migrated and filled as the embedded default is:
   territories, the demonstration (explicitly asked for: ``CTG_DEMO=true``), static files collected.
2. The production server starts as the README's "Mettre en production" section says (gunicorn, ``DEBUG=false``, a
   random ``SECRET_KEY``, plain HTTP for this local trial), on a free local port.
3. Locust, headless (``benchmarks/charge_locust.py``): ``--utilisateurs`` simulated users (default 50), started 5
   per second, each logged in with one of the five demonstration roles (a login hashes the password: about half a
   second of processor each, on purpose), then browsing the main pages of the reference convention with 1 to 3 s
   between two pages. Once every user is logged in, the scenario resets the figures (``charge_locust.py``) and the
   measure lasts ``--duree`` seconds (default 60): 50 users at work at the same time.
4. Printed: requests per second, median (p50), p95 and p99 response times over all pages and per page, errors,
   and the error lines of the server's log.
   Targets: 0 errors, p95 ≤ 500 ms (on a quiet 2-core machine: the load generator runs on the same machine).

With ``--base DATABASE_URL``, steps 1's cluster and filling are skipped: the database given, already migrated and
filled the same way, is used as it is (to compare two versions of the code on the same data, back to back, on a
machine whose load changes: run the script of each version with ``PYTHONPATH`` pointing at its ``src``).

It measures, it does not assert. Every temporary folder, the server and the cluster are removed at the end, also on
error or interruption.
"""

from __future__ import annotations

import argparse
import csv
import os
import secrets
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from commun import child_env, free_port, line, pg_version, run_child  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
PG_SCRIPT = ROOT / "scripts" / "pg_temporaire.sh"
LOCUSTFILE = Path(__file__).resolve().parent / "charge_locust.py"
TARGET_P95_MS = 500.0
SPAWN_RATE = 5  # users started per second
EPCI_REFERENCE = "200068500"  # CA de Cambrai, the reference convention of the demonstration


def production_env(database_url: str, var_dir: Path) -> dict[str, str]:
    env = child_env(database_url, var_dir)
    env.update(
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        CTG_HTTP_SIMPLE="true",  # plain HTTP for a local trial: no HTTPS redirect, cookies not marked Secure
        CTG_DEMO="true",  # the demonstration accounts are the simulated users
        CTG_JOURNAL_NIVEAU="WARNING",  # one log line per request would measure the terminal
    )
    return env


def reference_convention(env: dict[str, str]) -> tuple[str, str]:
    """The number of the reference convention (the first one of the EPCI) and the demonstration password."""
    code = (
        "from ctg.conventions.models import Convention; from ctg.demo.comptes import MOT_DE_PASSE_DEMO;"
        f"print(Convention.objects.filter(epci_id='{EPCI_REFERENCE}').order_by('date_debut')[0].pk, MOT_DE_PASSE_DEMO)"
    )
    numero, mot_de_passe = run_child(["shell", "-c", code], env).stdout.strip().splitlines()[-1].split(" ", 1)
    return numero, mot_de_passe


def wait_for(url: str, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5):  # nosec B310 — a local http URL built above
                return
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def percentile_ms(row: dict[str, str], name: str) -> float:
    value = row.get(name, "")
    return float(value) if value not in ("", "N/A") else float("nan")


def report(stats_csv: Path, failures_csv: Path, duration: int, users: int, pause: str) -> None:
    with stats_csv.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    total = next(r for r in rows if r["Name"] == "Aggregated")
    requests = int(total["Request Count"])
    failures = int(total["Failure Count"])
    p95 = percentile_ms(total, "95%")
    print(f"\nEssai de charge : {users} utilisateurs simultanés pendant {duration} s, {pause} s entre deux pages")
    line("requêtes", str(requests))
    line("requêtes par seconde", f"{float(total['Requests/s']):.1f}")
    line("erreurs", str(failures), "0", "OK" if failures == 0 else "AU-DESSUS")
    line("médiane (p50)", f"{percentile_ms(total, '50%'):.0f} ms")
    line("p95", f"{p95:.0f} ms", f"≤ {TARGET_P95_MS:.0f} ms", "OK" if p95 <= TARGET_P95_MS else "AU-DESSUS")
    line("p99", f"{percentile_ms(total, '99%'):.0f} ms")
    print("\nPar page (requêtes, p50 / p95 / p99 en ms, erreurs)")
    for row in sorted(rows, key=lambda r: -int(r["Request Count"])):
        if row["Name"] == "Aggregated" or not int(row["Request Count"]):
            continue  # the logins, done before the measure, have no request in it
        print(
            f"  {row['Name']:<34} {int(row['Request Count']):>6}   "
            f"{percentile_ms(row, '50%'):>5.0f} / {percentile_ms(row, '95%'):>5.0f} / {percentile_ms(row, '99%'):>5.0f}"
            f"   {int(row['Failure Count'])}"
        )
    if failures_csv.is_file():
        with failures_csv.open(encoding="utf-8") as f:
            for row in csv.DictReader(f):
                print(f"  ! {row['Method']} {row['Name']} : {row['Error']} ({row['Occurrences']} fois)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--utilisateurs", type=int, default=50)
    parser.add_argument("--duree", type=int, default=60, help="durée de l'essai en secondes")
    parser.add_argument("--workers", type=int, default=4, help="processus gunicorn (défaut 4)")
    parser.add_argument("--threads", type=int, default=2, help="fils par processus gunicorn (défaut 2)")
    parser.add_argument(
        "--pause",
        default="1-3",
        help="secondes entre deux pages d'un utilisateur, MIN-MAX (défaut 1-3 : un lecteur rapide ; 5-15 : un usage "
        "de bureau)",
    )
    parser.add_argument(
        "--base",
        default="",
        help="adresse d'une base PostgreSQL déjà migrée et remplie (territoires, démonstration) : ni cluster "
        "temporaire, ni remplissage",
    )
    options = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="ctg-bench-charge-"))
    workdir.chmod(0o755)
    pg_dir = workdir / "pg"
    server = None
    try:
        if options.base:
            url = options.base
        else:
            started = subprocess.run(
                ["bash", str(PG_SCRIPT), "demarrer", str(pg_dir), str(free_port())],
                capture_output=True,
                text=True,
                timeout=180,
            )
            if started.returncode != 0:
                raise RuntimeError(f"le cluster PostgreSQL n'a pas démarré :\n{started.stderr}")
            url = started.stdout.strip().splitlines()[-1]
        env = production_env(url, workdir / "var")
        (workdir / "var").mkdir()
        print(f"PostgreSQL {pg_version(url)} ({'base donnée' if options.base else 'cluster temporaire'})")
        steps = (["migrate", "-v0"], ["import_territoires", "-v0"], ["charger_demo"], ["collectstatic", "--noinput"])
        for step in [] if options.base else steps:
            run = run_child(step, env)
            line(f"ctg {' '.join(step)}", f"{run.seconds:.1f} s")
        convention, password = reference_convention(env)

        port = free_port()
        gunicorn = Path(sys.executable).parent / "gunicorn"
        server = subprocess.Popen(
            [
                str(gunicorn),
                "ctg.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(options.workers),
                "--threads",
                str(options.threads),
                "--timeout",
                "60",
                # Keep idle connections longer than a user's think time (1 to 3 s): gunicorn's default of 2 s
                # closes them while the next request is on its way, which the client sees as a reset connection.
                "--keep-alive",
                "5",
                "--graceful-timeout",
                "5",
                "--access-logfile",
                "-" if os.environ.get("CTG_CHARGE_JOURNAL") else "/dev/null",
            ],
            env=env,
            cwd=workdir,
            stdout=(workdir / "gunicorn.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        host = f"http://127.0.0.1:{port}"
        wait_for(f"{host}/comptes/connexion/")
        print(f"Serveur : gunicorn, {options.workers} processus × {options.threads} fils, {host}")

        locust_env = dict(env, CTG_CHARGE_CONVENTION=convention, CTG_CHARGE_EPCI=EPCI_REFERENCE)
        locust_env["CTG_CHARGE_MOT_DE_PASSE"] = password
        locust_env["CTG_CHARGE_DUREE"] = str(options.duree)
        locust_env["CTG_CHARGE_PAUSE"] = options.pause
        prefix = workdir / "locust"
        charge_avant = os.getloadavg()
        ramp_up = -(-options.utilisateurs // SPAWN_RATE) + 5  # the users started, then their logins done
        subprocess.run(
            [
                str(Path(sys.executable).parent / "locust"),
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "--users",
                str(options.utilisateurs),
                "--spawn-rate",
                str(SPAWN_RATE),
                "--run-time",  # a bound only: the scenario stops the measure DUREE seconds after the last login
                f"{options.duree + ramp_up + 60}s",
                "--host",
                host,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env=locust_env,
            check=False,
            timeout=options.duree + ramp_up + 180,
            stdout=subprocess.DEVNULL,
        )
        report(
            Path(f"{prefix}_stats.csv"),
            Path(f"{prefix}_failures.csv"),
            options.duree,
            options.utilisateurs,
            options.pause,
        )
        # The machine is shared: its load (processes ready to run, averaged over 1, 5 and 15 min) goes with the figures.
        charge_apres = os.getloadavg()
        line("charge de la machine avant l'essai (1/5/15 min)", " / ".join(f"{x:.1f}" for x in charge_avant))
        line("charge de la machine après l'essai (1/5/15 min)", " / ".join(f"{x:.1f}" for x in charge_apres))
        journal = (workdir / "gunicorn.log").read_text().splitlines()
        erreurs = [ligne for ligne in journal if "ERROR" in ligne or "CRITICAL" in ligne or "WORKER TIMEOUT" in ligne]
        if erreurs:
            print(f"\nJournal du serveur : {len(erreurs)} lignes d'erreur, dont :")
            print("\n".join(f"    | {texte}" for texte in erreurs[:10]))
    finally:
        if server is not None:
            os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()
        if not options.base:
            subprocess.run(["bash", str(PG_SCRIPT), "arreter", str(pg_dir)], capture_output=True, timeout=120)
        subprocess.run(["rm", "-rf", str(workdir)], check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
