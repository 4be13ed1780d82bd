"""A meeting's state machine (planifiée → tenue → compte rendu approuvé; planifiée ⇄ annulée): the table of its
transitions and of who may do them, its preconditions, the lock of a meeting whose minutes are approved (pages
and rules layer), optimistic concurrency on the minutes, the reopening of the diagnostic by a decision recorded on
the page, the history and the database constraints."""

from datetime import date, time, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django_fsm import has_transition_perm

from ctg import horloge
from ctg.demo.comptes import creer_comptes_demo
from ctg.diagnostic.models import StatutDiagnostic
from ctg.diagnostic.partage import diagnostic_de
from ctg.gouvernance import reunions
from ctg.gouvernance.decisions import DecisionImpossible, enregistrer_decision, enregistrer_presences
from ctg.gouvernance.models import (
    Cote,
    Decision,
    Initiative,
    Membre,
    ObjetDecision,
    PointOrdreDuJour,
    Presence,
    Reunion,
    ReunionClose,
    StatutReunion,
    Vote,
)

pytestmark = pytest.mark.django_db

EN_VIGUEUR = "2026-11-30"
ROLES = ["demo", "chef.projet", "referent.commune", "membre.copil", "lecture", "exterieur", "admin"]
ANIMATEURS = {"demo", "chef.projet", "admin"}  # the Caf adviser, the project lead, the administrator
TRANSITIONS = {
    ("planifiee", "tenue", "tenir"),
    ("planifiee", "annulee", "annuler"),
    ("annulee", "planifiee", "retablir"),
    ("tenue", "approuvee", "approuver_compte_rendu"),
}


@pytest.fixture
def comptes(convention):
    creer_comptes_demo(convention)
    User = get_user_model()
    resultat = {u.username: u for u in User.objects.filter(habilitations__convention=convention)}
    resultat["exterieur"] = User.objects.create_user("exterieur", password="x")
    resultat["admin"] = User.objects.create_superuser("admin", password="x")
    return resultat


def _presents(comite):
    return {m: ("present", "") for m in comite.m.values()}


def _approuvee(reunion):
    reunion.compte_rendu = "Échanges et décisions."
    reunion.save()
    return reunions.approuver_compte_rendu(reunion, date(2023, 10, 10))


def test_les_transitions_declarees_sont_celles_de_la_table():
    champ = Reunion._meta.get_field("statut")
    assert {(t.source, t.target, t.name) for t in champ.get_all_transitions(Reunion)} == TRANSITIONS


@pytest.mark.date(EN_VIGUEUR)
def test_qui_peut_faire_chaque_transition(comite, comptes):
    passee = date(2026, 10, 6)
    instances = {
        "tenir": Reunion.objects.create(comite=comite, date=passee, lieu="Cambrai"),
        "annuler": Reunion.objects.create(comite=comite, date=date(2026, 12, 8), lieu="Cambrai"),
        "retablir": Reunion.objects.create(comite=comite, date=passee, lieu="x", statut=StatutReunion.ANNULEE),
        "approuver_compte_rendu": Reunion.objects.create(
            comite=comite, date=passee, lieu="x", statut=StatutReunion.TENUE, compte_rendu="Compte rendu."
        ),
    }
    Presence.objects.create(reunion=instances["tenir"], membre=comite.m["anim"], etat="present")
    obtenu = {
        (nom, role): has_transition_perm(getattr(r, nom), comptes[role])
        for nom, r in instances.items()
        for role in ROLES
    }
    attendu = {(nom, role): role in ANIMATEURS for nom in instances for role in ROLES}
    assert obtenu == attendu


@pytest.mark.date(EN_VIGUEUR)
def test_preconditions(comite, comptes):
    chef = comptes["chef.projet"]
    futur = Reunion.objects.create(comite=comite, date=date(2026, 12, 8), lieu="Cambrai")
    Presence.objects.create(reunion=futur, membre=comite.m["anim"], etat="present")
    with pytest.raises(reunions.ChangementReunionImpossible, match="n'a pas encore eu lieu : elle ne peut pas"):
        reunions.tenir(futur, par=chef)
    with pytest.raises(ValidationError, match="est à venir : elle ne peut pas être déjà tenue"):
        Reunion.objects.create(comite=comite, date=date(2026, 12, 8), lieu="x", statut=StatutReunion.TENUE)
    with pytest.raises(reunions.ChangementReunionImpossible, match="Des présences sont enregistrées"):
        reunions.annuler(futur, par=chef)
    vide = Reunion.objects.create(comite=comite, date=date(2026, 10, 6), lieu="Cambrai")
    with pytest.raises(reunions.ChangementReunionImpossible, match="Renseignez la présence d'au moins un membre"):
        reunions.tenir(vide, par=chef)
    with pytest.raises(reunions.ChangementReunionImpossible, match="Seul le compte rendu d'une réunion tenue"):
        reunions.approuver_compte_rendu(vide, par=chef)
    enregistrer_presences(vide, _presents(comite), par=chef)
    vide.refresh_from_db()
    assert vide.statut == StatutReunion.TENUE
    with pytest.raises(reunions.ChangementReunionImpossible, match="Rédigez le compte rendu avant de l'approuver"):
        reunions.approuver_compte_rendu(vide, par=chef)
    with pytest.raises(reunions.ChangementReunionImpossible, match="Seuls la ou le conseiller·ère"):
        reunions.annuler(Reunion.objects.create(comite=comite, date=date(2027, 3, 9), lieu="x"), par=comptes["lecture"])


