import pytest

from ctg.diagnostic.calcul import (
    Moteur,
    annees_indicateur,
    calculer_tout,
    comparaison,
    serie,
    sppe_communes,
    valeur,
    valeurs_communes,
    valeurs_territoire,
)
from ctg.diagnostic.models import Etat, ValeurIndicateur
from ctg.diagnostic.regles import categorie_sppe, obligations_sppe
from ctg.territoires.models import Commune, Departement, Epci, Zone

from .conftest import CA_CAMBRAI, CAMBRAI, IWUY, NEUVILLE, PROVILLE

pytestmark = pytest.mark.django_db


def communes_ca():
    return list(Commune.objects.filter(epci_id=CA_CAMBRAI).values_list("code", flat=True))


# --- ratios are recomputed from sums ---------------------------------------------------------------------------


def test_taux_epci_est_somme_des_numerateurs_sur_somme_des_denominateurs(donnees):
    # Cambrai: 2,000 RSA households out of 10,000 (20 %); Iwuy: 50 out of 1,000 (5 %); every other commune
    # 0 out of 100. The mean of the rates is not the rate of the EPCI.
    lignes = {c: {"indfoy_ndur": 100, "indfoy_rsa": 0} for c in communes_ca()}
    lignes[CAMBRAI] = {"indfoy_ndur": 10000, "indfoy_rsa": 2000}
    lignes[IWUY] = {"indfoy_ndur": 1000, "indfoy_rsa": 50}
    donnees.lignes("s_ben_com_f", 2023, lignes)

    r = valeur("part_foyers_rsa", "epci", CA_CAMBRAI, 2023)
    assert r.etat == Etat.DISPONIBLE
    assert r.numerateur == 2050
    assert r.denominateur == 10000 + 1000 + 53 * 100
    assert r.valeur == pytest.approx(12.576, abs=1e-3)  # 2,050 / 16,300
    assert r.communes == 55

    communes = valeurs_communes("part_foyers_rsa", list(lignes), 2023)
    assert communes[CAMBRAI].valeur == pytest.approx(20.0)
    assert communes[IWUY].valeur == pytest.approx(5.0)
    # the mean of the communes' rates as the product computes them (0.45 %) is not the EPCI's rate
    moyenne = sum(c.valeur for c in communes.values()) / len(communes)
    assert moyenne == pytest.approx(0.4545, abs=1e-3) and r.valeur > 25 * moyenne
    assert valeur("foyers_rsa", "epci", CA_CAMBRAI, 2023).valeur == 2050


def test_deux_communes_seulement_ratio_des_sommes_et_partiel(donnees):
    donnees.lignes(
        "s_ben_com_f",
        2023,
        {CAMBRAI: {"indfoy_ndur": 10000, "indfoy_rsa": 2000}, IWUY: {"indfoy_ndur": 1000, "indfoy_rsa": 50}},
    )
    r = valeur("part_foyers_rsa", "epci", CA_CAMBRAI, 2023)
    # (2000 + 50) / (10000 + 1000) = 18.64 %, while the mean of 20 % and 5 % would be 12.5 %
    assert r.valeur == pytest.approx(18.636, abs=1e-3)
    assert r.etat == Etat.PARTIEL
    assert r.communes == 2 and r.communes_manquantes == 53 and r.communes_secretes == 0


def test_taux_de_couverture_de_la_population_avec_la_population_du_cog(donnees):
    donnees.lignes("s_ben_com_f", 2022, {CAMBRAI: {"indnbp_ndur": 15567}})
    r = valeur("taux_couverture_population", "commune", CAMBRAI)
    assert r.annee == 2022  # the year of the Caf figures; the COG population is of 2023
    assert r.valeur == pytest.approx(15567 / 31134 * 100)
    periodes = {s["dataset"]: s["periode"] for s in r.sources}
    assert periodes == {"s_ben_com_f": "2022", "territoires": "2023"}


