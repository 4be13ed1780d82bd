"""Importing a real-format data.caf.fr file changes the figures shown; importing it again changes nothing. The file
feeds the places' indicators: the test computes the one it reads (``places_total``), every one of them over every
EPCI taking about seven times as long (``calculer_tout`` in full is tested in test_calcul.py)."""

import pytest
from django.core.management import call_command

from ctg.diagnostic.calcul import calculer_tout, valeur
from ctg.donnees.models import Fichier, Observation

pytestmark = pytest.mark.django_db

ENTETE = (
    "annee;numepci;nomepci;pl_psu_col_epci;pl_hors_psu_col_epci;pl_prescol_epci;pl_am_ind_epci;pl_gad_ind_epci;"
    "tot_offre_epci"
)


def ecrire(chemin, total):
    chemin.write_text(
        f"\ufeff{ENTETE}\n2024;200068500;CA de Cambrai;300;80;90;700;{total - 1170};{total}\n", encoding="utf-8"
    )


def test_un_nouveau_fichier_change_la_page_et_le_second_import_rien(client_connecte, tmp_path):
    fichier = tmp_path / "nbpla_pe_epci.csv"
    ecrire(fichier, 1234)
    call_command("import_donnees", str(fichier), verbosity=0)
    calculer_tout(indicateurs=["places_total"])
    assert valeur("places_total", "epci", "200068500", 2024).valeur == 1234
    page = client_connecte.get("/diagnostic/epci/200068500/", {"indicateur": "places_total"}).content.decode()
    assert "1\xa0234" in page

    observations = list(Observation.objects.values_list("pk", "valeurs"))
    call_command("import_donnees", str(fichier), verbosity=0)  # the same file: nothing changes
    assert list(Observation.objects.values_list("pk", "valeurs")) == observations
    assert Fichier.objects.count() == 1

    corrige = tmp_path / "nbpla_pe_epci_v2.csv"
    ecrire(corrige, 1300)
    call_command("import_donnees", str(corrige), verbosity=0)
    calculer_tout(indicateurs=["places_total"])
    page = client_connecte.get("/diagnostic/epci/200068500/", {"indicateur": "places_total"}).content.decode()
    assert "1\xa0300" in page and "nbpla_pe_epci_v2.csv" in page
