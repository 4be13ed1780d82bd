"""Decisions update what they decide; only the voting members present vote; initiatives become fiches action."""

from datetime import date

import pytest

from ctg.diagnostic.models import StatutDiagnostic
from ctg.diagnostic.partage import diagnostic_de
from ctg.gouvernance import decisions as module_decisions
from ctg.gouvernance.decisions import (
    DecisionImpossible,
    enregistrer_decision,
    enregistrer_presences,
    resultat,
    transformer_initiative,
)
from ctg.gouvernance.models import Initiative, ObjetDecision, Reunion, SuiviInitiative

pytestmark = pytest.mark.django_db


def test_diagnostic_valide_soumet_puis_valide_le_diagnostic(convention, comite, reunion_tenue):
    diagnostic = diagnostic_de(convention)
    diagnostic.synthese = "Synthèse de test."
    diagnostic.save()
    decision = enregistrer_decision(
        reunion_tenue,
        "Le comité valide le diagnostic partagé.",
        "vote",
        ObjetDecision.DIAGNOSTIC_VALIDE,
        votes={comite.m[k]: "pour" for k in ("anim", "caf", "pilote", "col")},
    )
    diagnostic.refresh_from_db()
    convention.refresh_from_db()
    assert diagnostic.statut == StatutDiagnostic.VALIDE and diagnostic.valide_le == date(2023, 3, 14)
    assert diagnostic.soumis_le == date(2023, 3, 14)
    assert convention.diagnostic_valide_le == date(2023, 3, 14)
    assert decision.effet == "Diagnostic partagé validé le 14/03/2023."
    assert resultat(decision) == "adoptée (4 pour, 0 contre, 0 abstention)"
    again = enregistrer_decision(reunion_tenue, "Bis", "consensus", ObjetDecision.DIAGNOSTIC_VALIDE)
    assert "déjà validé (le 14/03/2023)" in again.effet


def test_diagnostic_vide_refuse_et_rien_n_est_enregistre(convention, reunion_tenue):
    with pytest.raises(DecisionImpossible, match="Le diagnostic n'a pas pu être validé : Rédigez la synthèse"):
        enregistrer_decision(reunion_tenue, "Validation", "consensus", ObjetDecision.DIAGNOSTIC_VALIDE)
    assert reunion_tenue.decisions.count() == 0
    convention.refresh_from_db()
    assert convention.diagnostic_valide_le is None


def test_decision_rejetee_ne_change_rien(convention, comite, reunion_tenue):
    diagnostic = diagnostic_de(convention)
    diagnostic.synthese = "Synthèse."
    diagnostic.save()
    m = comite.m
    decision = enregistrer_decision(
        reunion_tenue,
        "Valider le diagnostic",
        "vote",
        ObjetDecision.DIAGNOSTIC_VALIDE,
        votes={m["anim"]: "pour", m["caf"]: "contre", m["pilote"]: "contre", m["col"]: "abstention"},
    )
    assert resultat(decision) == "rejetée (1 pour, 2 contre, 1 abstention)"
    assert decision.effet == "Décision rejetée : rien n'est modifié."
    diagnostic.refresh_from_db()
    assert diagnostic.statut == StatutDiagnostic.BROUILLON


def test_plan_adopte_par_l_application_plan_ou_a_defaut_sur_la_convention(convention, reunion_tenue, monkeypatch):
    appels = []
    monkeypatch.setattr(
        module_decisions,
        "extension_du_comite",
        lambda nom: (lambda c, jour: appels.append((c.pk, jour))) if nom == "adopter_plan" else None,
    )
    decision = enregistrer_decision(reunion_tenue, "Plan adopté", "consensus", ObjetDecision.PLAN_ADOPTE)
    assert appels == [(convention.pk, date(2023, 3, 14))] and decision.effet == "Plan d'actions adopté le 14/03/2023."

    monkeypatch.setattr(module_decisions, "extension_du_comite", lambda nom: None)  # no plan app
    decision = enregistrer_decision(reunion_tenue, "Plan adopté", "consensus", ObjetDecision.PLAN_ADOPTE)
    convention.refresh_from_db()
    assert convention.objectifs_identifies_le == date(2023, 3, 14)
    assert "enregistré sur la convention" in decision.effet


def test_plan_adopte_avec_l_application_plan_reelle(convention, reunion_tenue):
    if module_decisions.extension_du_comite("adopter_plan") is None:
        pytest.skip("l'application plan n'offre pas adopter_plan")
    enregistrer_decision(reunion_tenue, "Plan adopté", "consensus", ObjetDecision.PLAN_ADOPTE)
    convention.refresh_from_db()
    assert convention.objectifs_identifies_le == date(2023, 3, 14)


