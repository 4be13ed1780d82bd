"""Importing descriptions: all checked first, then written in one transaction (or rolled back in a simulation)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from ..cycle import TransitionImpossible
from ..models import (
    Convention,
)
from .commun import ErreurEchange, Resultat
from .ecriture import _ecrire
from .lecture import _lire
from .regles import Regles, _erreurs_validation, _verifier_ensemble
from .validation import _Lecteur


def importer_liste(descriptions: list, simulation: bool = False, par=None, indexer: bool = True) -> list[Resultat]:
    """Import several descriptions in one transaction, after checking all of them.

    Raises ``ErreurEchange`` listing every error of every description (``[i].`` before each place when
    ``indexer``); nothing is written then. With ``simulation``, everything is done and then rolled back."""
    with transaction.atomic():
        plans, erreurs = [], []
        for i, donnees in enumerate(descriptions):
            lecteur = _Lecteur(f"[{i}]" if indexer else "")
            plan = lecteur.analyser(donnees)
            plans.append(plan)
            erreurs.extend(lecteur.erreurs)
            if plan.lue:
                erreurs.extend(Regles().verifier(plan))
        erreurs.extend(_verifier_ensemble(plans))
        if erreurs:
            raise ErreurEchange(erreurs)
        resultats = []
        for plan in plans:
            try:
                resultats.append(_ecrire(plan, par))
            except ValidationError as exc:
                raise ErreurEchange(_erreurs_validation(exc, plan.racine)) from None
            except (TransitionImpossible, PermissionDenied) as exc:
                raise ErreurEchange([f"{plan.racine or 'convention'} : {exc}"]) from None
        if simulation:
            for resultat in resultats:  # keep the parties in memory for the report, before they are rolled back
                resultat.convention.caf, resultat.convention.epci  # noqa: B018
            transaction.set_rollback(True)
    if simulation:  # what was written is gone: no primary key for a creation, the stored values for an update
        for resultat in resultats:
            if resultat.creee:
                resultat.convention.pk = None
            else:
                resultat.convention.refresh_from_db()
    return resultats


def importer(donnees: dict, simulation: bool = False, par=None) -> tuple[Convention, bool]:
    """Create or update the convention a description names; return it and whether it was created.

    Raises ``ErreurEchange`` with every error, before writing anything. With ``simulation`` nothing is kept (the
    returned convention of a creation then has no primary key)."""
    resultat = importer_liste([donnees], simulation=simulation, par=par, indexer=False)[0]
    return resultat.convention, resultat.creee


def importer_fichier(chemin, simulation: bool = False, par=None) -> list[Resultat]:
    """Import every convention of a file in one transaction; nothing is written if any of them has an error."""
    descriptions, est_liste = _lire(chemin)
    return importer_liste(descriptions, simulation=simulation, par=par, indexer=est_liste)
