"""A level's figure comes from its own file; a sum of an incomplete lower level says what it covers."""

import pytest
from django.db.models import Sum

from ctg.diagnostic.calcul import Moteur, Resultat, calculer_tout, valeur
from ctg.diagnostic.models import Etat, ValeurIndicateur
from ctg.territoires.models import Commune, Departement, Zone

from .conftest import CA_CAMBRAI, CAMBRAI, IWUY

pytestmark = pytest.mark.django_db

PARIS = "75056"


def population(**filtre) -> int:
    return Commune.objects.filter(**filtre).aggregate(p=Sum("population"))["p"]


def population_france() -> int:
    return Commune.objects.exclude(zone=Zone.COM).aggregate(p=Sum("population"))["p"]


def departements_france() -> list[str]:
    return list(Departement.objects.exclude(zone=Zone.COM).values_list("code", flat=True))


def places_des_communes(donnees, annee=2023):
    # A commune file of data.caf.fr holds only the communes over 10,000 inhabitants: here two of them.
    donnees.lignes("nbpla_pe", annee, {CAMBRAI: {"tot_offre": 420}, PARIS: {"tot_offre": 30000}})


def test_la_france_est_la_somme_des_departements_et_non_des_communes(donnees):
    places_des_communes(donnees)
    deps = {code: {"tot_offre": 10000} for code in departements_france()}
    deps["59"] = {"tot_offre": 48000}
    deps["75"] = {"tot_offre": 33000}
    donnees.lignes("nbpla_pe", 2023, deps, niveau="departement", nom="nbpla_pe_dep.csv")

    paris = valeur("places_total", "departement", "75", 2023)
    assert (paris.valeur, paris.etat, paris.couverture, paris.somme) == (33000, Etat.DISPONIBLE, 1.0, None)
    france = valeur("places_total", "france", "FR", 2023)
    assert len(deps) == 101
    assert france.valeur == 48000 + 33000 + 99 * 10000  # not 30,420, the two communes of the commune file
    assert france.valeur > paris.valeur
    assert france.etat == Etat.DISPONIBLE and france.couverture == 1.0
    assert france.somme == {"niveau": "departement", "retenus": 101, "secrets": 0, "manquants": 0}
    assert {(s["fichier"], s["niveau"]) for s in france.sources} == {("nbpla_pe_dep.csv", "departement")}
    assert france.etat_libelle == "disponible"


def test_departements_manquants_la_france_est_partielle_avec_sa_couverture(donnees):
    places_des_communes(donnees)
    donnees.lignes("nbpla_pe", 2023, {"59": {"tot_offre": 48000}, "75": {"tot_offre": None}}, niveau="departement")
    france = valeur("places_total", "france", "FR", 2023)
    assert france.valeur == 48000  # Paris is secret: left out, never a zero
    assert france.etat == Etat.PARTIEL
    part = population(departement_id="59") / population_france()
    assert france.couverture == pytest.approx(part, abs=1e-4)
    assert france.somme == {"niveau": "departement", "retenus": 1, "secrets": 1, "manquants": 99}
    assert france.etat_libelle == (
        "partiel : somme de 1 département sur 101 (1 en secret statistique, 99 sans donnée), "
        f"{int(part * 100)}\u00a0% de la population"
    )


def test_sans_fichier_des_departements_la_somme_des_communes_est_partielle(donnees):
    places_des_communes(donnees)
    france = valeur("places_total", "france", "FR", 2023)
    assert france.valeur == 30420
    assert france.etat == Etat.PARTIEL
    couverte = population(code__in=[CAMBRAI, PARIS])
    assert france.couverture == pytest.approx(couverte / population_france(), abs=1e-4)
    assert france.somme["niveau"] == "commune" and france.somme["retenus"] == 2
    assert france.somme["manquants"] == Commune.objects.exclude(zone=Zone.COM).count() - 2
    assert france.etat_libelle.startswith("partiel : somme de 2 communes sur ")


def test_un_epci_n_est_complet_que_si_chaque_commune_a_une_valeur(donnees):
    communes = list(Commune.objects.filter(epci_id=CA_CAMBRAI).values_list("code", flat=True))
    lignes = {c: {"indfoy_ndur": 100} for c in communes}
    donnees.lignes("s_ben_com_f", 2023, lignes)
    complet = valeur("foyers_allocataires", "epci", CA_CAMBRAI, 2023)
    assert (complet.valeur, complet.etat, complet.couverture) == (5500, Etat.DISPONIBLE, 1.0)
    assert complet.somme == {"niveau": "commune", "retenus": 55, "secrets": 0, "manquants": 0}

    # December's file blanks Iwuy (3,403 inhabitants out of 80,120): the latest period of the year wins.
    donnees.obs(donnees.fichier("s_ben_com_f"), IWUY, {"indfoy_ndur": None}, 2023, periode="2023-12")
    r = valeur("foyers_allocataires", "epci", CA_CAMBRAI, 2023)
    assert r.valeur == 5400 and r.etat == Etat.PARTIEL
    assert r.couverture == pytest.approx((80120 - 3403) / 80120, abs=1e-4)
    assert r.etat_libelle == (
        "partiel : somme de 54 communes sur 55 (1 en secret statistique), 95\u00a0% de la population"
    )


def test_la_couverture_enregistree_est_celle_du_calcul(donnees):
    places_des_communes(donnees)
    donnees.lignes("nbpla_pe", 2023, {"59": {"tot_offre": 48000}}, niveau="departement")
    calcule = Moteur().calculer("places_total", 2023, "france", ["FR"])["FR"]
    calculer_tout(indicateurs=["places_total"])
    relu = Resultat.depuis_modele(ValeurIndicateur.objects.get(indicateur="places_total", niveau="france"))
    assert relu.etat == calcule.etat == Etat.PARTIEL
    assert relu.couverture == calcule.couverture and relu.somme == calcule.somme
    assert relu.etat_libelle == calcule.etat_libelle
    epci = Resultat.depuis_modele(
        ValeurIndicateur.objects.get(indicateur="places_total", niveau="epci", code=CA_CAMBRAI)
    )
    assert epci.valeur == 420 and epci.etat == Etat.PARTIEL
    assert epci.couverture == pytest.approx(31134 / 80120, abs=1e-4)


def test_un_taux_avec_les_places_des_departements_n_est_pas_apparie_commune_par_commune(donnees):
    donnees.lignes("nbpla_pe", 2022, {d: {"tot_offre": 100} for d in departements_france()}, niveau="departement")
    donnees.lignes("insee_pop", 2021, {CAMBRAI: {"pop0002": 1000}})
    r = valeur("taux_couverture_global", "france", "FR", 2022)
    assert r.numerateur == 10100 and r.denominateur == 1000
    assert r.etat == Etat.PARTIEL  # the children of one commune only
    assert r.couverture == pytest.approx(31134 / population_france(), abs=1e-4)
    assert r.somme["niveau"] == "commune" and r.somme["retenus"] == 1
