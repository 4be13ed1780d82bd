"""The partners and operators of a fiche: organisations of its convention, found by their name whatever its case and
accents, never another convention's."""

import pytest

from ctg.comptes.models import Organisation
from ctg.plan import acteurs
from ctg.plan.models import RoleActeur

from .conftest import fiche_de_test

pytestmark = pytest.mark.django_db


def test_une_organisation_de_la_convention_retrouvee_par_son_nom(convention):
    fiche = fiche_de_test(convention)
    ailleurs = Organisation.objects.create(type=Organisation.Type.AUTRE, nom="Mission locale du Cambrésis")
    ajoutes = acteurs.ajouter_acteurs(
        fiche,
        RoleActeur.PARTENAIRE,
        "CAF  du nord — PMI\n\nMission Locale du Cambresis\nMISSION LOCALE DU CAMBRÉSIS — antenne d'Iwuy",
    )
    assert [(a.organisation.nom, a.precision, a.ordre) for a in ajoutes] == [
        ("Caf du Nord", "PMI", 0),
        ("Mission Locale du Cambresis", "", 1),
        ("Mission Locale du Cambresis", "antenne d'Iwuy", 2),
    ]
    assert ajoutes[0].organisation == convention.caf
    # an organisation of the same name but of no fiche of this convention is not taken: a new one is created once
    assert ajoutes[1].organisation != ailleurs and ajoutes[1].organisation == ajoutes[2].organisation
    assert ajoutes[1].organisation.type == Organisation.Type.AUTRE
    assert acteurs.organisation_nommee(convention, "mission-locale du cambrésis") == ajoutes[1].organisation
    assert fiche.liste_partenaires == [
        "Caf du Nord — PMI",
        "Mission Locale du Cambresis",
        "Mission Locale du Cambresis — antenne d'Iwuy",
    ]
    assert fiche.liste_operateurs == []
