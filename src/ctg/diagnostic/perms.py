"""Access to the diagnostic's pages (the rights themselves are the convention's: ``ctg.conventions.perms``)."""

from ctg import acces

ACCES = {
    "diagnostic:convention": acces.MEMBRE,
    "diagnostic:rapport_convention": acces.MEMBRE,
    "diagnostic:besoin_nouveau": acces.EDITION,
    "diagnostic:besoin": acces.EDITION,
    "diagnostic:contribution": acces.CONTRIBUTION,
    "diagnostic:statut": acces.POST,
    "diagnostic:epci": acces.CONNECTE,
    "diagnostic:epci_carte": acces.CONNECTE,
    "diagnostic:epci_export": acces.CONNECTE,
    "diagnostic:rapport_epci": acces.CONNECTE,
    "diagnostic:commune": acces.CONNECTE,
}


def exemples_acces(convention) -> dict:
    from .models import Besoin
    from .partage import diagnostic_de

    besoin = Besoin.objects.create(diagnostic=diagnostic_de(convention), domaine="jeunesse", intitule="Besoin")
    return {"besoin": besoin.pk, "action": "soumettre", "diagnostic:epci_export/format": "csv"}
