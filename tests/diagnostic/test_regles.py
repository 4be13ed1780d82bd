"""Each sourced rule of the diagnostic with the example its source gives."""

import pytest

from ctg.diagnostic.calcul import sppe_communes, valeur
from ctg.diagnostic.catalogue import indicateur
from ctg.diagnostic.regles import (
    categorie_sppe,
    obligations_sppe,
    population_reference_sppe,
    schema_sppe,
    seuil_bas_revenus,
    taux_couverture_rapport_onape,
)

from .conftest import CA_CAMBRAI, CAMBRAI, IWUY, NEUVILLE

# --- seuil de bas revenus --------------------------------------------------------------------------------------


def test_seuil_de_bas_revenus_par_annee_selon_la_caf():
    # Caf: "moins de 1 045 euros en 2016"; "moins de 1 097 € par mois au 31 décembre 2019"
    assert seuil_bas_revenus(2016).montant == 1045
    assert seuil_bas_revenus(2019).montant == 1097
    assert seuil_bas_revenus(2019).libelle == "1\u00a0097\u00a0€ par mois au 31/12/2019"
    assert seuil_bas_revenus(2022) is None  # not in the sources: never guessed from another year


def test_la_definition_donne_le_seuil_de_l_annee_des_donnees():
    ind = indicateur("part_allocataires_bas_revenus")
    assert ind.definition_pour(2019).endswith(
        "Seuil de bas revenus des données de 2019 : 1\u00a0097\u00a0€ par mois au 31/12/2019."
    )
    assert "1\u00a0045\u00a0€ par mois en 2016" in ind.definition_pour(2016)
    assert "non connu de CTG pour 2023" in ind.definition_pour(2023)
    assert "1\u00a0097\u00a0€" not in ind.definition_pour(2023).split("Seuil de bas revenus des données")[1]
    # The general definition lists the thresholds known, each with its year, never one as "the" threshold.
    assert "1\u00a0045\u00a0€ par mois en 2016, 1\u00a0097\u00a0€ par mois au 31/12/2019" in ind.definition


# --- two national coverage series ------------------------------------------------------------------------------


def test_le_taux_national_est_celui_du_fichier_national_et_non_celui_du_rapport_onape(donnees):
    # data.caf.fr txcouv_pe_nat: 59.5 for 2022; the Onape report: 60.3 in 2022. Two series, never the same figure.
    assert taux_couverture_rapport_onape(2022) == 60.3
    assert taux_couverture_rapport_onape(2023) is None
    assert valeur("taux_couverture_global", "france", "FR", 2022).valeur is None  # no national file: no figure
    donnees.lignes("txcouv_pe", 2022, {"FR": {"txcouv": 59.5}}, niveau="france", nom="txcouv_pe_nat.csv")
    france = valeur("taux_couverture_global", "france", "FR", 2022)
    assert france.valeur == 59.5 and france.officiel
    assert [s["fichier"] for s in france.sources] == ["txcouv_pe_nat.csv"]
    definition = indicateur("taux_couverture_global").definition
    assert "txcouv_pe_nat" in definition and "rapport annuel de l'Onape" in definition and "60,3" in definition


# --- service public de la petite enfance -----------------------------------------------------------------------


def test_seuils_du_sppe_l_214_1_3_ii():
    assert [categorie_sppe(p) for p in (3500, 3501, 10000, 10001, None)] == [
        "toutes",
        "plus_3500",
        "plus_3500",
        "plus_10000",
        None,
    ]
    assert len(obligations_sppe(3403)) == 2 and len(obligations_sppe(4012)) == 4


def test_la_ctg_tient_lieu_de_schema_l_214_2_iii():
    # Cambrai (31,134 inhabitants) must have a schéma, unless its CTG covers its content (D.214-10-1).
    assert schema_sppe(31134, ctg_tient_lieu=False) == "obligatoire"
    assert schema_sppe(31134, ctg_tient_lieu=True) == "dispense"
    assert schema_sppe(31134) == "sous_reserve"
    assert schema_sppe(4012, ctg_tient_lieu=True) == "non_concerne"
    dispense = obligations_sppe(31134, ctg_tient_lieu=True)
    assert len(dispense) == 6 and "dispense, la CTG en couvre le contenu" in dispense[4]
    assert "L.214-2 III" in dispense[4] and "D.214-10-1" in dispense[4]
    assert obligations_sppe(31134, ctg_tient_lieu=False)[4] == (
        "adopter un schéma pluriannuel de maintien et de développement de l'offre"
    )
    assert "sauf si la CTG en couvre le contenu" in obligations_sppe(31134)[4]
    assert "relais petite enfance" in dispense[5]  # the relais is not covered by the exemption


