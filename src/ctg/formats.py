"""French formats shared by the pages, the documents and the error messages."""

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
