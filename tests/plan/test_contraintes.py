"""What must never be is refused by the database itself (CheckConstraint / UniqueConstraint, valid on SQLite and
PostgreSQL), whatever writes it: each row of the table below breaks one constraint, named in the error."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from ctg.plan import cycle
from ctg.plan.models import (
    AdaptationObjectif,
    DefinitionIndicateur,
    EvaluationAction,
    FicheAction,
    Financement,
    IndicateurAction,
    Jalon,
    Objectif,
    Plan,
    Revue,
    ValeurSaisie,
)
from tests.plan.fabriques import creer_indicateur

from .conftest import fiche_de_test

pytestmark = pytest.mark.django_db


@pytest.fixture
def objets(convention):
    fiche = fiche_de_test(convention, "Micro-crèche", date_debut=date(2024, 1, 1), date_fin=date(2026, 12, 31))
    indicateur = creer_indicateur(
        fiche=fiche, libelle="Places", valeur_initiale=0, cible=12, date_cible=date(2026, 12, 31)
    )
    revue = Revue.objects.create(convention=convention, date=date(2025, 6, 26))
    objectif = Objectif.objects.filter(convention=convention).first()
    return {
        Plan: cycle.plan_de(convention),
        Objectif: objectif,
        FicheAction: fiche,
        Jalon: Jalon.objects.create(fiche=fiche, libelle="Ouverture", date_prevue=date(2025, 9, 1)),
        Financement: Financement.objects.create(fiche=fiche, financeur="Caf du Nord", annee=2025, montant=1000),
        DefinitionIndicateur: indicateur.definition,
        IndicateurAction: indicateur,
        ValeurSaisie: ValeurSaisie.objects.create(indicateur=indicateur, date=date(2025, 6, 30), valeur=4),
        Revue: revue,
        EvaluationAction: EvaluationAction.objects.create(revue=revue, fiche=fiche, progression=40, statut="a_venir"),
        AdaptationObjectif: AdaptationObjectif.objects.create(revue=revue, objectif=objectif, texte="Viser 60"),
    }


# (model, values written, the constraint refusing them)
INTERDITS = [
    (Plan, {"statut": "signe"}, "plan_statut_connu"),
    (Plan, {"statut": "adopte"}, "plan_adopte_a_une_date_d_adoption"),
    (Plan, {"statut": "clos"}, "plan_clos_a_une_date_de_bilan"),
    (Plan, {"statut": "en_revision", "adopte_le": date(2023, 11, 16)}, "plan_en_revision_a_une_date_et_un_motif"),
    (
        Plan,
        {"adopte_le": date(2024, 1, 1), "revision_ouverte_le": date(2023, 1, 1), "statut": "adopte"},
        "plan_revision_apres_adoption",
    ),
    (Plan, {"clos_le": date(1925, 1, 1), "statut": "clos"}, "plan_clos_le_plausible"),
    (Objectif, {"niveau": "axe"}, "plan_objectif_niveau_connu"),
    (Objectif, {"intitule": ""}, "plan_objectif_intitule_non_vide"),
    (Objectif, {"champ": "autre", "signataire": ""}, "plan_objectif_autre_signataire_nomme"),
    (FicheAction, {"statut": "annulee"}, "plan_fiche_statut_connu"),
    (FicheAction, {"priorite": 7}, "plan_fiche_priorite_connue"),
    (FicheAction, {"date_debut": date(2027, 1, 1)}, "plan_fiche_debut_avant_fin"),
    (FicheAction, {"date_fin": date(2206, 1, 1)}, "plan_fiche_date_fin_plausible"),
    (FicheAction, {"numero": 0}, "plan_fiche_numero_positif"),
    (Jalon, {"date_prevue": date(1926, 9, 1)}, "plan_jalon_date_prevue_plausible"),
    (Financement, {"montant": Decimal("-1")}, "plan_financement_montant_positif"),
    (Financement, {"annee": 20250}, "plan_financement_annee_plausible"),
    (Financement, {"nature": "pret"}, "plan_financement_nature_connue"),
    (IndicateurAction, {"annee_reference": 1899}, "plan_indicateur_annee_reference_plausible"),
    (DefinitionIndicateur, {"libelle": ""}, "plan_definition_libelle_non_vide"),
    (ValeurSaisie, {"date": date(2225, 6, 30)}, "plan_valeur_date_plausible"),
    (Revue, {"type": "audit"}, "plan_revue_type_connu"),
    (EvaluationAction, {"progression": 101}, "plan_evaluation_progression_0_100"),
    (EvaluationAction, {"statut": "perdue"}, "plan_evaluation_statut_connu"),
    (EvaluationAction, {"decision": "oublier"}, "plan_evaluation_decision_connue"),
    (AdaptationObjectif, {"texte": ""}, "plan_adaptation_texte_non_vide"),
]


@pytest.mark.parametrize("modele, valeurs, contrainte", INTERDITS, ids=[c for *_, c in INTERDITS])
def test_la_base_refuse(objets, modele, valeurs, contrainte):
    objet = objets[modele]
    with pytest.raises(IntegrityError, match=contrainte), transaction.atomic():
        modele.objects.filter(pk=objet.pk).update(**valeurs)


def test_chaque_modele_du_plan_a_des_contraintes():
    assert {m for m, *_ in INTERDITS} == {
        Plan,
        Objectif,
        FicheAction,
        Jalon,
        Financement,
        DefinitionIndicateur,
        IndicateurAction,
        ValeurSaisie,
        Revue,
        EvaluationAction,
        AdaptationObjectif,
    }


def test_un_seul_bilan_final_par_convention(objets, convention):
    Revue.objects.create(convention=convention, type="bilan", date=date(2026, 11, 27))
    with pytest.raises(IntegrityError, match="plan_un_bilan_final_par_convention|UNIQUE"), transaction.atomic():
        Revue.objects.create(convention=convention, type="bilan", date=date(2026, 11, 28))


def test_un_objectif_n_est_pas_son_propre_parent(objets):
    objectif = objets[Objectif]
    with pytest.raises(IntegrityError, match="plan_objectif_pas_son_propre_parent"), transaction.atomic():
        Objectif.objects.filter(pk=objectif.pk).update(parent=objectif)
