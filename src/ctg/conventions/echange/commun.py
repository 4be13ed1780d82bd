"""What every part of the exchange format shares: its name and version, its errors and results."""

from __future__ import annotations

from dataclasses import dataclass

from ..models import (
    Convention,
)

FORMAT = "ctg-convention"
VERSION = 1

MOTIF_IMPORT = "Import d'un fichier d'échange (format ctg-convention)"


class ErreurEchange(Exception):
    """A file or a description that cannot be imported; ``erreurs`` lists every problem, in French."""

    def __init__(self, erreurs: list[str]):
        self.erreurs = list(erreurs)
        super().__init__("\n".join(self.erreurs))


@dataclass
class Resultat:
    """What importing one description did (or would do, in a simulation)."""

    convention: Convention
    creee: bool
    modifiee: bool

    @property
    def etat(self) -> str:
        if self.creee:
            return "créée"
        return "mise à jour" if self.modifiee else "inchangée"


def _type_json(valeur) -> str:
    if valeur is None:
        return "null"
    if isinstance(valeur, bool):
        return f"un booléen ({'true' if valeur else 'false'})"
    if isinstance(valeur, int):
        return f"un nombre entier ({valeur})"
    if isinstance(valeur, float):
        return f"un nombre décimal ({valeur})"
    if isinstance(valeur, str):
        return f"une chaîne de caractères (« {valeur if len(valeur) <= 60 else valeur[:57] + '…'} »)"
    if isinstance(valeur, list):
        return "une liste"
    if isinstance(valeur, dict):
        return "un objet"
    return type(valeur).__name__


CHAMPS_SIGNATAIRE = ("partie", "ordre", "civilite", "prenom", "nom", "qualite", "qualite_autre")
