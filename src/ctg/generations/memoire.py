"""Reading and replacing a convention's token, and what is kept under it (see the package's docstring)."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable

from ctg import horloge
from ctg.memoire import MemoireBornee

from .models import Generation

# What is kept, per server process: (name, convention, token, day) -> value. Bounded (the least recently read first
# out): a token replaced leaves its values unreachable, they go out with time.
TAILLE_MAX = 256
_MEMOIRE = MemoireBornee(TAILLE_MAX)
_ATTRIBUT = "_jeton_de_generation"


# How many times this process renewed tokens: a token read on a convention object before one of them is read again
# (a page that writes, then reads what it wrote on the same object, sees its write).
_renouvellements = 0


def jeton(convention) -> str | None:
    """The token of the convention's data, read once per convention object (one page reads it once) and again after
    a write of this process; None when the convention has none yet (nothing is then kept)."""
    lu = convention.__dict__.get(_ATTRIBUT)
    if lu is None or lu[1] != _renouvellements:
        valeur = Generation.objects.filter(convention_pk=convention.pk).values_list("jeton", flat=True).first()
        convention.__dict__[_ATTRIBUT] = lu = (valeur, _renouvellements)
    return lu[0]


def lire_jetons(conventions: Iterable) -> None:
    """The tokens of several conventions read in one query (a page that goes through many of them)."""
    conventions = list(conventions)
    lus = dict(
        Generation.objects.filter(convention_pk__in=[c.pk for c in conventions]).values_list("convention_pk", "jeton")
    )
    for convention in conventions:
        convention.__dict__[_ATTRIBUT] = (lus.get(convention.pk), _renouvellements)


def memorise(convention, nom: str, calcul: Callable[[], object]):
    """``calcul()``, computed once per state of the convention's data and per day, then read from memory. The value
    is shared by every request of the process: it is read, never changed."""
    courant = jeton(convention)
    if courant is None:
        return calcul()
    return _MEMOIRE.lire_ou_calculer((nom, convention.pk, courant, horloge.aujourd_hui()), calcul)


def perimer(pks: Iterable[int]) -> None:
    """A new token for each of these conventions, written in the caller's transaction (the token and the data change
    together: a reader sees both or neither)."""
    global _renouvellements
    lignes = [Generation(convention_pk=pk, jeton=uuid.uuid4().hex) for pk in sorted({pk for pk in pks if pk})]
    if lignes:
        Generation.objects.bulk_create(
            lignes, update_conflicts=True, unique_fields=["convention_pk"], update_fields=["jeton"]
        )
        _renouvellements += 1


def perimer_tout() -> None:
    """A new token for every convention: a shared record that kept values show (an organisation's or an account's
    name) has changed."""
    global _renouvellements
    Generation.objects.update(jeton=uuid.uuid4().hex)
    _renouvellements += 1


def oublier() -> None:
    """Everything kept in this process forgotten (tests)."""
    _MEMOIRE.vider()
