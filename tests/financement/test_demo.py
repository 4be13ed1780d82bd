"""The FICTITIOUS demo financing of the Cambrai convention."""

import pytest

from ctg.comptes.models import Organisation
from ctg.demo.financement import charger_demo_financement
from ctg.financement.models import Cej, FinancementReel, Structure

pytestmark = pytest.mark.django_db


def test_demo_idempotente_et_clairement_fictive(demo):
    avant = (Structure.objects.count(), Cej.objects.count(), FinancementReel.objects.count())
    charger_demo_financement(demo)
    assert (Structure.objects.count(), Cej.objects.count(), FinancementReel.objects.count()) == avant
    assert all(s.nom.endswith("(démonstration)") and s.demonstration for s in Structure.objects.all())
    assert all(s.gestionnaire.nom.endswith("(démonstration)") for s in Structure.objects.all())
    assert all(c.intitule.endswith("(démonstration)") for c in Cej.objects.all())
    assert Organisation.objects.filter(type="autre", nom__endswith="(démonstration)").count() == 5
    types = set(Structure.objects.values_list("type", flat=True))
    assert types == {"eaje", "alsh", "laep", "rpe", "centre_social"}
    assert Structure.objects.filter(type="eaje", en_qpv=True).exists()
    assert set(FinancementReel.objects.values_list("annee", flat=True)) == {2023, 2024, 2025, 2026}


def test_adhesions_de_la_demo(demo):
    adhesions = {a.commune_id: a for a in demo.adhesions.all()}
    assert adhesions["59122"].statut == "adheree" and adhesions["59122"].ancienne_commune_cej
    assert adhesions["59322"].bonus_bloque and adhesions["59428"].bonus_bloque
    assert demo.adhesions.filter(statut="adheree").count() == 1
    assert not demo.adhesions.exclude(maire_nom="").exists()
