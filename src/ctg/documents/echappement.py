"""Escaping of user text for each output format, in one place.

One function per format; each takes any text typed by a user (a name, a title) and returns a value that cannot
change the structure of the file it goes into:

- :func:`en_tete_courriel`: an e-mail header (subject, display name) — one line, no control character.
"""

import re
import unicodedata

# An e-mail subject is read on one line; RFC 5322 recommends lines of at most 78 characters, and Django folds
# longer encoded headers itself. The cap keeps a pasted paragraph from making a subject of several kilobytes.
LONGUEUR_MAX_EN_TETE = 200

_ESPACES = re.compile(r"\s+")


def _sans_controle(texte: str) -> str:
    """``texte`` with every control, format or separator character (CR, LF, tab, NUL, U+2028…) made a space."""
    return "".join(" " if unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") or c.isspace() else c for c in texte)


def en_tete_courriel(texte: object, longueur_max: int = LONGUEUR_MAX_EN_TETE) -> str:
    """``texte`` made safe for an e-mail header: one line, control characters replaced by a space, runs of
    spaces collapsed, trimmed, and cut to ``longueur_max`` characters (with an ellipsis when cut).

    Django refuses a header containing CR or LF (``BadHeaderError``); this makes a user-typed name or title
    always acceptable instead of failing the whole sending.
    """
    ligne = _ESPACES.sub(" ", _sans_controle(str(texte))).strip()
    if len(ligne) > longueur_max:
        ligne = ligne[: longueur_max - 1].rstrip() + "…"
    return ligne
