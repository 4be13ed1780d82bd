"""What financing adds to a convention's dashboard (``ctg.conventions.extensions``)."""

from __future__ import annotations

from django.urls import reverse


def liens(convention) -> list[tuple[str, str]]:
    return [("Financement", reverse("financement:convention", args=[convention.pk]))]


def alertes(convention) -> list[str]:
    """One line per former Cej commune and year whose funding fell short of its Cej commitment (article 1, note 1),
    until the Caf verifies it as conforme."""
    from .calcul import manquements

    return [engagement.texte_alerte for engagement in manquements(convention)]


def renouvellement(ancienne, nouvelle) -> list[str]:
    """A renewal takes over, explicitly, the financing it keeps (Cej references, open structures, their capacities)."""
    from .regles import copier_pour_renouvellement

    copies = copier_pour_renouvellement(ancienne, nouvelle)
    return [f"financement : {nombre} {quoi} repris" for quoi, nombre in copies.items() if nombre]
