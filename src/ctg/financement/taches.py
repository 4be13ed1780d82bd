"""The import of the communes' actual funding, started from its page, as background work (:mod:`ctg.taches`).

The uploaded file is kept through Django's storage (the worker may run in another process) until the task has read
it, line after line; the import itself is :func:`ctg.financement.importation.importer`, transactional: at the first
error nothing is written, and the errors are listed on the work's page.
"""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.urls import reverse
from django_tasks import task

from ctg.taches import TravailImpossible, lancer, suivre

DOSSIER = "imports-financement"


@task
def importer_en_arriere_plan(travail_id: int, fichier: str, nom: str, essai: bool, par_id: int | None) -> None:
    from ctg.taches.models import Travail

    from .importation import importer

    with suivre(travail_id) as progression:
        try:
            convention = Travail.objects.select_related("convention").get(pk=travail_id).convention
            par = get_user_model().objects.filter(pk=par_id).first() if par_id else None
            progression.etape(0, 2, f"Ouverture de « {nom} ».")
            try:
                lu = default_storage.open(fichier, "rb")
            except FileNotFoundError as exc:
                raise TravailImpossible("le fichier envoyé n'est plus disponible : importez-le de nouveau.") from exc
            with lu:  # read line after line by the importer
                progression.etape(1, 2, "Vérification de chaque ligne" + ("." if essai else ", puis enregistrement."))
                resultat = importer(convention, nom, lu, par=par, essai=essai)
        finally:
            default_storage.delete(fichier)
        if resultat.erreurs:
            nombre = resultat.nombre_erreurs or len(resultat.erreurs)  # all of them: the list stops at its cap
            raise TravailImpossible(
                f"{nombre} erreur{'s' if nombre > 1 else ''} : rien n'a été enregistré. Corrigez le fichier puis "
                "importez-le de nouveau.",
                details=resultat.erreurs,
            )
        progression.conclure(f"Import de « {nom} » : {resultat.bilan}")


def lancer_import(convention, fichier, essai: bool, par=None):
    """Keep the uploaded ``fichier`` and start its import into ``convention``; the work that follows it."""
    extension = PurePosixPath(fichier.name).suffix.lower()[:10]
    garde = default_storage.save(f"{DOSSIER}/{uuid.uuid4().hex}{extension}", fichier)
    return lancer(
        importer_en_arriere_plan,
        garde,
        fichier.name,
        essai,
        par.pk if par is not None and par.is_authenticated else None,
        intitule=f"Import des financements « {fichier.name} »" + (" (essai)" if essai else ""),
        convention=convention,
        par=par,
        url_retour=reverse("financement:import", kwargs={"pk": convention.pk}),
    )
