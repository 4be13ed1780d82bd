"""The comité page in French: the side a member sits for in words ("pour la Caf", never its code), and the calendar
offered for one of the convention's years (a 2027–2031 renewal never offers "Calendrier 2026")."""

from datetime import date

import pytest
from django.contrib.auth import get_user_model

from ctg.conventions.models import Convention
from ctg.gouvernance.models import Cote, Membre
from ctg.gouvernance.regles import comite_de, membres_en_fonction
from tests.lecture import texte_html

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(db):
    return get_user_model().objects.create_superuser("admin.comite", password="x")


@pytest.mark.date("2026-11-30")
def test_le_siege_dit_pour_qui_et_le_calendrier_est_de_l_annee(client, comite, admin):
    comite.m["caf"].compte = admin
    comite.m["caf"].save()
    client.force_login(admin)
    reponse = client.get(f"/gouvernance/conventions/{comite.convention.pk}/")
    assert reponse.status_code == 200
    page = texte_html(reponse.content)
    assert "Vous siégez au comité : Membre titulaire (voix délibérative), pour la Caf." in page
    assert "pour caf" not in page
    assert "Calendrier 2026 (.ics)" in page


@pytest.mark.date("2026-11-30")
def test_un_renouvellement_propose_le_calendrier_de_sa_premiere_annee(client, convention, admin):
    renouvellement = Convention.objects.create(
        caf=convention.caf,
        epci=convention.epci,
        date_debut=date(2027, 1, 1),
        date_fin=date(2031, 12, 31),
        precedente=convention,
    )
    client.force_login(admin)
    reponse = client.get(f"/gouvernance/conventions/{renouvellement.pk}/")
    assert reponse.status_code == 200
    page = texte_html(reponse.content)
    assert "Calendrier 2027 (.ics)" in page and "Calendrier 2026" not in page
    assert f"/gouvernance/conventions/{renouvellement.pk}/calendrier-2027.ics" in reponse.content.decode()


def test_les_membres_dans_l_ordre_alphabetique_francais(convention):
    comite = comite_de(convention)
    for nom in ["Wagner", "Éluard", "Martin", "Eiffel"]:
        Membre.objects.create(
            comite=comite, prenom="Alex", nom=nom, organisation="Caf du Nord", cote=Cote.CAF, debut=date(2022, 1, 1)
        )
    noms = [m.nom for m in membres_en_fonction(comite, date(2024, 1, 1))]
    assert noms == ["Eiffel", "Éluard", "Martin", "Wagner"]
