"""The comité de pilotage's acts on the shared diagnostic, as the tests need them: a held meeting, a decision that
validates or reopens the diagnostic (through ``ctg.gouvernance.decisions``, the only way these happen)."""

from datetime import date

from django.contrib.auth import get_user_model

from ctg.demo.comptes import creer_comptes_demo
from ctg.gouvernance.decisions import enregistrer_decision, enregistrer_presences
from ctg.gouvernance.models import Cote, Decision, Membre, ObjetDecision, Reunion, RoleComite
from ctg.gouvernance.regles import comite_de

ROLES = ["demo", "chef.projet", "referent.commune", "membre.copil", "lecture", "exterieur", "admin"]
REDACTEURS = {"demo", "chef.projet", "admin"}  # the Caf adviser, the project lead, the administrator


def comptes(convention) -> dict:
    """One account per role on ``convention`` (the demo accounts), an outsider and the administrator."""
    creer_comptes_demo(convention)
    User = get_user_model()
    resultat = {u.username: u for u in User.objects.filter(habilitations__convention=convention)}
    resultat["exterieur"] = User.objects.create_user("exterieur", password="x")
    resultat["admin"] = User.objects.create_superuser("admin", password="x")
    return resultat


def reunion_tenue(convention, jour: date) -> Reunion:
    """A meeting of the comité de pilotage on ``jour``, held: its two voting members (one per side) present."""
    comite = comite_de(convention)
    if not comite.membres.exists():
        for prenom, cote, role in (("Anne", Cote.CAF, RoleComite.ANIMATEUR), ("Chloé", Cote.COLLECTIVITE, "pilote")):
            Membre.objects.create(
                comite=comite,
                prenom=prenom,
                nom="Test",
                organisation=prenom,
                cote=cote,
                role=role,
                debut=date(2022, 1, 1),
            )
    reunion = Reunion.objects.create(comite=comite, date=jour, lieu="Salle du conseil")
    enregistrer_presences(reunion, {m: ("present", "") for m in comite.membres.all()})
    reunion.refresh_from_db()
    return reunion


def valider_par_le_comite(convention, jour: date, par=None) -> Decision:
    return enregistrer_decision(
        reunion_tenue(convention, jour),
        "Le comité valide le diagnostic partagé.",
        objet=ObjetDecision.DIAGNOSTIC_VALIDE,
        par=par,
    )


def rouvrir_par_le_comite(convention, jour: date, motif: str, par=None) -> Decision:
    return enregistrer_decision(
        reunion_tenue(convention, jour),
        "Le comité rouvre le diagnostic partagé.",
        objet=ObjetDecision.DIAGNOSTIC_ROUVERT,
        motif=motif,
        par=par,
    )
