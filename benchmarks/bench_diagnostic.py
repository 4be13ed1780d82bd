"""Benchmark of the open-data import, of the indicators computation, of the diagnostic pages and of the PDF report.

Run from the repository root (or anywhere):

    .venv/bin/python benchmarks/bench_diagnostic.py [--sans-postgres]

It measures, it does not assert: every figure is printed in French with its target and "OK" or "AU-DESSUS".

The national files are synthetic: generated in a temporary folder, with a fixed seed, one row per current commune
of ``data/territoires/communes.csv`` (about 35,000), in the real formats (headers of ``data/demo/``), with values
made plausible from the commune's population and the Caf statistical secrecy (counts rounded to 5, under 5 left
blank); they are imported as demonstration data (``--demonstration``):

- ``s_ben_com_f.csv``: households by benefit, December of one year (plus the ``99999`` and ``XXXXX`` rows of the
  real file);
- ``nbpla_pe_com.csv``: childcare places, the same year;
- ``insee_pop_2021.csv``: census population and age bands.

1. Import of the national ``s_ben_com_f`` file with ``ctg import_donnees FICHIER --demonstration`` into a freshly
   migrated temporary database where the territories were imported (``ctg import_territoires``): wall time of the
   child process (target < 10 s); then the second, idempotent run of the same import (same file: nothing changes).
2. The two other files imported, then ``ctg calculer_indicateurs`` for all EPCI, départements and France: wall time
   (target < 60 s) and peak memory of the child process. Steps 1 and 2 run on SQLite (temporary file) and, unless
   ``--sans-postgres``, on PostgreSQL (throwaway cluster started and stopped with ``scripts/pg_temporaire.sh``).
3. Diagnostic pages, warm server time, in-process with ``django.test.Client`` (``force_login``) against the SQLite
   database of step 1, after loading the embedded data (``charger_donnees_embarquees()``: the real IRIS
   population and the demonstration set of the Nord) and computing the indicators again: 3 warm-up requests, then
   the median of 10, for ``/diagnostic/epci/<siren>/`` and its ``carte.geojson``. Targets: CA de Cambrai < 200 ms,
   CA du Pays Basque (158 communes) < 400 ms.
4. PDF report of the CA de Cambrai, ``rendre_rapport("200068500", "pdf")``: time of the first call in the process
   and of a second one (target < 5 s each), size (target < 5 MB), pages (target ≤ 20).

Every temporary folder and server is removed at the end, also on error or interruption.
"""

from __future__ import annotations

import argparse
import csv
import io
import math
import os
import platform
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from ctg.donnees.jeux import JEUX

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
from commun import Run, child_env, fmt_mb, fmt_ms, fmt_s, free_port, line, pg_version, run_child, verdict  # noqa: E402

TERRITOIRES = ROOT / "data" / "territoires"
PG_SCRIPT = ROOT / "scripts" / "pg_temporaire.sh"

SEED = 2026
ANNEE = 2023  # year of the synthetic Caf files
RECENSEMENT = 2021  # census of the synthetic Insee file (P21_ columns)

CAMBRAI = ("200068500", "CA de Cambrai")
PAYS_BASQUE = ("200067106", "CA du Pays Basque")

TARGET_IMPORT_S = 10.0
TARGET_CALCUL_S = 60.0
TARGET_PAGE_MS = {CAMBRAI[0]: 200.0, PAYS_BASQUE[0]: 400.0}
TARGET_PDF_S = 5.0
TARGET_PDF_MB = 5.0
MAX_PDF_PAGES = 20
WARMUPS = 3
REPEATS = 10

S_BEN_COLUMNS = list(JEUX["s_ben_com_f"].variables)  # the columns of data.caf.fr, in their order
NBPLA_COMPONENTS = ["psu_col", "hors_psu_col", "prescol", "am_ind", "gad_ind"]
INSEE_BANDS = [("0002", 0.033), ("0305", 0.035), ("0610", 0.063), ("1117", 0.086), ("1824", 0.080)]


# --- printing ------------------------------------------------------------------------------------------------


# --- synthetic national files --------------------------------------------------------------------------------


def count(rng: random.Random, mean: float) -> int:
    """A non-negative integer around ``mean`` (roughly Poisson: standard deviation √mean)."""
    return 0 if mean <= 0 else max(0, round(rng.gauss(mean, math.sqrt(mean))))


def secret(value: int) -> int | str:
    """Caf statistical secrecy for a count: under 5 -> blank, otherwise rounded to the nearest 5."""
    return "" if value < 5 else 5 * math.floor(value / 5 + 0.5)


