"""Who may do what on the comité de pilotage; the rights are the convention's (``ctg.conventions.perms``).

- every member of the convention reads the composition, the meetings, the minutes, the decisions and the
  innovation watch, and downloads the documents;
- the Caf adviser and the collectivité's project lead (``peut_modifier``) edit the composition, plan meetings,
  send invitations, record attendance, minutes, decisions and votes;
- every member but the read-only ones may report an initiative of the territory (``peut_contribuer``);
- a person who sits on the comité, with their own account (``Membre.compte``), answers the invitation to a meeting
  and comments its draft minutes (``ctg.gouvernance.participation``): a right of the seat, not of the role.

Voting is not a right of an account but of a seat: only the comité's voting members present or represented are
recorded as voting (``ctg.gouvernance.decisions.verifier_votant``); a consultative member is refused.

The transitions of a meeting (``Reunion``, a django-fsm machine) name their permission here, as callables
``(reunion, user) -> bool``: recording that a meeting was held, cancelling it, re-planning it and approving its
minutes are done by the Caf adviser (the comité's animator) or the collectivité's project lead (its pilot and
secretariat), on a convention still running.
"""

from ctg import acces
from ctg.conventions import perms as perms_convention


def peut_modifier(user, convention) -> bool:
    return perms_convention.peut_modifier(user, convention)


def _anime(reunion, user) -> bool:
    return user is not None and user.is_authenticated and peut_modifier(user, reunion.comite.convention)


def peut_tenir(reunion, user) -> bool:
    return _anime(reunion, user)


def peut_annuler(reunion, user) -> bool:
    return _anime(reunion, user)


def peut_retablir(reunion, user) -> bool:
    return _anime(reunion, user)


def peut_approuver_compte_rendu(reunion, user) -> bool:
    return _anime(reunion, user)


def peut_signaler_initiative(user, convention) -> bool:
    return perms_convention.peut_contribuer(user, convention)


def droits(user, convention) -> dict[str, bool]:
    return {
        "modifier": peut_modifier(user, convention),
        "signaler": peut_signaler_initiative(user, convention),
    }


ACCES = {
    "gouvernance:comite": acces.MEMBRE,
    "gouvernance:composition": acces.MEMBRE,
    "gouvernance:composition_export": acces.MEMBRE,
    "gouvernance:reunions_export": acces.MEMBRE,
    "gouvernance:membre_nouveau": acces.EDITION,
    "gouvernance:membre": acces.EDITION,
    "gouvernance:sous_comite_nouveau": acces.EDITION,
    "gouvernance:reunion_nouvelle": acces.EDITION,
    "gouvernance:reunion": acces.MEMBRE,
    "gouvernance:reunion_modifier": acces.EDITION,
    "gouvernance:reunion_statut": acces.POST,
    "gouvernance:presences": acces.EDITION,
    "gouvernance:presences_export": acces.MEMBRE,
    # a member of the comité answers the invitation and comments the draft minutes (their seat, not their role)
    "gouvernance:reponse": acces.POST,
    "gouvernance:commentaire": acces.POST,
    "gouvernance:compte_rendu": acces.EDITION,
    "gouvernance:decision_nouvelle": acces.EDITION,
    "gouvernance:convocations": acces.POST,
    "gouvernance:convocation_document": acces.MEMBRE,
    "gouvernance:compte_rendu_document": acces.MEMBRE,
    "gouvernance:reunion_ics": acces.MEMBRE,
    "gouvernance:calendrier": acces.MEMBRE,
    "gouvernance:decisions": acces.MEMBRE,
    "gouvernance:decisions_export": acces.MEMBRE,
    "gouvernance:initiatives": acces.MEMBRE,
    "gouvernance:initiatives_export": acces.MEMBRE,
    "gouvernance:initiative_nouvelle": acces.CONTRIBUTION,
    "gouvernance:initiative": acces.EDITION,
    "gouvernance:initiative_transformer": acces.POST,
}


def exemples_acces(convention) -> dict:
    """A comité with a member, a held meeting and an initiative on ``convention``, for the permission walk."""
    from datetime import date

    from .decisions import enregistrer_presences
    from .models import Cote, EtatPresence, Initiative, Membre, Reunion
    from .regles import comite_de

    comite = comite_de(convention)
    membre = Membre.objects.create(
        comite=comite, prenom="Alix", nom="Parcours", organisation="Caf", cote=Cote.CAF, debut=convention.date_debut
    )
    reunion = Reunion.objects.create(comite=comite, date=convention.date_debut, lieu="Salle du conseil")
    enregistrer_presences(reunion, {membre: (EtatPresence.PRESENT, "")})  # held, through the rules layer
    initiative = Initiative.objects.create(
        convention=convention, titre="Initiative", description="Description", reperee_le=date(2023, 1, 1)
    )
    valeurs = {
        "membre": membre.pk,
        "reunion": reunion.pk,
        "initiative": initiative.pk,
        "annee": reunion.date.year,
        "action": "approuver",
    }
    # keys scoped to this app's URL names, so that another app's "membre" or "reunion" cannot collide
    exports = {
        f"gouvernance:{nom}_export/format": "xlsx"
        for nom in ("composition", "reunions", "decisions", "initiatives", "presences")
    }
    return exports | {f"{nom}/{parametre}": valeur for nom in ACCES for parametre, valeur in valeurs.items()}
