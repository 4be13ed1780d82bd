"""The classes of a map's legend, one rule for every map of the product: the territories' maps and the
diagnostic's in the pages (drawn by ``territoires/carte.js`` from the classes the GeoJSON carries) and in the
report (``ctg.diagnostic.figures``).

No class is ever degenerate: equal values make a single class "valeur unique", a few distinct values one class each,
and bounds are compared as the legend writes them, so that no two classes read the same.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass

COULEURS = ["#e8f1fa", "#b8d3ee", "#7eb0de", "#3f84c6", "#14539a"]


def ecrit(valeur: float) -> str:
    """ "1 234", "12,5": integers from 100 on, one decimal below."""
    if abs(valeur) >= 100 or float(valeur).is_integer():
        return f"{valeur:,.0f}".replace(",", "\u202f")
    return f"{valeur:.1f}".replace(".", ",")


def arrondi(valeur: float) -> float:
    """The value as the legend writes it (see :func:`ecrit`): classes are made of these, so that two classes never
    read the same ("1 à moins de 1")."""
    return float(round(valeur)) if abs(valeur) >= 100 else round(valeur, 1)


@dataclass(frozen=True)
class Classe:
    """One class of a map's legend: the values from ``bas`` to ``haut`` (both as written, see :func:`arrondi`)."""

    bas: float
    haut: float
    libelle: str
    couleur: str


def couleurs_de(nombre: int) -> list[str]:
    """``nombre`` colours of the scale, as far apart as it allows: one class takes a middle blue, never the palest
    (too close to the white of a commune without data)."""
    if nombre <= 0:
        return []
    if nombre == 1:
        return [COULEURS[3]]
    if nombre >= len(COULEURS):
        return list(COULEURS)
    return [COULEURS[1 + round(i * (len(COULEURS) - 2) / (nombre - 1))] for i in range(nombre)]


def classes_legende(valeurs: list[float], nombre: int = len(COULEURS)) -> list[Classe]:
    """The classes of a map of ``valeurs``, at most ``nombre``, never a degenerate one.

    No value: no class. One distinct value: a single class "valeur unique". No more distinct values than ``nombre``:
    one class per value. Else ``nombre`` classes of about equal counts, each made of whole distinct values (a value
    repeated many times fills a class alone, the others share the remaining classes): every class holds at least one
    value of the map and reads differently from the others."""
    tri = sorted(arrondi(v) for v in valeurs)
    distinctes = sorted(set(tri))
    if not distinctes:
        return []
    if len(distinctes) == 1:
        seule = distinctes[0]
        return [Classe(seule, seule, f"valeur unique : {ecrit(seule)}", couleurs_de(1)[0])]
    if len(distinctes) <= nombre:
        return [Classe(v, v, ecrit(v), c) for v, c in zip(distinctes, couleurs_de(len(distinctes)), strict=True)]
    comptes = Counter(tri)
    groupes, groupe, compte = [], [], 0
    reste_valeurs, reste_classes = len(tri), nombre
    for i, v in enumerate(distinctes):
        groupe.append(v)
        compte += comptes[v]
        apres = len(distinctes) - i - 1
        if apres and reste_classes > 1 and (compte >= reste_valeurs / reste_classes or apres < reste_classes):
            groupes.append(groupe)
            reste_valeurs, reste_classes = reste_valeurs - compte, reste_classes - 1
            groupe, compte = [], 0
    groupes.append(groupe)
    classes = []
    for i, (groupe, couleur) in enumerate(zip(groupes, couleurs_de(len(groupes)), strict=True)):
        bas, haut = groupe[0], groupe[-1]
        if bas == haut:
            libelle = ecrit(bas)
        elif i + 1 == len(groupes):
            libelle = f"{ecrit(bas)} à {ecrit(haut)}"
        else:
            libelle = f"{ecrit(bas)} à moins de {ecrit(groupes[i + 1][0])}"
        classes.append(Classe(bas, haut, libelle, couleur))
    return classes


def classe_de(valeur: float, classes: list[Classe]) -> Classe:
    """The class ``valeur`` falls in: the last one whose lower bound it reaches."""
    v = arrondi(valeur)
    choisie = classes[0]
    for c in classes:
        if v >= c.bas:
            choisie = c
    return choisie


def classer(valeurs: list[float | None]) -> tuple[list[Classe], list[int | None]]:
    """The classes of ``valeurs`` (None: no value) and, for each value, the index of its class (None for None)."""
    classes = classes_legende([v for v in valeurs if v is not None])
    indices = [None if v is None else classes.index(classe_de(v, classes)) for v in valeurs]
    return classes, indices


def legende_json(classes: list[Classe]) -> list[dict]:
    return [asdict(c) for c in classes]
