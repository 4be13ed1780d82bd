"""What a convention owns, found in Django's model graph rather than listed by hand.

A model is *owned* when one of its non-nullable foreign keys leads to ``conventions.Convention`` or to an owned model
(a fiche action through its convention, a vote through its decision, its reunion, its comité…). A historical model
of django-simple-history is owned when its original model is (its foreign keys are all nullable: the original's
decide), and the tables of many-to-many relations are models like the others (``include_auto_created``). A model
added tomorrow with a foreign key to a convention is therefore saved without any change here; one that must not
be is named in ``HORS_PERIMETRE`` with its reason (``tests/sauvegarde/test_perimetre.py`` fails otherwise).

What an owned record points to outside the convention is written by a natural reference, never by a database id:
the accounts by their identifier (``auth.User``), the territories by their code (INSEE, SIREN: their primary key),
the organisations (Caf, EPCI, partners) by their record in ``references/comptes.Organisation.json``."""

import functools

from django.apps import apps
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.db import models

RACINE = "conventions.Convention"
COMPTE = settings.AUTH_USER_MODEL
ORGANISATION = "comptes.Organisation"
# National reference data: referenced by their code (their primary key), never saved; the target must hold them.
TERRITOIRES = ("territoires.Region", "territoires.Departement", "territoires.Epci", "territoires.Commune")

# Models a convention owns that a backup leaves out on purpose, with the reason (a historical model follows its
# original model).
HORS_PERIMETRE = {
    "taches.Travail": (
        "file des travaux en arrière-plan de l'instance (imports, calculs) : état technique passager, relancé au "
        "besoin, sans contenu propre à la convention"
    ),
    "conventions.Invitation": (
        "lien d'invitation secret, à usage unique et expirant, propre à l'instance qui l'a envoyé : une archive ne "
        "transporte pas de secret ; les habilitations qu'il a données sont sauvegardées"
    ),
    "sauvegarde.Restauration_conventions": (
        "journal des restaurations faites sur cette instance : il décrit l'instance, pas la convention"
    ),
}

# Models that moved since an archive could have been written: their part of an older archive restores into today's
# model (the memberships moved from the accounts to the conventions, same fields).
NOMS_ANTERIEURS = {
    "comptes.Habilitation": "conventions.Habilitation",
    "comptes.HistoricalHabilitation": "conventions.HistoricalHabilitation",
}


def label(modele) -> str:
    return modele._meta.label


def fichier_d_historique(modele, champ) -> bool:
    """A field of a historical model that keeps the name of an uploaded file of the original model
    (django-simple-history copies a ``FileField`` as text: the name, not the file)."""
    origine = modele_d_origine(modele)
    if origine is None:
        return False
    try:
        return isinstance(origine._meta.get_field(champ.name), models.FileField)
    except FieldDoesNotExist:
        return False


def modele_d_origine(modele):
    """The original model of a historical model of django-simple-history (None for any other model)."""
    origine = getattr(modele, "instance_type", None)
    return origine if isinstance(origine, type) and issubclass(origine, models.Model) else None


def cles(modele) -> list[models.ForeignKey]:
    return [f for f in modele._meta.concrete_fields if f.is_relation and (f.many_to_one or f.one_to_one)]


def _non_nulle(modele, champ) -> bool:
    """A foreign key that always points somewhere: for a historical model, as in its original model."""
    if not champ.null:
        return True
    origine = modele_d_origine(modele)
    if origine is None:
        return False
    try:
        original = origine._meta.get_field(champ.name)
    except Exception:  # noqa: BLE001 - a field of the history only (history_user)
        return False
    return original.is_relation and not original.null


def exclu(modele) -> str | None:
    """The reason why ``modele`` is left out, or None."""
    origine = modele_d_origine(modele)
    return HORS_PERIMETRE.get(label(modele)) or (origine is not None and HORS_PERIMETRE.get(label(origine))) or None


@functools.cache
def modeles_possedes() -> tuple:
    """Every model a convention owns (saved or left out), the convention first, then by label."""
    tous = apps.get_models(include_auto_created=True)
    possedes = {apps.get_model(RACINE)}
    change = True
    while change:
        change = False
        for modele in tous:
            if modele in possedes:
                continue
            origine = modele_d_origine(modele)
            if (origine is not None and origine in possedes) or any(
                f.related_model in possedes and _non_nulle(modele, f) for f in cles(modele)
            ):
                possedes.add(modele)
                change = True
    return tuple(sorted(possedes, key=lambda m: (label(m) != RACINE, label(m))))


@functools.cache
def modeles_sauvegardes() -> tuple:
    return tuple(m for m in modeles_possedes() if not exclu(m))


def aretes(modele) -> list[models.ForeignKey]:
    """The foreign keys by which a record of ``modele`` belongs to a convention."""
    sauvegardes = set(modeles_sauvegardes())
    return [f for f in cles(modele) if f.related_model in sauvegardes and _non_nulle(modele, f)]


def champ_identite(modele):
    """For a historical model, the field holding the original record's primary key."""
    origine = modele_d_origine(modele)
    if origine is None or origine not in modeles_sauvegardes():
        return None
    return modele._meta.get_field(origine._meta.pk.attname)


def cible(champ) -> str:
    """How a saved record refers to what ``champ`` points to: "archive" (a record of the archive), "compte",
    "organisation", "territoire", or "" (not handled: ``references_non_couvertes``)."""
    modele = champ.related_model
    if modele in modeles_sauvegardes():
        return "archive"
    if label(modele) == COMPTE:
        return "compte"
    if label(modele) == ORGANISATION:
        return "organisation"
    if label(modele) in TERRITOIRES:
        return "territoire"
    return ""


def references_non_couvertes() -> list[str]:
    """The foreign keys of saved models that no rule here knows how to write (a new kind of reference)."""
    manquantes = [
        f"{label(m)}.{f.name} → {label(f.related_model)}"
        for m in modeles_sauvegardes()
        for f in cles(m)
        if not cible(f)
    ]
    organisation = apps.get_model(ORGANISATION)
    manquantes += [
        f"{ORGANISATION}.{f.name} → {label(f.related_model)}" for f in cles(organisation) if cible(f) != "territoire"
    ]
    return manquantes
