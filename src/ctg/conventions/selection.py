"""Finding a convention from what a person types: its @ctes identifier or its internal number."""

from django.core.management.base import CommandError

from .models import Convention


class ConventionIntrouvable(CommandError):
    pass


def trouver_convention(reference: str) -> Convention:
    """The convention whose @ctes identifier or internal id is ``reference``."""
    texte = (reference or "").strip()
    queryset = Convention.objects.select_related("caf", "caf__departement", "epci")
    if texte.isdigit():
        convention = queryset.filter(pk=int(texte)).first()
        if convention:
            return convention
    convention = queryset.filter(ctes_identifiant=texte).first()
    if convention is None:
        raise ConventionIntrouvable(
            f"Aucune convention d'identifiant @ctes ou de numéro « {texte} ». "
            "Donnez l'identifiant @ctes (ex. 059-200068500-20211221-D2021_12_10_01-CC) ou le numéro interne."
        )
    return convention
