"""An indicator linked to the diagnostic fills in from the open data: a new vintage imported and computed
(``ctg calculer_indicateurs``) moves its latest value and its progress. The tests compute the one indicator the
fiche follows (``places_total``); every indicator fed by the same file, over every EPCI, takes about seven times as
long and is checked by the diagnostic's tests."""

from datetime import date

import pytest

from ctg.diagnostic.calcul import calculer_tout
from ctg.plan.models import IndicateurAction
from ctg.plan.regles import Mesure, Suivi
from tests.plan.fabriques import creer_indicateur

from .conftest import fiche_de_test, importer

pytestmark = pytest.mark.django_db
JOUR = date(2026, 11, 28)


def test_un_nouveau_millesime_met_a_jour_l_indicateur_lie(convention, client, comptes):
    importer("nbpla_pe", "epci", "200068500", 2022, {"tot_offre": 1200})
    calculer_tout(indicateurs=["places_total"])
    fiche = fiche_de_test(convention, "Développer l'offre d'accueil", statut="en_cours")
    ind = creer_indicateur(
        fiche=fiche,
        libelle="Offre totale d'accueil",
        indicateur_catalogue="places_total",
        annee_reference=2022,
        cible=1300,
        date_cible=date(2026, 12, 31),
    )
    mesure = Mesure(ind, JOUR)
    assert mesure.initiale == 1200 and mesure.derniere.periode == "2022" and mesure.progression == 0

    importer("nbpla_pe", "epci", "200068500", 2024, {"tot_offre": 1250})
    calculer_tout(indicateurs=["places_total"])
    mesure = Mesure(IndicateurAction.objects.get(pk=ind.pk), JOUR)
    assert [(p.periode, p.valeur) for p in mesure.points] == [("2022", 1200), ("2024", 1250)]
    assert mesure.initiale == 1200 and mesure.progression == 50
    assert Suivi(fiche, JOUR).progression == 50
    client.force_login(comptes["lecture"])
    page = client.get(fiche.get_absolute_url()).content.decode()
    assert "1\xa0250 (2024)" in page
    assert "données ouvertes" in page


def test_indicateur_lie_d_une_commune_et_sans_donnee(convention):
    fiche = fiche_de_test(convention, "Accès aux droits à Cambrai")
    ind = creer_indicateur(
        fiche=fiche,
        libelle="Foyers allocataires à Cambrai",
        indicateur_catalogue="foyers_allocataires",
        territoire="59122",
        annee_reference=2023,
        cible=8000,
        date_cible=date(2026, 12, 31),
    )
    assert Mesure(ind, JOUR).points == [] and Mesure(ind, JOUR).progression is None
    importer("s_ben_com_f", "commune", "59122", 2023, {"indfoy_ndur": 7600}, demonstration=True)
    importer("s_ben_com_f", "commune", "59122", 2025, {"indfoy_ndur": 7800}, demonstration=True)
    mesure = Mesure(ind, JOUR)
    assert mesure.initiale == 7600 and mesure.derniere.valeur == 7800 and mesure.progression == 50
    assert mesure.demonstration  # the demonstration data say so


def test_valeur_initiale_saisie_prime_sur_les_donnees(convention):
    importer("nbpla_pe", "epci", "200068500", 2022, {"tot_offre": 1200})
    calculer_tout(indicateurs=["places_total"])
    fiche = fiche_de_test(convention, "Offre")
    ind = creer_indicateur(
        fiche=fiche,
        libelle="Offre",
        indicateur_catalogue="places_total",
        valeur_initiale=1100,
        cible=1300,
        date_cible=date(2026, 12, 31),
    )
    assert Mesure(ind, JOUR).progression == 50
