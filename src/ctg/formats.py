"""French formats shared by the pages, the documents and the error messages: dates, the alphabetical order of
names, "de" before a name (elision), the full stop that ends a sentence."""

import functools
import re
import unicodedata
from datetime import date

MOIS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)


def nom_du_mois(mois: int) -> str:
    return MOIS[mois - 1]


def date_en_lettres(jour: date) -> str:
    """31 décembre 2026, 1er janvier 2027."""
    return f"{'1er' if jour.day == 1 else jour.day} {nom_du_mois(jour.month)} {jour.year}"


def _sans_accents(texte: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", texte) if not unicodedata.combining(c))


@functools.lru_cache(maxsize=16384)  # the same names (communes, members…) are sorted on every page
def cle_alphabetique(nom: str) -> tuple[str, str]:
    """Sort key of a French name, for every list of names shown to people (communes, EPCI, members, structures…):
    accents, case, hyphens and apostrophes ignored, "œ" and "æ" read as "oe" and "ae", so that "Éleu-dit-Leauwette"
    sorts among the E and not after "Wambaix" as a plain comparison of code points would do; the name itself breaks
    ties ("Eleu" before "Éleu"). Database ``order_by`` does not collate French: sort in Python with this key."""
    simple = _sans_accents(nom).casefold().replace("œ", "oe").replace("æ", "ae")
    return re.sub(r"[-'’\s]+", " ", simple).strip(), nom


def trier_par_nom(objets, nom=lambda objet: objet.nom) -> list:
    """The objects in French alphabetical order of their name (``cle_alphabetique``)."""
    return sorted(objets, key=lambda objet: cle_alphabetique(nom(objet)))


def de(nom: str) -> str:
    """The word "de" before a name, elided before a vowel: "de Cambrai", "d'Iwuy", "d'Élincourt", "d'Oisy-le-Verger".

    Only A, E, I, O and U (accented or not) elide. A "Y" reads as a consonant in many names ("de Yerres", "de
    Youx"), and an initial "h" may be aspirated ("de Haucourt") or mute ("d'Hautmont"), which the name alone does
    not tell: both keep "de"."""
    nom = str(nom or "").strip()
    if _sans_accents(nom[:1]).upper() in {"A", "E", "I", "O", "U"}:
        return f"d'{nom}"
    return f"de {nom}"


FINS_DE_PHRASE = (".", "…", "!", "?")


def phrase(texte: str) -> str:
    """The text ending with one full stop: "… n'a pas adhéré." stays as it is, never "adhéré..", nor "etc..";
    "!", "?" and "…" end it too."""
    texte = str(texte or "").rstrip()
    return texte if not texte or texte.endswith(FINS_DE_PHRASE) else texte + "."
