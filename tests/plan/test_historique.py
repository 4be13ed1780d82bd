"""The audit trail of the plan: every model keeps its history and reaches its convention; a page records the
person, a transition its name, the demo (a command) the system user."""

from datetime import date

import pytest
from django.apps import apps

from ctg.audit import IDENTIFIANT_SYSTEME
from ctg.demo.plan import charger_demo_plan
from ctg.plan.models import FicheAction, Plan

from .conftest import fiche_de_test

pytestmark = pytest.mark.django_db


def modeles_du_plan():
    return [m for m in apps.get_app_config("plan").get_models() if not m.__name__.startswith("Historical")]


def test_chaque_modele_a_son_historique_et_son_chemin_vers_la_convention(convention):
    charger_demo_plan(convention)
    modeles = modeles_du_plan()
    assert len(modeles) == 13
    for modele in modeles:
        assert hasattr(modele, "historique"), modele
        chemin = getattr(modele, "chemin_convention", "convention")
        objets = modele.objects.filter(**{chemin: convention})
        assert objets.exists() or modele.__name__ == "AdaptationObjectif", modele
        assert objets.count() == modele.objects.count(), modele  # all of them reached through the convention
        premier = objets.first()
        if premier is not None:
            assert premier.historique.filter(history_type="+").exists(), modele


def test_la_demo_est_enregistree_comme_une_commande(convention):
    charger_demo_plan(convention)
    creation = FicheAction.historique.filter(history_type="+").first()
    assert creation.history_user.username == IDENTIFIANT_SYSTEME
    assert creation.history_change_reason == "commande ctg charger_demo"
    terminee = FicheAction.objects.get(numero=1)
    derniere = terminee.historique.first()
    assert (derniere.statut, derniere.statut_le, derniere.history_user.username) == (
        "terminee",
        date(2025, 9, 30),
        IDENTIFIANT_SYSTEME,
    )


@pytest.mark.date("2026-11-30")  # the convention in force
def test_une_page_enregistre_la_personne_et_la_transition(client, convention, comptes):
    chef = comptes["chef.projet"]
    fiche = fiche_de_test(convention, "Point information jeunesse", pilote_structure="CA de Cambrai")
    enjeu = convention.objectifs.filter(niveau="enjeu").first()
    client.force_login(chef)
    base = f"/plan/conventions/{convention.pk}/actions/{fiche.pk}/"
    reponse = client.post(
        base + "modifier/",
        {
            "titre": "Point information jeunesse d'Iwuy",
            "objectifs": [str(enjeu.pk)],
            "priorite": "2",
            "version_lue": str(fiche.version),
            "acteurs-TOTAL_FORMS": "0",
            "acteurs-INITIAL_FORMS": "0",
            "jalons-TOTAL_FORMS": "1",
            "jalons-INITIAL_FORMS": "0",
            "jalons-0-libelle": "Première permanence",
            "jalons-0-date_prevue": "2026-12-15",
            "financements-TOTAL_FORMS": "0",
            "financements-INITIAL_FORMS": "0",
        },
    )
    assert reponse.status_code == 302
    assert client.post(base + "statut/", {"transition": "demarrer"}).status_code == 302
    fiche.refresh_from_db()
    assert fiche.statut == "en_cours"
    modification = fiche.historique.filter(titre="Point information jeunesse d'Iwuy").order_by("history_date").first()
    assert modification.history_user == chef and modification.history_type == "~"
    derniere = fiche.historique.first()
    assert (derniere.history_user, derniere.statut, derniere.history_change_reason) == (
        chef,
        "en_cours",
        "Démarrer l'action",
    )
    assert [o.objectif_id for o in derniere.objectifs.all()] == [enjeu.pk]  # the links are in the history too
    jalon = fiche.jalons.get()
    assert jalon.historique.get().history_user == chef


def test_le_plan_d_une_nouvelle_convention_existe_des_sa_creation(convention):
    plan = Plan.objects.get(convention=convention)
    assert plan.statut == "en_preparation" and convention.objectifs.count() == 14
    assert plan.historique.count() == 1
