"""The indicators defined once for a convention and followed by its fiches (``DefinitionIndicateur``): finding or
creating a definition, and setting what a fiche's indicator follows.

- one definition per wording, unit, source, catalogue key and territory in a convention: the same description
  entered on two fiches is one indicator followed by both, each with its own baseline and targets;
- an indicator of the diagnostic's catalogue (``ctg.diagnostic.catalogue``) gets the catalogue's unit and sources
  when they are left blank;
- changing the description from one fiche changes the definition in place when that fiche alone follows it;
  followed by other fiches, the definition stays as it is for them and this fiche follows the new description;
- a fiche follows a definition once. A refusal raises ``ChangementImpossible`` with the French reason.
"""

from __future__ import annotations

from django.db import transaction

from .cycle import ChangementImpossible
from .models import CHAMPS_DEFINITION, DefinitionIndicateur, IndicateurAction


def completer(champs: dict) -> dict:
    """``champs`` (wording, unit, source, catalogue key, territory) stripped, with the catalogue's unit and sources
    for an indicator of the diagnostic left without them."""
    from ctg.diagnostic.catalogue import INDICATEURS

    champs = {nom: (champs.get(nom) or "").strip() for nom in CHAMPS_DEFINITION}
    catalogue = INDICATEURS.get(champs["indicateur_catalogue"])
    if catalogue is not None:
        champs["unite"] = champs["unite"] or catalogue.unite
        champs["source"] = champs["source"] or "données ouvertes : " + ", ".join(catalogue.sources)
    return champs


def definition(convention, **champs) -> DefinitionIndicateur:
    """The convention's definition of these fields (``completer``), created if none has them."""
    champs = completer(champs)
    if not champs["libelle"]:
        raise ChangementImpossible("Nommez l'indicateur.")
    trouvee, _ = DefinitionIndicateur.objects.get_or_create(convention=convention, **champs)
    return trouvee


@transaction.atomic
def definir(
    indicateur: IndicateurAction, *, champs: dict | None = None, choisie: DefinitionIndicateur | None = None
) -> DefinitionIndicateur:
    """Make ``indicateur`` (a fiche's, perhaps not saved yet; not saved here) follow ``choisie`` — a definition of
    the fiche's convention — or the definition described by ``champs``; return it."""
    convention = indicateur.fiche.convention
    actuelle = indicateur.definition if indicateur.definition_id else None
    if choisie is not None:
        if choisie.convention_id != convention.pk:
            raise ChangementImpossible("Cet indicateur n'est pas défini dans cette convention.")
        cible = choisie
    else:
        champs = completer(champs or {})
        if not champs["libelle"]:
            raise ChangementImpossible("Nommez l'indicateur.")
        existante = DefinitionIndicateur.objects.filter(convention=convention, **champs).first()
        seule = actuelle is not None and not actuelle.suivis.exclude(pk=indicateur.pk).exists()
        if existante is not None:
            cible = existante
        elif seule:  # followed by this fiche alone: its description changes
            for nom, valeur in champs.items():
                setattr(actuelle, nom, valeur)
            actuelle.save()
            cible = actuelle
        else:
            cible = DefinitionIndicateur.objects.create(convention=convention, **champs)
    deja = IndicateurAction.objects.filter(fiche=indicateur.fiche, definition=cible).exclude(pk=indicateur.pk)
    if deja.exists():
        raise ChangementImpossible(f"Cette fiche suit déjà l'indicateur « {cible.libelle} ».")
    indicateur.definition = cible
    return cible
