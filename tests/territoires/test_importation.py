import csv
import gzip
import hashlib
import json
import re
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from ctg.territoires.importation import ErreurImport, importer
from ctg.territoires.models import Commune, Departement, Epci, ImportTerritoires, Region

MINI = Path(__file__).parent / "donnees" / "mini"
pytestmark = pytest.mark.django_db


@pytest.fixture
def source(tmp_path):
    dossier = tmp_path / "source"
    shutil.copytree(MINI, dossier)
    return dossier


def vider_territoires():
    """Empty the territories tables inside the test's transaction (rolled back after it). Importing the mini source
    over the session's snapshot would remove its 35,000 communes through the ORM's collector, a dozen seconds per
    test: that path is tested once, by test_import_mini_cree_puis_est_idempotent. On PostgreSQL one TRUNCATE: a
    DELETE would queue a deferred foreign-key check per row, all run when the test ends (half a minute)."""
    tables = [connection.ops.quote_name(model._meta.db_table) for model in (Commune, Epci, Departement, Region)]
    with connection.cursor() as curseur:
        if connection.vendor == "postgresql":
            curseur.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        else:
            for table in tables:
                curseur.execute(f"DELETE FROM {table}")


@pytest.fixture
def base_mini(source):
    """The database holding only the mini source (5 communes, 2 EPCI, 2 départements, 1 région)."""
    vider_territoires()
    bilan = importer(source)
    assert bilan.communes.crees == 5
    return source


def etat():
    return (
        Region.objects.count(),
        Departement.objects.count(),
        Epci.objects.count(),
        list(Commune.objects.order_by("code").values_list("code", "epci_id", "population", "nom")),
    )


def reecrire(chemin: Path, transformer):
    with open(chemin, encoding="utf-8", newline="") as handle:
        lignes = list(csv.reader(handle, delimiter=";"))
    lignes = transformer(lignes)
    with open(chemin, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, delimiter=";", lineterminator="\n").writerows(lignes)


def test_snapshot_complet_importe():
    assert Commune.objects.count() == 34969
    assert Epci.objects.count() == 1255
    assert Departement.objects.count() == 109
    assert Region.objects.count() == 26
    cambrai = Commune.objects.get(code="59122")
    assert (cambrai.nom, cambrai.population, cambrai.population_annee) == ("Cambrai", 31134, 2023)
    ca = Epci.objects.get(code="200068500")
    assert ca.communes.count() == 55
    assert ca.population == sum(ca.communes.values_list("population", flat=True))
    assert json.loads(ca.forme)["type"] in {"Polygon", "MultiPolygon"}
    assert json.loads(Departement.objects.get(code="59").forme)["type"] in {"Polygon", "MultiPolygon"}
    assert Epci.objects.get(nom="CA du Pays Basque").communes.count() == 158


def test_second_import_du_snapshot_ne_change_rien(settings):
    bilan = importer(settings.CTG_TERRITOIRES_DIR)
    assert bilan.changements == 0
    assert bilan.communes.inchanges == 34969
    assert bilan.contours_recalcules == 0


def test_import_mini_cree_puis_est_idempotent(source):
    bilan = importer(source)
    assert bilan.communes.crees == 0  # the five communes were already there, from the full snapshot
    assert bilan.communes.supprimes == 34969 - 5
    assert sorted(Commune.objects.values_list("code", flat=True)) == ["59001", "59122", "59428", "62004", "62041"]
    assert Epci.objects.get(code="200068500").population == 441 + 31134 + 4012
    second = importer(source)
    assert second.changements == 0
    assert second.contours_recalcules == 0
    # The last one created: the test's imports are dated by its pinned clock, the session's own import (made before
    # the clock is pinned) by the machine's, which may be later.
    assert ImportTerritoires.objects.order_by("-pk").first().bilan["communes"]["inchanges"] == 5


def test_commune_qui_change_d_epci_est_deplacee(base_mini):
    reecrire(
        base_mini / "communes.csv",
        lambda ls: [[*ligne[:4], "200033579", *ligne[5:]] if ligne[0] == "59428" else ligne for ligne in ls],
    )
    bilan = importer(base_mini)
    assert bilan.communes_deplacees == 1
    assert bilan.communes.modifies == 1 and bilan.communes.crees == 0
    assert Commune.objects.filter(code="59428").count() == 1
    assert Commune.objects.get(code="59428").epci_id == "200033579"
    assert Epci.objects.get(code="200068500").population == 441 + 31134
    assert bilan.contours_recalcules == 2  # the two EPCI whose composition changed


def retirer_commune(dossier: Path, code: str):
    reecrire(dossier / "communes.csv", lambda ls: [ligne for ligne in ls if ligne[0] != code])
    with gzip.open(dossier / "communes_formes.csv.gz", "rt", encoding="utf-8") as f:
        lignes = [ligne for ligne in f if not ligne.startswith(code + ";")]
    with gzip.open(dossier / "communes_formes.csv.gz", "wt", encoding="utf-8") as f:
        f.writelines(lignes)


def test_commune_retiree_de_la_source_est_supprimee(base_mini):
    retirer_commune(base_mini, "59001")
    bilan = importer(base_mini)
    assert bilan.communes.supprimes == 1
    assert not Commune.objects.filter(code="59001").exists()