def secret_amount(value: float, of_count: int) -> int | str:
    """An amount in euros: blank when its count is secret, otherwise rounded to 100 €."""
    return "" if of_count < 5 else 100 * math.floor(value / 100 + 0.5)


def benefits(rng: random.Random, population: int, q: float) -> list:
    """The 16 values of a ``s_ben_com_f`` row, published (secrecy applied)."""
    households = count(rng, population * rng.uniform(0.10, 0.14) * (1 + 0.10 * q))
    ab, cmg = count(rng, households * 0.085), count(rng, households * 0.045)
    apl, als, alf = count(rng, households * 0.27), count(rng, households * 0.14), count(rng, households * 0.07)
    rsa = count(rng, households * 0.12 * (1 + 0.35 * q))
    ppa = count(rng, households * 0.21)
    values = {
        "indfoy_ndur": households,
        "indnbp_ndur": count(rng, households * rng.uniform(2.25, 2.55)),
        "indfoy_af": count(rng, households * 0.30),
        "indfoy_cf": count(rng, households * 0.05),
        "indfoy_asf": count(rng, households * 0.07 * (1 + 0.3 * q)),
        "indfoy_ab": ab,
        "indfoy_cmg": cmg,
        "indfoy_ndurpaje": max(ab, cmg) + count(rng, min(ab, cmg) * 0.3 + households * 0.01),
        "indfoy_apl": apl,
        "indfoy_als": als,
        "indfoy_alf": alf,
        "indfoy_ndural": apl + als + alf,
        "indfoy_rsa": rsa,
        "indfoy_ppa": ppa,
    }
    for name in S_BEN_COLUMNS[2:14]:
        values[name] = min(values[name], households)
    return [
        *(secret(values[name]) for name in S_BEN_COLUMNS[:14]),
        secret_amount(values["indfoy_rsa"] * rng.uniform(600, 680), values["indfoy_rsa"]),
        secret_amount(values["indfoy_ppa"] * rng.uniform(170, 200), values["indfoy_ppa"]),
    ]


def write_csv(path: Path, header: list[str], rows: list[list]) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def generate_files(folder: Path) -> tuple[dict[str, Path], int]:
    """Write the three synthetic national files; return their paths by dataset and the number of communes."""
    rng = random.Random(SEED)
    with open(TERRITOIRES / "communes.csv", encoding="utf-8", newline="") as handle:
        communes = sorted(csv.DictReader(handle, delimiter=";"), key=lambda c: c["code"])
    s_ben, nbpla, insee = [], [], []
    for commune in communes:
        code, name = commune["code"], commune["nom"]
        population = int(commune["population"] or 0)
        # A fictitious precariousness index shared by the figures of the commune, so that they agree.
        q = max(-2.0, min(2.5, rng.gauss(0, 0.8) + 0.25 * (math.log10(max(population, 10)) - 3.3)))
        bands = [count(rng, population * share * (1 + 0.05 * q)) for _band, share in INSEE_BANDS]
        insee.append([code, name, population, *bands])
        children = bands[0]
        psu = (
            max(10, round(children * rng.uniform(0.12, 0.40))) if rng.random() < population / (population + 3000) else 0
        )
        places = [
            psu,
            10 * count(rng, children / 320),
            count(rng, children * 0.035) if population > 400 else 0,
            count(rng, children * rng.uniform(0.20, 0.40) * (1 - 0.12 * q)),
            count(rng, children * 0.012),
        ]
        nbpla.append([ANNEE, code, name, *(secret(p) for p in places), secret(sum(places))])
        s_ben.append([f"{ANNEE}-12-31", code, name, *benefits(rng, population, q)])
    s_ben.append([f"{ANNEE}-12-31", "99999", "Étranger", *benefits(rng, 500, 0.0)])
    s_ben.append([f"{ANNEE}-12-31", "XXXXX", "Commune inconnue", *benefits(rng, 200, 0.0)])
    p = f"P{RECENSEMENT % 100:02d}_POP"
    files = {
        "s_ben_com_f": write_csv(folder / "s_ben_com_f.csv", ["dtreffre", "numcomdo", "nomcom", *S_BEN_COLUMNS], s_ben),
        "nbpla_pe_com": write_csv(
            folder / "nbpla_pe_com.csv",
            ["annee", "numcom", "nomcom", *(f"pl_{c}_com" for c in NBPLA_COMPONENTS), "tot_offre_com"],
            nbpla,
        ),
        "insee_pop": write_csv(
            folder / f"insee_pop_{RECENSEMENT}.csv",
            ["CODGEO", "LIBGEO", p, *(f"{p}{band}" for band, _share in INSEE_BANDS)],
            insee,
        ),
    }
    return files, len(communes)


