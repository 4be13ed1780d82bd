"""What a new crèche of N places would bring, before it exists."""

from datetime import date
from decimal import Decimal

import pytest

from ctg.financement.models import Structure
from ctg.financement.simulation import simuler
from ctg.territoires.models import Commune

from .conftest import plat

pytestmark = pytest.mark.django_db


def test_creche_en_qpv_a_cambrai(demo):
    # 20 places in a QPV of Cambrai (adhered), opening on 1 January 2026: 20 × 3 600 € = 72 000 € of new places;
    # the territory grows 84 → 92 + 15 + 20 = 127 places (+51,2 %) → palier +12 %: 20 × 300 € = 6 000 €
    resultat = simuler(demo, Commune.objects.get(code="59122"), 20, date(2026, 1, 1), en_qpv=True)
    premiere = resultat.annees[0]
    assert premiere.annee == 2026 and premiere.bonus.montant == Decimal("78000.00")
    assert premiere.trajectoire == Decimal("6000.00")
    assert premiere.croissance_sans < premiere.croissance_avec
    assert "taux maximal" in plat(premiere.bonus.explication)
    assert not Structure.objects.filter(nom__contains="simulée").exists()  # nothing is saved
    # 2027 and 2028 are after the convention: computed "sous réserve de son renouvellement"
    assert [a.annee for a in resultat.annees] == [2026, 2027, 2028]
    assert "sous réserve de son renouvellement" in plat(resultat.annees[1].bonus.explication)
    assert resultat.annees[2].trajectoire == 0  # the bonus trajectoire ends in 2027


def test_la_creche_fait_franchir_un_palier_aux_autres_structures(demo):
    # 2025: 92 places (+9,5 %, palier +8 %); a crèche of 10 places opening on 1 January 2025 in Cambrai brings the
    # territory to 102 places (+21,4 %, palier +12 %): Cambrai's EAJE (40 + 20 co-funded places) gain 100 € each
    resultat = simuler(demo, Commune.objects.get(code="59122"), 10, date(2025, 1, 1), annees=[2025])
    assert resultat.annees[0].effet_territoire == Decimal("6000.00")


def test_commune_non_adherente_la_simulation_le_dit(demo):
    resultat = simuler(demo, Commune.objects.get(code="59322"), 12, date(2026, 1, 1), annees=[2026])
    annee = resultat.annees[0]
    assert annee.bonus.montant == 0 and annee.bonus.montant_calcule > 0
    assert "La commune Iwuy n'a pas encore adhéré à la CTG" in plat(resultat.resume)


def test_la_page_de_simulation(client, demo, comptes):
    client.force_login(comptes["lecture"])
    url = f"/financement/conventions/{demo.pk}/simulation/"
    assert "Simuler une nouvelle crèche" in client.get(url).content.decode()
    params = {"commune": "59122", "places": "20", "places_employeurs": "0", "ouverture": "2026-01-01", "en_qpv": "on"}
    contenu = plat(client.get(url, params).content.decode())
    assert "apporterait 78 000,00 € de bonus territoire en 2026" in contenu
    partiel = client.get(url, params, headers={"HX-Request": "true"}).content.decode()
    assert "<html" not in partiel and "Résultat de la simulation" in partiel
    erreur = plat(client.get(url, {**params, "places_employeurs": "30"}).content.decode())
    assert "Plus de places réservées par des employeurs que de places." in erreur
