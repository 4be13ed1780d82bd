"""The demonstration plan of the Cambrai convention: a dozen fictitious fiches, clearly marked."""

from datetime import date

import pytest

from ctg.conventions.echeances import echeances
from ctg.demo.plan import charger_demo_plan
from ctg.plan.models import FicheAction, Revue
from ctg.plan.regles import fiches_suivies
from ctg.plan.tableau import alertes

pytestmark = pytest.mark.django_db
JOUR = date(2026, 11, 28)


def test_plan_de_demonstration_rejouable(convention, comptes):
    fiches = charger_demo_plan(convention)
    assert len(fiches) == 12
    assert len(charger_demo_plan(convention)) == 12 and FicheAction.objects.count() == 12
    assert all("(démonstration)" in f.titre and f.demonstration for f in fiches)
    suivis = fiches_suivies(convention, JOUR)
    assert {s.fiche.numero for s in suivis if s.en_retard} == {3}  # the milestone of March 2026 was missed
    assert sum(1 for f in fiches if f.indicateurs.exclude(definition__indicateur_catalogue="").exists()) >= 3
    assert all(f.indicateurs.exists() for f in fiches)
    assert sum(1 for f in fiches if f.besoins.exists()) >= 8
    missions = {o.parent.parent_id for f in fiches for o in f.objectifs.filter(niveau="strategique")}
    assert len(missions) == 4
    assert Revue.objects.get(convention=convention).date.year == 2025
    assert FicheAction.objects.get(numero=6).pilote == comptes["referent.commune"]


@pytest.mark.date("2026-11-30")  # the convention in force: its alerts are the late actions
def test_objectifs_identifies_et_alerte_sur_le_tableau_de_bord(convention):
    charger_demo_plan(convention)
    convention.refresh_from_db()
    assert convention.objectifs_identifies_le == date(2023, 11, 16)
    etats = {e.code: e.etat for e in echeances(convention, JOUR)}
    assert etats["objectifs_identifies"] == "faite"
    assert etats["plan_cible_" + str(FicheAction.objects.get(numero=3).indicateurs.get().pk)] == "proche"
    jalon = FicheAction.objects.get(numero=3).jalons.get(date_realisee=None)
    assert etats[f"plan_jalon_{jalon.pk}"] == "en_retard"
    assert alertes(convention) and "1 action en retard (n° 3)" in alertes(convention)[0]


def test_besoins_de_demonstration_charges_avant_la_validation_du_diagnostic(convention):
    from ctg.demo.plan import charger_besoins_demo
    from ctg.diagnostic.models import Besoin

    assert charger_besoins_demo(convention) == 8  # before the comité validates (and locks) the diagnostic
    fiches = charger_demo_plan(convention)
    assert Besoin.objects.count() == 8  # the fiches link the needs already there, by their title
    assert sum(1 for f in fiches if f.besoins.exists()) >= 8