def test_simulation_ne_change_rien(base_mini):
    reecrire(
        base_mini / "communes.csv",
        lambda ls: [[*ligne[:7], "999", ligne[8]] if ligne[0] == "59122" else ligne for ligne in ls],
    )
    avant = etat()
    imports = ImportTerritoires.objects.count()
    bilan = importer(base_mini, simulation=True)
    assert bilan.communes.modifies == 1 and bilan.simulation
    assert etat() == avant
    assert ImportTerritoires.objects.count() == imports


def erreurs_de(dossier) -> list[str]:
    avant = etat()
    with pytest.raises(ErreurImport) as exc:
        importer(dossier)
    assert etat() == avant, "un import refusé ne doit rien modifier"
    return exc.value.erreurs


def test_fichier_tronque_refuse_avec_sa_ligne(base_mini):
    chemin = base_mini / "communes.csv"
    texte = chemin.read_text(encoding="utf-8")
    chemin.write_text(texte[: texte.index("Neuville") + 5], encoding="utf-8")
    erreurs = erreurs_de(base_mini)
    assert any(e.startswith("communes.csv, ligne 4 :") and "tronqué" in e for e in erreurs), erreurs


def test_formes_compressees_tronquees(base_mini):
    chemin = base_mini / "communes_formes.csv.gz"
    chemin.write_bytes(chemin.read_bytes()[:400])
    erreurs = erreurs_de(base_mini)
    assert any(e.startswith("communes_formes.csv.gz") and "tronqué ou corrompu" in e for e in erreurs), erreurs


def test_mauvais_separateur(base_mini):
    reecrire(base_mini / "regions.csv", lambda ls: ls)
    chemin = base_mini / "regions.csv"
    chemin.write_text(chemin.read_text(encoding="utf-8").replace(";", ","), encoding="utf-8")
    erreurs = erreurs_de(base_mini)
    assert any("regions.csv, ligne 1" in e and "séparateur" in e for e in erreurs), erreurs


def test_references_inconnues_et_valeurs_invalides(base_mini):
    def casser(lignes):
        lignes[1] = [lignes[1][0], lignes[1][1], "60", *lignes[1][3:]]  # département absent
        lignes[2] = [*lignes[2][:7], "beaucoup", lignes[2][8]]  # population non numérique
        lignes.append(["5912", "Nulle part", "59", "32", "", "", "", "", "metro"])  # code INSEE trop court
        return lignes

    reecrire(base_mini / "communes.csv", casser)
    erreurs = erreurs_de(base_mini)
    assert "communes.csv, ligne 2 : département « 60 » inconnu (absent de departements.csv)" in erreurs
    assert any(e.startswith("communes.csv, ligne 3 : population « beaucoup »") for e in erreurs), erreurs
    assert any(e.startswith("communes.csv, ligne 7 : code « 5912 » invalide") for e in erreurs), erreurs


def test_code_en_double(base_mini):
    reecrire(base_mini / "epci.csv", lambda ls: [*ls, ls[1]])
    assert "epci.csv, ligne 4 : code « 200033579 » en double" in erreurs_de(base_mini)


def test_contour_illisible(base_mini):
    chemin = base_mini / "communes_formes.csv.gz"
    with gzip.open(chemin, "rt", encoding="utf-8") as f:
        lignes = f.readlines()
    lignes[2] = lignes[2].split(";")[0] + ';{"type":"Point","coordinates":[3,50]}\n'
    with gzip.open(chemin, "wt", encoding="utf-8") as f:
        f.writelines(lignes)
    erreurs = erreurs_de(base_mini)
    assert any(e.startswith("communes_formes.csv.gz, ligne 3 : contour de la commune") for e in erreurs), erreurs


def test_empreinte_verifiee(base_mini):
    empreinte = hashlib.sha256((base_mini / "communes.csv").read_bytes()).hexdigest()
    (base_mini / "sources.json").write_text(
        json.dumps({"population_annee": 2023, "fichiers": {"communes.csv": empreinte}})
    )
    assert importer(base_mini).changements == 0
    with open(base_mini / "communes.csv", "a", encoding="utf-8") as f:
        f.write("59999;Ajoutée;59;32;;;;1;metro\n")
    assert any("empreinte SHA-256" in e for e in erreurs_de(base_mini))


def test_dossier_ou_fichier_absent(tmp_path, base_mini):
    assert erreurs_de(tmp_path / "nulle-part") == [f"{tmp_path / 'nulle-part'} : dossier introuvable"]
    (base_mini / "epci.csv").unlink()
    assert any(e.startswith("epci.csv : fichier absent") for e in erreurs_de(base_mini))


def test_commande_affiche_le_bilan_et_les_erreurs(base_mini, capsys):
    call_command("import_territoires", source=base_mini, verbosity=0)
    sortie = capsys.readouterr().out
    ligne = next(ligne for ligne in sortie.splitlines() if ligne.strip().startswith("Communes "))
    assert re.sub(r"\s+", " ", ligne).strip() == "Communes 0 créé(s), 0 modifié(s), 5 inchangé(s), 0 supprimé(s)"
    (base_mini / "regions.csv").write_text("code;nom\n32;Hauts-de-France\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Import refusé, rien n'a été modifié") as exc:
        call_command("import_territoires", source=base_mini, verbosity=0)
    assert "regions.csv, ligne 1 : colonne(s) manquante(s) : zone" in str(exc.value)


def test_commande_dry_run(base_mini, capsys):
    retirer_commune(base_mini, "59001")
    call_command("import_territoires", source=base_mini, dry_run=True, verbosity=0)
    assert "Simulation (--dry-run), rien n'a été écrit" in capsys.readouterr().out
    assert Commune.objects.filter(code="59001").exists()
