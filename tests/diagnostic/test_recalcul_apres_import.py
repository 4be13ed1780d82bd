"""After a committed import the stored indicators that read the dataset are computed again, without a command."""

import pytest

from ctg import horloge
from ctg.diagnostic.calcul import (
    calculer_tout,
    lectures,
    recalculer_apres_import,
    recalculer_jeu,
    valeur,
    valeurs_territoire,
)
from ctg.diagnostic.models import Etat, ValeurIndicateur
from ctg.donnees.importation import Bilan, importer_fichier
from ctg.donnees.models import Fichier
from ctg.donnees.signaux import observations_importees
from ctg.territoires.models import Commune

from .conftest import CA_CAMBRAI, CAMBRAI

pytestmark = pytest.mark.django_db

AUTRE_EPCI = "200093201"  # an EPCI of another département


def stockee(indicateur, niveau, code, annee):
    return ValeurIndicateur.objects.get(indicateur=indicateur, niveau=niveau, code=code, annee=annee)


def signaler(dataset, periodes, **kw):
    """What the data layer sends once an import (or its undo) is committed."""
    bilan = Bilan(fichier=f"{dataset}.csv", dataset=dataset, jeu=dataset, niveau="commune", periodes=periodes, **kw)
    return observations_importees.send(sender=Fichier, bilan=bilan)


def test_lectures_des_indicateurs():
    assert lectures("foyers_allocataires") == {"s_ben_com_f": True}
    assert lectures("taux_couverture_global") == {"txcouv_pe": True, "nbpla_pe": True, "insee_pop": False}
    # A gap reads the reference rate's files too: the national rate of its year.
    assert lectures("places_manquantes_taux_france") == {"nbpla_pe": True, "insee_pop": False, "txcouv_pe": True}
    assert lectures("population_municipale") == {}


def test_un_import_remplace_la_valeur_enregistree_sans_commande(tmp_path, django_capture_on_commit_callbacks, donnees):
    # Stored before the national file: the French rate recomputed from the places of two communes (partial).
    donnees.lignes("nbpla_pe", 2022, {CAMBRAI: {"tot_offre": 450}})
    donnees.lignes("insee_pop", 2021, {CAMBRAI: {"pop0002": 1000}})
    calculer_tout(indicateurs=["taux_couverture_global"])
    assert stockee("taux_couverture_global", "france", "FR", 2022).etat == Etat.PARTIEL

    fichier = tmp_path / "txcouv_pe_nat.csv"
    fichier.write_text(
        "\ufeffannee;national;txcouv_psu_col_nat;txcouv_hors_psu_col_nat;txcouv_eaje_nat;txcouv_prescol_nat;"
        "txcouv_am_ind_nat;txcouv_gad_ind_nat;txcouv_ind_nat;txcouv_nat\n"
        "2022-01-01;FRANCE ENTIERE HORS MAYOTTE;19.2;3.5;22.7;3.4;31.2;2.2;33.4;59.5\n",
        encoding="utf-8",
    )
    with django_capture_on_commit_callbacks(execute=True):
        importer_fichier(fichier)

    france = valeur("taux_couverture_global", "france", "FR", 2022)
    assert (france.valeur, france.etat, france.officiel) == (59.5, Etat.DISPONIBLE, True)
    assert stockee("taux_couverture_global", "france", "FR", 2022).valeur == 59.5
    # The gap to the national rate of the EPCI was stored too, with the new rate: 59.5 % of 1,000 children − 450.
    ecart = stockee("places_manquantes_taux_france", "epci", CA_CAMBRAI, 2022)
    assert ecart.valeur == pytest.approx(595 - 450)


