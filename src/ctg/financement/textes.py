"""Amounts and rates written the French way: "12 345,67 €", "4,8 %"."""

from __future__ import annotations

from decimal import Decimal

ESPACE_FINE = "\u202f"


def _groupes(entier: str) -> str:
    signe = "-" if entier.startswith("-") else ""
    entier = entier.lstrip("-")
    morceaux = []
    while len(entier) > 3:
        morceaux.insert(0, entier[-3:])
        entier = entier[:-3]
    morceaux.insert(0, entier)
    return signe + ESPACE_FINE.join(morceaux)


def nombre(valeur: Decimal | int, decimales: int | None = None) -> str:
    """A number with French separators; ``decimales`` None keeps the significant ones (no trailing zeros)."""
    valeur = Decimal(valeur)
    if decimales is None:
        texte = format(valeur.normalize(), "f") if valeur == valeur.to_integral_value() else format(valeur, "f")
        if "." in texte:
            texte = texte.rstrip("0").rstrip(".")
    else:
        texte = format(valeur.quantize(Decimal(1).scaleb(-decimales)), "f")
    entier, _, fraction = texte.partition(".")
    return _groupes(entier) + ("," + fraction if fraction else "")


def euros(valeur: Decimal | int | None) -> str:
    """``Decimal("12345.6")`` → "12 345,60 €" (always to the cent)."""
    if valeur is None:
        return "—"
    return f"{nombre(valeur, 2)}\u00a0€"


def pourcent(valeur: Decimal, decimales: int | None = None) -> str:
    return f"{nombre(valeur, decimales)}\u00a0%"
