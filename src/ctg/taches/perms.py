"""Who may follow a background work: the members of its convention (others get 404, as for the convention). A
work that belongs to no convention, an import of open data, has its page in ``ctg.donnees``."""

from ctg import acces

ACCES = {"taches:travail": acces.MEMBRE}


def exemples_acces(convention) -> dict:
    """A finished work on ``convention``, for the permission walk."""
    from .models import StatutTravail, Travail

    travail = Travail.objects.create(convention=convention, intitule="Essai", statut=StatutTravail.TERMINE)
    return {"taches:travail/travail": travail.pk}