def test_une_valeur_absente_enregistree_est_remplacee_apres_l_import(donnees):
    donnees.lignes("s_ben_com_f", 2023, {CAMBRAI: {"indfoy_ndur": 10000}})
    calculer_tout(indicateurs=["foyers_allocataires", "population_municipale"])
    assert stockee("foyers_allocataires", "epci", AUTRE_EPCI, 2023).etat == Etat.ABSENT
    population = stockee("population_municipale", "epci", AUTRE_EPCI, 2023)

    communes = list(Commune.objects.filter(epci_id=AUTRE_EPCI).values_list("code", flat=True))
    donnees.lignes("s_ben_com_f", 2023, {c: {"indfoy_ndur": 100} for c in communes}, nom="autre.csv")
    # Imported, not yet told: the page would still read the stored "pas de donnée".
    assert valeur("foyers_allocataires", "epci", AUTRE_EPCI, 2023).etat == Etat.ABSENT

    signaler("s_ben_com_f", ["2023-12"], simulation=True)  # a simulation changes nothing
    assert valeur("foyers_allocataires", "epci", AUTRE_EPCI, 2023).etat == Etat.ABSENT

    signaler("s_ben_com_f", ["2023-12"])
    r = valeur("foyers_allocataires", "epci", AUTRE_EPCI, 2023)
    assert (r.valeur, r.etat) == (100 * len(communes), Etat.DISPONIBLE)
    # Only the indicators that read the dataset were computed again.
    assert stockee("population_municipale", "epci", AUTRE_EPCI, 2023).pk == population.pk


def test_un_millesime_le_plus_proche_recalcule_toutes_les_annees(donnees):
    # The places of 2022 and 2024 take the children of the nearest census: a new census changes both years.
    donnees.lignes("nbpla_pe", 2022, {CAMBRAI: {"tot_offre": 450}})
    donnees.lignes("nbpla_pe", 2024, {CAMBRAI: {"tot_offre": 500}}, nom="nbpla_pe_2024.csv")
    calculer_tout(indicateurs=["taux_couverture_global"])
    assert stockee("taux_couverture_global", "epci", CA_CAMBRAI, 2022).valeur is None

    donnees.lignes("insee_pop", 2021, {CAMBRAI: {"pop0002": 1000}})
    resultat = recalculer_jeu("insee_pop", {2021})
    assert resultat["annees"] == [2021, 2022, 2024]  # the children of 2021, the rates of every year
    assert stockee("taux_couverture_global", "epci", CA_CAMBRAI, 2022).valeur == pytest.approx(45.0)
    assert stockee("taux_couverture_global", "epci", CA_CAMBRAI, 2024).valeur == pytest.approx(50.0)


def test_une_annee_retiree_par_une_annulation_n_est_plus_enregistree(donnees):
    fichier = donnees.lignes("s_ben_com_f", 2023, {CAMBRAI: {"indfoy_ndur": 10000}})
    donnees.lignes("s_ben_com_f", 2022, {CAMBRAI: {"indfoy_ndur": 9000}}, nom="2022.csv")
    calculer_tout(indicateurs=["foyers_allocataires"])
    fichier.delete()  # the undo of the 2023 import removes the rows it created
    signaler("s_ben_com_f", ["2023"])
    assert not ValeurIndicateur.objects.filter(indicateur="foyers_allocataires", annee=2023).exists()
    assert stockee("foyers_allocataires", "epci", CA_CAMBRAI, 2022).valeur == 9000
    assert valeur("foyers_allocataires", "epci", CA_CAMBRAI).annee == 2022


def test_sans_valeur_enregistree_rien_n_est_calcule_d_avance(donnees):
    # A first import (the demonstration being loaded): nothing stale can be read, the figures come on demand.
    donnees.lignes("s_ben_com_f", 2023, {CAMBRAI: {"indfoy_ndur": 10000}})
    assert dict(signaler("s_ben_com_f", ["2023-12"]))[recalculer_apres_import] is None
    assert not ValeurIndicateur.objects.exists()
    assert valeur("foyers_allocataires", "epci", CA_CAMBRAI, 2023).valeur == 10000


def test_une_annulation_fait_oublier_les_chiffres_calcules_a_la_demande(donnees):
    fichier = donnees.lignes("s_ben_com_f", 2023, {CAMBRAI: {"indfoy_ndur": 10000}})
    avant = valeurs_territoire("france", "FR", annee=2023, indicateurs=["foyers_allocataires"])
    assert avant["foyers_allocataires"].valeur == 10000
    # Undone from the data page in another process: the rows go, the file stays in the history, marked undone.
    fichier.observations.all().delete()
    fichier.annule_le = horloge.maintenant()
    fichier.save(update_fields=["annule_le"])
    france = valeurs_territoire("france", "FR", annee=2023, indicateurs=["foyers_allocataires"])
    assert france["foyers_allocataires"].etat == Etat.ABSENT