def test_competence_transferee_seuils_sur_la_population_des_communes_qui_l_ont_transferee_l_214_1_3_iii():
    populations = {CAMBRAI: 31134, NEUVILLE: 4012, IWUY: 3403}
    assert population_reference_sppe(IWUY, populations) == 3403
    assert population_reference_sppe(IWUY, populations, transferees={NEUVILLE, IWUY}) == 7415
    assert population_reference_sppe(CAMBRAI, populations, transferees={NEUVILLE, IWUY}) == 31134  # kept it
    assert population_reference_sppe(IWUY, {IWUY: 3403, NEUVILLE: None}, transferees={NEUVILLE, IWUY}) is None


@pytest.mark.django_db
def test_sppe_des_communes_de_la_ca_de_cambrai_avec_et_sans_transfert():
    seules = {c["code"]: c for c in sppe_communes(CA_CAMBRAI)}
    assert seules[IWUY]["categorie"] == "toutes" and seules[IWUY]["autorite"] == "commune"
    assert seules[CAMBRAI]["categorie"] == "plus_10000"
    assert "sauf si la CTG en couvre le contenu" in seules[CAMBRAI]["obligations"][4]
    # Every commune but Cambrai transferred the competence: the EPCI is their autorité organisatrice and the
    # thresholds read the total of their populations (80,120 − 31,134 = 48,986 inhabitants).
    autres = [c for c in seules if c != CAMBRAI]
    transfert = {c["code"]: c for c in sppe_communes(CA_CAMBRAI, transferees=autres, ctg_tient_lieu_de_schema=True)}
    assert transfert[IWUY]["autorite"] == "epci" and transfert[IWUY]["population_reference"] == 48986
    assert transfert[IWUY]["categorie"] == "plus_10000" and "dispense" in transfert[IWUY]["obligations"][4]
    assert transfert[CAMBRAI]["autorite"] == "commune" and transfert[CAMBRAI]["population_reference"] == 31134


@pytest.mark.django_db
def test_le_transfert_se_lit_sur_les_adhesions_de_la_convention_de_l_epci(convention_cambrai):
    """Without ``transferees``, the communes that transferred the competence are those the adhesions of the EPCI's
    convention say (the adhesion page): here every commune but Cambrai."""
    convention_cambrai.adhesions.exclude(commune_id=CAMBRAI).update(competence_petite_enfance_transferee=True)
    lues = {c["code"]: c for c in sppe_communes(CA_CAMBRAI)}
    assert lues[IWUY]["autorite"] == "epci" and lues[IWUY]["population_reference"] == 48986
    assert lues[CAMBRAI]["autorite"] == "commune"


@pytest.mark.django_db
def test_la_dispense_de_schema_se_lit_sur_la_convention_de_l_epci(convention_cambrai, client):
    """When the EPCI's convention says it covers the schéma's content, Cambrai (over 10,000 inhabitants) is exempt;
    said on the convention's settings page."""
    from django.contrib.auth import get_user_model

    assert (
        "sauf si la CTG en couvre le contenu"
        in {c["code"]: c for c in sppe_communes(CA_CAMBRAI)}[CAMBRAI]["obligations"][4]
    )
    type(convention_cambrai).objects.filter(pk=convention_cambrai.pk).update(tient_lieu_de_schema_sppe=True)
    assert "dispense" in {c["code"]: c for c in sppe_communes(CA_CAMBRAI)}[CAMBRAI]["obligations"][4]
    client.force_login(get_user_model().objects.create_superuser("admin", password="x"))
    page = client.get(f"/conventions/{convention_cambrai.pk}/modifier/").content.decode()
    assert "CTG couvre le contenu du schéma pluriannuel" in page
