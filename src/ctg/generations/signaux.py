"""Every write to what a convention owns gives the convention a new token (``memoire.perimer``).

What a convention owns is found in Django's model graph (``ctg.sauvegarde.perimetre``: the models whose non-nullable
foreign keys lead to a convention), so a model added tomorrow is followed without any change here. A record gives
the convention(s) it points to directly, or the convention of the record it belongs to (one query); the convention
itself also renews its predecessor's token (its dashboard says it has been renewed).

Writes that send no signal (``QuerySet.update``, ``bulk_create``) are covered when the same transaction writes
something else of the convention through ``save()`` or ``delete()``: the token is read with the data, so the new one
covers the whole transaction."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.apps import apps
from django.db.models.signals import m2m_changed, post_delete, post_save

from ctg.sauvegarde.perimetre import RACINE, cles, modele_d_origine, modeles_possedes

from .memoire import perimer
from .partages import PARTAGES, suivre_partage


def _convention():
    return apps.get_model(RACINE)


@dataclass(frozen=True)
class Chemin:
    """How a record of a model finds its convention(s)."""

    directs: tuple[str, ...]  # the attnames of its keys to a convention (the convention: its pk, its predecessor)
    recherche: str  # the lookup from this model to its convention's key (for the records that belong to this one)
    parent: tuple[str, type] | None = None  # else: the attname of the key to its owning record, that record's model


@functools.cache
def chemins() -> dict:
    """The ``Chemin`` of each model a convention owns (histories aside: their original's write is followed)."""
    convention = _convention()
    resultat: dict = {
        convention: Chemin(("pk", *(f.attname for f in cles(convention) if f.related_model is convention)), "pk")
    }
    possedes = [m for m in modeles_possedes() if modele_d_origine(m) is None]
    change = True
    while change:
        change = False
        for modele in possedes:
            if modele in resultat:
                continue
            directs = [f for f in cles(modele) if f.related_model is convention]
            non_nul = [f for f in directs if not f.null]
            if non_nul:
                resultat[modele] = Chemin(tuple(f.attname for f in directs), non_nul[0].name)
                change = True
                continue
            for f in cles(modele):
                if not f.null and f.related_model in resultat:
                    parent = resultat[f.related_model]
                    resultat[modele] = Chemin((), f"{f.name}__{parent.recherche}", (f.attname, f.related_model))
                    change = True
                    break
    return resultat


def conventions_de(instance) -> set[int]:
    chemin = chemins().get(type(instance))
    if chemin is None:
        return set()
    if chemin.parent is None:
        return {getattr(instance, attname) for attname in chemin.directs} - {None}
    attname, parent = chemin.parent
    cle = getattr(instance, attname)
    if cle is None:
        return set()
    return set(parent._base_manager.filter(pk=cle).values_list(chemins()[parent].recherche, flat=True)) - {None}


def _ecrit(sender, instance, **kwargs) -> None:
    perimer(conventions_de(instance))


def _m2m(sender, instance, action, model=None, pk_set=None, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    pks = conventions_de(instance)
    if model in chemins() and pk_set:
        for objet in model._base_manager.filter(pk__in=pk_set):
            pks |= conventions_de(objet)
    perimer(pks)


def brancher() -> None:
    for modele in chemins():
        uid = f"generations.{modele._meta.label}"
        post_save.connect(_ecrit, sender=modele, dispatch_uid=f"{uid}.save", weak=False)
        post_delete.connect(_ecrit, sender=modele, dispatch_uid=f"{uid}.delete", weak=False)
    suivre_partage(*(apps.get_model(label) for label in PARTAGES))
    for modele in modeles_possedes():
        if modele._meta.auto_created:  # the table of a many-to-many relation
            m2m_changed.connect(_m2m, sender=modele, dispatch_uid=f"generations.{modele._meta.label}.m2m", weak=False)
