"""What the profile page shows of the signed-in user: their organisation, their roles on conventions, their second
factor, and the pages of their account that other apps may offer (API tokens)."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from ctg.formats import cle_alphabetique

from . import double_facteur
from .models import organisation_de


def habilitations_de(user) -> list:
    """The user's roles, one per convention (``conventions.Habilitation``, read through the user), by EPCI in French
    alphabetical order then the most recent first."""
    habilitations = user.habilitations.select_related("convention", "convention__caf", "convention__epci", "commune")
    return sorted(
        habilitations,
        key=lambda h: (cle_alphabetique(h.convention.epci.nom), -h.convention.date_debut.toordinal()),
    )


def url_facultative(nom: str) -> str | None:
    """The address of the page ``nom`` if the product has it (an app not installed or not yet built: None)."""
    try:
        return reverse(nom)
    except NoReverseMatch:
        return None


def profil_de(user) -> dict:
    profil = getattr(user, "profil", None)
    return {
        "organisation": organisation_de(user),
        "fonction": profil.fonction if profil else "",
        "habilitations": habilitations_de(user),
        "double_facteur_actif": double_facteur.appareil(user) is not None,
        "double_facteur_obligatoire": double_facteur.obligatoire(user),
        "url_jetons": url_facultative("api:jetons"),
        "url_mes_donnees": url_facultative("rgpd:mes_donnees"),
    }
