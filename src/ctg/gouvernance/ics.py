"""iCalendar (RFC 5545) files for the meetings of a comité de pilotage, written by hand (no extra dependency).

What the writer guarantees:

- lines end with CRLF (RFC 5545 §3.1);
- content lines longer than 75 octets are folded: CRLF followed by one space, never inside a UTF-8 character;
- TEXT values escape backslash, semicolon, comma and newline (§3.3.11);
- every event has a UID (the meeting's stable identifier, so a calendar updates it instead of duplicating it),
  a DTSTAMP in UTC, a DTSTART and DTEND in local time with ``TZID=Europe/Paris``, whose VTIMEZONE (the EU
  summer-time rules) is included in the file (§3.6.5), and a SEQUENCE that grows when the meeting changes;
- an invitation (``METHOD:REQUEST``) names its ORGANIZER and one ATTENDEE per convened member with an e-mail
  address (voting members are required participants, the others optional); a calendar export uses
  ``METHOD:PUBLISH``; a cancelled meeting has ``STATUS:CANCELLED``.

:func:`analyser` is a minimal reader (unfolding, parameters, unescaping) used by the tests to read the files back.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings

from ctg import horloge

from .models import ROLES_VOTANTS, Reunion, StatutReunion

PRODID = "-//CTG//Comité de pilotage//FR"
FUSEAU = "Europe/Paris"
VTIMEZONE_PARIS = [
    "BEGIN:VTIMEZONE",
    f"TZID:{FUSEAU}",
    "BEGIN:DAYLIGHT",
    "TZOFFSETFROM:+0100",
    "TZOFFSETTO:+0200",
    "TZNAME:CEST",
    "DTSTART:19810329T020000",
    "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU",
    "END:DAYLIGHT",
    "BEGIN:STANDARD",
    "TZOFFSETFROM:+0200",
    "TZOFFSETTO:+0100",
    "TZNAME:CET",
    "DTSTART:19961027T030000",
    "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU",
    "END:STANDARD",
    "END:VTIMEZONE",
]


def echapper(texte: str) -> str:
    """A TEXT value (RFC 5545 §3.3.11)."""
    return (
        texte.replace("\\", "\\\\")
        .replace(";", "\\;")
        .replace(",", "\\,")
        .replace("\r\n", "\n")
        .replace("\r", "\n")
        .replace("\n", "\\n")
    )


def parametre(valeur: str) -> str:
    """A parameter value: quoted when it holds ``:;,``; double quotes are not allowed inside (§3.2)."""
    valeur = valeur.replace('"', "'")
    return f'"{valeur}"' if any(c in valeur for c in ":;,") else valeur


def plier(ligne: str) -> str:
    """Fold a content line at 75 octets (§3.1), without cutting a UTF-8 character."""
    octets = ligne.encode("utf-8")
    if len(octets) <= 75:
        return ligne
    morceaux = []
    courant = ""
    taille = 0
    limite = 75
    for caractere in ligne:
        n = len(caractere.encode("utf-8"))
        if taille + n > limite:
            morceaux.append(courant)
            courant, taille, limite = "", 0, 74  # continuation lines start with a space
        courant += caractere
        taille += n
    morceaux.append(courant)
    return "\r\n ".join(morceaux)


def _utc(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def _local(reunion: Reunion, heure) -> str:
    return datetime.combine(reunion.date, heure).strftime("%Y%m%dT%H%M%S")


def description(reunion: Reunion) -> str:
    lignes = [f"{reunion.comite.nom} de la {reunion.comite.convention}"]
    points = list(reunion.points.all())
    if points:
        lignes += ["", "Ordre du jour :"] + [f"{i}. {p.intitule}" for i, p in enumerate(points, 1)]
    if reunion.lien_visio:
        lignes += ["", f"Visioconférence : {reunion.lien_visio}"]
    return "\n".join(lignes)


def evenement(reunion: Reunion, invitation: bool = False, maintenant: datetime | None = None) -> list[str]:
    """The VEVENT lines of a meeting (unfolded)."""
    from .regles import membres_en_fonction

    maintenant = maintenant or horloge.maintenant()
    lieu = reunion.lieu or ("Visioconférence" if reunion.lien_visio else "")
    lignes = [
        "BEGIN:VEVENT",
        f"UID:{reunion.uid}@ctg",
        f"DTSTAMP:{_utc(maintenant)}",
        f"DTSTART;TZID={FUSEAU}:{_local(reunion, reunion.heure_debut)}",
        f"DTEND;TZID={FUSEAU}:{_local(reunion, reunion.heure_fin)}",
        f"SEQUENCE:{reunion.sequence}",
        f"SUMMARY:{echapper(f'{reunion.comite.nom} — {reunion.comite.convention.epci.nom}')}",
        f"DESCRIPTION:{echapper(description(reunion))}",
    ]
    if lieu:
        lignes.append(f"LOCATION:{echapper(lieu)}")
    if reunion.lien_visio:
        lignes.append(f"URL:{reunion.lien_visio}")
    lignes.append(f"STATUS:{'CANCELLED' if reunion.statut == StatutReunion.ANNULEE else 'CONFIRMED'}")
    if invitation:
        lignes.append(f"ORGANIZER;CN={parametre(reunion.comite.convention.caf.nom)}:mailto:{expediteur()}")
        for membre in membres_en_fonction(reunion.comite, reunion.date):
            if membre.email:
                role = "REQ-PARTICIPANT" if membre.role in ROLES_VOTANTS else "OPT-PARTICIPANT"
                lignes.append(
                    f"ATTENDEE;CN={parametre(membre.nom_complet)};ROLE={role};PARTSTAT=NEEDS-ACTION;RSVP=TRUE"
                    f":mailto:{membre.email}"
                )
    lignes.append("END:VEVENT")
    return lignes


def expediteur() -> str:
    adresse = settings.DEFAULT_FROM_EMAIL
    return adresse.split("<")[-1].rstrip(">").strip() if "<" in adresse else adresse


def calendrier(reunions: Iterable[Reunion], nom: str = "", invitation: bool = False) -> bytes:
    """A VCALENDAR holding the meetings, as UTF-8 bytes with CRLF line ends."""
    maintenant = horloge.maintenant()
    lignes = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        f"PRODID:{PRODID}",
        "CALSCALE:GREGORIAN",
        f"METHOD:{'REQUEST' if invitation else 'PUBLISH'}",
    ]
    if nom:
        lignes.append(f"X-WR-CALNAME:{echapper(nom)}")
        lignes.append(f"X-WR-TIMEZONE:{FUSEAU}")
    lignes += VTIMEZONE_PARIS
    for reunion in reunions:
        lignes += evenement(reunion, invitation=invitation, maintenant=maintenant)
    lignes.append("END:VCALENDAR")
    return ("\r\n".join(plier(ligne) for ligne in lignes) + "\r\n").encode("utf-8")


def invitation(reunion: Reunion) -> bytes:
    return calendrier([reunion], invitation=True)


def calendrier_annuel(convention, annee: int) -> bytes:
    reunions = (
        Reunion.objects.filter(comite__convention=convention, date__year=annee)
        .select_related("comite", "comite__convention", "comite__convention__epci")
        .prefetch_related("points")
    )
    return calendrier(reunions, nom=f"Comité de pilotage CTG {convention.epci.nom} {annee}")


# --- Reading back ---------------------------------------------------------------------------------------------


def _desechapper(valeur: str) -> str:
    resultat, i = [], 0
    while i < len(valeur):
        c = valeur[i]
        if c == "\\" and i + 1 < len(valeur):
            suivant = valeur[i + 1]
            resultat.append("\n" if suivant in "nN" else suivant)
            i += 2
        else:
            resultat.append(c)
            i += 1
    return "".join(resultat)


def _couper(ligne: str, separateur: str) -> list[str]:
    """Split on ``separateur`` outside double quotes."""
    parties, courant, guillemets = [], "", False
    for c in ligne:
        if c == '"':
            guillemets = not guillemets
        if c == separateur and not guillemets:
            parties.append(courant)
            courant = ""
        else:
            courant += c
    parties.append(courant)
    return parties


def analyser(contenu: bytes | str) -> dict:
    """A minimal iCalendar reader: ``{"proprietes": {...}, "composants": [{"type": "VEVENT", "proprietes": {...},
    "composants": [...]}, ...]}``; each property maps to a list of ``(value, parameters)``.

    Raises ``ValueError`` on what a strict reader would refuse: a bare LF, an unfolded line over 75 octets,
    unbalanced BEGIN/END.
    """
    if isinstance(contenu, bytes):
        contenu = contenu.decode("utf-8")
    if "\n" in contenu.replace("\r\n", ""):
        raise ValueError("Fin de ligne sans CR : RFC 5545 impose CRLF.")
    brutes = contenu.split("\r\n")
    for ligne in brutes:
        if len(ligne.encode("utf-8")) > 75:
            raise ValueError(f"Ligne de plus de 75 octets non pliée : {ligne[:30]}…")
    lignes: list[str] = []
    for ligne in brutes:
        if ligne.startswith((" ", "\t")) and lignes:
            lignes[-1] += ligne[1:]
        elif ligne:
            lignes.append(ligne)
    racine = {"type": "", "proprietes": {}, "composants": []}
    pile = [racine]
    for ligne in lignes:
        tete, _, valeur = ligne.partition(":")
        while tete.count('"') % 2:  # a colon inside a quoted parameter
            suite, _, valeur = valeur.partition(":")
            tete += ":" + suite
        nom, *params = _couper(tete, ";")
        nom = nom.upper()
        parametres = {}
        for p in params:
            cle, _, v = p.partition("=")
            parametres[cle.upper()] = v.strip('"')
        if nom == "BEGIN":
            composant = {"type": valeur.upper(), "proprietes": {}, "composants": []}
            pile[-1]["composants"].append(composant)
            pile.append(composant)
        elif nom == "END":
            if len(pile) < 2 or pile[-1]["type"] != valeur.upper():
                raise ValueError(f"END:{valeur} sans BEGIN correspondant.")
            pile.pop()
        else:
            pile[-1]["proprietes"].setdefault(nom, []).append((_desechapper(valeur), parametres))
    if len(pile) != 1 or len(racine["composants"]) != 1 or racine["composants"][0]["type"] != "VCALENDAR":
        raise ValueError("Le fichier doit contenir exactement un VCALENDAR complet.")
    return racine["composants"][0]


def evenements(contenu: bytes | str) -> list[dict]:
    """The VEVENTs of a file, each as ``{property: first value}`` plus ``"_parametres"`` and ``"ATTENDEE"`` (all)."""
    resultat = []
    for composant in analyser(contenu)["composants"]:
        if composant["type"] != "VEVENT":
            continue
        simple = {nom: valeurs[0][0] for nom, valeurs in composant["proprietes"].items()}
        simple["_parametres"] = {nom: valeurs[0][1] for nom, valeurs in composant["proprietes"].items()}
        simple["ATTENDEE"] = composant["proprietes"].get("ATTENDEE", [])
        resultat.append(simple)
    return resultat
