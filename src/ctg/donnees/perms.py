"""Who may import open data from the data page, and undo an import.

Open data are the same for every Caf: an import loads a published file (data.caf.fr, Insee), never personal data,
and is recorded with who made it and the file's SHA-256; it can be undone. A national administrator may import and
undo any; a Caf employee holding the permission ``donnees.add_fichier`` may import, and undo the imports of their own
Caf (their own, or a colleague's)."""

from ctg import acces

ACCES = {
    "donnees:page": acces.IMPORT_DONNEES,
    "donnees:annuler": acces.POST,
    "donnees:travail": acces.IMPORT_DONNEES,
    "donnees:fichiers_export": acces.IMPORT_DONNEES,
}


def peut_importer(user) -> bool:
    from ctg.comptes.models import agent_de_caf_habilite

    return agent_de_caf_habilite(user, "donnees.add_fichier")


def exiger_importateur(user) -> None:
    from django.core.exceptions import PermissionDenied

    if not peut_importer(user):
        raise PermissionDenied(
            "L'import de données ouvertes est réservé aux agents des Caf qui en ont reçu le droit et aux "
            "administrateurs nationaux."
        )


def peut_annuler(user, fichier) -> bool:
    from ctg.comptes.models import est_administrateur_national, organisation_de

    if not peut_importer(user):
        return False
    if est_administrateur_national(user):
        return True
    auteur = fichier.importe_par
    return auteur is not None and (
        auteur.pk == user.pk
        or (organisation_de(auteur) is not None and organisation_de(auteur) == organisation_de(user))
    )


def exemples_acces(convention) -> dict:
    """The URL arguments of the permission walk: a finished import work (undo answers POST only: any file number
    will do)."""
    from ctg.taches.models import StatutTravail, Travail

    travail = Travail.objects.create(convention=None, intitule="Import d'essai", statut=StatutTravail.TERMINE)
    return {
        "donnees:annuler/fichier": 0,
        "donnees:travail/travail": travail.pk,
        "donnees:fichiers_export/format": "csv",
    }
