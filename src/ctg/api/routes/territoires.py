"""Territories (public reference data, for every signed-in caller) and the indicators of the territorial
diagnostic, with their values by territory and year and where they come from."""

import json
from typing import Annotated

from django.http import Http404, HttpResponse
from ninja import Query, Router
from ninja.pagination import LimitOffsetPagination, paginate

from ctg.diagnostic.calcul import lecture
from ctg.diagnostic.catalogue import CATALOGUE, INDICATEURS
from ctg.diagnostic.sig import TerritoireSansCarte, geojson_indicateur
from ctg.territoires.fiches import TerritoireIntrouvable
from ctg.territoires.models import Commune, Departement, Epci

from .. import schemas

router = Router(tags=["Territoires et indicateurs"])


def _territoire(code: str) -> lecture.Territoire:
    try:
        return lecture.trouver_territoire(code)
    except TerritoireIntrouvable as exc:
        raise Http404(str(exc)) from None


@router.get("/territoires/{code}", response=schemas.Territoire, url_name="territoire", summary="Un territoire")
def territoire(request, code: str, forme: bool = False):
    """Une commune (code INSEE), un EPCI (SIREN), un département ; ``?forme=1`` ajoute son contour GeoJSON."""
    t = _territoire(code)
    resultat = {"niveau": t.niveau, "code": t.code, "nom": t.nom}
    objet = None
    if t.niveau == "commune":
        objet = Commune.objects.get(code=t.code)
        resultat |= {"departement": objet.departement_id, "epci": objet.epci_id}
    elif t.niveau == "epci":
        objet = Epci.objects.get(code=t.code)
        resultat |= {
            "departement": t.departement,
            "communes": list(objet.communes.order_by("code").values("code", "nom")),
        }
    elif t.niveau == "departement":
        objet = Departement.objects.get(code=t.code)
        resultat |= {"communes": list(objet.communes.order_by("code").values("code", "nom"))}
    if objet is not None:
        resultat["population"] = getattr(objet, "population", None)
        resultat["population_annee"] = getattr(objet, "population_annee", None)
        if forme and objet.forme:
            resultat["forme"] = json.loads(objet.forme)
    return resultat


@router.get(
    "/indicateurs", response=list[schemas.Indicateur], url_name="indicateurs", summary="Catalogue des indicateurs"
)
@paginate(LimitOffsetPagination)
def indicateurs(request, domaine: str | None = None):
    """Le catalogue des indicateurs du diagnostic territorial (définition, formule, unité, sources)."""
    return [i.as_dict() for i in CATALOGUE if domaine is None or i.domaine == domaine]


@router.get(
    "/territoires/{code}/indicateurs",
    response=list[schemas.ValeurIndicateur],
    url_name="territoire_indicateurs",
    summary="Valeurs des indicateurs d'un territoire",
)
@paginate(LimitOffsetPagination)
def territoire_indicateurs(
    request,
    code: str,
    annee: Annotated[int | None, Query(ge=1990, le=2100, description="année ; sans elle : la dernière")] = None,
    indicateur: Annotated[list[str] | None, Query(description="codes ; sans eux : tous")] = None,
):
    """Les valeurs des indicateurs d'un territoire pour une année (sans année : la dernière de chacun), avec leur
    provenance (jeux de données, fichiers, périodes) et leur état (disponible, secret statistique, partiel)."""
    t = _territoire(code)
    inconnus = [c for c in indicateur or [] if c not in INDICATEURS]
    if inconnus:
        raise Http404(f"Indicateur inconnu : {', '.join(inconnus)}.")
    valeurs = lecture.valeurs_territoire(t.niveau, t.code, annee, indicateur or None)
    lignes = []
    for code_ind, r in valeurs.items():
        ind = INDICATEURS[code_ind]
        lignes.append(
            {
                **r.as_dict(),
                "libelle": ind.libelle,
                "unite": ind.unite,
                "etat_libelle": r.etat_libelle,
            }
        )
    return lignes


GEOJSON = {
    "type": "object",
    "description": "FeatureCollection GeoJSON (RFC 7946) : WGS84 longitude/latitude, propriétés simples.",
    "required": ["type", "features"],
    "properties": {
        "type": {"type": "string", "enum": ["FeatureCollection"]},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "properties", "geometry"],
                "properties": {
                    "type": {"type": "string", "enum": ["Feature"]},
                    "properties": {"type": "object"},
                    "geometry": {"type": ["object", "null"]},
                },
            },
        },
    },
}


@router.get(
    "/territoires/{code}/indicateurs/{indicateur}.geojson",
    url_name="territoire_indicateur_geojson",
    summary="Carte d'un indicateur pour un SIG (GeoJSON)",
    openapi_extra={
        "responses": {
            200: {
                "description": "Les communes d'un EPCI, ou les EPCI d'un département, avec la valeur de l'indicateur.",
                "content": {"application/geo+json": {"schema": GEOJSON}},
            }
        }
    },
)
def territoire_indicateur_geojson(
    request,
    code: str,
    indicateur: str,
    annee: Annotated[int | None, Query(ge=1990, le=2100, description="année ; sans elle : la dernière")] = None,
):
    """Les communes d'un EPCI (SIREN) ou les EPCI d'un département, avec la valeur d'un indicateur pour une année
    comme propriétés (``valeur``, ``annee``, ``unite``, ``etat``, ``sources``…) : GeoJSON RFC 7946 (WGS84, sans
    membre ``crs``), que ``ogr2ogr -f GPKG`` convertit en GeoPackage."""
    t = _territoire(code)
    ind = INDICATEURS.get(indicateur)
    if ind is None:
        raise Http404(f"Indicateur inconnu : {indicateur}.")
    try:
        texte = geojson_indicateur(t.code, ind, annee)
    except TerritoireSansCarte as exc:
        raise Http404(str(exc)) from None
    return HttpResponse(texte, content_type="application/geo+json")