def test_refus_du_plan_devient_une_erreur_lisible(reunion_tenue, monkeypatch):
    def refuser(convention, jour):
        raise ValueError("La date d'adoption précède la signature.")

    monkeypatch.setattr(module_decisions, "extension_du_comite", lambda nom: refuser)
    with pytest.raises(DecisionImpossible, match="Le plan d'actions n'a pas pu être adopté : La date d'adoption"):
        enregistrer_decision(reunion_tenue, "Plan", "consensus", ObjetDecision.PLAN_ADOPTE)
    assert reunion_tenue.decisions.count() == 0


def test_action_adaptee_garde_la_reference(reunion_tenue):
    decision = enregistrer_decision(
        reunion_tenue, "Horaires élargis", "consensus", ObjetDecision.ACTION_ADAPTEE, "Fiche action 1.2", 7
    )
    assert decision.reference == "Fiche action 1.2" and decision.objet_id == 7
    assert decision.effet == "Adaptation de « Fiche action 1.2 » (fiche n° 7) décidée le 14/03/2023."


def test_membre_consultatif_ne_vote_pas(comite, reunion_tenue):
    m = comite.m
    with pytest.raises(DecisionImpossible, match="siège à titre consultatif \\(personne ressource\\)"):
        enregistrer_decision(reunion_tenue, "Texte", "vote", votes={m["anim"]: "pour", m["ressource"]: "pour"})
    with pytest.raises(DecisionImpossible, match="assure le secrétariat"):
        enregistrer_decision(reunion_tenue, "Texte", "vote", votes={m["secretariat"]: "pour"})
    assert reunion_tenue.decisions.count() == 0


def test_votes_des_seuls_presents_et_modes(comite, reunion_tenue):
    m = comite.m
    reunion = Reunion.objects.create(comite=comite, date=date(2023, 10, 10), lieu="Cambrai")
    with pytest.raises(DecisionImpossible, match="enregistrez d'abord les présences"):
        enregistrer_decision(reunion, "Texte")
    enregistrer_presences(
        reunion, {m["anim"]: ("present", ""), m["caf"]: ("excuse", "")}, aujourd_hui=date(2026, 11, 28)
    )
    with pytest.raises(DecisionImpossible, match="ni présent·e ni représenté·e"):
        enregistrer_decision(reunion, "Texte", "vote", votes={m["caf"]: "pour"})
    with pytest.raises(DecisionImpossible, match="n'enregistre pas de votes"):
        enregistrer_decision(reunion, "Texte", "consensus", votes={m["anim"]: "pour"})
    with pytest.raises(DecisionImpossible, match="au moins un membre votant"):
        enregistrer_decision(reunion, "Texte", "vote", votes={})
    decision = enregistrer_decision(reunion, "Texte", "vote", votes={m["anim"]: "pour"})
    assert decision.ordre == 1 and decision.votes.count() == 1


def test_initiative_retenue_puis_transformee(convention, reunion_tenue, monkeypatch):
    initiative = Initiative.objects.create(
        convention=convention,
        titre="Café des parents itinérant",
        commune_id="59122",
        operateur="Association",
        description="Un café des parents qui circule.",
        reperee_le=date(2023, 1, 5),
    )
    decision = enregistrer_decision(
        reunion_tenue, "Retenue", "consensus", ObjetDecision.INITIATIVE, objet_id=initiative.pk
    )
    initiative.refresh_from_db()
    assert initiative.suivi == SuiviInitiative.SUIVIE and "14/03/2023 : retenue" in initiative.notes_suivi
    assert "Café des parents itinérant" in decision.effet

    monkeypatch.setattr(module_decisions, "extension_du_comite", lambda nom: None)
    transformer_initiative(initiative, date(2023, 4, 1))
    initiative.refresh_from_db()
    assert initiative.suivi == SuiviInitiative.TRANSFORMEE and initiative.transformee_le == date(2023, 4, 1)
    assert initiative.fiche_reference == "Fiche action « Café des parents itinérant »"
    with pytest.raises(DecisionImpossible, match="déjà transformée"):
        transformer_initiative(initiative, date(2023, 4, 2))


def test_initiative_transformee_par_l_application_plan(convention, monkeypatch):
    recu = {}

    class Fiche:
        pk = 42

        def __str__(self):
            return "Fiche 5 — Café"

    def creer(convention, titre, description, commune_code=None):
        recu.update(titre=titre, commune_code=commune_code)
        return Fiche()

    monkeypatch.setattr(
        module_decisions, "extension_du_comite", lambda nom: creer if nom == "creer_fiche_depuis_initiative" else None
    )
    initiative = Initiative.objects.create(
        convention=convention, titre="Café", commune_id="59122", description="d", reperee_le=date(2023, 1, 5)
    )
    transformer_initiative(initiative, date(2023, 4, 1))
    assert recu == {"titre": "Café", "commune_code": "59122"}
    assert initiative.fiche_id == 42 and initiative.fiche_reference == "Fiche 5 — Café"
