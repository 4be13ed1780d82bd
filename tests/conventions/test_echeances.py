from datetime import date

import pytest

from ctg.conventions.cycle import actualiser
from ctg.conventions.echeances import Etat, echeances

pytestmark = pytest.mark.django_db


def par_code(convention, jour):
    return {e.code: e for e in echeances(convention, jour)}


def test_echeances_de_la_convention_de_reference(convention_cambrai):
    liste = par_code(convention_cambrai, date(2023, 3, 1))
    assert liste["diagnostic_valide"].date == date(2023, 12, 31)
    assert liste["objectifs_identifies"].date == date(2023, 12, 31)
    assert liste["diagnostic_valide"].etat == Etat.A_VENIR
    assert liste["copil_2022_1"].etat == Etat.EN_RETARD  # no meeting recorded in the first half of 2022
    assert liste["copil_2023_1"].etat == Etat.PROCHE  # the current semester: a meeting is due
    assert liste["copil_2024_2"].etat == Etat.A_VENIR
    assert liste["preavis_denonciation"].date == date(2026, 6, 30)
    assert liste["fin"].date == date(2026, 12, 31)
    assert len([c for c in liste if c.startswith("copil_")]) == 10


def test_diagnostic_valide_et_retard(convention_cambrai):
    assert par_code(convention_cambrai, date(2024, 1, 15))["diagnostic_valide"].etat == Etat.EN_RETARD
    convention_cambrai.diagnostic_valide_le = date(2023, 11, 20)
    assert par_code(convention_cambrai, date(2024, 1, 15))["diagnostic_valide"].etat == Etat.FAITE
    assert par_code(convention_cambrai, date(2023, 11, 15))["objectifs_identifies"].etat == Etat.PROCHE


def test_reunions_tenues_remplissent_les_semestres(convention_cambrai, monkeypatch):
    convention_cambrai.dates_copil_tenus = lambda: [date(2022, 3, 10), date(2022, 11, 8)]
    liste = par_code(convention_cambrai, date(2023, 1, 2))
    assert liste["copil_2022_1"].etat == Etat.FAITE and "10/03/2022" in liste["copil_2022_1"].detail
    assert liste["copil_2022_2"].etat == Etat.FAITE


@pytest.mark.date("2023-06-01")
def test_echeances_apres_resiliation(convention_cambrai):
    from ctg.conventions.cycle import resilier

    actualiser(convention_cambrai)
    resilier(convention_cambrai, "sans_avenant", date(2023, 6, 1), "caf")
    convention_cambrai.refresh_from_db()
    liste = par_code(convention_cambrai, date(2023, 6, 2))
    assert liste["resiliation"].etat == Etat.FAITE
    assert liste["copil_2024_1"].etat == Etat.SANS_OBJET
    assert liste["diagnostic_valide"].etat == Etat.SANS_OBJET


@pytest.mark.date("2026-06-15")
def test_le_tableau_montre_d_abord_ce_qui_reste_a_faire(client, convention_cambrai, django_user_model):
    """The deadlines done or without object are behind a box « Montrer aussi les N échéances faites… » (the page's
    style hides their rows until it is ticked); the others show at once."""
    import re

    from ctg.comptes.models import Role
    from ctg.conventions.models import Habilitation

    type(convention_cambrai).objects.filter(pk=convention_cambrai.pk).update(diagnostic_valide_le=date(2023, 11, 20))
    lectrice = django_user_model.objects.create_user("lectrice")
    Habilitation.objects.create(user=lectrice, convention=convention_cambrai, role=Role.LECTURE)
    client.force_login(lectrice)
    page = client.get(f"/conventions/{convention_cambrai.pk}/").content.decode()
    lignes = re.findall(r'<tr class="ligne-(\w+)">', page)
    closes = sum(1 for etat in lignes if etat in (Etat.FAITE, Etat.SANS_OBJET))
    assert 0 < closes < len(lignes), lignes
    libelle = "l'échéance faite" if closes == 1 else f"les {closes} échéances faites"
    assert f'<label for="voir-closes">Montrer aussi {libelle} ou sans objet</label>' in page