# --- officiel_ou_ratio -----------------------------------------------------------------------------------------


def places_et_enfants(donnees, annee=2022):
    donnees.lignes(
        "nbpla_pe",
        annee,
        {CAMBRAI: {"tot_offre": 450, "pl_psu_col": 200}, IWUY: {"tot_offre": 100, "pl_psu_col": 0}},
    )
    donnees.lignes("insee_pop", 2021, {CAMBRAI: {"pop0002": 1000}, IWUY: {"pop0002": 150}})


def test_officiel_ou_ratio_prefere_la_valeur_publiee_du_niveau(donnees):
    places_et_enfants(donnees)
    donnees.lignes("txcouv_pe", 2022, {CA_CAMBRAI: {"txcouv": 48.7, "txcouv_psu_col": 21.0}}, niveau="epci")
    r = valeur("taux_couverture_global", "epci", CA_CAMBRAI, 2022)
    assert r.valeur == 48.7
    assert r.officiel and r.etat == Etat.DISPONIBLE
    assert [(s["dataset"], s["niveau"]) for s in r.sources] == [("txcouv_pe", "epci")]
    # The commune file has no row for Cambrai: its rate is recomputed, places ÷ children under 3 × 100.
    c = valeurs_communes("taux_couverture_global", [CAMBRAI], 2022)[CAMBRAI]
    assert not c.officiel
    assert c.valeur == pytest.approx(45.0)
    assert c.numerateur == 450 and c.denominateur == 1000
    assert {s["periode"] for s in c.sources} == {"2022", "2021"}  # nearest census vintage


def test_officiel_ou_ratio_recalcule_sans_fichier_du_niveau(donnees):
    places_et_enfants(donnees)
    r = valeur("taux_couverture_global", "epci", CA_CAMBRAI, 2022)
    assert not r.officiel
    assert r.valeur == pytest.approx(550 / 1150 * 100)
    assert r.etat == Etat.PARTIEL  # 53 communes have neither places nor children in this small set
    psu = valeur("taux_couverture_psu", "epci", CA_CAMBRAI, 2022)
    assert psu.valeur == pytest.approx(200 / 1150 * 100)


def test_officiel_de_la_commune_et_officiel_secret(donnees):
    places_et_enfants(donnees)
    donnees.lignes("txcouv_pe", 2022, {CAMBRAI: {"txcouv": 52.3}, IWUY: {"txcouv": None}})
    r = valeurs_communes("taux_couverture_global", [CAMBRAI, IWUY], 2022)
    assert r[CAMBRAI].valeur == 52.3 and r[CAMBRAI].officiel
    # Iwuy's published rate is secret: recomputed from the public places and children.
    assert r[IWUY].valeur == pytest.approx(100 / 150 * 100) and not r[IWUY].officiel
    # Proville: published rate secret, no places → secret, not 0.
    donnees.lignes("txcouv_pe", 2022, {PROVILLE: {"txcouv": None}})
    p = valeurs_communes("taux_couverture_global", [PROVILLE], 2022)[PROVILLE]
    assert p.etat == Etat.SECRET and p.valeur is None


def test_exemple_national_2023_composantes_et_total(donnees):
    composantes = {
        "txcouv_psu_col": 19.9,
        "txcouv_hors_psu_col": 3.6,
        "txcouv_prescol": 3.3,
        "txcouv_am_ind": 31.9,
        "txcouv_gad_ind": 2.2,
    }
    donnees.lignes("txcouv_pe", 2023, {"FR": {**composantes, "txcouv": 60.9}}, niveau="france")
    codes = ["psu", "hors_psu", "prescolarisation", "assmat", "garde_domicile"]
    valeurs = [valeur(f"taux_couverture_{c}", "france", "FR", 2023) for c in codes]
    assert [v.valeur for v in valeurs] == [19.9, 3.6, 3.3, 31.9, 2.2]
    assert all(v.officiel for v in valeurs)
    total = valeur("taux_couverture_global", "france", "FR", 2023)
    assert total.valeur == 60.9
    assert sum(v.valeur for v in valeurs) == pytest.approx(total.valeur)


