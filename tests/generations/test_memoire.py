"""The dashboard's deadlines and alerts, computed once per state of the convention's data and per day
(``ctg.generations``): read again without computing, and computed again at once after any write."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from ctg.conventions.echeances import tableau_de_bord
from ctg.conventions.models import Convention
from ctg.generations import memoire
from ctg.generations.models import Generation
from ctg.generations.signaux import conventions_de
from ctg.gouvernance.models import Reunion
from ctg.gouvernance.regles import comite_de
from ctg.horloge import maintenant
from tests.plan.conftest import fiche_de_test

pytestmark = pytest.mark.date("2024-01-15")


@pytest.fixture(autouse=True)
def memoire_vide():
    memoire.oublier()
    yield
    memoire.oublier()


def relue(convention):
    return Convention.objects.get(pk=convention.pk)  # a new page: a new object, its token read again


def codes(convention):
    return {e.code for e in tableau_de_bord(relue(convention))[0]}


def test_relu_sans_calcul(convention_cambrai, django_assert_num_queries):
    premier = tableau_de_bord(relue(convention_cambrai))
    page = relue(convention_cambrai)
    with django_assert_num_queries(1):  # the token, nothing else
        assert tableau_de_bord(page) == premier


def test_une_ecriture_se_voit_aussitot(convention_cambrai):
    """A meeting planned (a record two keys away from the convention) shows in the deadlines, and goes with its
    deletion; a field of the convention itself changes the list too."""
    avant = codes(convention_cambrai)
    reunion = Reunion.objects.create(comite=comite_de(convention_cambrai), date=date(2024, 2, 20), lieu="Mairie")
    assert f"copil_reunion_{reunion.pk}" in codes(convention_cambrai) - avant
    reunion.delete()
    assert codes(convention_cambrai) == avant
    convention_cambrai.diagnostic_valide_le = date(2024, 1, 10)
    convention_cambrai.save()
    etats = {e.code: e.etat for e in tableau_de_bord(relue(convention_cambrai))[0]}
    assert etats["diagnostic_valide"] == "faite"


def test_le_jour_compte(convention_cambrai, horloge):
    """Same data, another day: computed again (a deadline passes from "soon" to "late" overnight)."""
    tableau_de_bord(relue(convention_cambrai))
    horloge.move_to("2024-07-15 10:00")
    cle_du_jour = ("tableau_de_bord", convention_cambrai.pk, Generation.objects.get().jeton, date(2024, 7, 15))
    assert cle_du_jour not in memoire._MEMOIRE
    tableau_de_bord(relue(convention_cambrai))
    assert cle_du_jour in memoire._MEMOIRE


def test_conventions_d_un_enregistrement(convention_cambrai):
    """Directly (a key to the convention), through the record it belongs to (a meeting: its comité's convention),
    and for a renewal, its predecessor too."""
    comite = comite_de(convention_cambrai)
    reunion = Reunion(comite=comite, date=date(2024, 2, 20))
    assert conventions_de(comite) == {convention_cambrai.pk}
    assert conventions_de(reunion) == {convention_cambrai.pk}
    suivante = Convention(pk=10_000, precedente=convention_cambrai)
    assert conventions_de(suivante) == {10_000, convention_cambrai.pk}


def test_sans_jeton_rien_n_est_garde(convention_cambrai):
    Generation.objects.all().delete()
    tableau_de_bord(relue(convention_cambrai))
    assert not memoire._MEMOIRE


def test_requetes_independantes_du_nombre_de_fiches(convention_cambrai):
    """Computed again (each fiche added is a write), the dashboard makes no more queries for twice as many fiches."""
    comptes = []
    for n in (3, 6):
        while convention_cambrai.fiches_action.count() < n:
            fiche_de_test(convention_cambrai, f"Action {convention_cambrai.fiches_action.count() + 1}", "en_retard")
        with CaptureQueriesContext(connection) as requetes:
            echeances, alertes = tableau_de_bord(relue(convention_cambrai))
        assert f"{n} actions en retard" in " ".join(alertes)
        comptes.append(len(requetes))
    assert comptes[1] <= comptes[0], comptes


def suivies(convention) -> dict:
    from ctg.plan.regles import fiches_suivies

    return {s.fiche.titre: s for s in fiches_suivies(relue(convention))}


def test_fiches_suivies_gardees_puis_relues_apres_un_changement(convention_cambrai):
    """The plan's pages read the followed fiches once per state of the data: a new page gets the same objects; a
    fiche's title changed, or the name of the account that pilots it (a record shared by the conventions), shows at
    once; a login (its date only) keeps what is kept."""
    from django.contrib.auth import get_user_model

    pilote = get_user_model().objects.create_user("pilote.essai", first_name="Alix", last_name="Avant")
    fiche = fiche_de_test(convention_cambrai, "Action suivie", pilote=pilote)
    premiere = suivies(convention_cambrai)["Action suivie"]
    assert premiere.fiche.pilote.get_full_name() == "Alix Avant"
    assert suivies(convention_cambrai)["Action suivie"] is premiere
    pilote.last_login = maintenant()
    pilote.save(update_fields=["last_login"])
    assert suivies(convention_cambrai)["Action suivie"] is premiere
    pilote.last_name = "Après"
    pilote.save()
    assert suivies(convention_cambrai)["Action suivie"].fiche.pilote.get_full_name() == "Alix Après"
    fiche.titre = "Action renommée"
    fiche.save()
    assert set(suivies(convention_cambrai)) >= {"Action renommée"} - {"Action suivie"}
    assert "Action suivie" not in suivies(convention_cambrai)


def test_donnees_du_financement_renouvelees_par_une_donnee_nationale(convention_cambrai):
    """The financing pages share what they read of a convention; a national record they are computed from (a
    commune's wealth, as the scales) renews it at once."""
    from ctg.financement.calcul.donnees import donnees_partagees
    from ctg.financement.models import RichesseCommune

    premieres = donnees_partagees(relue(convention_cambrai))
    assert donnees_partagees(relue(convention_cambrai)) is premieres
    RichesseCommune.objects.create(
        commune_id="59122", annee=2031, potentiel_financier=900, revenu=14000, source="essai"
    )
    relues = donnees_partagees(relue(convention_cambrai))
    assert relues is not premieres
    assert [r.annee for r in relues.richesses["59122"]][-1] == 2031


def test_une_page_qui_ecrit_relit_ce_qu_elle_a_ecrit(convention_cambrai):
    """On the same convention object (one page), a write of this process renews the token read before it."""
    from ctg.plan.regles import fiches_suivies

    page = relue(convention_cambrai)
    fiche = fiche_de_test(convention_cambrai, "Avant")
    assert [s.fiche.titre for s in fiches_suivies(page)] == ["Avant"]
    fiche.titre = "Après"
    fiche.save()
    assert [s.fiche.titre for s in fiches_suivies(page)] == ["Après"]
