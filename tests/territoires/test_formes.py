"""Shapes of EPCI and départements computed when the snapshot is built (``ctg.territoires.formes``): the import
reads them instead of computing unions, gets the same shapes, and computes a union only where they are stale."""

import csv
import gzip
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import shapely

from ctg.territoires import formes
from ctg.territoires.importation import ErreurImport, importer
from ctg.territoires.models import Commune, Departement, Epci, ImportTerritoires

from .test_importation import MINI, reecrire, vider_territoires

pytestmark = pytest.mark.django_db


def union_des_communes(**filtre) -> shapely.Geometry:
    """The union of the communes' shapes as the database holds them, computed now, in code order like the import."""
    return shapely.from_geojson(
        formes.union(Commune.objects.filter(**filtre).order_by("code").values_list("forme", flat=True))
    )


def assert_meme_forme(forme: str, attendue: shapely.Geometry):
    geometrie = shapely.from_geojson(forme)
    assert geometrie.area == pytest.approx(attendue.area, rel=1e-12)
    assert geometrie.bounds == pytest.approx(attendue.bounds, abs=1e-9)
    assert shapely.equals_exact(geometrie, attendue, tolerance=1e-9)


def test_le_snapshot_donne_ses_contours_sans_calcul_a_l_import():
    bilan = ImportTerritoires.objects.latest().bilan
    assert bilan["contours_calcules"] == 0, (
        "data/territoires/ *_formes.csv.gz ne correspondent plus aux communes : "
        "lancer scripts/construire_formes_territoires.py"
    )
    assert bilan["contours_recalcules"] == Epci.objects.count() + Departement.objects.count()


@pytest.mark.parametrize("code", ["200068500", "200067106", "200054781"])  # Cambrai, Pays Basque, Grand Paris
def test_contour_d_epci_identique_a_l_union_de_ses_communes(code):
    assert_meme_forme(Epci.objects.get(code=code).forme, union_des_communes(epci_id=code))


@pytest.mark.parametrize("code", ["59", "2A", "64", "971"])
def test_contour_de_departement_identique_a_l_union_de_ses_communes(code):
    assert_meme_forme(Departement.objects.get(code=code).forme, union_des_communes(departement_id=code))


@pytest.fixture
def source(tmp_path):
    dossier = tmp_path / "source"
    shutil.copytree(MINI, dossier)
    return dossier


def test_construction_deterministe_et_empreintes_dans_sources_json(source):
    compte = formes.ecrire_contours_agreges(source)
    assert compte == {"epci_avec_forme": 2, "departements_avec_forme": 2}
    octets = {nom: (source / nom).read_bytes() for nom in formes.FICHIERS.values()}
    formes.ecrire_contours_agreges(source)
    assert {nom: (source / nom).read_bytes() for nom in formes.FICHIERS.values()} == octets
    meta = json.loads((source / "sources.json").read_text(encoding="utf-8"))
    assert set(formes.FICHIERS.values()) <= set(meta["fichiers"])
    assert meta["sources"][-1]["nom"] == "Contours des EPCI et des départements"


def test_contours_precalcules_lus_puis_recalcules_quand_la_commune_change_d_epci(source):
    formes.ecrire_contours_agreges(source)
    vider_territoires()
    bilan = importer(source)
    assert (bilan.contours_recalcules, bilan.contours_calcules) == (4, 0)  # 2 EPCI + 2 départements, all read
    for code in ("200068500", "200033579"):
        assert_meme_forme(Epci.objects.get(code=code).forme, union_des_communes(epci_id=code))

    # 59428 moves to the CU d'Arras: the precomputed shapes of both EPCI are now stale, the départements' are not.
    reecrire(
        source / "communes.csv",
        lambda ls: [[*ligne[:4], "200033579", *ligne[5:]] if ligne[0] == "59428" else ligne for ligne in ls],
    )
    bilan = importer(source)
    assert (bilan.contours_recalcules, bilan.contours_calcules) == (2, 2)
    for code in ("200068500", "200033579"):
        assert_meme_forme(Epci.objects.get(code=code).forme, union_des_communes(epci_id=code))
    assert importer(source).contours_recalcules == 0


def test_fichier_de_contours_precalcules_verifie(source):
    formes.ecrire_contours_agreges(source)
    chemin = source / "epci_formes.csv.gz"
    with gzip.open(chemin, "rt", encoding="utf-8", newline="") as f:
        lignes = list(csv.reader(f, delimiter=";"))
    lignes[1][2] = '{"type":"Point","coordinates":[3,50]}'
    lignes.append(["200000000", "0" * 32, ""])
    with gzip.open(chemin, "wt", encoding="utf-8", newline="") as f:
        csv.writer(f, delimiter=";", lineterminator="\n").writerows(lignes)
    with pytest.raises(ErreurImport) as exc:
        importer(source)
    erreurs = exc.value.erreurs
    assert any(e.startswith("epci_formes.csv.gz : l'empreinte SHA-256 ne correspond pas") for e in erreurs), erreurs
    assert any(
        e.startswith(f"epci_formes.csv.gz, ligne 2 : contour de l'EPCI {lignes[1][0]} illisible") for e in erreurs
    )
    assert "epci_formes.csv.gz, ligne 4 : code « 200000000 » inconnu (absent de epci.csv)" in erreurs


def test_le_script_de_construction_ecrit_les_memes_fichiers(source, tmp_path):
    formes.ecrire_contours_agreges(source)
    par_la_fonction = {nom: (source / nom).read_bytes() for nom in formes.FICHIERS.values()}
    copie = tmp_path / "copie"
    shutil.copytree(MINI, copie)
    script = Path(__file__).resolve().parents[2] / "scripts" / "construire_formes_territoires.py"
    sortie = subprocess.run([sys.executable, str(script), str(copie)], capture_output=True, text=True, check=True)
    assert '"epci_avec_forme": 2' in sortie.stdout
    assert {nom: (copie / nom).read_bytes() for nom in formes.FICHIERS.values()} == par_la_fonction
