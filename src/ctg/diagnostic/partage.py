"""The shared diagnostic of a convention: from the Caf's "diagnostic type" to the version the comité de pilotage
validates (préambule: "validé au plus tard à la fin de la deuxième année de la convention")."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from ctg.conventions.models import Convention

from .models import DiagnosticConvention, StatutDiagnostic


class ChangementImpossible(Exception):
    pass


def diagnostic_de(convention: Convention) -> DiagnosticConvention:
    """The convention's diagnostic, created as a "diagnostic type" the first time it is asked for."""
    diagnostic, _ = DiagnosticConvention.objects.get_or_create(convention=convention)
    return diagnostic


@transaction.atomic
def soumettre(diagnostic: DiagnosticConvention, jour: date) -> None:
    if diagnostic.statut != StatutDiagnostic.BROUILLON:
        raise ChangementImpossible("Seul un diagnostic en brouillon peut être soumis au comité de pilotage.")
    if not diagnostic.synthese.strip() and not diagnostic.besoins.exists():
        raise ChangementImpossible("Rédigez la synthèse ou identifiez au moins un besoin avant de soumettre.")
    diagnostic.statut = StatutDiagnostic.SOUMIS
    diagnostic.soumis_le = jour
    diagnostic.save(update_fields=["statut", "soumis_le", "modifie_le"])


@transaction.atomic
def valider(diagnostic: DiagnosticConvention, jour: date) -> None:
    """The comité de pilotage validates the diagnostic on ``jour``: the convention's deadline is met that day."""
    if diagnostic.statut != StatutDiagnostic.SOUMIS:
        raise ChangementImpossible("Le diagnostic doit d'abord être soumis au comité de pilotage.")
    convention = diagnostic.convention
    debut = convention.date_signature or convention.date_debut
    if jour < debut:
        raise ChangementImpossible(f"La date de validation précède la signature de la convention ({debut:%d/%m/%Y}).")
    if diagnostic.soumis_le and jour < diagnostic.soumis_le:
        raise ChangementImpossible("La date de validation précède la date de soumission.")
    diagnostic.statut = StatutDiagnostic.VALIDE
    diagnostic.valide_le = jour
    diagnostic.save(update_fields=["statut", "valide_le", "modifie_le"])
    convention.diagnostic_valide_le = jour
    convention.save(update_fields=["diagnostic_valide_le", "modifiee_le"])


@transaction.atomic
def rouvrir(diagnostic: DiagnosticConvention) -> None:
    """Back to draft (to amend it); a validation already recorded on the convention is withdrawn."""
    convention = diagnostic.convention
    if diagnostic.statut == StatutDiagnostic.VALIDE and convention.diagnostic_valide_le == diagnostic.valide_le:
        convention.diagnostic_valide_le = None
        convention.save(update_fields=["diagnostic_valide_le", "modifiee_le"])
    diagnostic.statut = StatutDiagnostic.BROUILLON
    diagnostic.soumis_le = None
    diagnostic.valide_le = None
    diagnostic.save(update_fields=["statut", "soumis_le", "valide_le", "modifie_le"])
