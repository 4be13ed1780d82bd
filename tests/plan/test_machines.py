"""The two state machines of the plan, as tables: the transitions each declares, and who may fire each one
(transition × role), through the rules layer (``ctg.plan.cycle``) as the pages do."""

from datetime import date

import pytest
from django_fsm import has_transition_perm

from ctg.audit import utilisateur_systeme
from ctg.plan import cycle
from ctg.plan.models import FicheAction, Plan, Revue, StatutFiche, StatutPlan

from .conftest import fiche_de_test

pytestmark = [pytest.mark.django_db, pytest.mark.date("2025-03-03")]  # the convention in force

# (source, target, name): every transition of a fiche's status.
TRANSITIONS_FICHE = {
    ("a_venir", "en_cours", "demarrer"),
    ("en_cours", "en_retard", "signaler_retard"),
    ("en_retard", "en_cours", "rattraper_retard"),
    ("a_venir", "en_pause", "suspendre"),
    ("en_cours", "en_pause", "suspendre"),
    ("en_retard", "en_pause", "suspendre"),
    ("en_pause", "en_cours", "reprendre"),
    ("en_cours", "terminee", "terminer"),
    ("en_retard", "terminee", "terminer"),
    ("a_venir", "abandonnee", "abandonner"),
    ("en_cours", "abandonnee", "abandonner"),
    ("en_retard", "abandonnee", "abandonner"),
    ("en_pause", "abandonnee", "abandonner"),
    ("terminee", "en_cours", "rouvrir"),
    ("abandonnee", "en_cours", "rouvrir"),
}
# (source, target, name): the plan's lifecycle.
TRANSITIONS_PLAN = {
    ("en_preparation", "adopte", "adopter"),
    ("en_revision", "adopte", "adopter"),
    ("adopte", "en_preparation", "retirer_adoption"),
    ("adopte", "en_revision", "ouvrir_revision"),
    ("en_preparation", "clos", "clore"),
    ("adopte", "clos", "clore"),
    ("en_revision", "clos", "clore"),
}

# Who acts: the demo accounts (the referent pilots the fiche, or not), an outsider, the administrator, the system.
ROLES = ["demo", "chef.projet", "referent_pilote", "referent_autre", "membre.copil", "lecture", "exterieur", "admin"]
ROLES += ["systeme"]
EDITEURS = {"demo", "chef.projet", "admin", "systeme"}
PILOTES = EDITEURS | {"referent_pilote"}
# transition → who may fire it (a fiche's pilot moves it along; abandoning or reopening is the editors' decision).
QUI_FICHE = {
    "demarrer": PILOTES,
    "signaler_retard": PILOTES,
    "rattraper_retard": PILOTES,
    "suspendre": PILOTES,
    "reprendre": PILOTES,
    "terminer": PILOTES,
    "abandonner": EDITEURS,
    "rouvrir": EDITEURS,
}
QUI_PLAN = {"adopter": EDITEURS, "retirer_adoption": EDITEURS, "ouvrir_revision": EDITEURS, "clore": EDITEURS}


def declarees(modele) -> set[tuple[str, str, str]]:
    return {(str(t.source), str(t.target), t.name) for t in modele().get_all_statut_transitions()}


def test_transitions_declarees():
    assert declarees(FicheAction) == TRANSITIONS_FICHE
    assert declarees(Plan) == TRANSITIONS_PLAN
    assert set(QUI_FICHE) == {nom for *_, nom in TRANSITIONS_FICHE}
    assert set(QUI_PLAN) == {nom for *_, nom in TRANSITIONS_PLAN}


@pytest.fixture
def acteurs(comptes, django_user_model):
    tous = {
        "demo": comptes["demo"],
        "chef.projet": comptes["chef.projet"],
        "referent_pilote": comptes["referent.commune"],
        "referent_autre": comptes["referent.commune"],
        "membre.copil": comptes["membre.copil"],
        "lecture": comptes["lecture"],
        "exterieur": django_user_model.objects.create_user("exterieur"),
        "admin": django_user_model.objects.create_superuser("admin"),
        "systeme": utilisateur_systeme(),
    }
    return tous


