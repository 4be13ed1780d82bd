"""The ``ctg import_donnees`` command: French summary, every error listed, nothing written on failure."""

import io
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ctg.donnees.models import Fichier, Observation

FICHIERS = Path(__file__).parent / "fichiers"
pytestmark = pytest.mark.django_db


def lancer(*args, **options) -> tuple[str, str]:
    sortie, erreurs = io.StringIO(), io.StringIO()
    call_command("import_donnees", *[str(a) for a in args], stdout=sortie, stderr=erreurs, **options)
    return sortie.getvalue(), erreurs.getvalue()


def test_import_et_resume_en_francais():
    sortie, _ = lancer(FICHIERS / "s_ben_com_f.csv", "--source-url", "https://data.caf.fr/explore/dataset/s_ben_com_f/")
    assert sortie.startswith("Import terminé en ")
    assert "Jeu de données : s_ben_com_f — Foyers allocataires et personnes couvertes" in sortie
    assert "encodage UTF-8 avec BOM, séparateur « ; »" in sortie
    assert "Période(s) : 2022-12 ; lignes lues : 5" in sortie
    assert "Observations : 3 créée(s), 0 modifiée(s), 0 inchangée(s)" in sortie
    assert (
        "Lignes écartées : 2 (résidents à l'étranger (code 99999) : 1 ; commune non localisée (code XXXXX ou 59XXX) "
        ": 1)"
    ) in sortie
    assert "Cellules vides (secret statistique" in sortie
    assert Fichier.objects.get().source_url == "https://data.caf.fr/explore/dataset/s_ben_com_f/"
    sortie, _ = lancer(FICHIERS / "s_ben_com_f.csv")
    assert "déjà importé" in sortie and "rien n'a changé" in sortie


def test_dry_run():
    sortie, _ = lancer(FICHIERS / "txcouv_pe_com.csv", "--dry-run")
    assert sortie.startswith("Simulation (--dry-run), rien n'a été écrit")
    assert "6 créée(s)" in sortie
    assert (Fichier.objects.count(), Observation.objects.count()) == (0, 0)


def test_demonstration():
    sortie, _ = lancer(FICHIERS / "iris_pop.csv", "--demonstration")
    assert "Données de démonstration : chiffres fictifs" in sortie
    assert Fichier.objects.get().demonstration


def test_barre_de_progression_sur_stderr(capsys):
    sortie, _ = lancer(FICHIERS / "iris_pop.csv", verbosity=1)
    assert "Lecture" in capsys.readouterr().err
    assert "Lecture" not in sortie
    lancer(FICHIERS / "s_ben_com_f.csv", verbosity=0)
    assert capsys.readouterr().err == ""


def test_erreurs_listees_et_rien_d_ecrit(tmp_path):
    chemin = tmp_path / "s_ben_com_f.csv"
    texte = (FICHIERS / "s_ben_com_f.csv").read_text(encoding="utf-8-sig")
    texte = texte.replace(";59428;", ";59540;").replace(";7410;", ";7 410,5,0;")
    chemin.write_text(texte, encoding="utf-8-sig")
    with pytest.raises(CommandError) as exc:
        lancer(chemin)
    message = str(exc.value)
    assert message.startswith("Import refusé, rien n'a été écrit (2 erreur(s)) :")
    assert "  - s_ben_com_f.csv, ligne 2, colonne « indfoy_ndur » : valeur non numérique : « 7 410,5,0 »" in message
    assert "  - s_ben_com_f.csv, ligne 4, colonne « numcomdo » : code inconnu du référentiel" in message
    assert (Fichier.objects.count(), Observation.objects.count()) == (0, 0)


def test_ignorer_inconnus_et_dataset(tmp_path):
    chemin = tmp_path / "s_ben_com_f.csv"
    texte = (FICHIERS / "s_ben_com_f.csv").read_text(encoding="utf-8-sig").replace(";59428;", ";59540;")
    chemin.write_text(texte, encoding="utf-8-sig")
    sortie, _ = lancer(chemin, "--ignorer-inconnus", "--dataset", "s_ben_com_f")
    assert "codes absents du référentiel des territoires (--ignorer-inconnus) : 1" in sortie
    with pytest.raises(CommandError, match="fichier Insee attendu : colonne CODGEO"):
        lancer(FICHIERS / "iris_pop.csv", "--dataset", "insee_fam")
    with pytest.raises(CommandError, match="colonne\\(s\\) manquante\\(s\\) txcouv_psu_col_epci"):
        lancer(FICHIERS / "nbpla_pe_epci.csv", "--dataset", "txcouv_pe_epci")


def test_millesime_en_option(tmp_path):
    chemin = tmp_path / "bas_revenu_caf.csv"
    shutil.copy(FICHIERS / "Bas_revenu_Com_2019.csv", chemin)
    with pytest.raises(CommandError, match="millésime introuvable"):
        lancer(chemin)
    sortie, _ = lancer(chemin, "--millesime", "2018")
    assert "Période(s) : 2018" in sortie


def test_fichier_absent(tmp_path):
    with pytest.raises(CommandError, match="fichier illisible"):
        lancer(tmp_path / "absent.csv")


def test_arrondissements_et_iris_dans_le_resume():
    sortie, _ = lancer(FICHIERS / "nbpla_pe_com.csv")
    assert "Lignes d'arrondissements municipaux additionnées dans leur ville : Lyon (69123) : 9" in sortie
    assert "  Attention : Marseille (13055) : arrondissements municipaux incomplets, aucun chiffre" in sortie
    sortie, _ = lancer(FICHIERS / "base-ic-evol-struct-pop-2020.csv")
    assert "Fichier par IRIS : 14 IRIS regroupés en 3 commune(s) (sommes arrondies à l'unité" in sortie
    sortie, _ = lancer(FICHIERS / "BasrevenuCom2014.csv", "--millesime", "2013")
    assert "Période(s) : 2013" in sortie
