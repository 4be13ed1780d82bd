"""Pages of people's rights (GDPR) and of the confidential downloads' log (article 14). Thin: the register, the
export and the rules are in ``personnes``; the log in ``ctg.documents.confidentialite``."""

import json

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_POST

from ctg.conventions.acces import convention_visible, exiger
from ctg.documents.confidentialite import telechargements
from ctg.televersement import reponse_fichier

from . import personnes, tableaux
from .perms_personnes import MESSAGE_JOURNAL, peut_lire_journal_confidentiel


def _registre() -> list[dict]:
    return [{"traitement": t, "libelle": t.libelle, "champs": personnes.libelles_champs(t)} for t in personnes.REGISTRE]


def confidentialite(request):
    """The privacy notice (« Politique de confidentialité »)."""
    return render(
        request,
        "rgpd/personnes/confidentialite.html",
        {
            "registre": _registre(),
            "inactivite": settings.CTG_INACTIVITE_JOURS,
            "anonymisation": settings.CTG_ANONYMISATION_JOURS,
        },
    )


def inventaire(request):
    """The personal data CTG stores and why: the product's own processing register."""
    return render(request, "rgpd/personnes/inventaire.html", {"registre": _registre()})


@login_required
def mes_donnees(request):
    donnees = personnes.donnees_de(request.user)
    return render(request, "rgpd/personnes/mes_donnees.html", {"donnees": donnees})


@login_required
@require_POST
def mes_donnees_export(request, format):
    if format not in {"json", "pdf"}:
        raise Http404("Format inconnu : json ou pdf.")
    donnees = personnes.donnees_de(request.user)
    nom = f"donnees-personnelles-ctg-{request.user.username}.{format}"
    if format == "json":
        contenu = json.dumps(donnees, ensure_ascii=False, indent=2)
        return reponse_fichier(contenu, nom, "application/json; charset=utf-8")
    return reponse_fichier(personnes.resume_pdf(donnees), nom, "application/pdf")


@login_required
def telechargements_confidentiels(request, pk):
    convention = convention_visible(request, pk)
    exiger(peut_lire_journal_confidentiel(request.user, convention), MESSAGE_JOURNAL)
    return render(
        request,
        "rgpd/personnes/telechargements.html",
        {
            "convention": convention,
            "telechargements": telechargements(convention)[: tableaux.TELECHARGEMENTS_AFFICHES],
            "entetes": tableaux.ENTETES_TELECHARGEMENTS,
        },
    )