def _source(nom: str) -> str:
    return next(source for source, _, n in sorted(TRANSITIONS_FICHE) if n == nom)


@pytest.mark.parametrize("nom", sorted(QUI_FICHE))
def test_qui_change_le_statut_d_une_fiche(convention, acteurs, nom):
    source = _source(nom)
    cible = next(t for s, t, n in TRANSITIONS_FICHE if n == nom and s == source)
    for role in ROLES:
        user = acteurs[role]
        pilote = acteurs["referent_pilote"] if role == "referent_pilote" else acteurs["membre.copil"]
        fiche = fiche_de_test(convention, f"{nom} par {role}", statut=source, pilote=pilote)
        assert fiche.statut == source
        autorise = role in QUI_FICHE[nom]
        fiche._jour_acte = date(2025, 3, 3)
        assert has_transition_perm(getattr(fiche, nom), user) is autorise, (nom, role)
        if autorise:
            assert cycle.changer_statut_fiche(fiche, nom, user).statut == cible, (nom, role)
            apres = FicheAction.objects.get(pk=fiche.pk)
            assert (apres.statut, apres.statut_le, apres.version) == (cible, date(2025, 3, 3), fiche.version + 1)
        else:
            with pytest.raises(cycle.PermissionRefusee, match="est réservé"):
                cycle.changer_statut_fiche(fiche, nom, user)
            assert FicheAction.objects.get(pk=fiche.pk).statut == source, (nom, role)


def _plan_pour(convention, nom):
    """Bring the plan to the source state of ``nom`` (by the system, at past dates)."""
    systeme = utilisateur_systeme()
    plan = cycle.plan_de(convention)
    if nom in {"retirer_adoption", "ouvrir_revision"}:
        plan = cycle.adopter_plan(convention, date(2023, 11, 16), systeme)
    if nom == "clore":
        Revue.objects.create(convention=convention, type="bilan", date=date(2025, 3, 1))
    return Plan.objects.get(pk=plan.pk)


def _franchir_plan(convention, nom, user):
    if nom == "adopter":
        return cycle.adopter_plan(convention, date(2024, 1, 10), user)
    if nom == "retirer_adoption":
        return cycle.retirer_adoption(convention, user)
    if nom == "ouvrir_revision":
        return cycle.ouvrir_revision(convention, user, "Revue du 26/06/2025 : adapter la petite enfance")
    plan = Plan.objects.select_for_update().get(convention=convention)
    return cycle._franchir(plan, "clore", user, date(2025, 3, 1))


@pytest.mark.parametrize("nom", sorted(QUI_PLAN))
def test_qui_fait_vivre_le_plan(convention, acteurs, nom):
    attendu = {"adopter": "adopte", "retirer_adoption": "en_preparation", "ouvrir_revision": "en_revision"}
    for role in ROLES:
        user = acteurs[role]
        plan = _plan_pour(convention, nom)
        autorise = role in QUI_PLAN[nom]
        plan._motif = "Revue du 26/06/2025"
        assert has_transition_perm(getattr(plan, nom), user) is autorise, (nom, role)
        if autorise:
            apres = _franchir_plan(convention, nom, user)
            assert apres.statut == attendu.get(nom, "clos"), (nom, role)
        else:
            with pytest.raises(cycle.ChangementImpossible, match="réservé"):
                _franchir_plan(convention, nom, user)
            assert Plan.objects.get(pk=plan.pk).statut == plan.statut, (nom, role)
        # back to a fresh plan for the next role
        Revue.objects.filter(convention=convention).delete()
        Plan.objects.filter(pk=plan.pk).delete()
        convention.refresh_from_db()


def test_le_statut_ne_s_ecrit_pas_directement(convention):
    fiche = fiche_de_test(convention)
    with pytest.raises(AttributeError, match="Direct statut modification is not allowed"):
        fiche.statut = StatutFiche.TERMINEE
    plan = cycle.plan_de(convention)
    with pytest.raises(AttributeError):
        plan.statut = StatutPlan.CLOS
    with pytest.raises(TypeError):
        cycle.creer_fiche(convention, "Déjà finie", utilisateur_systeme(), statut="terminee")


