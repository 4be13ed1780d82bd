"""The yearly targets of an action's indicator: the final target is the target of its year; each year's target is
shown next to the value measured that year, on the fiche and on the plan's dashboard."""

from datetime import date

import pytest

from ctg.plan import cibles
from ctg.plan.models import CibleAnnuelle, ValeurSaisie
from ctg.plan.presentation import cibles_de_l_annee
from ctg.plan.regles import fiches_suivies
from tests.plan.fabriques import creer_indicateur

from .conftest import fiche_de_test

pytestmark = pytest.mark.django_db


def test_trajectoire_annee_par_annee(convention):
    fiche = fiche_de_test(convention)
    ind = creer_indicateur(fiche=fiche, libelle="Places", valeur_initiale=0, cible=12, date_cible=date(2026, 9, 30))
    CibleAnnuelle.objects.create(indicateur=ind, annee=2024, valeur=4)
    CibleAnnuelle.objects.create(indicateur=ind, annee=2026, valeur=99)
    assert cibles.aligner_cible_finale(ind).valeur == 12  # the final target is the target of its year
    ind.cible = 14
    cibles.aligner_cible_finale(ind)
    assert list(ind.cibles.values_list("annee", "valeur")) == [(2024, 4), (2026, 14)]
    ValeurSaisie.objects.create(indicateur=ind, date=date(2024, 3, 1), valeur=1)
    ValeurSaisie.objects.create(indicateur=ind, date=date(2024, 11, 30), valeur=3)
    ValeurSaisie.objects.create(indicateur=ind, date=date(2025, 6, 30), valeur=8)
    suivi = fiches_suivies(convention, date(2026, 1, 15))[0]
    mesure = suivi.mesures[0]
    # 2024: the latest value of the year (3) against its target (4): 75 %; 2026: nothing measured yet
    assert [(a.annee, a.cible, a.valeur, a.progression) for a in mesure.trajectoire] == [
        (2024, 4, 3, 75),
        (2026, 14, None, None),
    ]
    assert cibles_de_l_annee([suivi])["annee_cibles"] == 2026
    assert [(s.fiche, m.indicateur, a.cible) for s, m, a in cibles_de_l_annee([suivi])["cibles"]] == [(fiche, ind, 14)]
    assert cibles_de_l_annee(fiches_suivies(convention, date(2025, 1, 15)))["cibles"] == []
