"""Progress and lateness, with worked examples (annexe 2: concrete, dated, quantified objectives)."""

from datetime import date

import pytest

from ctg.audit import utilisateur_systeme
from ctg.plan import cycle
from ctg.plan.models import Jalon, StatutFiche, ValeurSaisie
from ctg.plan.regles import Suivi, progression
from tests.plan.fabriques import creer_indicateur

from .conftest import fiche_de_test

JOUR = date(2026, 11, 28)


@pytest.mark.parametrize(
    "initiale, cible, derniere, attendu",
    [
        (40, 50, 45, 50),  # halfway up
        (20, 10, 17.5, 25),  # a fall is wanted: a quarter of the way down
        (40, 50, 52, 100),  # target passed: 100 %, never more
        (40, 50, 38, 0),  # went the wrong way: 0 %, never less
        (0, 12, 12, 100),
        (310, 340, 318, 27),  # 8 / 30 = 26.7 % → 27 %
        (5, 5, 5, 100),  # keep a level: reached
        (5, 5, 4, 0),
        (40, 50, None, None),  # nothing measured yet
        (None, 50, 45, None),
    ],
)
def test_progression(initiale, cible, derniere, attendu):
    assert progression(initiale, cible, derniere) == attendu


@pytest.fixture
def fiche(convention):
    return fiche_de_test(
        convention, "Micro-crèche", statut="en_cours", date_debut=date(2024, 1, 1), date_fin=date(2026, 12, 31)
    )


def indicateur(fiche, cible_le, valeurs=(), initiale=0, cible=12):
    ind = creer_indicateur(
        fiche=fiche, libelle="Places créées", valeur_initiale=initiale, cible=cible, date_cible=cible_le
    )
    for jour, v in valeurs:
        ValeurSaisie.objects.create(indicateur=ind, date=jour, valeur=v)
    return ind


@pytest.mark.django_db
def test_a_l_heure_tant_que_la_date_de_la_cible_n_est_pas_passee(fiche):
    indicateur(fiche, date(2026, 12, 31), [(date(2025, 12, 31), 6)])
    suivi = Suivi(fiche, JOUR)
    assert suivi.progression == 50 and not suivi.en_retard and suivi.statut == StatutFiche.EN_COURS


@pytest.mark.django_db
def test_en_retard_quand_la_cible_est_passee_sans_etre_atteinte(fiche):
    indicateur(fiche, date(2026, 6, 30), [(date(2026, 6, 30), 9)])
    suivi = Suivi(fiche, JOUR)
    assert suivi.progression == 75
    assert suivi.en_retard and suivi.statut == StatutFiche.EN_RETARD
    assert suivi.motifs_retard == ["cible « Places créées » du 30/06/2026 non atteinte (75 %)"]


@pytest.mark.django_db
def test_cible_passee_mais_atteinte_pas_de_retard(fiche):
    indicateur(fiche, date(2026, 6, 30), [(date(2026, 5, 2), 12)])
    assert not Suivi(fiche, JOUR).en_retard


@pytest.mark.django_db
def test_jalon_manque(fiche):
    Jalon.objects.create(fiche=fiche, libelle="Forum des métiers", date_prevue=date(2026, 3, 31))
    Jalon.objects.create(fiche=fiche, libelle="Ouverture", date_prevue=date(2025, 9, 1), date_realisee=date(2025, 9, 3))
    suivi = Suivi(fiche, JOUR)
    assert suivi.motifs_retard == ["jalon « Forum des métiers » prévu le 31/03/2026 non atteint"]
    assert not Suivi(fiche, date(2026, 3, 31)).en_retard  # due that day: not late yet


@pytest.mark.django_db
def test_fin_depassee_et_statuts_jamais_en_retard(fiche):
    fiche.date_fin = date(2026, 6, 30)
    fiche.save()
    assert Suivi(fiche, JOUR).motifs_retard == ["fin prévue le 30/06/2026 dépassée"]
    systeme = utilisateur_systeme()
    etapes = [("terminer", "rouvrir", StatutFiche.TERMINEE), ("suspendre", "reprendre", StatutFiche.EN_PAUSE)]
    for mois, (nom, retour, statut) in enumerate(etapes, 7):  # one act a day, in July, then in August
        fiche = cycle.changer_statut_fiche(fiche, nom, systeme, jour=date(2026, mois, 1))
        assert not Suivi(fiche, JOUR).en_retard and Suivi(fiche, JOUR).statut == statut
        fiche = cycle.changer_statut_fiche(fiche, retour, systeme, jour=date(2026, mois, 2))
    fiche = cycle.changer_statut_fiche(fiche, "abandonner", systeme, jour=date(2026, 9, 1))
    assert not Suivi(fiche, JOUR).en_retard and Suivi(fiche, JOUR).statut == StatutFiche.ABANDONNEE


@pytest.mark.django_db
def test_signalee_en_retard_par_le_pilote(fiche):
    fiche = cycle.changer_statut_fiche(fiche, "signaler_retard", utilisateur_systeme(), jour=date(2025, 1, 6))
    assert Suivi(fiche, JOUR).statut == StatutFiche.EN_RETARD


@pytest.mark.django_db
def test_avancement_d_une_fiche_moyenne_de_ses_indicateurs(fiche):
    indicateur(fiche, date(2026, 12, 31), [(date(2025, 12, 31), 6)])  # 50 %
    indicateur(fiche, date(2026, 12, 31), [(date(2025, 12, 31), 12)])  # 100 %
    assert Suivi(fiche, JOUR).progression == 75
