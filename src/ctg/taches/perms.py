"""Who may follow a background work: the members of its convention (others get 404, as for the convention); an
import of open data, those who may import."""

from ctg import acces

ACCES = {
    "taches:travail": acces.MEMBRE,
    # an import of open data, which belongs to no convention: those who may import (ctg.donnees.perms)
    "taches:travail_donnees": acces.IMPORT_DONNEES,
}


def exemples_acces(convention) -> dict:
    """A finished work on ``convention``, for the permission walk."""
    from .models import StatutTravail, Travail

    travail = Travail.objects.create(convention=convention, intitule="Essai", statut=StatutTravail.TERMINE)
    import_donnees = Travail.objects.create(convention=None, intitule="Import d'essai", statut=StatutTravail.TERMINE)
    return {"taches:travail/travail": travail.pk, "taches:travail_donnees/travail": import_donnees.pk}
