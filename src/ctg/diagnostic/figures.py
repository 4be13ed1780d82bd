"""Maps and charts of the diagnostic as images (matplotlib), for the pages (SVG) and the report (PNG).

The pages draw their interactive map with Leaflet; these images are for the printed report and for the
evolution charts, which need no script in the browser.

Drawing one image takes a few tenths of a second and a page showing it is opened many times between two imports:
each image is kept in Django's cache under the checksum of everything it is drawn from (:func:`_memorisee`), so
the same figures are drawn once and changed figures are drawn anew.
"""

from __future__ import annotations

import functools
import hashlib
import io
import json
import math
from dataclasses import dataclass

import matplotlib
from django.core.cache import cache

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import Patch  # noqa: E402

from ctg.territoires.legende import classe_de, classes_legende, ecrit  # noqa: E402

COULEUR_SECRET = "#c9c9c9"
COULEUR_ABSENT = "#ffffff"
COULEURS_SERIES = ["#000091", "#e1000f", "#6a6a6a", "#18753c", "#b34000"]
SECRET = "secret"
plt.rcParams.update({"font.family": "DejaVu Sans", "font.size": 8, "svg.fonttype": "none"})


def _polygones(geojson: str):
    forme = json.loads(geojson)
    polygones = forme["coordinates"] if forme["type"] == "MultiPolygon" else [forme["coordinates"]]
    for polygone in polygones:
        yield polygone[0]  # the outer ring; holes are rare in communes and invisible at this scale


# How long an image stays in the cache: its key holds all it is drawn from, so this only bounds the memory it takes.
DUREE_CACHE_IMAGES = 24 * 3600


def _memorisee(dessin):
    """``dessin`` drawn once for given arguments, then read from Django's cache (key: the checksum of the drawing's
    name, of its arguments and of matplotlib's version)."""

    @functools.wraps(dessin)
    def image(*args, **kwargs):
        arguments = repr((dessin.__qualname__, args, sorted(kwargs.items()), matplotlib.__version__))
        cle = "ctg:figure:" + hashlib.sha256(arguments.encode()).hexdigest()
        contenu = cache.get(cle)
        if contenu is None:
            contenu = dessin(*args, **kwargs)
            cache.set(cle, contenu, DUREE_CACHE_IMAGES)
        return contenu

    return image


def _sortie(figure, format: str) -> bytes:
    tampon = io.BytesIO()
    figure.savefig(tampon, format=format, dpi=150, bbox_inches="tight")
    plt.close(figure)
    return tampon.getvalue()


@dataclass
class ZoneCarte:
    code: str
    nom: str
    forme: str  # GeoJSON text
    valeur: float | str | None  # a number, SECRET, or None (no data)


@_memorisee
def carte_choroplethe(
    zones: list[ZoneCarte], titre: str, unite: str, format: str = "png", largeur_cm: float = 16
) -> bytes:
    """A choropleth map of ``zones`` in at most five classes of about equal counts (:func:`classes_legende`); secret
    and missing values apart."""
    nombres = [z.valeur for z in zones if isinstance(z.valeur, int | float)]
    classes = classes_legende(nombres)
    figure, axe = plt.subplots(figsize=(largeur_cm / 2.54, largeur_cm / 2.54 * 0.75))
    for zone in zones:
        if not zone.forme:
            continue
        if isinstance(zone.valeur, int | float):
            couleur, hachures = classe_de(zone.valeur, classes).couleur, None
        elif zone.valeur == SECRET:
            couleur, hachures = COULEUR_SECRET, "////"
        else:
            couleur, hachures = COULEUR_ABSENT, None
        for anneau in _polygones(zone.forme):
            xs, ys = zip(*anneau, strict=False)
            axe.fill(xs, ys, facecolor=couleur, edgecolor="#1f2d3d", linewidth=0.3, hatch=hachures)
    axe.set_aspect(1 / math.cos(math.radians(46.5)))  # a plain equirectangular view, right enough for one EPCI
    axe.axis("off")
    axe.set_title(titre, fontsize=9, loc="left")
    legende = [Patch(facecolor=c.couleur, edgecolor="#1f2d3d", linewidth=0.3, label=c.libelle) for c in classes]
    if any(z.valeur == SECRET for z in zones):
        legende.append(Patch(facecolor=COULEUR_SECRET, hatch="////", edgecolor="#1f2d3d", label="secret statistique"))
    if any(z.valeur is None for z in zones):
        legende.append(Patch(facecolor=COULEUR_ABSENT, edgecolor="#1f2d3d", label="pas de donnée"))
    axe.legend(handles=legende, title=unite, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=7)
    return _sortie(figure, format)


@_memorisee
def graphique_evolution(
    series: dict[str, list[tuple[int, float | None]]],
    titre: str,
    unite: str,
    format: str = "svg",
    largeur_cm: float = 14,
) -> bytes:
    """Lines of the same indicator over the years for several territories (EPCI, département, France)."""
    figure, axe = plt.subplots(figsize=(largeur_cm / 2.54, largeur_cm / 2.54 * 0.45))
    annees = sorted({a for points in series.values() for a, _ in points})
    for i, (libelle, points) in enumerate(series.items()):
        connus = [(a, v) for a, v in sorted(points) if v is not None]
        if not connus:
            continue
        xs, ys = zip(*connus, strict=True)
        axe.plot(
            xs,
            ys,
            marker="o",
            markersize=3,
            linewidth=1.5,
            color=COULEURS_SERIES[i % len(COULEURS_SERIES)],
            label=libelle,
        )
    axe.set_xticks(annees)
    axe.set_title(titre, fontsize=9, loc="left")
    axe.set_ylabel(unite)
    axe.spines[["top", "right"]].set_visible(False)
    axe.grid(axis="y", linewidth=0.3)
    axe.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda v, _: ecrit(v)))
    if len(series) > 1:
        axe.legend(frameon=False, fontsize=7, loc="upper center", bbox_to_anchor=(0.5, -0.12), ncol=len(series))
    return _sortie(figure, format)
