"""Invitations to a meeting: one e-mail per convened member, through Django's mail backend (the console by default,
``EMAIL_BACKEND`` otherwise), with the meeting as an ``.ics`` attachment (``METHOD:REQUEST``) and the convocation
as a PDF.

Sending is background work (:mod:`ctg.taches`): the page starts :func:`lancer_envoi`, one task per meeting renders
the PDF, then builds and sends each message, telling its progress after each one.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass, field

from django.core.mail import EmailMessage, get_connection
from django_tasks import task

from ctg import horloge
from ctg.documents.echappement import en_tete_courriel
from ctg.taches import TravailImpossible, lancer, suivre

from . import ics
from .models import ROLES_VOTANTS, Reunion, StatutReunion
from .regles import membres_en_fonction
from .reunions import verifier_convocable


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
        "La convocation est jointe en PDF, et l'invitation au format calendrier (.ics). Le comité est animé par la "
        "Caf avec le pilote désigné par la collectivité ; son secrétariat est assuré par la collectivité (article 6 "
        "de la convention).\n"
    )


def sujet(reunion: Reunion) -> str:
    """The subject of the invitation: one header line whatever the names typed in the comité hold."""
    comite = reunion.comite
    return en_tete_courriel(f"Convocation : {comite.nom} du {reunion.date:%d/%m/%Y} — {comite.convention.epci}")


def envoyer_convocations(reunion: Reunion, progression=None) -> Envoi:
    """Send the invitation to every member in office on the meeting's date who has an e-mail address, one message
    after the other (``progression``: a :class:`ctg.taches.Progression` told after each one)."""
    from .documents import rendre_document  # the documents read this module's texts

    if reunion.statut != StatutReunion.PLANIFIEE:
        raise ValueError("Seule une réunion planifiée peut faire l'objet de convocations.")
    envoi = Envoi()
    convoques = []
    for membre in membres_en_fonction(reunion.comite, reunion.date):
        if membre.email:
            convoques.append(membre)
        else:
            envoi.sans_adresse.append(membre.nom_complet)
    total = len(convoques) + 1
    if progression:
        progression.etape(0, total, "Préparation de la convocation en PDF et de l'invitation (.ics).")
    if reunion.convocations_envoyees_le:
        reunion.sequence += 1  # an updated invitation replaces the previous one in calendars
    piece = ics.invitation(reunion)
    pdf = rendre_document(reunion, "convocation", "pdf")
    objet = sujet(reunion)
    if progression:
        progression.etape(1, total, f"Envoi des convocations : 0 sur {len(convoques)}.")
    try:
        with get_connection() as connexion:
            for numero, membre in enumerate(convoques, 1):
                message = EmailMessage(subject=objet, body=texte_convocation(reunion, membre), to=[membre.email])
                message.attach(
                    f"copil-{reunion.date:%Y-%m-%d}.ics", piece, "text/calendar; method=REQUEST; charset=utf-8"
                )
                message.attach(f"convocation-{reunion.date:%Y-%m-%d}.pdf", pdf, "application/pdf")
                connexion.send_messages([message])
                envoi.destinataires.append(membre.email)
                if progression:
                    progression.etape(numero + 1, total, f"Envoi des convocations : {numero} sur {len(convoques)}.")
    except (smtplib.SMTPException, OSError) as exc:
        nombre = len(envoi.destinataires)
        raise EnvoiInterrompu(
            f"le serveur de courriel a refusé l'envoi ({exc}) ; {nombre} convocation{'s' if nombre > 1 else ''} "
            f"envoyée{'s' if nombre > 1 else ''} avant l'incident. Vérifiez la configuration du courriel "
            "(EMAIL_HOST…) puis renvoyez les convocations.",
            envoi,
        ) from exc
    reunion.convocations_envoyees_le = horloge.maintenant()
    reunion.version += 1  # a form of the meeting opened before the invitations is stale
    reunion.save(update_fields=["convocations_envoyees_le", "sequence", "version", "modifiee_le"])
    return envoi


class EnvoiInterrompu(Exception):
    """The mail server refused a message: those before it were sent (``envoi``)."""

    def __init__(self, message: str, envoi: Envoi):
        super().__init__(message)
        self.envoi = envoi


def bilan(envoi: Envoi) -> str:
    nombre = len(envoi.destinataires)
    texte = f"Convocations envoyées à {nombre} membre{'s' if nombre > 1 else ''}."
    if envoi.sans_adresse:
        texte += f" Sans adresse de courriel, à convoquer autrement : {', '.join(envoi.sans_adresse)}."
    return texte


@task
def envoyer_convocations_en_arriere_plan(travail_id: int, reunion_id: int) -> None:
    """The background task: one per meeting."""
    with suivre(travail_id) as progression:
        reunion = Reunion.objects.select_related("comite", "comite__convention__epci").filter(pk=reunion_id).first()
        if reunion is None:
            raise TravailImpossible("la réunion a été supprimée entre-temps : aucune convocation n'a été envoyée.")
        try:
            envoi = envoyer_convocations(reunion, progression)
        except ValueError as exc:  # the meeting was cancelled or held since the button was pressed
            raise TravailImpossible(str(exc)) from exc
        except EnvoiInterrompu as exc:
            raise TravailImpossible(
                str(exc), details=[f"Déjà envoyée à {adresse}" for adresse in exc.envoi.destinataires]
            ) from exc
        progression.conclure(bilan(envoi))


def lancer_envoi(reunion: Reunion, par=None):
    """Start sending the invitations of ``reunion`` (its page's button, the API); the
    :class:`ctg.taches.models.Travail` that follows it (the one already under way, if the button was pressed twice).
    A meeting not planned (held, closed, cancelled) is refused with ``ChangementReunionImpossible``."""
    verifier_convocable(reunion)
    return lancer(
        envoyer_convocations_en_arriere_plan,
        reunion.pk,
        intitule=f"Envoi des convocations : {reunion}",
        convention=reunion.comite.convention,
        par=par,
        url_retour=reunion.get_absolute_url(),
        cle=f"convocations-reunion-{reunion.pk}",
    )
