"""What the territories' pages show of the conventions (see ``ctg.territoires.extensions``): only those the user may
open (``perms.conventions_visibles``, as on the convention pages)."""

from . import perms


def conventions(user, epcis) -> dict[str, list]:
    par_epci: dict[str, list] = {}
    visibles = (
        perms.conventions_visibles(user)
        .filter(epci__in=[e.code for e in epcis])
        .select_related("caf", "epci", "resiliation", "suivante", "suivante__resiliation")
        .order_by("epci__nom", "-date_debut")
    )
    for convention in visibles:
        par_epci.setdefault(convention.epci_id, []).append(convention)
    return par_epci


def peut_creer_convention(user, epci) -> bool:
    return perms.caf_competente_pour(user, epci) is not None
