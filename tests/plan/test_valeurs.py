"""The values of a fiche's indicator entered by hand (``ctg.plan.valeurs``), the rules the fiche's page and the API
share."""

from datetime import date

import pytest

from ctg.plan import valeurs
from ctg.plan.cycle import ChangementImpossible, PermissionRefusee
from ctg.plan.models import ValeurSaisie
from tests.plan.fabriques import creer_indicateur

from .conftest import fiche_de_test


@pytest.fixture
def indicateur(convention, comptes):
    fiche = fiche_de_test(convention, "Clas de Cambrai", pilote=comptes["referent.commune"])
    return creer_indicateur(fiche=fiche, libelle="Enfants", valeur_initiale=60, cible=90, date_cible=date(2026, 6, 30))


@pytest.mark.date("2026-11-30")
def test_une_valeur_par_date_remplacee_puis_supprimee(indicateur, comptes):
    referent = comptes["referent.commune"]  # pilots the fiche
    valeurs.enregistrer_valeur(indicateur, date(2025, 6, 30), 70, "", referent)
    saisie = valeurs.enregistrer_valeur(indicateur, date(2025, 6, 30), 75, "recompté", comptes["chef.projet"])
    assert list(indicateur.valeurs_saisies.values_list("valeur", "commentaire")) == [(75, "recompté")]
    valeurs.supprimer_valeur(indicateur, saisie, referent)
    assert not indicateur.valeurs_saisies.exists()


@pytest.mark.date("2026-11-30")
def test_role_refuse_rien_n_est_ecrit(indicateur, comptes):
    with pytest.raises(PermissionRefusee, match="pilote la fiche"):
        valeurs.enregistrer_valeur(indicateur, date(2025, 6, 30), 70, "", comptes["lecture"])
    saisie = valeurs.enregistrer_valeur(indicateur, date(2025, 6, 30), 70)  # the system
    with pytest.raises(PermissionRefusee):
        valeurs.supprimer_valeur(indicateur, saisie, comptes["lecture"])
    assert ValeurSaisie.objects.filter(pk=saisie.pk).exists()


@pytest.mark.date("2027-03-01")  # the convention ended on 31/12/2026
def test_convention_terminee_en_lecture_seule(indicateur, comptes):
    with pytest.raises(ChangementImpossible, match="a pris fin le 31/12/2026"):
        valeurs.enregistrer_valeur(indicateur, date(2026, 12, 31), 1, "", comptes["chef.projet"])
    assert not indicateur.valeurs_saisies.exists()
