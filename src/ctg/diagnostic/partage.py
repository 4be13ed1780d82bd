"""The rules layer of the shared diagnostic of a convention: from the Caf's "diagnostic type" to the version the
comité de pilotage validates (préambule: "validé au plus tard à la fin de la deuxième année de la convention").

Every change of state goes through these functions (pages, the comité's decisions, commands and demo loaders
alike), which call the transitions of ``DiagnosticConvention`` (django-fsm) after checking who acts (``par``: a
user, whose right is checked with the transition's permission; ``None`` when a command or a loader acts, recorded
as such by ``ctg.audit``) and the preconditions:

- ``soumettre`` (draft → submitted) and ``retirer`` (submitted → draft): the Caf adviser or the project lead;
- ``valider`` (submitted → validated) and ``rouvrir`` (validated → draft, with a reason): only by applying an
  adopted decision of a held meeting of the convention's comité de pilotage (``ctg.gouvernance.decisions``),
  dated the day of that meeting.

The first validation date is kept on the diagnostic (``premiere_validation_le``) and on the convention
(``diagnostic_valide_le``, the deadline of the end of year 2): neither a reopening nor a new validation moves it.
"""

from __future__ import annotations

import contextlib
from datetime import date

from django.db import transaction
from django_fsm import can_proceed

from ctg import horloge
from ctg.conventions.models import Convention
from ctg.etats import a_la_permission

from .models import (
    ChangementImpossible,
    CommentaireDomaine,
    DiagnosticConvention,
    DiagnosticVerrouille,
    StatutDiagnostic,
)

__all__ = [
    "ChangementImpossible",
    "DiagnosticVerrouille",
    "changer_statut",
    "diagnostic_de",
    "enregistrer_besoin",
    "enregistrer_contribution",
    "enregistrer_texte",
    "etat_du_diagnostic",
    "formulaire_besoin",
    "retirer",
    "rouvrir",
    "soumettre",
    "supprimer_besoin",
    "valider",
    "verifier_modifiable",
]


def diagnostic_de(convention: Convention) -> DiagnosticConvention:
    """The convention's diagnostic, created as a "diagnostic type" the first time it is asked for."""
    diagnostic, _ = DiagnosticConvention.objects.get_or_create(convention=convention)
    return diagnostic


def verifier_modifiable(diagnostic: DiagnosticConvention) -> None:
    """Refuse (``DiagnosticVerrouille``) any edit of a diagnostic that is not a draft."""
    if not diagnostic.modifiable:
        raise diagnostic.refus_de_modification()


@transaction.atomic
def enregistrer_texte(form, par=None) -> DiagnosticConvention:
    """The text of the shared diagnostic from its page's ``SyntheseForm`` (valid; the API builds the same form):
    the synthesis and the shared comment of each domain, saved together (an emptied comment is removed). Refused
    when the diagnostic is no longer a draft (``DiagnosticVerrouille``) or was saved by someone else since the form
    was read (``VersionPerimee``)."""
    if par is not None:
        form.instance._history_user = par
    diagnostic = form.save()
    existants = {c.domaine: c for c in diagnostic.commentaires.all()}
    for domaine, texte in form.commentaires().items():
        commentaire = existants.get(domaine) or CommentaireDomaine(diagnostic=diagnostic, domaine=domaine)
        if par is not None:
            commentaire._history_user = par
        if not texte and commentaire.pk:
            commentaire.delete()
        elif texte and commentaire.texte != texte:
            commentaire.texte = texte
            commentaire.save()
    return diagnostic


def formulaire_besoin(convention: Convention, donnees=None, instance=None):
    """The form of a need of the convention's diagnostic: its domain, the member communes concerned (by name) and
    the catalogue's indicators that support it."""
    from ctg.formats import trier_par_nom

    from .catalogue import INDICATEURS
    from .forms import BesoinForm

    adhesions = trier_par_nom(convention.adhesions.select_related("commune"), nom=lambda a: a.commune.nom)
    return BesoinForm(
        donnees,
        instance=instance,
        diagnostic=diagnostic_de(convention),
        communes=[(a.commune_id, a.commune.nom) for a in adhesions],
        indicateurs=[(i.code, i.libelle) for i in INDICATEURS.values()],
    )


