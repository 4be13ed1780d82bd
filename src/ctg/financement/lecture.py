"""What the financing pages, their exports and the API read through the convention of the URL: a structure, a member
commune, a verification's attachment (404 outside the convention), a simulation from its form."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404

from ctg.televersement import reponse_fichier
from ctg.territoires.models import Commune

from . import regles
from .models import Structure, Verification


def structure_de(convention, pk) -> Structure:
    return get_object_or_404(convention.structures.select_related("commune", "gestionnaire"), pk=pk)


def commune_de(convention, code) -> Commune:
    return get_object_or_404(regles.communes_membres(convention), code=code)


def piece_de_verification(convention, pk):
    """The download of a verification's attachment (as an attachment, never shown inline: ``reponse_fichier``);
    404 for a verification of another convention, without attachment, or whose file is missing."""
    objet = get_object_or_404(Verification, pk=pk, convention=convention)
    if not objet.fichier:
        raise Http404("Aucune pièce jointe.")
    try:
        contenu = objet.fichier.storage.open(objet.fichier.name, "rb")
    except FileNotFoundError:
        raise Http404("Pièce jointe introuvable.") from None
    return reponse_fichier(contenu, objet.fichier_nom or "piece-jointe", objet.fichier_type)


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
