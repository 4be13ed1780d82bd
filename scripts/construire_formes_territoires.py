"""Compute the shapes of the EPCI and départements of the territories snapshot, once, when the snapshot is built.

Reads ``communes.csv`` and ``communes_formes.csv.gz`` of the snapshot, writes ``epci_formes.csv.gz`` and
``departements_formes.csv.gz`` (``code;empreinte;geojson``, the union of the member communes' shapes) and records
their checksums in ``sources.json``, so that ``ctg import_territoires`` only reads and writes them. Deterministic:
the same snapshot gives the same bytes. Run it after ``data/construire_territoires.py``::

    .venv/bin/python scripts/construire_formes_territoires.py [DOSSIER]   # default: data/territoires/
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ctg.territoires.formes import ecrire_contours_agreges

RACINE = Path(__file__).resolve().parent.parent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dossier", nargs="?", type=Path, default=RACINE / "data" / "territoires")
    options = parser.parse_args()
    debut = time.perf_counter()
    compte = ecrire_contours_agreges(options.dossier)
    print(json.dumps(compte, ensure_ascii=False), f"en {time.perf_counter() - debut:.1f} s")


if __name__ == "__main__":
    main()