def _auteur(objet, par) -> None:
    if par is not None:
        objet._history_user = par


@transaction.atomic
def enregistrer_besoin(form, par=None):
    """Save the valid ``form`` of a need (with its communes and indicators), while the diagnostic is a draft."""
    verifier_modifiable(form.diagnostic)
    _auteur(form.instance, par)
    return form.save()


@transaction.atomic
def supprimer_besoin(besoin, par=None) -> None:
    """Delete a need of a draft diagnostic (the fiches that answered it no longer name it)."""
    verifier_modifiable(besoin.diagnostic)
    _auteur(besoin, par)
    besoin.delete()


@transaction.atomic
def enregistrer_contribution(form, par=None):
    """Save the valid ``form`` of a partner's contribution, while the diagnostic is a draft."""
    verifier_modifiable(form.diagnostic)
    _auteur(form.instance, par)
    return form.save()


def _verrouiller(diagnostic: DiagnosticConvention) -> DiagnosticConvention:
    """Lock the diagnostic's row and re-read it: two transitions at once cannot both start from the same state
    (a second one waits, then sees the state the first one left)."""
    DiagnosticConvention.objects.select_for_update().filter(pk=diagnostic.pk).values_list("pk").get()
    diagnostic.refresh_from_db()
    return diagnostic


def _autoriser(transition, par, refus: str) -> None:
    """Refuse unless ``par`` holds the transition's permission; the history then names ``par`` as the author."""
    if par is None:
        return
    if not a_la_permission(transition, par):
        raise ChangementImpossible(refus, code="non_autorise")
    transition.__self__._history_user = par


@contextlib.contextmanager
def _decision_appliquee(diagnostic: DiagnosticConvention, decision, motif: str = ""):
    diagnostic._decision_du_comite = decision
    diagnostic._motif = motif
    try:
        yield
    finally:
        del diagnostic._decision_du_comite
        del diagnostic._motif


def _enregistrer(diagnostic: DiagnosticConvention, raison: str = "") -> None:
    """Save a transition, with its reason in the history; its new version makes any form opened before it stale
    (``ctg.concurrence``)."""
    if raison:
        diagnostic._change_reason = raison
    diagnostic.version += 1
    diagnostic.save()


def _verifier_decision(diagnostic: DiagnosticConvention, decision, objet: str) -> None:
    """The decision must be an adopted decision of a held meeting of this convention's comité de pilotage."""
    from ctg.gouvernance.decisions import adoptee
    from ctg.gouvernance.models import Decision

    if not isinstance(decision, Decision) or decision.pk is None:
        raise ChangementImpossible("Seule une décision enregistrée du comité de pilotage peut faire ce changement.")
    reunion = decision.reunion
    if reunion.comite.convention_id != diagnostic.convention_id or reunion.comite.parent_id is not None:
        raise ChangementImpossible(
            "La décision doit être prise par le comité de pilotage de cette convention (pas par un sous-comité ni "
            "par le comité d'une autre convention)."
        )
    if not reunion.est_tenue:
        raise ChangementImpossible("La décision doit être prise lors d'une réunion tenue du comité de pilotage.")
    if decision.objet != objet:
        raise ChangementImpossible(f"La décision n'a pas pour objet « {decision.get_objet_display()} » attendu.")
    if not adoptee(decision):
        raise ChangementImpossible("La décision a été rejetée par le comité : rien n'est modifié.")


def _verifier_date(diagnostic: DiagnosticConvention, jour: date, quoi: str) -> None:
    convention = diagnostic.convention
    debut = convention.date_signature or convention.date_debut
    if jour < debut:
        raise ChangementImpossible(f"La date {quoi} précède la signature de la convention ({debut:%d/%m/%Y}).")
    if jour > horloge.aujourd_hui():
        raise ChangementImpossible(f"La date {quoi} ({jour:%d/%m/%Y}) est dans le futur.")