def test_exemple_national_recalcule_depuis_les_places(donnees):
    # The same figures recomputed: 609 places for 1,000 children under 3 (national places file, 2024;
    # children of the 2021 census, the nearest vintage).
    places = {"pl_psu_col": 199, "pl_hors_psu_col": 36, "pl_prescol": 33, "pl_am_ind": 319, "pl_gad_ind": 22}
    donnees.lignes("nbpla_pe", 2024, {"FR": {**places, "tot_offre": 609}}, niveau="france")
    donnees.lignes("insee_pop", 2021, {CAMBRAI: {"pop0002": 600}, IWUY: {"pop0002": 400}})
    codes = ["psu", "hors_psu", "prescolarisation", "assmat", "garde_domicile"]
    valeurs = [valeur(f"taux_couverture_{c}", "france", "FR", 2024).valeur for c in codes]
    assert valeurs == pytest.approx([19.9, 3.6, 3.3, 31.9, 2.2])
    total = valeur("taux_couverture_global", "france", "FR", 2024)
    assert total.valeur == pytest.approx(60.9) == pytest.approx(sum(valeurs))
    assert total.etat == Etat.PARTIEL  # only two communes have children in this set


# --- secrecy ---------------------------------------------------------------------------------------------------


def test_secret_statistique_partiel_puis_secret_jamais_zero(donnees):
    donnees.lignes("s_ben_com_f", 2023, {CAMBRAI: {"indfoy_ndur": 10000}, IWUY: {"indfoy_ndur": None}})
    r = valeur("foyers_allocataires", "epci", CA_CAMBRAI, 2023)
    assert r.valeur == 10000 and r.etat == Etat.PARTIEL
    assert r.communes_secretes == 1 and r.communes_manquantes == 53
    source = r.sources[0]
    assert source["communes_secretes"] == 1 and source["communes_manquantes"] == 53

    iwuy = valeurs_communes("foyers_allocataires", [IWUY], 2023)[IWUY]
    assert iwuy.etat == Etat.SECRET and iwuy.valeur is None


def test_toutes_les_communes_en_secret(donnees):
    donnees.lignes("s_ben_com_f", 2023, {c: {"indfoy_ndur": None, "indfoy_rsa": None} for c in communes_ca()})
    for code in ("foyers_allocataires", "part_foyers_rsa"):
        r = valeur(code, "epci", CA_CAMBRAI, 2023)
        assert r.etat == Etat.SECRET
        assert r.valeur is None
        assert r.communes_secretes == 55


def test_ratio_exclut_les_communes_dont_un_terme_est_secret(donnees):
    donnees.lignes(
        "s_ben_com_f",
        2023,
        {CAMBRAI: {"indfoy_ndur": 10000, "indfoy_rsa": 2000}, IWUY: {"indfoy_ndur": 1000, "indfoy_rsa": None}},
    )
    r = valeur("part_foyers_rsa", "epci", CA_CAMBRAI, 2023)
    assert r.valeur == pytest.approx(20.0)  # Iwuy's 1,000 households are not in the denominator
    assert r.denominateur == 10000
    assert r.etat == Etat.PARTIEL and r.communes_secretes == 1


def test_pas_de_donnee_absent_et_variable_non_fournie_n_est_pas_un_secret(donnees):
    assert valeur("foyers_allocataires", "epci", CA_CAMBRAI, 2023).etat == Etat.ABSENT
    donnees.lignes("s_ben_com_f", 2023, {CAMBRAI: {"indfoy_ndur": 100}})
    r = valeurs_communes("foyers_rsa", [CAMBRAI], 2023)[CAMBRAI]
    assert r.etat == Etat.ABSENT and r.valeur is None
    assert valeur("foyers_allocataires", "epci", CA_CAMBRAI, 2019).etat == Etat.ABSENT  # no such year


