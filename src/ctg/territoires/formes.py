"""Shapes of EPCI and départements: the union of their communes' shapes, computed once when the snapshot is built.

The snapshot (``data/territoires/``) holds, next to the communes' shapes, the shapes of every EPCI and département
(``epci_formes.csv.gz``, ``departements_formes.csv.gz``: ``code;empreinte;geojson``). ``empreinte`` is the
fingerprint of the communes the shape was computed from (their codes and their shapes): the import uses a stored
shape only when its fingerprint matches the communes it is importing, and computes the union itself otherwise. A
stale or hand-edited file can therefore never give a wrong shape, only a slower import.

This module needs neither Django nor a database: the snapshot build script uses it too.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path

import shapely

PRECISION = 1e-5  # the communes' precision (about one metre)
COLONNES = ["code", "empreinte", "geojson"]
FICHIERS = {"epci": "epci_formes.csv.gz", "departements": "departements_formes.csv.gz"}


def empreinte_forme(forme: str) -> bytes:
    """The digest of one commune's shape, reused for its EPCI and its département."""
    return hashlib.blake2b(forme.encode(), digest_size=16).digest()


def empreinte_contours(membres: Iterable[tuple[str, bytes]]) -> str:
    """Fingerprint of a group of communes: their codes and the digests of their shapes, in code order."""
    digest = hashlib.blake2b(digest_size=16)
    for code, empreinte in sorted(membres):
        digest.update(code.encode())
        digest.update(empreinte)
    return digest.hexdigest()


def union(formes: Iterable[str]) -> str:
    """The union of GeoJSON shapes, at the communes' precision, as GeoJSON ("" when there is none)."""
    formes = [f for f in formes if f]
    if not formes:
        return ""
    resultat = shapely.set_precision(shapely.union_all(shapely.from_geojson(formes)), PRECISION)
    return "" if resultat.is_empty else shapely.to_geojson(resultat)


def groupes(communes: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, list[str]]]:
    """The member communes of each EPCI and of each département, from ``{code: {"epci": …, "departement": …}}``."""
    resultat: dict[str, dict[str, list[str]]] = {"epci": defaultdict(list), "departements": defaultdict(list)}
    for code, commune in communes.items():
        if commune["epci"]:
            resultat["epci"][commune["epci"]].append(code)
        resultat["departements"][commune["departement"]].append(code)
    return resultat


def contours_agreges(communes: Mapping[str, Mapping[str, str]], formes: Mapping[str, str]) -> dict[str, list[list]]:
    """Rows ``[code, empreinte, geojson]`` of every EPCI and département, sorted by code, for each file."""
    empreintes = {code: empreinte_forme(forme) for code, forme in formes.items()}
    lignes: dict[str, list[list]] = {}
    for niveau, membres_par_code in groupes(communes).items():
        lignes[niveau] = []
        for code in sorted(membres_par_code):
            membres = membres_par_code[code]
            empreinte = empreinte_contours((c, empreintes.get(c, empreinte_forme(""))) for c in membres)
            lignes[niveau].append([code, empreinte, union(formes.get(c, "") for c in membres)])
    return lignes


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def ecrire_contours_agreges(dossier: Path) -> dict[str, int]:
    """Compute the shapes of the EPCI and départements of the snapshot in ``dossier`` from its ``communes.csv``
    and ``communes_formes.csv.gz``, write them, and record their checksums and counts in ``sources.json``.
    Deterministic: the same snapshot (and the same GEOS) gives the same bytes."""
    dossier = Path(dossier)
    with open(dossier / "communes.csv", encoding="utf-8", newline="") as handle:
        communes = {
            ligne["code"]: {"epci": ligne["epci"], "departement": ligne["departement"]}
            for ligne in csv.DictReader(handle, delimiter=";")
        }
    csv.field_size_limit(1 << 30)
    with gzip.open(dossier / "communes_formes.csv.gz", "rt", encoding="utf-8", newline="") as handle:
        formes = {ligne["code"]: ligne["geojson"] for ligne in csv.DictReader(handle, delimiter=";")}

    compte = {}
    for niveau, lignes in contours_agreges(communes, formes).items():
        # mtime=0 and no file name in the gzip header: the bytes depend on the content only.
        with open(dossier / FICHIERS[niveau], "wb") as brut:
            with gzip.GzipFile(fileobj=brut, mode="wb", mtime=0, filename="") as compresse:
                with io.TextIOWrapper(compresse, encoding="utf-8", newline="") as texte:
                    writer = csv.writer(texte, delimiter=";", lineterminator="\n")
                    writer.writerow(COLONNES)
                    writer.writerows(lignes)
        compte[f"{niveau}_avec_forme"] = sum(1 for ligne in lignes if ligne[2])

    meta_path = dossier / "sources.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8")) if meta_path.is_file() else {}
    meta["sources"] = [s for s in meta.get("sources", []) if s.get("nom") != SOURCE_CONTOURS_AGREGES["nom"]]
    meta["sources"].append(
        {**SOURCE_CONTOURS_AGREGES, "outil": f"shapely {shapely.__version__}, GEOS {shapely.geos_version_string}"}
    )
    meta.setdefault("fichiers", {}).update({nom: _sha256(dossier / nom) for nom in FICHIERS.values()})
    meta.setdefault("compte", {}).update(compte)
    meta_path.write_text(json.dumps(meta, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return compte


SOURCE_CONTOURS_AGREGES = {
    "nom": "Contours des EPCI et des départements",
    "calcul": "union des contours des communes membres, coordonnées arrondies à 1e-5°",
    "licence": "comme les contours des communes",
}