@transaction.atomic
def soumettre(diagnostic: DiagnosticConvention, jour: date, par=None) -> DiagnosticConvention:
    """Submit the draft to the comité de pilotage on ``jour``."""
    diagnostic = _verrouiller(diagnostic)
    if diagnostic.statut != StatutDiagnostic.BROUILLON:
        raise ChangementImpossible("Seul un diagnostic en brouillon peut être soumis au comité de pilotage.")
    _autoriser(
        diagnostic.soumettre,
        par,
        "Seuls la ou le conseiller·ère territorial·e de la Caf et la ou le chef·fe de projet de la collectivité "
        "soumettent le diagnostic au comité de pilotage.",
    )
    if not can_proceed(diagnostic.soumettre):
        raise ChangementImpossible("Rédigez la synthèse ou identifiez au moins un besoin avant de soumettre.")
    _verifier_date(diagnostic, jour, "de soumission")
    if diagnostic.rouvert_le and jour < diagnostic.rouvert_le:
        raise ChangementImpossible(
            f"La date de soumission précède la réouverture du diagnostic ({diagnostic.rouvert_le:%d/%m/%Y})."
        )
    diagnostic.soumettre(jour)
    _enregistrer(diagnostic)
    return diagnostic


@transaction.atomic
def retirer(diagnostic: DiagnosticConvention, par=None) -> DiagnosticConvention:
    """Withdraw a submitted diagnostic (back to draft) before the comité decides."""
    diagnostic = _verrouiller(diagnostic)
    if diagnostic.statut != StatutDiagnostic.SOUMIS:
        raise ChangementImpossible(
            "Seul un diagnostic soumis et pas encore validé peut être retiré. Un diagnostic validé ne revient en "
            "brouillon que par une décision du comité de pilotage, avec son motif."
        )
    _autoriser(
        diagnostic.retirer,
        par,
        "Seuls la ou le conseiller·ère territorial·e de la Caf et la ou le chef·fe de projet de la collectivité "
        "retirent le diagnostic soumis.",
    )
    diagnostic.retirer()
    _enregistrer(diagnostic)
    return diagnostic


def _date_convention(diagnostic: DiagnosticConvention) -> None:
    """The convention's ``diagnostic_valide_le`` is the FIRST validation: the year-2 deadline met on that day."""
    convention = diagnostic.convention
    premiere = diagnostic.premiere_validation_le
    dates = [d for d in (convention.diagnostic_valide_le, premiere) if d]
    if dates and min(dates) != convention.diagnostic_valide_le:
        convention.diagnostic_valide_le = min(dates)
        convention.save(update_fields=["diagnostic_valide_le", "modifiee_le"])


@transaction.atomic
def valider(diagnostic: DiagnosticConvention, decision, par=None) -> DiagnosticConvention:
    """The comité de pilotage validates the submitted diagnostic by ``decision``, on its meeting's date."""
    from ctg.gouvernance.models import ObjetDecision

    diagnostic = _verrouiller(diagnostic)
    if diagnostic.statut != StatutDiagnostic.SOUMIS:
        raise ChangementImpossible(
            "Le diagnostic est déjà validé."
            if diagnostic.statut == StatutDiagnostic.VALIDE
            else "Le diagnostic doit d'abord être soumis au comité de pilotage."
        )
    _verifier_decision(diagnostic, decision, ObjetDecision.DIAGNOSTIC_VALIDE)
    jour = decision.reunion.date
    _verifier_date(diagnostic, jour, "de validation")
    if jour < diagnostic.soumis_le:
        raise ChangementImpossible("La date de validation précède la date de soumission.")
    with _decision_appliquee(diagnostic, decision):
        _autoriser(
            diagnostic.valider,
            par,
            "La validation du diagnostic est enregistrée avec la décision du comité de pilotage, par la ou le "
            "conseiller·ère territorial·e de la Caf ou la ou le chef·fe de projet de la collectivité.",
        )
        diagnostic.valider()
    _enregistrer(diagnostic, f"Validé par décision du comité de pilotage du {jour:%d/%m/%Y}")
    _date_convention(diagnostic)
    return diagnostic