# --- the offer/need gap ----------------------------------------------------------------------------------------


def test_places_manquantes_par_rapport_au_departement_et_a_la_france(donnees):
    places_et_enfants(donnees)
    donnees.lignes("txcouv_pe", 2022, {"59": {"txcouv": 60.0}}, niveau="departement")
    donnees.lignes("txcouv_pe", 2022, {"FR": {"txcouv": 40.0}}, niveau="france")
    cambrai = valeurs_communes("places_manquantes_taux_departement", [CAMBRAI], 2022)[CAMBRAI]
    assert cambrai.valeur == pytest.approx(60.0 / 100 * 1000 - 450)  # 150 places
    assert cambrai.numerateur == 450 and cambrai.denominateur == 1000
    reference = next(s for s in cambrai.sources if "reference" in s)["reference"]
    assert reference == {"niveau": "departement", "code": "59", "valeur": 60.0, "etat": "disponible"}
    france = valeurs_communes("places_manquantes_taux_france", [CAMBRAI], 2022)[CAMBRAI]
    assert france.valeur == 0  # 40 % of 1,000 = 400 < 450 places: max(0, …)

    epci = valeur("places_manquantes_taux_departement", "epci", CA_CAMBRAI, 2022)
    assert epci.valeur == pytest.approx(0.6 * 1150 - 550)  # 140 places
    assert epci.etat == Etat.PARTIEL
    assert valeur("places_manquantes_taux_departement", "departement", "59", 2022).etat == Etat.ABSENT


def test_ecart_sans_taux_de_reference(donnees):
    places_et_enfants(donnees)
    r = valeurs_communes("places_manquantes_taux_departement", [CAMBRAI], 2022)[CAMBRAI]
    # The département rate is recomputed from the communes that have figures (Cambrai and Iwuy).
    assert r.valeur == pytest.approx(550 / 1150 * 1000 - 450)
    donnees.lignes("txcouv_pe", 2022, {"59": {"txcouv": None}}, niveau="departement")
    donnees.lignes("nbpla_pe", 2022, {"59": {"tot_offre": None}}, niveau="departement")
    r = valeurs_communes("places_manquantes_taux_departement", [CAMBRAI], 2022)[CAMBRAI]
    assert r.valeur is None and r.etat == Etat.SECRET


# --- service public de la petite enfance -----------------------------------------------------------------------


def test_sppe_categories_et_obligations_dans_la_ca_de_cambrai():
    par_code = {c["code"]: c for c in sppe_communes(CA_CAMBRAI)}
    assert len(par_code) == 55
    assert par_code[CAMBRAI]["categorie"] == "plus_10000"
    assert len(par_code[CAMBRAI]["obligations"]) == 6
    assert "relais petite enfance" in par_code[CAMBRAI]["obligations"][-1]
    assert par_code[NEUVILLE]["categorie"] == "plus_3500"
    assert par_code[NEUVILLE]["obligations"] == obligations_sppe(4012)
    assert len(par_code[NEUVILLE]["obligations"]) == 4
    assert par_code[IWUY]["categorie"] == "toutes"  # 3,403 inhabitants
    assert len(par_code[IWUY]["obligations"]) == 2
    assert categorie_sppe(3500) == "toutes" and categorie_sppe(3501) == "plus_3500"
    assert categorie_sppe(10000) == "plus_3500" and categorie_sppe(10001) == "plus_10000"
    assert obligations_sppe(None) == []


def test_sppe_nombre_de_communes_par_categorie_de_l_epci():
    r = valeurs_territoire("epci", CA_CAMBRAI)
    assert r["nombre_communes"].valeur == 55
    assert r["sppe_communes_plus_10000"].valeur == 1
    assert r["sppe_communes_3500_10000"].valeur == 1
    assert r["sppe_communes_moins_3500"].valeur == 53
    assert r["population_municipale"].valeur == 80120
    assert r["population_municipale"].annee == 2023
    assert r["population_municipale"].etat == Etat.DISPONIBLE
    commune = valeurs_communes("sppe_communes_plus_10000", [CAMBRAI, NEUVILLE])
    assert commune[CAMBRAI].valeur == 1 and commune[NEUVILLE].valeur == 0


