"""Escaping of user text for each output format, in one place.

One function per format; each takes any text typed by a user (a name, a title, a place) and returns a value that
cannot change the structure of the file it goes into:

- :func:`en_tete_courriel`: an e-mail header (subject, display name) — one line, no control character;
- :func:`chaine_css`: a CSS string literal (WeasyPrint's page headers), safe inside a ``<style>`` element;
- :func:`texte_ics` and :func:`parametre_ics`: an iCalendar TEXT value and parameter value (the ``icalendar``
  library does the RFC 5545 quoting; these only remove what RFC 5545 forbids in them);
- :func:`cellule_tableur`: a CSV or XLSX cell, so that a spreadsheet never reads a title as a formula (OWASP
  "CSV injection"); :func:`cellule_relue` undoes it for an importer reading back a file the product wrote.

HTML is escaped by Django's templates and :func:`html.escape`; DOCX by python-docx, after :func:`texte_xml` has
removed the characters XML cannot hold.
"""

from __future__ import annotations

import re
import unicodedata

# An e-mail subject is read on one line; RFC 5322 recommends lines of at most 78 characters, and Django folds
# longer encoded headers itself. The cap keeps a pasted paragraph from making a subject of several kilobytes.
LONGUEUR_MAX_EN_TETE = 200

_ESPACES = re.compile(r"\s+")


def _controle(caractere: str) -> bool:
    """A control character (C0, DEL, C1), a format character (bidirectional overrides…) or a line/paragraph
    separator: what must never reach a one-line value."""
    return unicodedata.category(caractere) in ("Cc", "Cf", "Zl", "Zp")


def une_ligne(texte: object) -> str:
    """``texte`` on one line: control characters (CR, LF, tab, NUL, U+2028…) and runs of white space become one
    space; trimmed."""
    return _ESPACES.sub(" ", "".join(" " if _controle(c) else c for c in str(texte))).strip()


def en_tete_courriel(texte: object, longueur_max: int = LONGUEUR_MAX_EN_TETE) -> str:
    """``texte`` made safe for an e-mail header: one line (see :func:`une_ligne`), cut to ``longueur_max``
    characters (with an ellipsis when cut).

    Django refuses a header containing CR or LF (``BadHeaderError``); this makes a user-typed name or title
    always acceptable instead of failing the whole sending.
    """
    ligne = une_ligne(texte)
    if len(ligne) > longueur_max:
        ligne = ligne[: longueur_max - 1].rstrip() + "…"
    return ligne


# --- XML (DOCX) ---------------------------------------------------------------------------------------------------

# What XML 1.0 (§2.2) cannot hold at all: C0 controls other than tab and line ends, lone surrogates, U+FFFE, U+FFFF.
_HORS_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def texte_xml(texte: object) -> str:
    """``texte`` without the characters XML cannot hold (python-docx refuses them with a ``ValueError``)."""
    return _HORS_XML.sub("", str(texte))


# --- CSS ----------------------------------------------------------------------------------------------------------

# Written as a backslash followed by the character itself (CSS Syntax §4.3.7: an escaped non-hex character is that
# character).
_CSS_LITTERAL = {"\\": "\\\\", '"': '\\"', "'": "\\'"}
# Written as a hexadecimal escape followed by a space (the space ends the escape and is not part of the text):
# ``<`` and ``>`` so that ``</style>`` cannot end the style element the string sits in.
_CSS_HEXA = {"<", ">"}


def chaine_css(texte: object) -> str:
    """A CSS string literal, quotes included, holding ``texte`` (for ``content:`` in a ``<style>`` element).

    Backslash and both quotes are escaped; every control character — CR, LF and form feed included, which CSS
    treats as newlines that end a string — and ``<``, ``>`` become hexadecimal escapes (``\\d ``, ``\\a ``,
    ``\\c ``, ``\\3c ``…); NUL, which CSS cannot hold, becomes U+FFFD as CSS would read it. Nothing in ``texte``
    can close the string, the rule or the ``<style>`` element.
    """
    morceaux = []
    for c in str(texte):
        if c in _CSS_LITTERAL:
            morceaux.append(_CSS_LITTERAL[c])
        elif c == "\0":
            morceaux.append("\ufffd")
        elif c in _CSS_HEXA or unicodedata.category(c) == "Cc":
            morceaux.append(f"\\{ord(c):x} ")
        else:
            morceaux.append(c)
    return '"' + "".join(morceaux) + '"'


# --- iCalendar ----------------------------------------------------------------------------------------------------


def texte_ics(texte: object) -> str:
    """A TEXT value for ``icalendar`` (which escapes ``\\ ; ,`` and newlines itself): line ends made LF, the
    other control characters, which RFC 5545 §3.3.11 forbids, replaced by a space."""
    lignes = str(texte).replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return "\n".join(_ESPACES.sub(" ", "".join(" " if _controle(c) else c for c in ligne)).strip() for ligne in lignes)


def parametre_ics(texte: object) -> str:
    """A parameter value (the ``CN`` of an attendee): one line (see :func:`une_ligne`); ``icalendar`` quotes it and
    encodes quotes as RFC 6868 says."""
    return une_ligne(texte)


# --- Spreadsheets ------------------------------------------------------------------------------------------------

# The first characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP, "CSV
# Injection"), with their full-width forms, which some spreadsheet versions also accept.
DEBUTS_DE_FORMULE = ("=", "+", "-", "@", "\t", "\r", "\n", "＝", "＋", "－", "＠")


def cellule_tableur(valeur):
    """``valeur`` as a CSV or XLSX cell that is never a formula: a string starting with ``= + - @``, a tab or a
    line end gets a leading apostrophe (OWASP) and loses the control characters a spreadsheet cannot hold;
    numbers, dates, booleans and ``None`` are returned unchanged (a negative amount stays a number)."""
    if not isinstance(valeur, str):
        return valeur
    # Control characters other than tab and line ends cannot be stored in an XLSX file (openpyxl refuses them).
    valeur = "".join(c for c in valeur if c in "\t\r\n" or unicodedata.category(c) != "Cc")
    return "'" + valeur if valeur.startswith(DEBUTS_DE_FORMULE) else valeur


def cellule_relue(valeur):
    """The inverse of :func:`cellule_tableur` for an importer reading back a file the product wrote (the financing
    import template): ``'=…``, ``'-…``… lose the apostrophe the export added; anything else is unchanged."""
    if isinstance(valeur, str) and valeur.startswith("'") and valeur[1:].startswith(DEBUTS_DE_FORMULE):
        return valeur[1:]
    return valeur
