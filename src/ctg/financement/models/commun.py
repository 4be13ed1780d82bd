"""Amounts, years and the check constraints the financing models share."""

from __future__ import annotations

from django.db import models

MONTANT = {"max_digits": 14, "decimal_places": 2}
# Years a record may carry: contrats enfance jeunesse date from 2006, CTG from 2020; a typing error is refused.
ANNEE_MIN, ANNEE_MAX = 2000, 2100


def annee_plausible(champ: str, nom: str, nullable: bool = False) -> models.CheckConstraint:
    condition = models.Q(**{f"{champ}__gte": ANNEE_MIN, f"{champ}__lte": ANNEE_MAX})
    if nullable:
        condition |= models.Q(**{f"{champ}__isnull": True})
    return models.CheckConstraint(
        condition=condition,
        name=nom,
        violation_error_message=f"L'année doit être comprise entre {ANNEE_MIN} et {ANNEE_MAX}.",
    )


def positif(champ: str, nom: str, libelle: str, nullable: bool = False) -> models.CheckConstraint:
    condition = models.Q(**{f"{champ}__gte": 0})
    if nullable:
        condition |= models.Q(**{f"{champ}__isnull": True})
    return models.CheckConstraint(
        condition=condition, name=nom, violation_error_message=f"{libelle} ne peut pas être négatif."
    )


def parmi(champ: str, choix, nom: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(**{f"{champ}__in": list(choix)}), name=nom, violation_error_message="Valeur inconnue."
    )
