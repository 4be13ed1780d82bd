"""A fiche's budget: planned amounts, then actual amounts as they become known; the totals on the fiche's page and
in the plan's documents."""

from decimal import Decimal

import pytest

from ctg.conventions.models import Convention
from ctg.plan.documents import _budget
from ctg.plan.models import Financement
from ctg.plan.regles import fiches_suivies

from .conftest import fiche_de_test

pytestmark = pytest.mark.django_db


def test_budget_prevu_et_realise(convention):
    fiche = fiche_de_test(convention)
    _, rien = _budget(fiche)
    assert rien is None
    Financement.objects.create(fiche=fiche, financeur="Caf du Nord", annee=2024, montant=Decimal("1000"))
    Financement.objects.create(fiche=fiche, financeur="Caf du Nord", annee=2025, montant=Decimal("500"))
    suivi = fiches_suivies(convention)[0]
    assert (suivi.budget, suivi.budget_realise, suivi.realise_a_connaitre) == (Decimal("1500"), None, 2)
    resume, tableau = _budget(fiche)
    assert "réalisé" not in resume and tableau.lignes[0][-1] == "à connaître"
    connu = Financement.objects.get(annee=2024)
    connu.montant_realise = Decimal("1200.5")
    connu.save()
    suivi = fiches_suivies(Convention.objects.get(pk=convention.pk))[0]  # the next page reads the new state
    assert (suivi.budget_realise, suivi.realise_a_connaitre) == (Decimal("1200.5"), 1)
    resume, tableau = _budget(fiche)
    assert tableau.entetes[-2:] == ["Total prévu", "Réalisé"]
    assert tableau.lignes[0][-2:] == ["1\u202f500 €", "1\u202f200 €"]
    assert resume.endswith("; réalisé : 1\u202f200 € (1 montant à connaître)")
