"""The import of an open-data file started from the data page, as background work (:mod:`ctg.taches`).

The uploaded file is kept through Django's storage until the task has read it (the worker may run in another
process); the import is :func:`ctg.donnees.page.importer`: at the first error nothing is written, and the errors
are listed on the work's page. Once committed, the figures that read the dataset are computed again (the signal
``observations_importees``), which the work's page counts as its last step."""

from __future__ import annotations

import uuid
from pathlib import Path, PurePosixPath

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.urls import reverse
from django_tasks import task

from ctg.taches import TravailImpossible, lancer, suivre

DOSSIER = "imports-donnees"


def garder(fichier) -> str:
    """Keep an uploaded file until its import; its name in the storage."""
    extension = PurePosixPath(fichier.name).suffix.lower()[:10]
    return default_storage.save(f"{DOSSIER}/{uuid.uuid4().hex}{extension}", fichier)


def place_pour_un_telechargement() -> tuple[str, Path]:
    """A name in the storage, and its local path, where a download from data.caf.fr is kept until its import."""
    garde = f"{DOSSIER}/{uuid.uuid4().hex}.csv"
    chemin = Path(default_storage.path(garde))
    chemin.parent.mkdir(parents=True, exist_ok=True)
    return garde, chemin


def chemin_garde(garde: str) -> Path:
    """The local path of a kept file (``garde`` as :func:`garder` returned it, never a name from a form)."""
    if PurePosixPath(garde).parent != PurePosixPath(DOSSIER) or not default_storage.exists(garde):
        raise FileNotFoundError(garde)
    return Path(default_storage.path(garde))


@task
def importer_en_arriere_plan(
    travail_id: int,
    garde: str,
    nom: str,
    dataset: str | None,
    millesime: int | None,
    par_id: int | None,
    source_url: str = "",
) -> None:
    from .importation import ErreurImport
    from .page import importer

    with suivre(travail_id) as progression:
        par = get_user_model().objects.filter(pk=par_id).first() if par_id else None
        try:
            try:
                chemin = chemin_garde(garde)
            except FileNotFoundError as exc:
                raise TravailImpossible("le fichier envoyé n'est plus disponible : envoyez-le de nouveau.") from exc
            progression.etape(1, 3, f"Vérification de chaque ligne de « {nom} », puis enregistrement.")
            try:
                bilan = importer(chemin, nom=nom, par=par, dataset=dataset, millesime=millesime, source_url=source_url)
            except ErreurImport as exc:
                raise TravailImpossible(
                    f"{exc.total} erreur{'s' if exc.total > 1 else ''} : rien n'a été enregistré.", details=exc.lignes()
                ) from exc
        finally:
            default_storage.delete(garde)
        progression.etape(3, 3, "Chiffres du diagnostic recalculés.")
        progression.conclure(
            f"Import de « {nom} » terminé : {bilan.crees} observation(s) créée(s), {bilan.modifies} modifiée(s), "
            f"{bilan.inchanges} inchangée(s) ; chiffres du diagnostic recalculés.",
            details=bilan.resume(),
        )


def lancer_import(garde: str, nom: str, dataset: str | None, millesime: int | None, par, source_url: str = ""):
    """Start the import of the kept file ``garde``; the work that follows it."""
    return lancer(
        importer_en_arriere_plan,
        garde,
        nom,
        dataset or None,
        millesime,
        par.pk if par is not None and par.is_authenticated else None,
        source_url,
        intitule=f"Import des données « {nom} »",
        convention=None,
        par=par,
        url_retour=reverse("donnees:page"),
        cle=f"donnees:{garde}",
    )