# --- storing everything ----------------------------------------------------------------------------------------


def test_calculer_tout_n_ecrit_que_epci_departements_et_france(donnees):
    donnees.lignes("s_ben_com_f", 2023, {CAMBRAI: {"indfoy_ndur": 10000}, IWUY: {"indfoy_ndur": 1000}})
    donnees.lignes("s_ben_com_f", 2022, {CAMBRAI: {"indfoy_ndur": 9000}})
    bilan = calculer_tout()
    assert set(ValeurIndicateur.objects.values_list("niveau", flat=True).distinct()) == {
        "epci",
        "departement",
        "france",
    }
    n_epci = Epci.objects.count()
    n_dep = Departement.objects.exclude(zone=Zone.COM).count()
    assert (n_epci, n_dep) == (1255, 101)
    assert bilan["territoires"] == {"epci": 1255, "departement": 101, "france": 1}
    assert bilan["annees"] == [2022, 2023]
    for annee in (2022, 2023):
        assert ValeurIndicateur.objects.filter(indicateur="foyers_allocataires", annee=annee).count() == 1357
    stockee = ValeurIndicateur.objects.get(indicateur="foyers_allocataires", niveau="epci", code=CA_CAMBRAI, annee=2023)
    assert (stockee.valeur, stockee.etat) == (11000, Etat.PARTIEL)
    assert stockee.sources[0]["fichier"] == "s_ben_com_f.csv"
    assert (
        ValeurIndicateur.objects.get(
            indicateur="foyers_allocataires", niveau="departement", code="59", annee=2023
        ).valeur
        == 11000
    )
    france = ValeurIndicateur.objects.get(indicateur="foyers_allocataires", niveau="france", code="FR", annee=2023)
    assert france.valeur == 11000
    assert (
        ValeurIndicateur.objects.get(indicateur="foyers_allocataires", niveau="epci", code="200093201", annee=2023).etat
        == Etat.ABSENT
    )  # an EPCI of another département: no data, stored as absent
    population = ValeurIndicateur.objects.get(indicateur="population_municipale", niveau="france", annee=2023)
    assert population.etat == Etat.DISPONIBLE and population.valeur > 67_000_000
    assert bilan["valeurs"] == ValeurIndicateur.objects.count()

    # A second run replaces, never duplicates; one year only touches that year.
    total = ValeurIndicateur.objects.count()
    calculer_tout(annees=[2022])
    assert ValeurIndicateur.objects.count() == total
    # Reading goes through the stored values.
    lu = valeur("foyers_allocataires", "epci", CA_CAMBRAI, 2023)
    assert lu.valeur == 11000 and lu.communes_manquantes == 53


def test_serie_et_annees(donnees):
    donnees.lignes("s_ben_com_f", 2022, {CAMBRAI: {"indfoy_ndur": 9000}})
    donnees.lignes("s_ben_com_f", 2023, {CAMBRAI: {"indfoy_ndur": 10000}})
    assert annees_indicateur("foyers_allocataires") == [2022, 2023]
    s = serie("foyers_allocataires", "commune", CAMBRAI)
    assert [(r.annee, r.valeur) for r in s] == [(2022, 9000), (2023, 10000)]
    assert valeur("foyers_allocataires", "commune", CAMBRAI).annee == 2023  # latest by default


