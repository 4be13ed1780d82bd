"""A bounded memory of computed values, shared by the requests of one server process: at most ``taille`` values,
the least recently read first out. A value is computed once per key, then read, never changed. Used for what pages
compute the same for every user: a convention's deadlines (``ctg.generations``), an EPCI's diagnostic
(``ctg.diagnostic.calcul``); the key says everything the value depends on."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable


class MemoireBornee:
    def __init__(self, taille: int):
        self.taille = taille
        self._valeurs: OrderedDict = OrderedDict()
        self._verrou = threading.Lock()

    def lire_ou_calculer(self, cle: Hashable, calcul: Callable[[], object]):
        """The value kept under ``cle``, or ``calcul()`` kept under it (computed outside the lock: two requests at
        once may both compute it, one value is kept)."""
        with self._verrou:
            if cle in self._valeurs:
                self._valeurs.move_to_end(cle)
                return self._valeurs[cle]
        valeur = calcul()
        with self._verrou:
            self._valeurs[cle] = valeur
            while len(self._valeurs) > self.taille:
                self._valeurs.popitem(last=False)
        return valeur

    def vider(self) -> None:
        with self._verrou:
            self._valeurs.clear()

    def __contains__(self, cle) -> bool:
        return cle in self._valeurs

    def __len__(self) -> int:
        return len(self._valeurs)
