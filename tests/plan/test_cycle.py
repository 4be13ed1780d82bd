"""What the other apps call: adoption of the plan (gouvernance's "plan adopté" decision) and a fiche created from an
innovative initiative."""

from datetime import date

import pytest

from ctg.conventions.echeances import echeances
from ctg.plan.cycle import AdoptionImpossible, adopter_plan, creer_fiche_depuis_initiative, plan_de, retirer_adoption

pytestmark = pytest.mark.django_db


@pytest.mark.date("2024-03-01")
def test_adopter_le_plan_remplit_l_echeance_de_la_deuxieme_annee(convention):
    avant = {e.code: e for e in echeances(convention, date(2024, 3, 1))}["objectifs_identifies"]
    assert avant.date == date(2023, 12, 31) and avant.etat == "en_retard"
    adopter_plan(convention, date(2023, 12, 14))
    convention.refresh_from_db()
    assert plan_de(convention).adopte_le == date(2023, 12, 14)
    apres = {e.code: e for e in echeances(convention, date(2024, 3, 1))}["objectifs_identifies"]
    assert apres.etat == "faite" and apres.detail == "identifiés le 14/12/2023"
    retirer_adoption(convention)
    convention.refresh_from_db()
    assert convention.objectifs_identifies_le is None and plan_de(convention).adopte_le is None


def test_adoption_avant_la_signature_refusee(convention):
    with pytest.raises(AdoptionImpossible, match="précède la signature de la convention \\(21/12/2021\\)"):
        adopter_plan(convention, date(2021, 6, 1))


@pytest.mark.date("2024-03-01")
def test_fiche_depuis_une_initiative(convention):
    fiche = creer_fiche_depuis_initiative(convention, "Tiers-lieu des familles", "Repéré en comité", "59122")
    autre = creer_fiche_depuis_initiative(convention, "Ludothèque itinérante", "Repérée en comité")
    assert (fiche.numero, autre.numero) == (1, 2)
    assert fiche.statut == "a_venir" and [c.code for c in fiche.communes.all()] == ["59122"]
    assert not autre.communes.exists() and autre.description == "Repérée en comité"