def test_comparaison_avec_le_departement_et_la_france(donnees):
    donnees.lignes(
        "s_ben_com_f",
        2023,
        {CAMBRAI: {"indfoy_ndur": 10000, "indfoy_rsa": 2000}, "59350": {"indfoy_ndur": 90000, "indfoy_rsa": 9000}},
    )
    donnees.lignes(
        "s_ben_com_f", 2023, {"75056": {"indfoy_ndur": 100000, "indfoy_rsa": 5000}}, nom="s_ben_com_f_paris.csv"
    )
    c = comparaison("part_foyers_rsa", Commune.objects.get(code=CAMBRAI))
    assert c["annee"] == 2023
    assert c["valeur"].valeur == pytest.approx(20.0)
    assert c["departement"].code == "59"
    assert c["departement"].valeur == pytest.approx(11000 / 100000 * 100)
    assert c["france"].valeur == pytest.approx(16000 / 200000 * 100)
    assert {s["fichier"] for s in c["france"].sources} == {"s_ben_com_f.csv", "s_ben_com_f_paris.csv"}
    epci = comparaison("part_foyers_rsa", CA_CAMBRAI)
    assert epci["territoire"].departement == "59"


# --- demonstration data ----------------------------------------------------------------------------------------


def test_la_demonstration_se_propage(donnees):
    donnees.lignes("s_ben_com_f", 2023, {CAMBRAI: {"indfoy_ndur": 10000, "indnbp_ndur": 25000}}, demonstration=True)
    donnees.lignes("s_ben_com_f", 2023, {"59350": {"indfoy_ndur": 90000}}, nom="reel.csv")
    assert valeur("foyers_allocataires", "epci", CA_CAMBRAI, 2023).demonstration
    assert valeur("taux_couverture_population", "epci", CA_CAMBRAI, 2023).demonstration
    assert valeurs_communes("foyers_allocataires", ["59350"], 2023)["59350"].demonstration is False
    assert valeur("population_municipale", "epci", CA_CAMBRAI).demonstration is False
    calculer_tout()
    assert ValeurIndicateur.objects.get(
        indicateur="foyers_allocataires", niveau="departement", code="59", annee=2023
    ).demonstration
    assert not ValeurIndicateur.objects.filter(indicateur="population_municipale", demonstration=True).exists()


def test_la_demonstration_se_propage_aux_ecarts_par_le_taux_de_reference(donnees):
    places_et_enfants(donnees)
    donnees.lignes("txcouv_pe", 2022, {"59": {"txcouv": 60.0}}, niveau="departement", demonstration=True)
    r = valeurs_communes("places_manquantes_taux_departement", [CAMBRAI], 2022)[CAMBRAI]
    assert r.demonstration
    assert not valeurs_communes("places_total", [CAMBRAI], 2022)[CAMBRAI].demonstration


def test_periode_la_plus_recente_de_l_annee(donnees):
    f = donnees.fichier("s_ben_com_f")
    donnees.obs(f, CAMBRAI, {"indfoy_ndur": 100}, 2023, periode="2023-06")
    donnees.obs(f, CAMBRAI, {"indfoy_ndur": 120}, 2023, periode="2023-12")
    r = Moteur.pour("commune", CAMBRAI).calculer("foyers_allocataires", 2023, "commune")[CAMBRAI]
    assert r.valeur == 120 and r.sources[0]["periode"] == "2023-12"


def test_somme_prefere_le_fichier_du_niveau_quand_il_existe(donnees):
    places_et_enfants(donnees)
    assert valeur("places_total", "epci", CA_CAMBRAI, 2022).valeur == 550  # sum of Cambrai and Iwuy
    donnees.lignes("nbpla_pe", 2022, {CA_CAMBRAI: {"tot_offre": 1890}}, niveau="epci", nom="nbpla_pe_epci.csv")
    r = valeur("places_total", "epci", CA_CAMBRAI, 2022)
    assert (r.valeur, r.etat, r.communes) == (1890, Etat.DISPONIBLE, 0)
    assert [(s["fichier"], s["niveau"]) for s in r.sources] == [("nbpla_pe_epci.csv", "epci")]
    # The EPCI places beside the children summed over communes: not paired commune by commune.
    taux = valeur("taux_couverture_global", "epci", CA_CAMBRAI, 2022)
    assert taux.valeur == pytest.approx(1890 / 1150 * 100)
    assert taux.etat == Etat.PARTIEL and taux.communes == 2 and taux.communes_manquantes == 53