# --- child processes -----------------------------------------------------------------------------------------


def created(stdout: str) -> str:
    """The "N créée(s), M modifiée(s)" part of an import report, or "?"."""
    found = re.search(r"(\d+) créée\(s\), (\d+) modifiée\(s\)", stdout)
    return f"{found.group(1)} créées, {found.group(2)} modif." if found else "?"


def report_figure(pattern: str, stdout: str) -> str:
    """A figure of the ``calculer_indicateurs`` report, without its thousands separators, or "?"."""
    found = re.search(pattern, stdout)
    return re.sub(r"[\s\u00a0\u202f.,]", "", found.group(1)) if found else "?"


def bench_database(name: str, database_url: str, var_dir: Path, files: dict[str, Path]) -> None:
    """Migrate, import the territories then the synthetic files, compute the indicators; print the figures."""
    env = child_env(database_url, var_dir)
    (var_dir / "static").mkdir(parents=True, exist_ok=True)  # STATIC_ROOT, else WhiteNoise warns at start-up
    print(f"\n{name}")
    migrate = run_child(["migrate", "-v0"], env)
    territoires = run_child(["import_territoires", "-v0", "--source", str(TERRITOIRES)], env)
    line("migrate + import_territoires (préalable)", fmt_s(migrate.seconds + territoires.seconds))

    def import_file(dataset: str) -> Run:
        return run_child(["import_donnees", "-v0", "--demonstration", str(files[dataset])], env)

    first = import_file("s_ben_com_f")
    second = import_file("s_ben_com_f")
    line(
        "import s_ben_com_f national : durée",
        fmt_s(first.seconds),
        f"< {TARGET_IMPORT_S:.0f} s",
        verdict(first.seconds, TARGET_IMPORT_S),
    )
    line("import s_ben_com_f : observations", created(first.stdout))
    line("import s_ben_com_f : mémoire max (RSS)", fmt_mb(first.max_rss_mb))
    line("2e import (idempotent) : durée", fmt_s(second.seconds), f"< {TARGET_IMPORT_S:.0f} s")
    line("2e import : fichier reconnu, rien n'a changé", "oui" if "déjà importé" in second.stdout else "NON")
    for dataset in ("nbpla_pe_com", "insee_pop"):
        run = import_file(dataset)
        line(f"import {dataset} national (pour information)", fmt_s(run.seconds))

    calcul = run_child(["calculer_indicateurs", "-v0"], env)
    epci = report_figure(r"Territoires : ([\d\s\u00a0\u202f.,]+) EPCI", calcul.stdout)
    departements = report_figure(r"EPCI, (\d+) départements", calcul.stdout)
    line(
        f"calculer_indicateurs ({epci} EPCI, {departements} dép., France)",
        fmt_s(calcul.seconds),
        f"< {TARGET_CALCUL_S:.0f} s",
        verdict(calcul.seconds, TARGET_CALCUL_S),
    )
    line(
        "calculer_indicateurs : valeurs enregistrées",
        report_figure(r"Valeurs enregistrées : ([\d\s\u00a0\u202f.,]+) en", calcul.stdout),
    )
    line("calculer_indicateurs : mémoire max (RSS)", fmt_mb(calcul.max_rss_mb))


# --- in-process measures -------------------------------------------------------------------------------------


