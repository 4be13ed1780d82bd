"""iCalendar (RFC 5545) files for the meetings of a comité de pilotage, written with the ``icalendar`` library.

The library folds lines at 75 octets, ends them with CRLF, escapes TEXT values and quotes parameter values (RFC
6868 for the quotes), so that no name or title can add a line of its own; user text goes through
:func:`~ctg.documents.echappement.texte_ics` / :func:`~ctg.documents.echappement.parametre_ics` first, which remove
the control characters RFC 5545 forbids.

What a file holds:

- every event has a UID (the meeting's stable identifier, so a calendar updates it instead of duplicating it),
  a DTSTAMP in UTC (``ctg.horloge``), a DTSTART and DTEND in local time with ``TZID=Europe/Paris``, whose
  VTIMEZONE (from the time zone database, over the years of the meetings) is included in the file (§3.6.5), and a
  SEQUENCE that grows when the meeting changes;
- an invitation (``METHOD:REQUEST``) names its ORGANIZER and one ATTENDEE per convened member with an e-mail
  address (voting members are required participants, the others optional); a calendar export uses
  ``METHOD:PUBLISH``; a cancelled meeting has ``STATUS:CANCELLED``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event, vCalAddress

from ctg import horloge
from ctg.documents.echappement import parametre_ics, texte_ics

from .models import ROLES_VOTANTS, Reunion, StatutReunion

PRODID = "-//CTG//Comité de pilotage//FR"
FUSEAU = "Europe/Paris"


def description(reunion: Reunion) -> str:
    lignes = [f"{reunion.comite.nom} de la {reunion.comite.convention}"]
    points = list(reunion.points.all())
    if points:
        lignes += ["", "Ordre du jour :"] + [f"{i}. {p.intitule}" for i, p in enumerate(points, 1)]
    if reunion.lien_visio:
        lignes += ["", f"Visioconférence : {reunion.lien_visio}"]
    return "\n".join(lignes)


def _jeton(texte: str) -> bool:
    """Whether ``texte`` can be written as a URI or CAL-ADDRESS value, which are not escaped: not empty, no white
    space and no control character (either could start a new line or a second value)."""
    return bool(texte) and not any(c.isspace() or unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in texte)


def _adresse(courriel: str, nom: str) -> vCalAddress | None:
    """A ``mailto:`` calendar address with its common name, or ``None`` when ``courriel`` cannot be one address
    (a second ``@``, or a character that separates addresses)."""
    courriel = courriel.strip()
    if not _jeton(courriel) or courriel.count("@") != 1 or any(c in '"<>,;' for c in courriel):
        return None
    adresse = vCalAddress(f"mailto:{courriel}")
    adresse.params["CN"] = parametre_ics(nom)
    return adresse


def evenement(reunion: Reunion, invitation: bool = False, maintenant: datetime | None = None) -> Event:
    """The VEVENT of a meeting."""
    from .regles import membres_en_fonction

    fuseau = ZoneInfo(FUSEAU)
    evenement = Event()
    evenement.add("uid", f"{reunion.uid}@ctg")
    evenement.add("dtstamp", maintenant or horloge.maintenant())
    evenement.add("dtstart", datetime.combine(reunion.date, reunion.heure_debut, tzinfo=fuseau))
    evenement.add("dtend", datetime.combine(reunion.date, reunion.heure_fin, tzinfo=fuseau))
    evenement.add("sequence", reunion.sequence)
    evenement.add("summary", texte_ics(f"{reunion.comite.nom} — {reunion.comite.convention.epci.nom}"))
    evenement.add("description", texte_ics(description(reunion)))
    lieu = reunion.lieu or ("Visioconférence" if reunion.lien_visio else "")
    if lieu:
        evenement.add("location", texte_ics(lieu))
    if _jeton(reunion.lien_visio):
        evenement.add("url", reunion.lien_visio)
    evenement.add("status", "CANCELLED" if reunion.statut == StatutReunion.ANNULEE else "CONFIRMED")
    if invitation:
        organisateur = _adresse(expediteur(), reunion.comite.convention.caf.nom)
        if organisateur is not None:
            evenement.add("organizer", organisateur)
        for membre in membres_en_fonction(reunion.comite, reunion.date):
            participant = _adresse(membre.email, membre.nom_complet) if membre.email else None
            if participant is None:
                continue
            participant.params["ROLE"] = "REQ-PARTICIPANT" if membre.role in ROLES_VOTANTS else "OPT-PARTICIPANT"
            participant.params["PARTSTAT"] = "NEEDS-ACTION"
            participant.params["RSVP"] = "TRUE"
            evenement.add("attendee", participant)
    return evenement


def expediteur() -> str:
    adresse = settings.DEFAULT_FROM_EMAIL
    return adresse.split("<")[-1].rstrip(">").strip() if "<" in adresse else adresse


def calendrier(reunions: Iterable[Reunion], nom: str = "", invitation: bool = False) -> bytes:
    """A VCALENDAR holding the meetings, as UTF-8 bytes with CRLF line ends."""
    maintenant = horloge.maintenant()
    reunions = list(reunions)
    fichier = Calendar()
    fichier.add("version", "2.0")
    fichier.add("prodid", PRODID)
    fichier.add("calscale", "GREGORIAN")
    fichier.add("method", "REQUEST" if invitation else "PUBLISH")
    if nom:
        fichier.add("x-wr-calname", texte_ics(nom))
        fichier.add("x-wr-timezone", FUSEAU)
    for reunion in reunions:
        fichier.add_component(evenement(reunion, invitation=invitation, maintenant=maintenant))
    if reunions:
        # The time zone's rules over the years of the meetings, from the time zone database.
        dates = [reunion.date for reunion in reunions]
        fichier.add_missing_timezones(first_date=date(min(dates).year, 1, 1), last_date=date(max(dates).year + 1, 1, 1))
    return fichier.to_ical()


def invitation(reunion: Reunion) -> bytes:
    return calendrier([reunion], invitation=True)


def calendrier_annuel(convention, annee: int) -> bytes:
    reunions = (
        Reunion.objects.filter(comite__convention=convention, date__year=annee)
        .select_related("comite", "comite__convention", "comite__convention__epci")
        .prefetch_related("points")
    )
    return calendrier(reunions, nom=f"Comité de pilotage CTG {convention.epci.nom} {annee}")