@transaction.atomic
def rouvrir(diagnostic: DiagnosticConvention, decision, motif: str, par=None) -> DiagnosticConvention:
    """Reopen a validated diagnostic (back to draft) by an adopted decision of the comité, with its reason.

    The first validation date stays, on the diagnostic and on the convention."""
    from ctg.gouvernance.models import ObjetDecision

    diagnostic = _verrouiller(diagnostic)
    if diagnostic.statut != StatutDiagnostic.VALIDE:
        raise ChangementImpossible("Seul un diagnostic validé peut être rouvert par le comité de pilotage.")
    if not (motif or "").strip():
        raise ChangementImpossible("Indiquez le motif de la réouverture du diagnostic validé.")
    _verifier_decision(diagnostic, decision, ObjetDecision.DIAGNOSTIC_ROUVERT)
    if decision.reunion.date < diagnostic.valide_le:
        raise ChangementImpossible(
            f"La décision du {decision.reunion.date:%d/%m/%Y} précède la validation du diagnostic "
            f"({diagnostic.valide_le:%d/%m/%Y})."
        )
    with _decision_appliquee(diagnostic, decision, motif):
        _autoriser(
            diagnostic.rouvrir,
            par,
            "La réouverture du diagnostic est enregistrée avec la décision du comité de pilotage, par la ou le "
            "conseiller·ère territorial·e de la Caf ou la ou le chef·fe de projet de la collectivité.",
        )
        diagnostic.rouvrir()
    _enregistrer(
        diagnostic, f"Rouvert par décision du comité de pilotage du {decision.reunion.date:%d/%m/%Y} : {motif.strip()}"
    )
    _date_convention(diagnostic)
    return diagnostic


REFUS_COMITE = (
    "La validation du diagnostic et sa réouverture sont des décisions du comité de pilotage : enregistrez-les avec "
    "la décision, dans la réunion tenue du comité (page « Comité de pilotage »)."
)
ACTIONS = ("soumettre", "retirer")


def changer_statut(diagnostic: DiagnosticConvention, action: str, jour: date | None, par=None):
    """The page's buttons: ``soumettre`` (on ``jour``, the date of submission) or ``retirer``; validating and
    reopening are decisions of the comité de pilotage (refused here, with where to record them)."""
    if action == "soumettre":
        if jour is None:
            raise ChangementImpossible("Indiquez une date de soumission valide.")
        return soumettre(diagnostic, jour, par=par)
    if action == "retirer":
        return retirer(diagnostic, par=par)
    if action in {"valider", "rouvrir"}:
        raise ChangementImpossible(REFUS_COMITE)
    raise ChangementImpossible("Action inconnue.")


def etat_du_diagnostic(diagnostic: DiagnosticConvention) -> str:
    """The diagnostic's state in words, as the page and the report print it."""
    reouverture = ""
    if diagnostic.rouvert_le:
        reouverture = f"Rouvert le {diagnostic.rouvert_le:%d/%m/%Y}"
        if diagnostic.decision_reouverture_id:
            reouverture += f" (décision du comité du {diagnostic.decision_reouverture.reunion.date:%d/%m/%Y})"
    if diagnostic.statut == StatutDiagnostic.VALIDE:
        texte = f"Validé par le comité de pilotage le {diagnostic.valide_le:%d/%m/%Y}"
        if diagnostic.premiere_validation_le and diagnostic.premiere_validation_le != diagnostic.valide_le:
            texte += f" (première validation le {diagnostic.premiere_validation_le:%d/%m/%Y})"
        return texte
    if diagnostic.statut == StatutDiagnostic.SOUMIS:
        texte = f"Soumis au comité de pilotage le {diagnostic.soumis_le:%d/%m/%Y}"
        return texte + (f" — {reouverture[0].lower()}{reouverture[1:]}" if reouverture else "")
    if reouverture:
        return (
            f"{reouverture} : {diagnostic.motif_reouverture} — en cours de révision, première validation le "
            f"{diagnostic.premiere_validation_le:%d/%m/%Y}"
        )
    return StatutDiagnostic.BROUILLON.label
