"""The territories' tables as their pages show them and their CSV and XLSX exports write them
(``ctg.documents.tableurs``): the communes of an intercommunalité, the intercommunalités of a département. Open data:
the same for everyone."""

from __future__ import annotations

from django.db.models import F

from ctg.documents.tableurs import TableauExporte, nombre
from ctg.formats import cle_alphabetique

from .models import Epci

# (sort key, header, numeric): the page sorts by any column
COLONNES_COMMUNES = [
    ("nom", "Commune", False),
    ("code", "Code INSEE", False),
    ("population", "Population municipale", True),
    ("part_epci", "Part de l'EPCI (%)", True),
]
ENTETES_COMMUNES = [nombre(libelle) if numerique else libelle for _, libelle, numerique in COLONNES_COMMUNES]
ENTETES_EPCI = ["EPCI", "Type", nombre("Population municipale")]


def trier_communes(lignes: list[dict], tri: str, ordre: str) -> list[dict]:
    """The communes sorted by a column (``nom`` for an unknown one); those without a value last."""
    if tri not in {cle for cle, _, _ in COLONNES_COMMUNES}:
        tri = "nom"
    inverse = ordre == "desc"
    presentes = [ligne for ligne in lignes if ligne[tri] is not None]
    absentes = [ligne for ligne in lignes if ligne[tri] is None]
    cle = (lambda ligne: cle_alphabetique(ligne["nom"])) if tri == "nom" else (lambda ligne: ligne[tri])
    return sorted(presentes, key=cle, reverse=inverse) + absentes


def _vide(valeur):
    return "" if valeur is None else valeur


def epcis_du_departement(departement) -> list:
    """The intercommunalités with a commune in the département, the most populated first."""
    return list(
        Epci.objects.filter(communes__departement=departement)
        .distinct()
        .order_by(F("population").desc(nulls_last=True), "nom")
    )


def communes(epci, lignes: list[dict]) -> TableauExporte:
    return TableauExporte(
        f"Communes de {epci.nom}",
        ENTETES_COMMUNES,
        [[c["nom"], c["code"], _vide(c["population"]), _vide(c["part_epci"])] for c in lignes],
        f"communes-{epci.code}",
        feuille="Communes",
    )


def epci_du_departement(departement, epcis) -> TableauExporte:
    return TableauExporte(
        f"Intercommunalités présentes — {departement.nom} ({departement.code})",
        ENTETES_EPCI,
        [[e.nom, e.type, _vide(e.population)] for e in epcis],
        f"intercommunalites-{departement.code}",
        feuille="Intercommunalités",
    )