def test_reunion_approuvee_est_close_dans_la_couche_de_regles(comite, reunion_tenue):
    decision = enregistrer_decision(reunion_tenue, "Le comité adopte son calendrier.")
    _approuvee(reunion_tenue)
    reunion = Reunion.objects.get(pk=reunion_tenue.pk)
    assert reunion.statut == StatutReunion.APPROUVEE and reunion.compte_rendu_approuve_le == date(2023, 10, 10)
    refus = "a été approuvé le 10/10/2023 : la réunion est close"
    presence = reunion.presences.first()
    presence.etat = "excuse"
    ecritures = [
        lambda: reunion.save(),
        presence.save,
        presence.delete,
        lambda: PointOrdreDuJour.objects.create(reunion=reunion, intitule="Ajout"),
        lambda: Decision.objects.create(reunion=reunion, ordre=9, texte="Ajout"),
        lambda: Vote.objects.create(decision=decision, membre=comite.m["anim"], choix="pour"),
        decision.delete,
    ]
    for ecrire in ecritures:
        with pytest.raises(ReunionClose, match=refus), transaction.atomic():
            ecrire()
    with pytest.raises(DecisionImpossible, match=refus):
        enregistrer_presences(reunion, {comite.m["anim"]: ("excuse", "")})
    with pytest.raises(DecisionImpossible, match=refus):
        enregistrer_decision(reunion, "Ajout tardif.")
    assert reunion.decisions.count() == 1 and reunion.presences.filter(etat="present").count() == 6


@pytest.mark.date(EN_VIGUEUR)
def test_reunion_approuvee_les_pages_refusent(client, convention, comite, reunion_tenue, comptes):
    _approuvee(reunion_tenue)
    client.force_login(comptes["chef.projet"])
    base = f"/gouvernance/conventions/{convention.pk}/reunions/{reunion_tenue.pk}"
    page = client.get(base + "/").content.decode()
    assert 'data-testid="reunion-close"' in page and "Enregistrer une décision" not in page
    assert "Rédiger le compte rendu" not in page and "Enregistrer les présences" not in page
    envois = [
        ("/compte-rendu/", {"compte_rendu": "Altéré.", "version_lue": Reunion.objects.get().version}),
        ("/presences/", {f"etat_{comite.m['anim'].pk}": "absent"}),
        ("/decisions/nouvelle/", {"texte": "Ajout", "mode": "consensus", "objet": "autre"}),
        ("/modifier/", {"comite": comite.pk, "date": "2023-03-14", "heure_debut": "10:00", "heure_fin": "12:00"}),
    ]
    for chemin, donnees in envois:
        reponse = client.post(base + chemin, donnees, follow=True)
        assert "la réunion est close, ni elle ni son ordre du jour" in reponse.content.decode(), chemin
    reunion = Reunion.objects.get()
    assert reunion.compte_rendu == "Échanges et décisions." and reunion.heure_debut == time(14, 0)
    assert not reunion.decisions.exists() and not reunion.presences.filter(etat="absent").exists()


