"""GeoJSON of the maps, as the pages send it: every app that draws a map of territories builds it here (shapes are
stored as GeoJSON text, ADR 0001)."""

import json

from django.http import HttpResponse

from .legende import Classe, legende_json


def feature(code: str, nom: str, forme: str, proprietes: dict) -> str:
    # Shapes are stored as GeoJSON text: they are spliced in as they are, never parsed again.
    return (
        '{"type":"Feature","properties":'
        + json.dumps({"code": code, "nom": nom, **proprietes}, ensure_ascii=False, separators=(",", ":"))
        + ',"geometry":'
        + (forme or "null")
        + "}"
    )


def collection(features: list[str], classes: list[Classe] | None = None) -> HttpResponse:
    """The GeoJSON of a map; ``classes``, its legend (``ctg.territoires.legende``), travels with it as a foreign
    member: the page's script draws the classes the server made, by the one rule of every map."""
    legende = "" if classes is None else '"legende":' + json.dumps(legende_json(classes), ensure_ascii=False) + ","
    corps = '{"type":"FeatureCollection",' + legende + '"features":[' + ",".join(features) + "]}"
    response = HttpResponse(corps, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=3600"
    return response