def bench_pages_and_report(database_url: str, var_dir: Path) -> None:
    """Diagnostic pages and PDF report, in-process against the SQLite database of the first part."""
    os.environ.update(child_env(database_url, var_dir))
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse

    from ctg.demo.donnees import charger_donnees_embarquees
    from ctg.diagnostic.calcul import calculer_tout
    from ctg.diagnostic.rapport import rendre_rapport
    from ctg.documents.rendu_pdf import compter_pages_pdf
    from ctg.territoires.models import Epci

    print("\nDonnées embarquées (SQLite, dans le processus)")
    start = time.perf_counter()
    imported = charger_donnees_embarquees(stdout=io.StringIO())  # the import reports are not shown
    line(f"charger_donnees_embarquees() : {len(imported)} fichiers", fmt_s(time.perf_counter() - start))
    start = time.perf_counter()
    bilan = calculer_tout()
    line(
        f"calculer_tout() à nouveau, années {bilan['annees'][0]} à {bilan['annees'][-1]}",
        fmt_s(time.perf_counter() - start),
    )

    user = get_user_model().objects.create_user("bench", password="bench-mot-de-passe-non-utilise")
    client = Client()
    client.force_login(user)

    def timed(url: str) -> tuple[float, int]:
        durations, size = [], 0
        for i in range(WARMUPS + REPEATS):
            start = time.perf_counter()
            response = client.get(url)
            elapsed = time.perf_counter() - start
            if response.status_code != 200:
                raise RuntimeError(f"{url} : réponse HTTP {response.status_code}")
            size = len(response.content)
            if i >= WARMUPS:
                durations.append(elapsed)
        return statistics.median(durations), size

    for siren, label in (CAMBRAI, PAYS_BASQUE):
        communes = Epci.objects.get(pk=siren).communes.count()
        page_s, page_size = timed(reverse("diagnostic:epci", args=[siren]))
        geo_s, geo_size = timed(reverse("diagnostic:epci_carte", args=[siren]))
        target = TARGET_PAGE_MS[siren]
        print(f"\nDiagnostic {label} ({siren}, {communes} communes), SQLite, à chaud, médiane de {REPEATS}")
        line(
            "page /diagnostic/epci/ : temps serveur",
            fmt_ms(page_s),
            f"< {target:.0f} ms",
            verdict(page_s * 1000, target),
        )
        line("carte.geojson : temps serveur", fmt_ms(geo_s))
        line("poids HTML / GeoJSON", f"{page_size / 1000:.0f} / {geo_size / 1000:.0f} ko")

    print(f"\nRapport PDF {CAMBRAI[1]} ({CAMBRAI[0]}), SQLite")
    for rank in ("1er rendu (premier du processus)", "2e rendu"):
        start = time.perf_counter()
        pdf = rendre_rapport(CAMBRAI[0], "pdf")
        seconds = time.perf_counter() - start
        line(f"{rank} : durée", fmt_s(seconds), f"< {TARGET_PDF_S:.0f} s", verdict(seconds, TARGET_PDF_S))
    size_mb = len(pdf) / 1_000_000
    line("taille", f"{size_mb:.2f} Mo", f"< {TARGET_PDF_MB:.0f} Mo", verdict(size_mb, TARGET_PDF_MB))
    pages = compter_pages_pdf(pdf)
    line("pages", str(pages), f"≤ {MAX_PDF_PAGES}", verdict(pages, MAX_PDF_PAGES, inclusive=True))


# --- main ----------------------------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description="Mesures de l'import des données, du calcul et du diagnostic.")
    parser.add_argument("--sans-postgres", action="store_true", help="ne mesure que SQLite")
    options = parser.parse_args()

    # Turn SIGTERM into an exception so that the finally blocks still stop the cluster and remove the folders.
    def on_sigterm(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_sigterm)

    import django

    print("Banc d'essai CTG : import des données, indicateurs, pages du diagnostic et rapport PDF")
    print(f"  machine : {os.cpu_count()} cœur(s), Python {platform.python_version()}, Django {django.__version__}")

    begin = time.perf_counter()
    workdir = Path(tempfile.mkdtemp(prefix="ctg-bench-diag-"))
    pg_dir = workdir / "pg"
    pg_started = False
    try:
        start = time.perf_counter()
        files, communes = generate_files(workdir)
        generated = time.perf_counter() - start
        print(
            f"  fichiers synthétiques ({communes} communes, {ANNEE}, recensement {RECENSEMENT}) en {fmt_s(generated)} :"
        )
        for path in files.values():
            with path.open(encoding="utf-8") as handle:
                rows = sum(1 for _ in handle) - 1
            print(f"    {path.name} : {rows} lignes, {path.stat().st_size / 1_000_000:.1f} Mo")

        sqlite_url = f"sqlite:///{workdir / 'ctg.sqlite3'}"
        bench_database("SQLite (fichier temporaire)", sqlite_url, workdir / "var-sqlite", files)

        if not options.sans_postgres:
            port = free_port()
            pg_started = True  # set before starting: a half-started cluster must be stopped too
            started = subprocess.run(
                ["bash", str(PG_SCRIPT), "demarrer", str(pg_dir), str(port)],
                capture_output=True,
                text=True,
                timeout=300,
            )
            if started.returncode != 0:
                raise RuntimeError(f"le cluster PostgreSQL n'a pas démarré :\n{started.stderr}")
            pg_url = started.stdout.strip().splitlines()[-1]
            label = f"PostgreSQL {pg_version(pg_url)} (cluster temporaire, port {port})"
            bench_database(label, pg_url, workdir / "var-pg", files)

        bench_pages_and_report(sqlite_url, workdir / "var-sqlite")
        print(f"\nDurée totale du banc d'essai : {fmt_s(time.perf_counter() - begin)}")
    finally:
        if pg_started:
            subprocess.run(["bash", str(PG_SCRIPT), "arreter", str(pg_dir)], capture_output=True, timeout=120)
        shutil.rmtree(workdir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
