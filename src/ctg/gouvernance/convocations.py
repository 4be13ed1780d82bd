"""Invitations to a meeting: one e-mail per convened member, through Django's mail backend (the console by default,
``EMAIL_BACKEND`` otherwise), with the meeting as an ``.ics`` attachment (``METHOD:REQUEST``)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.mail import EmailMessage, get_connection

from ctg import horloge

from . import ics
from .models import ROLES_VOTANTS, Reunion, StatutReunion
from .regles import membres_en_fonction


@dataclass
class Envoi:
    destinataires: list[str] = field(default_factory=list)
    sans_adresse: list[str] = field(default_factory=list)


def lieu_et_acces(reunion: Reunion) -> str:
    morceaux = []
    if reunion.lieu:
        morceaux.append(f"Lieu : {reunion.lieu}")
    if reunion.lien_visio:
        morceaux.append(f"Visioconférence : {reunion.lien_visio}")
    return "\n".join(morceaux)


def texte_convocation(reunion: Reunion, membre) -> str:
    convention = reunion.comite.convention
    points = "\n".join(f"  {i}. {p.intitule}" for i, p in enumerate(reunion.points.all(), 1)) or "  à préciser"
    qualite = (
        "Vous y siégez avec voix délibérative."
        if membre.role in ROLES_VOTANTS
        else "Vous y êtes invité·e à titre consultatif."
    )
    return (
        f"Bonjour,\n\nVous êtes convié·e au {reunion.comite.nom.lower()} de la {convention}, "
        f"le {reunion.date:%d/%m/%Y} de {reunion.heure_debut:%H:%M} à {reunion.heure_fin:%H:%M}.\n"
        f"{lieu_et_acces(reunion)}\n\nOrdre du jour :\n{points}\n\n{qualite}\n\n"
        "L'invitation est jointe au format calendrier (.ics). Le comité est animé par la Caf avec le pilote désigné "
        "par la collectivité ; son secrétariat est assuré par la collectivité (article 6 de la convention).\n"
    )


def envoyer_convocations(reunion: Reunion) -> Envoi:
    """Send the invitation to every member in office on the meeting's date who has an e-mail address."""
    if reunion.statut != StatutReunion.PLANIFIEE:
        raise ValueError("Seule une réunion planifiée peut faire l'objet de convocations.")
    envoi = Envoi()
    if reunion.convocations_envoyees_le:
        reunion.sequence += 1  # an updated invitation replaces the previous one in calendars
    piece = ics.invitation(reunion)
    messages = []
    for membre in membres_en_fonction(reunion.comite, reunion.date):
        if not membre.email:
            envoi.sans_adresse.append(membre.nom_complet)
            continue
        message = EmailMessage(
            subject=f"Convocation : {reunion.comite.nom} du {reunion.date:%d/%m/%Y} — {reunion.comite.convention.epci}",
            body=texte_convocation(reunion, membre),
            to=[membre.email],
        )
        message.attach(f"copil-{reunion.date:%Y-%m-%d}.ics", piece, "text/calendar; method=REQUEST; charset=utf-8")
        messages.append(message)
        envoi.destinataires.append(membre.email)
    if messages:
        get_connection().send_messages(messages)
    reunion.convocations_envoyees_le = horloge.maintenant()
    reunion.version += 1  # a form of the meeting opened before the invitations is stale
    reunion.save(update_fields=["convocations_envoyees_le", "sequence", "version", "modifiee_le"])
    return envoi
