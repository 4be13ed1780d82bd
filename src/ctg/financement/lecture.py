"""What the financing pages and their exports read through the convention of the URL: a structure, a member commune
(404 outside the convention), a simulation from its form."""

from __future__ import annotations

from django.shortcuts import get_object_or_404

from ctg.territoires.models import Commune

from . import regles
from .models import Structure


def structure_de(convention, pk) -> Structure:
    return get_object_or_404(convention.structures.select_related("commune", "gestionnaire"), pk=pk)


def commune_de(convention, code) -> Commune:
    return get_object_or_404(regles.communes_membres(convention), code=code)


def simuler_formulaire(convention, form):
    """The simulation of a valid ``SimulationForm``."""
    from .simulation import simuler

    d = form.cleaned_data
    return simuler(
        convention,
        d["commune"],
        d["places"],
        d["ouverture"],
        places_employeurs=d.get("places_employeurs") or 0,
        en_qpv=d["en_qpv"],
        en_zrr=d["en_zrr"],
    )
