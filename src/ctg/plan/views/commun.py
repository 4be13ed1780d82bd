"""What every page of the plan shares: its context (the plan, the tab, the rights, the day of follow-up), the fiche
read from the address, a refusal of the rules layer shown, a file sent."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from ctg import horloge
from ctg.televersement import reponse_fichier

from .. import cycle, perms
from ..documents import AVERTISSEMENT_DEMO
from ..models import FicheAction
from ..presentation import echeance_objectifs
from ..regles import jour_de_suivi


def contexte(request, convention, onglet: str, suivis=None, **extra) -> dict:
    suivis = suivis if suivis is not None else []
    plan = cycle.plan_lu(convention)
    jour = jour_de_suivi(convention)
    return {
        "convention": convention,
        "plan": plan,
        "onglet": onglet,
        "lecture_seule": perms.lecture_seule(convention),
        "jour_de_suivi": jour,
        "suivi_arrete": jour < horloge.aujourd_hui(),
        "peut_modifier": perms.peut_modifier_plan(request.user, convention),
        "peut_modifier_objectifs": perms.peut_modifier_objectifs(request.user, convention, plan),
        "peut_evaluer": perms.peut_evaluer(request.user, convention),
        "demonstration": any(s.demonstration for s in suivis),
        "avertissement_demo": AVERTISSEMENT_DEMO,
        "echeance_objectifs": echeance_objectifs(convention),
        **extra,
    }


def refuser(request, exc: Exception, form=None) -> None:
    """A refusal of the rules layer: on the form if there is one, else as a message (nothing was written)."""
    texte = " ".join(exc.messages) if hasattr(exc, "messages") else str(exc)
    if form is not None:
        form.add_error(None, texte)
    else:
        messages.error(request, texte)


def fiche_de(convention, pk_fiche) -> FicheAction:
    return get_object_or_404(FicheAction, pk=pk_fiche, convention=convention)


def telechargement(contenu: bytes, type_mime: str, nom: str) -> HttpResponse:
    return reponse_fichier(contenu, nom, type_mime)
