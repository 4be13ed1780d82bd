"""The columns and rows of the territories' tables (the communes of an intercommunalité, the intercommunalités of a
département), shared by their pages and their CSV and XLSX exports (``ctg.diagnostic.exports``, a higher floor that
may use ``ctg.documents``). Open data: the same for everyone."""

from __future__ import annotations

from django.db.models import F

from ctg.formats import cle_alphabetique

from .models import Epci

# (sort key, header, numeric): the page sorts by any column
COLONNES_COMMUNES = [
    ("nom", "Commune", False),
    ("code", "Code INSEE", False),
    ("population", "Population municipale", True),
    ("part_epci", "Part de l'EPCI (%)", True),
]
# (header, numeric)
COLONNES_EPCI = [("EPCI", False), ("Type", False), ("Population municipale", True)]


def trier_communes(lignes: list[dict], tri: str, ordre: str) -> list[dict]:
    """The communes sorted by a column (``nom`` for an unknown one); those without a value last."""
    if tri not in {cle for cle, _, _ in COLONNES_COMMUNES}:
        tri = "nom"
    inverse = ordre == "desc"
    presentes = [ligne for ligne in lignes if ligne[tri] is not None]
    absentes = [ligne for ligne in lignes if ligne[tri] is None]
    cle = (lambda ligne: cle_alphabetique(ligne["nom"])) if tri == "nom" else (lambda ligne: ligne[tri])
    return sorted(presentes, key=cle, reverse=inverse) + absentes


def epcis_du_departement(departement) -> list:
    """The intercommunalités with a commune in the département, the most populated first."""
    return list(
        Epci.objects.filter(communes__departement=departement)
        .distinct()
        .order_by(F("population").desc(nulls_last=True), "nom")
    )
