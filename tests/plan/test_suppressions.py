"""Deleting a fiche or an objective goes through the plan's rules (``ctg.plan.edition``): refused, with the page's
reason and nothing deleted, once the plan is read-only (the convention ended) or for a mission or enjeu of the
convention."""

import pytest

from ctg.plan import cycle, edition
from ctg.plan.models import FicheAction, Niveau, Objectif

from .conftest import fiche_de_test


def test_une_fiche_se_supprime_tant_que_le_plan_est_ouvert(convention):
    fiche = fiche_de_test(convention, "À supprimer")
    edition.supprimer_fiche(fiche)
    assert not FicheAction.objects.filter(pk=fiche.pk).exists()


@pytest.mark.date("2027-03-01")  # the reference convention ended on 31/12/2026: its plan is read-only
def test_une_fiche_d_une_convention_terminee_reste(convention):
    fiche = fiche_de_test(convention, "Gardée")
    with pytest.raises(cycle.ChangementImpossible, match="ne se modifie plus"):
        edition.supprimer_fiche(fiche)
    assert FicheAction.objects.filter(pk=fiche.pk).exists()


def test_un_enjeu_de_la_convention_reste_un_objectif_ajoute_se_supprime(convention):
    plan = cycle.plan_de(convention)
    enjeu = Objectif.objects.filter(convention=convention, niveau=Niveau.ENJEU).first()
    with pytest.raises(cycle.ChangementImpossible, match="ne se suppriment pas"):
        edition.supprimer_objectif(convention, enjeu, plan)
    ajoute = Objectif.objects.create(convention=convention, parent=enjeu, niveau=Niveau.STRATEGIQUE, intitule="Ajouté")
    edition.supprimer_objectif(convention, ajoute)
    assert Objectif.objects.filter(pk=enjeu.pk).exists() and not Objectif.objects.filter(pk=ajoute.pk).exists()
