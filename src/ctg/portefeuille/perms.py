"""Who sees a Caf's portfolio: the Caf's own staff for its département, a national administrator for every
département and for the national view; nobody else (403 with the reason).

What the portfolio shows of the conventions goes through the convention access layer
(``ctg.conventions.perms.conventions_visibles``, article 14): a convention the person holds no role on is neither
shown nor counted. The ``ctg portefeuille`` command, run on the server, reads every convention (as every other
``ctg`` command does)."""

from __future__ import annotations

from ctg import acces
from ctg.comptes.models import Organisation, est_administrateur_national, organisation_de
from ctg.conventions.models import Convention
from ctg.conventions.perms import conventions_visibles

REFUS = (
    "Le portefeuille des conventions est réservé aux agents d'une Caf (pour leur département) et aux "
    "administrateurs nationaux."
)
REFUS_DEPARTEMENT = "Votre Caf n'est pas celle de ce département : seul son propre portefeuille vous est ouvert."


def departement_de_la_caf(user) -> str | None:
    """The département code of the Caf ``user`` works for, or None."""
    organisation = organisation_de(user)
    if organisation is not None and organisation.type == Organisation.Type.CAF:
        return organisation.departement_id
    return None


def peut_voir_portefeuille(user) -> bool:
    """A portfolio at all (the menu entry): a Caf's staff or a national administrator."""
    return est_administrateur_national(user) or departement_de_la_caf(user) is not None


def peut_voir_national(user) -> bool:
    return est_administrateur_national(user)


def peut_voir_departement(user, code: str) -> bool:
    return est_administrateur_national(user) or (code is not None and departement_de_la_caf(user) == code)


def departement_autorise(user, code: str):
    """The département of ``code`` if ``user`` may open its portfolio (403 with the reason otherwise)."""
    from django.shortcuts import get_object_or_404

    from ctg.conventions.acces import exiger
    from ctg.territoires.models import Departement

    exiger(peut_voir_portefeuille(user), REFUS)
    exiger(peut_voir_departement(user, code), REFUS_DEPARTEMENT)
    return get_object_or_404(Departement, code=code)


def conventions_lisibles(user=None):
    """The conventions a portfolio may show and count: those ``user`` may open; every one for the command
    (``user`` None)."""
    if user is None:
        return Convention.objects.all()
    return conventions_visibles(user)


def toutes_lisibles(user=None) -> bool:
    """The portfolio counts every convention (the command, the product's administrator), not only the user's."""
    return user is None or user.is_superuser


ACCES = {
    "portefeuille:accueil": acces.PORTEFEUILLE,
    "portefeuille:departement": acces.PORTEFEUILLE,
    "portefeuille:departement_carte": acces.PORTEFEUILLE,
    "portefeuille:departement_export": acces.PORTEFEUILLE,
    "portefeuille:accueil_export": acces.PORTEFEUILLE,
    "portefeuille:departement_renouvellements_export": acces.PORTEFEUILLE,
}


def exemples_acces(convention) -> dict:
    noms = ("departement", "accueil", "departement_renouvellements")
    return {f"portefeuille:{nom}_export/format": "csv" for nom in noms}
