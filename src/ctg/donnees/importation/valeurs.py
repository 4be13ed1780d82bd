"""The values of an open-data file's cells: numbers as the files write them, years, reference dates, the CSV
separator of a header line. Each raises ``ValueError`` with a French message."""

from __future__ import annotations

import datetime
import re

from .bilan import LONGUEUR_NOMBRE_MAX, RE_ESPACES, RE_NOMBRE, SEPARATEURS


def separateur(premiere_ligne: str) -> str:
    comptes = {s: premiere_ligne.count(s) for s in SEPARATEURS}
    meilleur = max(comptes, key=lambda s: comptes[s])
    return meilleur if comptes[meilleur] else ";"


class NombreIllisible(ValueError):
    """A cell that is not a number as the files write them; the message says why, in French."""


def nombre(texte: str) -> int | float:
    """A number of a cell: integer, or decimal with a comma or a point; spaces of thousands allowed.

    Raise ``NombreIllisible`` (a ``ValueError``) otherwise (no NaN, no infinity, no thousands separator other than
    spaces, no number longer than ``LONGUEUR_NOMBRE_MAX`` characters). The domain of the variable (no negative
    count, bounded magnitudes, nothing infinite) is checked by ``ctg.saisie.probleme_nombre``."""
    if len(texte) > LONGUEUR_NOMBRE_MAX:
        raise NombreIllisible(f"nombre trop long ({len(texte)} caractères, {LONGUEUR_NOMBRE_MAX} au plus)")
    if texte.isascii() and texte.isdigit():
        return int(texte)
    propre = RE_ESPACES.sub("", texte)
    if not RE_NOMBRE.match(propre):
        raise NombreIllisible("valeur non numérique")
    if re.fullmatch(r"[-+]?[0-9]+", propre):
        return int(propre)
    return float(propre.replace(",", "."))


RE_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:T.*)?$")
RE_DATE_FR = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
RE_DATE_COMPACTE = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")


def periode_annee(texte: str) -> tuple[str, int]:
    """``annee`` of the childcare files: ``2023``, or a date ``2023-01-01`` (``txcouv_pe_nat``) → ("2023", 2023)."""
    m = re.match(r"^(\d{4})(?:$|-\d{2}(?:-\d{2})?(?:T.*)?$)", texte)
    if not m:
        raise ValueError("année invalide (AAAA attendu)")
    annee = int(m.group(1))
    if not 1900 <= annee <= 2100:
        raise ValueError("année impossible")
    if len(texte) > 4:
        _date(texte)
    return str(annee), annee


def _date(texte: str) -> tuple[int, int]:
    for motif, ordre in ((RE_DATE_ISO, (0, 1, 2)), (RE_DATE_FR, (2, 1, 0)), (RE_DATE_COMPACTE, (0, 1, 2))):
        m = motif.match(texte)
        if m:
            parties = m.groups()
            annee, mois, jour = (parties[i] for i in ordre)
            try:
                datetime.date(int(annee), int(mois), int(jour or 1))
            except ValueError as exc:
                raise ValueError("date impossible") from exc
            if not 1900 <= int(annee) <= 2100:
                raise ValueError("date impossible")
            return int(annee), int(mois)
    raise ValueError("date invalide (AAAA-MM-JJ attendu)")


def periode_mois(texte: str) -> tuple[str, int]:
    """``dtreffre`` (a reference date, ``2022-12-31``) → ("2022-12", 2022); also 31/12/2022, 202212, 2022-12."""
    annee, mois = _date(texte)
    return f"{annee:04d}-{mois:02d}", annee