@pytest.mark.date(EN_VIGUEUR)
def test_annuler_et_replanifier_par_la_page(client, convention, comite, comptes, mailoutbox):
    reunion = Reunion.objects.create(comite=comite, date=date(2026, 12, 8), lieu="Cambrai")
    base = f"/gouvernance/conventions/{convention.pk}/reunions/{reunion.pk}"
    client.force_login(comptes["lecture"])
    assert client.post(base + "/statut/annuler/").status_code == 403
    client.force_login(comptes["demo"])
    reponse = client.post(base + "/statut/annuler/", follow=True)
    assert "Réunion du 08/12/2026 : annulée." in reponse.content.decode()
    reponse = client.post(base + "/convocations/", follow=True)
    assert "Seule une réunion planifiée fait l&#x27;objet de convocations." in reponse.content.decode()
    assert mailoutbox == []
    reponse = client.post(base + "/statut/approuver/", follow=True)
    assert "Seul le compte rendu d&#x27;une réunion tenue peut être approuvé" in reponse.content.decode()
    client.post(base + "/statut/retablir/")
    reunion.refresh_from_db()
    assert reunion.statut == StatutReunion.PLANIFIEE
    # the meeting's form no longer carries its status: a posted "statut" changes nothing
    client.post(
        base + "/modifier/",
        {
            "comite": comite.pk,
            "date": "2026-12-09",
            "heure_debut": "14:00",
            "heure_fin": "16:00",
            "lieu": "Cambrai",
            "statut": "tenue",
            "version_lue": reunion.version,
            "points-TOTAL_FORMS": "0",
            "points-INITIAL_FORMS": "0",
            "points-MIN_NUM_FORMS": "0",
            "points-MAX_NUM_FORMS": "1000",
        },
    )
    reunion.refresh_from_db()
    assert reunion.date == date(2026, 12, 9) and reunion.statut == StatutReunion.PLANIFIEE
    lignes = list(reunion.historique.order_by("history_date", "history_id"))
    assert [ligne.statut for ligne in lignes] == ["planifiee", "annulee", "planifiee", "planifiee"]
    assert {ligne.history_user for ligne in lignes[1:]} == {comptes["demo"]}


@pytest.mark.date(EN_VIGUEUR)
def test_compte_rendu_perime_refuse(client, convention, reunion_tenue, comptes):
    url = f"/gouvernance/conventions/{convention.pk}/reunions/{reunion_tenue.pk}/compte-rendu/"
    version_lue = Reunion.objects.get().version
    client.force_login(comptes["demo"])
    assert client.post(url, {"compte_rendu": "Version de la Caf.", "version_lue": version_lue}).status_code == 302
    client.force_login(comptes["chef.projet"])
    page = client.post(url, {"compte_rendu": "Version du secrétariat.", "version_lue": version_lue}).content.decode()
    assert "Ce contenu a été modifié depuis que vous l&#x27;avez ouvert" in page
    assert "« compte rendu » modifié par" in page
    assert Reunion.objects.get().compte_rendu == "Version de la Caf."
    assert client.post(url, {"compte_rendu": "Sans version."}).status_code == 200  # an incomplete form is refused
    assert Reunion.objects.get().compte_rendu == "Version de la Caf."


@pytest.mark.date(EN_VIGUEUR)
def test_decision_de_reouverture_du_diagnostic_par_la_page(client, convention, comite, reunion_tenue, comptes):
    diagnostic = diagnostic_de(convention)
    diagnostic.synthese = "Synthèse validée."
    diagnostic.save()
    enregistrer_decision(reunion_tenue, "Le comité valide le diagnostic.", objet=ObjetDecision.DIAGNOSTIC_VALIDE)
    suivante = Reunion.objects.create(comite=comite, date=date(2024, 3, 12), lieu="Cambrai")
    enregistrer_presences(suivante, _presents(comite))
    client.force_login(comptes["chef.projet"])
    url = f"/gouvernance/conventions/{convention.pk}/reunions/{suivante.pk}/decisions/nouvelle/"
    donnees = {"texte": "Le comité rouvre le diagnostic.", "mode": "consensus", "objet": "diagnostic_rouvert"}
    page = client.post(url, donnees).content.decode()
    assert "Indiquez le motif de la réouverture du diagnostic validé." in page
    reponse = client.post(url, {**donnees, "motif": "Nouvelles données Caf 2023."}, follow=True)
    assert "Diagnostic partagé rouvert le 12/03/2024 (décision du comité du 12/03/2024)" in reponse.content.decode()
    diagnostic.refresh_from_db()
    assert diagnostic.statut == StatutDiagnostic.BROUILLON and diagnostic.premiere_validation_le == date(2023, 3, 14)
    assert diagnostic.historique.latest("history_date").history_user == comptes["chef.projet"]
    decision = Decision.objects.get(objet=ObjetDecision.DIAGNOSTIC_ROUVERT)
    assert decision.motif == "Nouvelles données Caf 2023." and decision.enregistree_par == comptes["chef.projet"]
    assert decision.historique.filter(history_type="+", history_user=comptes["chef.projet"]).exists()


