"""Imports started from the data page, and their undo.

An import from the page is the same import as ``ctg import_donnees`` (:func:`importation.importer_fichier`,
transactional), with two more facts kept: who imported it, and, for every observation it changed, the values and the
file it replaced (:class:`~ctg.donnees.models.ValeursRemplacees`). Undoing it removes the observations it created
and puts back those it replaced; the file stays in the history, marked as undone (by whom, when), and may be imported
again. Only the latest import of a dataset at a level can be undone: an older one has been built upon since.

Both send :data:`ctg.donnees.signaux.observations_importees` once committed: the figures that read the dataset are
computed again.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from django.db import transaction

from ctg import horloge

from .importation import Bilan, importer_fichier
from .models import Fichier, Observation, ValeursRemplacees
from .signaux import observations_importees


class AnnulationImpossible(Exception):
    """The import cannot be undone; the message says why, in French."""


@dataclass(frozen=True)
class Annulation:
    """What undoing an import did: observations removed (it had created them), observations put back."""

    retirees: int
    remises: int


def importer(
    chemin: Path | str,
    *,
    nom: str,
    par=None,
    dataset: str | None = None,
    millesime: int | None = None,
    source_url: str = "",
):
    """Import the file at ``chemin`` (shown as ``nom``) for ``par``; the ``Bilan``. Raise ``ErreurImport``."""
    with transaction.atomic():
        avant = _etat_des_observations(chemin, dataset, millesime)
        bilan = importer_fichier(chemin, dataset=dataset, millesime=millesime, source_url=source_url)
        if bilan.fichier_id is None:  # already imported: nothing changed
            return bilan
        fichier = Fichier.objects.get(pk=bilan.fichier_id)
        fichier.nom = nom[:300]
        fichier.importe_par = par if par is not None and par.is_authenticated else None
        fichier.valeurs_remplacees_gardees = True
        fichier.save(update_fields=["nom", "importe_par", "valeurs_remplacees_gardees"])
        remplacees = []
        for pk in fichier.observations.values_list("pk", flat=True).iterator(chunk_size=5000):
            ancien = avant.get(pk)
            if ancien is not None and ancien[0] != fichier.pk:  # changed, or unchanged and taken over
                remplacees.append(
                    ValeursRemplacees(
                        fichier=fichier, observation_id=pk, ancien_fichier_id=ancien[0], anciennes_valeurs=ancien[1]
                    )
                )
        ValeursRemplacees.objects.bulk_create(remplacees, batch_size=2000)
    return replace(bilan, fichier=nom)


def _etat_des_observations(chemin, dataset, millesime) -> dict[int, tuple[int, dict]]:
    """The observations the file may touch, before it does: id → (file, values). A first reading of the file (in
    simulation) gives its dataset, level and periods."""
    apercu = importer_fichier(chemin, dataset=dataset, millesime=millesime, simulation=True)
    if apercu.deja_importe or not apercu.jeu:
        return {}
    requete = Observation.objects.filter(dataset=apercu.jeu, niveau=apercu.niveau, periode__in=apercu.periodes)
    return {pk: (f, v) for pk, f, v in requete.values_list("pk", "fichier_id", "valeurs").iterator(chunk_size=5000)}


def derniers_annulables() -> set[int]:
    """The imports that may be undone: for each dataset and level, the latest one not undone, if it was made from
    the data page (a command-line import did not keep the values it replaced)."""
    derniers: dict[tuple[str, str], tuple[int, bool]] = {}
    fichiers = Fichier.objects.filter(annule_le__isnull=True).order_by("-importe_le", "-pk")
    for pk, jeu, niveau, garde in fichiers.values_list(
        "pk", "bilan__jeu", "bilan__niveau", "valeurs_remplacees_gardees"
    ):
        derniers.setdefault((jeu or "", niveau or ""), (pk, garde))
    return {pk for pk, garde in derniers.values() if garde}


def annuler(fichier: Fichier, par=None) -> Annulation:
    """Undo the import of ``fichier``: the observations it created are removed, those it changed get their former
    values and file back; ``fichier`` stays in the history, marked as undone. Raise ``AnnulationImpossible``."""
    with transaction.atomic():
        fichier = Fichier.objects.select_for_update().get(pk=fichier.pk)
        if fichier.annule_le is not None:
            raise AnnulationImpossible(f"L'import de « {fichier.nom} » est déjà annulé.")
        if not fichier.valeurs_remplacees_gardees:
            raise AnnulationImpossible(
                f"« {fichier.nom} » a été importé en ligne de commande : ce qu'il a remplacé n'a pas été gardé, il ne "
                "s'annule pas. Importez de nouveau le fichier précédent."
            )
        if fichier.pk not in derniers_annulables():
            raise AnnulationImpossible(
                f"« {fichier.nom} » n'est pas le dernier import de ce jeu de données à ce niveau : annulez d'abord les "
                "imports plus récents."
            )
        remplacees = list(fichier.remplacements.all())
        for r in remplacees:
            Observation.objects.filter(pk=r.observation_id, fichier=fichier).update(
                fichier_id=r.ancien_fichier_id, valeurs=r.anciennes_valeurs
            )
        # What is left of the file's rows, it created.
        retirees, _ = fichier.observations.exclude(pk__in=[r.observation_id for r in remplacees]).delete()
        fichier.annule_le = horloge.maintenant()
        fichier.annule_par = par if par is not None and par.is_authenticated else None
        fichier.save(update_fields=["annule_le", "annule_par"])
        bilan = Bilan(
            fichier=fichier.nom,
            empreinte=fichier.empreinte,
            dataset=fichier.dataset,
            jeu=fichier.bilan.get("jeu", ""),
            niveau=fichier.bilan.get("niveau", ""),
            periodes=list(fichier.periodes),
            modifies=len(remplacees),
        )
        transaction.on_commit(lambda: observations_importees.send(sender=Fichier, bilan=bilan))
    return Annulation(retirees=retirees, remises=len(remplacees))