def test_un_chiffre_de_la_france_calcule_a_la_demande_l_est_une_fois_par_version_des_donnees(donnees, monkeypatch):
    """Not stored yet, the France figure is summed over every commune once; a new file computes it again."""
    calculs = []
    pour = Moteur.pour.__func__

    def compter(cls, niveau, code):
        calculs.append((niveau, code))
        return pour(cls, niveau, code)

    monkeypatch.setattr(Moteur, "pour", classmethod(compter))
    donnees.lignes("s_ben_com_f", 2023, {CAMBRAI: {"indfoy_ndur": 10000}, IWUY: {"indfoy_ndur": 1000}})
    premier = valeurs_territoire("france", "FR", indicateurs=["foyers_allocataires"])["foyers_allocataires"]
    second = valeurs_territoire("france", "FR", indicateurs=["foyers_allocataires"])["foyers_allocataires"]
    assert premier.valeur == second.valeur == 11000 and calculs == [("france", "FR")]

    donnees.lignes("s_ben_com_f", 2023, {PROVILLE: {"indfoy_ndur": 500}})  # a new file: a new version of the data
    troisieme = valeurs_territoire("france", "FR", indicateurs=["foyers_allocataires"])["foyers_allocataires"]
    assert troisieme.valeur == 11500 and calculs == [("france", "FR"), ("france", "FR")]


def test_la_version_des_donnees_est_lue_une_fois_par_requete_et_relue_apres_un_import(donnees, client):
    """In a request the version of the data is read once; a file written during the request makes it read again."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from ctg.diagnostic import calcul

    def lectures(requetes) -> int:
        return sum('FROM "donnees_fichier"' in q["sql"] and "MAX(" in q["sql"] for q in requetes)

    donnees.lignes("s_ben_com_f", 2023, {CAMBRAI: {"indfoy_ndur": 10000}, IWUY: {"indfoy_ndur": 1000}})
    client.force_login(get_user_model().objects.create_user("lecteur", password="x"))
    with CaptureQueriesContext(connection) as requetes:  # a page that asks for many series
        assert client.get(f"/diagnostic/epci/{CA_CAMBRAI}/").status_code == 200
    assert lectures(requetes.captured_queries) == 1

    calcul.requete_commencee()  # what Django's request_started does (see apps.py)
    try:
        avant = calcul._version_donnees()
        donnees.lignes("s_ben_com_f", 2023, {PROVILLE: {"indfoy_ndur": 500}})  # a file written in the request
        with CaptureQueriesContext(connection) as requetes:
            assert calcul._version_donnees() != avant
        assert lectures(requetes.captured_queries) == 1
    finally:
        calcul.requete_finie()
    with CaptureQueriesContext(connection) as requetes:  # outside a request: read each time
        calcul._version_donnees()
        calcul._version_donnees()
    assert lectures(requetes.captured_queries) == 2


def test_une_somme_partielle_dit_ce_qu_elle_couvre_sur_la_page_et_dans_la_commande(donnees, client):
    import io

    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from ctg.diagnostic.catalogue import DROITS

    donnees.lignes("s_ben_com_f", 2023, {CAMBRAI: {"indfoy_ndur": 10000}, IWUY: {"indfoy_ndur": 1000}})
    client.force_login(get_user_model().objects.create_user("lecteur", password="x"))
    page = client.get(f"/diagnostic/epci/{CA_CAMBRAI}/?domaine={DROITS}").content.decode()
    assert 'title="partiel : somme de 2 communes sur 55 (53 sans donnée), ' in page
    sortie = io.StringIO()
    call_command("indicateurs", CA_CAMBRAI, stdout=sortie)
    assert "— partiel (somme de 2 communes sur 55 (53 sans donnée), " in sortie.getvalue()