def test_une_transition_impossible_depuis_ce_statut_est_refusee_et_dite(convention, comptes):
    fiche = fiche_de_test(convention, statut="terminee")
    with pytest.raises(cycle.ChangementImpossible, match="ne s'applique pas au statut « terminée »"):
        cycle.changer_statut_fiche(fiche, "suspendre", comptes["demo"])
    with pytest.raises(cycle.ChangementImpossible, match="Changement inconnu"):
        cycle.changer_statut_fiche(fiche, "delete", comptes["demo"])


def test_une_personne_agit_a_la_date_du_jour_le_systeme_a_la_date_de_l_acte(convention, comptes):
    fiche = fiche_de_test(convention)
    with pytest.raises(cycle.ChangementImpossible, match="date du jour"):
        cycle.changer_statut_fiche(fiche, "demarrer", comptes["demo"], jour=date(2024, 6, 1))
    with pytest.raises(cycle.ChangementImpossible, match="dans le futur"):
        cycle.changer_statut_fiche(fiche, "demarrer", utilisateur_systeme(), jour=date(2025, 3, 4))
    with pytest.raises(cycle.ChangementImpossible, match="précède le dernier changement"):
        cycle.changer_statut_fiche(fiche, "demarrer", utilisateur_systeme(), jour=date(2023, 12, 1))
    fiche = cycle.changer_statut_fiche(fiche, "demarrer", utilisateur_systeme(), jour=date(2024, 6, 1))
    assert fiche.statut_le == date(2024, 6, 1)


def test_cycle_du_plan_adoption_revision_readoption(convention, comptes, client):
    chef = comptes["chef.projet"]
    plan = cycle.adopter_plan(convention, date(2023, 11, 16), chef)
    assert (plan.statut, plan.adopte_le) == ("adopte", date(2023, 11, 16))
    client.force_login(chef)
    # adopted: the objectives are fixed (the form opens, read-only, and a submission is refused with the reason)
    reponse = client.post(f"/plan/conventions/{convention.pk}/objectifs/nouveau/", {"intitule": "Nouveau"})
    assert reponse.status_code == 200 and "ouvrez une révision du plan" in reponse.content.decode()
    assert not convention.objectifs.filter(intitule="Nouveau").exists()
    with pytest.raises(cycle.ChangementImpossible, match="motif de la révision"):
        cycle.ouvrir_revision(convention, chef, "  ")
    client.post(f"/plan/conventions/{convention.pk}/adopter/", {"action": "reviser", "motif": "Revue de 2025"})
    plan.refresh_from_db()
    assert (plan.statut, plan.revision_ouverte_le, plan.motif_revision) == (
        "en_revision",
        date(2025, 3, 3),
        "Revue de 2025",
    )
    reponse = client.post(
        f"/plan/conventions/{convention.pk}/objectifs/nouveau/", {"intitule": "Nouveau", "champ": "partage"}
    )
    assert reponse.status_code == 302 and convention.objectifs.filter(intitule="Nouveau").exists()
    page = client.post(f"/plan/conventions/{convention.pk}/adopter/", {"date": "2025-03-01"}, follow=True)
    assert "précède le dernier changement" in page.content.decode()  # before the revision was opened
    client.post(f"/plan/conventions/{convention.pk}/adopter/", {"date": "2025-03-03"})
    plan.refresh_from_db()
    convention.refresh_from_db()
    assert (plan.statut, plan.adopte_le, plan.revise_le) == ("adopte", date(2023, 11, 16), date(2025, 3, 3))
    assert convention.objectifs_identifies_le == date(2023, 11, 16)  # the first adoption meets article 4
    with pytest.raises(cycle.ChangementImpossible, match="révisé depuis son adoption"):
        cycle.retirer_adoption(convention, chef)
    assert [h.statut for h in plan.historique.order_by("history_date")][-4:] == [
        "en_preparation",
        "adopte",
        "en_revision",
        "adopte",
    ]
