"""The demonstration comité of the reference convention: parity, two meetings a year, the diagnostic validated."""

from datetime import date

import pytest

from ctg.conventions.echeances import Etat, echeances
from ctg.demo.comptes import creer_comptes_demo
from ctg.demo.gouvernance import charger_demo_gouvernance
from ctg.diagnostic.models import StatutDiagnostic
from ctg.diagnostic.partage import diagnostic_de
from ctg.gouvernance.models import Decision, Membre, ObjetDecision, Reunion, StatutReunion, SuiviInitiative
from ctg.gouvernance.regles import comite_de, historique_parite, parite, semestres_sans_reunion
from ctg.gouvernance.tableau import alertes

pytestmark = pytest.mark.django_db
AUJOURD_HUI = date(2026, 11, 28)


@pytest.fixture
def demo(convention):
    creer_comptes_demo(convention)
    resume = charger_demo_gouvernance(convention, aujourd_hui=AUJOURD_HUI)
    return convention, resume


def test_comite_de_demonstration(demo):
    convention, resume = demo
    comite = comite_de(convention)
    assert resume == {"membres": 9, "reunions": 10, "tenues": 9, "decisions": 9, "initiatives": 3}
    assert all("(démonstration)" in m.fonction for m in comite.membres.all())
    assert parite(comite, AUJOURD_HUI).respectee
    assert all(p.parite.respectee for p in historique_parite(comite, convention.date_debut, AUJOURD_HUI))
    assert Membre.objects.get(nom="Démo").compte.username == "demo"

    # two meetings a year up to today, the one of December 2026 still planned: the current half-year is due
    annees = [r.date.year for r in Reunion.objects.filter(comite=comite)]
    assert all(annees.count(a) == 2 for a in range(2022, 2027))
    planifiee = Reunion.objects.get(statut=StatutReunion.PLANIFIEE)
    assert planifiee.date == date(2026, 12, 8) and not planifiee.decisions.exists()
    assert semestres_sans_reunion(convention, AUJOURD_HUI) == []
    par_code = {e.code: e for e in echeances(convention, AUJOURD_HUI)}
    assert par_code["copil_2026_2"].etat == Etat.PROCHE
    assert par_code[f"copil_reunion_{planifiee.pk}"].etat == Etat.PROCHE
    assert all(par_code[f"copil_{a}_{s}"].etat == Etat.FAITE for a in range(2022, 2026) for s in (1, 2))
    assert alertes(convention, AUJOURD_HUI) == []

    for reunion in Reunion.objects.filter(statut=StatutReunion.TENUE):
        assert reunion.compte_rendu and reunion.presences.exists() and reunion.decisions.exists()


def test_le_comite_du_premier_semestre_2023_valide_le_diagnostic(demo):
    convention, _ = demo
    convention.refresh_from_db()
    diagnostic = diagnostic_de(convention)
    assert diagnostic.statut == StatutDiagnostic.VALIDE and diagnostic.valide_le == date(2023, 3, 14)
    assert convention.diagnostic_valide_le == date(2023, 3, 14)
    decision = Decision.objects.get(objet=ObjetDecision.DIAGNOSTIC_VALIDE)
    assert decision.reunion.date == date(2023, 3, 14) and decision.votes.count() == 6
    assert not decision.votes.filter(membre__role="consultatif").exists()
    assert convention.objectifs_identifies_le == date(2023, 11, 16)  # the plan adopted in November 2023
    par_code = {e.code: e for e in echeances(convention, AUJOURD_HUI)}
    assert par_code["diagnostic_valide"].etat == Etat.FAITE


def test_initiative_transformee_et_idempotence(demo):
    convention, resume = demo
    cafe = convention.initiatives.get(titre="Café des parents itinérant")
    assert cafe.suivi == SuiviInitiative.TRANSFORMEE and "(démonstration)" in cafe.fiche_reference
    assert charger_demo_gouvernance(convention, aujourd_hui=AUJOURD_HUI) == resume
    assert Membre.objects.count() == 9


def test_retirer_un_membre_caf_de_la_demo_rompt_la_parite(demo):
    convention, _ = demo
    caf = Membre.objects.get(nom="Fictive")
    caf.fin = date(2026, 11, 27)
    caf.save()
    (alerte,) = alertes(convention, AUJOURD_HUI)
    assert alerte.startswith("Comité de pilotage — parité rompue au 28/11/2026 : 2 Caf / 3 collectivité")
    assert "il manque 1 représentant·e votant·e de la Caf" in alerte