@pytest.mark.date("2027-01-15")
def test_convention_terminee_le_comite_est_en_lecture_seule(client, convention, comite, comptes):
    passee = Reunion.objects.create(comite=comite, date=date(2026, 12, 8), lieu="Cambrai")
    client.force_login(comptes["demo"])
    base = f"/gouvernance/conventions/{convention.pk}"
    page = client.get(base + "/").content.decode()
    assert client.get(base + f"/reunions/{passee.pk}/").status_code == 200
    assert "Planifier une réunion" not in page
    assert client.get(base + "/reunions/nouvelle/").status_code == 403
    assert client.post(base + f"/reunions/{passee.pk}/statut/annuler/").status_code == 403
    with pytest.raises(reunions.ChangementReunionImpossible, match="sur une convention en cours"):
        reunions.annuler(passee, par=comptes["demo"])
    assert Reunion.objects.get().statut == StatutReunion.PLANIFIEE


def test_contraintes_de_la_base(convention, comite, reunion_tenue):
    anne = comite.m["anim"]
    cas = [
        lambda: Reunion.objects.filter(pk=reunion_tenue.pk).update(heure_fin=time(13, 0)),
        lambda: Reunion.objects.filter(pk=reunion_tenue.pk).update(statut="approuvee"),  # no approval date
        lambda: Reunion.objects.filter(pk=reunion_tenue.pk).update(compte_rendu_approuve_le=date(2023, 3, 20)),
        lambda: Reunion.objects.filter(pk=reunion_tenue.pk).update(statut="inconnu"),
        lambda: Membre.objects.filter(pk=anne.pk).update(fin=date(2021, 12, 31)),
        lambda: Membre.objects.filter(pk=anne.pk).update(cote=Cote.COLLECTIVITE),  # the animator is the Caf's
        lambda: Membre.objects.filter(pk=comite.m["pilote"].pk).update(cote=Cote.CAF),
        lambda: Presence.objects.filter(membre=anne).update(etat="represente"),  # by whom?
        lambda: Presence.objects.filter(membre=anne).update(represente_par="Quelqu'un"),  # present, yet represented
        lambda: Decision.objects.create(reunion=reunion_tenue, ordre=0, texte="x"),
        lambda: Decision.objects.create(reunion=reunion_tenue, texte="x", objet="diagnostic_rouvert"),  # no reason
        lambda: Initiative.objects.create(
            convention=convention, titre="x", description="x", reperee_le=date(2024, 1, 1), suivi="transformee"
        ),
    ]
    for ecrire in cas:
        with pytest.raises(IntegrityError), transaction.atomic():
            ecrire()
    Decision.objects.create(reunion=reunion_tenue, ordre=1, texte="Première")
    with pytest.raises(IntegrityError), transaction.atomic():
        Decision.objects.create(reunion=reunion_tenue, ordre=1, texte="Même numéro")


def test_un_aujourd_hui_fourni_ne_devance_pas_l_horloge(comite):
    demain = horloge.aujourd_hui() + timedelta(days=1)
    reunion = Reunion.objects.create(comite=comite, date=demain, lieu="Cambrai")
    with pytest.raises(DecisionImpossible, match="n'a pas encore eu lieu"):
        enregistrer_presences(reunion, {comite.m["anim"]: ("present", "")}, aujourd_hui=demain)
    reunion.refresh_from_db()
    assert reunion.statut == StatutReunion.PLANIFIEE and not reunion.presences.exists()


@pytest.mark.date(EN_VIGUEUR)
def test_l_admin_historise_et_respecte_la_reunion_close(client, comite, reunion_tenue, comptes):
    client.force_login(comptes["admin"])
    bruno = comite.m["caf"]
    url = f"/admin/gouvernance/membre/{bruno.pk}/change/"
    champs = ["comite", "civilite", "prenom", "nom", "organisation", "email", "cote", "role", "debut"]
    donnees = {champ: getattr(bruno, f"{champ}_id" if champ == "comite" else champ) for champ in champs}
    reponse = client.post(url, {**donnees, "fonction": "Administrateur de la Caf", "fin": "", "compte": ""})
    assert reponse.status_code == 302
    ligne = Membre.historique.filter(id=bruno.pk).latest("history_date")
    assert ligne.fonction == "Administrateur de la Caf" and ligne.history_user == comptes["admin"]

    assert 'name="_save"' in client.get(f"/admin/gouvernance/reunion/{reunion_tenue.pk}/change/").content.decode()
    _approuvee(reunion_tenue)
    page = client.get(f"/admin/gouvernance/reunion/{reunion_tenue.pk}/change/").content.decode()
    assert 'name="_save"' not in page  # read-only: the statut is never a field, and a closed meeting is frozen
