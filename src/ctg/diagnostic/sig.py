"""GeoJSON for a GIS (RFC 7946): the territories of an EPCI (its communes) or of a département (its EPCI) with the
values of one indicator for one year as flat properties.

RFC 7946: coordinates in WGS84 longitude/latitude (the stored shapes are, ADR 0001), no ``crs`` member, no foreign
member; the properties are simple types only (text, number, boolean, null) so that ``ogr2ogr -f GPKG`` makes a
GeoPackage layer of them as they are. The map of the pages (``carte.geojson``) keeps its legend and links; this
export carries the figure, its state, year, unit and sources instead.
"""

from __future__ import annotations

from ctg.territoires.geojson import feature
from ctg.territoires.models import Commune, Epci

from .calcul import DEPARTEMENT, EPCI, trouver_territoire, valeur, valeurs_communes
from .catalogue import Indicateur
from .presentation import texte_sources, valeur_brute


class TerritoireSansCarte(ValueError):
    """Only an EPCI (its communes) and a département (its EPCI) export as a map of values."""


def _proprietes(niveau: str, r, ind: Indicateur) -> dict:
    brute = valeur_brute(r, ind)
    return {
        "niveau": niveau,
        "indicateur": ind.code,
        "libelle": ind.libelle,
        "unite": ind.unite,
        "annee": r.annee,
        "valeur": brute if isinstance(brute, int | float) else None,
        "etat": str(r.etat),
        "etat_libelle": r.etat_libelle,
        "sources": texte_sources(r),
        "demonstration": bool(r.demonstration),
    }


def territoires_et_valeurs(code: str, ind: Indicateur, annee: int | None = None) -> tuple[str, list[tuple]]:
    """The level of the units (``commune`` or ``epci``) and, for each, (code, name, shape, result)."""
    territoire = trouver_territoire(code)
    if territoire.niveau == EPCI:
        communes = list(
            Commune.objects.filter(epci_id=territoire.code).order_by("code").values_list("code", "nom", "forme")
        )
        resultats = valeurs_communes(ind, [c for c, _, _ in communes], annee)
        return "commune", [(c, nom, forme, resultats[c]) for c, nom, forme in communes]
    if territoire.niveau == DEPARTEMENT:
        epcis = Epci.objects.filter(communes__departement_id=territoire.code).distinct().order_by("code")
        unites = []
        for c, nom, forme in epcis.values_list("code", "nom", "forme"):
            unites.append((c, nom, forme, valeur(ind, EPCI, c, annee)))
        return "epci", unites
    raise TerritoireSansCarte(
        "Seuls une intercommunalité (ses communes) et un département (ses intercommunalités) s'exportent en carte."
    )


def geojson_indicateur(code: str, ind: Indicateur, annee: int | None = None) -> str:
    """The FeatureCollection (RFC 7946) of the units of territory ``code`` with the values of ``ind``."""
    niveau, unites = territoires_et_valeurs(code, ind, annee)
    features = [feature(c, nom, forme, _proprietes(niveau, r, ind)) for c, nom, forme, r in unites]
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def nom_de_fichier(code: str, ind: Indicateur, annee: int | None) -> str:
    return f"{code}-{ind.code}{f'-{annee}' if annee else ''}.geojson"
