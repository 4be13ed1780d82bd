"""What every part of the computation shares: the levels, the marks of a missing or secret value."""

from __future__ import annotations

import logging

from ctg.donnees.models import Niveau

from ..models import Etat

COMMUNE = Niveau.COMMUNE.value
EPCI = Niveau.EPCI.value
DEPARTEMENT = Niveau.DEPARTEMENT.value
FRANCE = Niveau.FRANCE.value
NIVEAUX_STOCKES = (EPCI, DEPARTEMENT, FRANCE)
TAUX_REFERENCE = "taux_couverture_global"

journal = logging.getLogger("ctg.diagnostic.calcul")


class _Marque:
    __slots__ = ("nom",)

    def __init__(self, nom: str):
        self.nom = nom

    def __repr__(self):
        return self.nom


SECRET = _Marque("SECRET")  # the source blanked the value (statistical secrecy)
MANQUANT = _Marque("MANQUANT")  # no row, or the variable is not in the row

GRAVITE = {Etat.DISPONIBLE: 0, Etat.PARTIEL: 1, Etat.SECRET: 2, Etat.ABSENT: 3}
