"""What the comité de pilotage records and what its decisions change.

- :func:`enregistrer_presences`: the attendance of a meeting (recording it marks a past meeting as held, through
  ``ctg.gouvernance.reunions.tenir``);
- :func:`enregistrer_decision`: a decision taken by consensus or put to the vote, with one :class:`Vote` per voting
  member present or represented; an adopted decision updates what it decides (:func:`appliquer`):

  - "diagnostic validé": the shared diagnostic is submitted if still in draft, then validated on the meeting's date
    (``ctg.diagnostic.partage``, its rules layer), which sets the convention's ``diagnostic_valide_le`` the first
    time only;
  - "diagnostic rouvert": a validated diagnostic goes back to draft, with the decision's reason (``motif``); its
    first validation date stays;
  - "plan adopté": ``ctg.plan.cycle.adopter_plan(convention, jour)`` when the plan app offers it, else the
    convention's ``objectifs_identifies_le`` is set to the meeting's date;
  - "action adaptée": the text, the fiche's free reference and its number are kept on the decision;
  - "initiative retenue": the initiative (its number in ``objet_id``) is marked as followed;

- :func:`transformer_initiative`: an initiative of the innovation watch becomes a fiche action.

The plan app, a sibling, is not imported: what it offers the comité is asked for through the extension point
``comite`` (:func:`extension_du_comite`, ``ctg.plan.comite``); without it, the convention records the adoption.
"""

from __future__ import annotations

import inspect
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from simple_history.utils import bulk_create_with_history

from ctg import horloge

from . import reunions
from .models import (
    ROLES_VOTANTS,
    ChoixVote,
    Decision,
    EtatPresence,
    Initiative,
    Membre,
    ModeDecision,
    ObjetDecision,
    Presence,
    Reunion,
    RoleComite,
    StatutReunion,
    SuiviInitiative,
    Vote,
)


class DecisionImpossible(Exception):
    """A decision, a vote or an attendance that cannot be recorded; the message is for the user."""


def extension_du_comite(nom: str):
    """The function ``nom`` an app offers the comité in its ``comite`` module (``ctg.plan.comite``), else None."""
    from ctg.extensions import modules_des_applications

    for module in modules_des_applications("comite", sauf="ctg.gouvernance"):
        fonction = getattr(module, nom, None)
        if fonction is not None:
            return fonction
    return None


# --- Attendance ----------------------------------------------------------------------------------------------


@transaction.atomic
def enregistrer_presences(
    reunion: Reunion, etats: dict[Membre, tuple[str, str]], aujourd_hui: date | None = None, par=None
):
    """Record ``{membre: (etat, represente_par)}`` (an empty ``etat`` erases what was recorded); a past or present
    meeting still planned becomes held (``reunions.tenir``)."""
    from .regles import membres_en_fonction

    aujourd_hui = min(aujourd_hui or horloge.aujourd_hui(), horloge.aujourd_hui())
    reunions.verrouiller(reunion)
    if reunion.est_close:
        raise DecisionImpossible(reunion.refus_reunion_close().messages[0])
    if reunion.statut == StatutReunion.ANNULEE:
        raise DecisionImpossible("Cette réunion est annulée : les présences ne peuvent pas être enregistrées.")
    if reunion.date > aujourd_hui:
        raise DecisionImpossible(
            f"La réunion du {reunion.date:%d/%m/%Y} n'a pas encore eu lieu : "
            "les présences s'enregistrent le jour même ou après."
        )
    en_fonction = {m.pk for m in membres_en_fonction(reunion.comite, reunion.date)}
    existantes = {p.membre_id: p for p in reunion.presences.all()}
    for membre, (etat, represente_par) in etats.items():
        if membre.pk not in en_fonction:
            raise DecisionImpossible(f"{membre} n'était pas membre du comité le {reunion.date:%d/%m/%Y}.")
        presence = existantes.get(membre.pk)
        if not etat:
            if presence is not None:
                presence.delete()
            continue
        if etat == EtatPresence.REPRESENTE and not represente_par.strip():
            raise DecisionImpossible(f"Indiquez qui représentait {membre}.")
        represente_par = represente_par.strip() if etat == EtatPresence.REPRESENTE else ""
        if presence is None:
            Presence.objects.create(reunion=reunion, membre=membre, etat=etat, represente_par=represente_par)
        elif (presence.etat, presence.represente_par) != (etat, represente_par):
            presence.etat, presence.represente_par = etat, represente_par
            presence.save()
    if not reunion.presences.exists():
        raise DecisionImpossible("Renseignez la présence d'au moins un membre.")
    if reunion.statut == StatutReunion.PLANIFIEE:
        try:
            reunions.tenir(reunion, par=par)
        except reunions.ChangementReunionImpossible as exc:
            raise DecisionImpossible(exc.texte) from exc


# --- Votes ---------------------------------------------------------------------------------------------------


def verifier_votant(reunion: Reunion, membre: Membre) -> None:
    """Raise :class:`DecisionImpossible` if ``membre`` may not vote at ``reunion``."""
    if membre.comite_id != reunion.comite_id:
        raise DecisionImpossible(f"{membre} ne siège pas à ce comité.")
    if membre.role == RoleComite.CONSULTATIF:
        raise DecisionImpossible(
            f"{membre} siège à titre consultatif (personne ressource) : son vote ne peut pas être enregistré."
        )
    if membre.role not in ROLES_VOTANTS:
        raise DecisionImpossible(f"{membre} assure le secrétariat du comité et ne prend pas part au vote.")
    if not membre.en_fonction(reunion.date):
        raise DecisionImpossible(f"{membre} n'était pas membre du comité le {reunion.date:%d/%m/%Y}.")
    presence = Presence.objects.filter(reunion=reunion, membre=membre).first()
    if presence is None or not presence.compte:
        raise DecisionImpossible(f"{membre} n'était ni présent·e ni représenté·e : son vote ne peut pas être compté.")


def decompte(decision: Decision) -> dict[str, int]:
    votes = list(decision.votes.all())
    return {choix: sum(1 for v in votes if v.choix == choix) for choix in ChoixVote.values}


def adoptee(decision: Decision) -> bool:
    if decision.mode == ModeDecision.CONSENSUS:
        return True
    compte = decompte(decision)
    return compte[ChoixVote.POUR] > compte[ChoixVote.CONTRE]


def resultat(decision: Decision) -> str:
    if decision.mode == ModeDecision.CONSENSUS:
        return "adoptée par consensus"
    compte = decompte(decision)
    etat = "adoptée" if adoptee(decision) else "rejetée"
    return (
        f"{etat} ({compte['pour']} pour, {compte['contre']} contre, "
        f"{compte['abstention']} abstention{'s' if compte['abstention'] > 1 else ''})"
    )


@transaction.atomic
def enregistrer_decision(
    reunion: Reunion,
    texte: str,
    mode: str = ModeDecision.CONSENSUS,
    objet: str = ObjetDecision.AUTRE,
    reference: str = "",
    objet_id: int | None = None,
    votes: dict[Membre, str] | None = None,
    par=None,
    motif: str = "",
) -> Decision:
    """Record a decision of a held meeting, its votes, and apply it if adopted. All or nothing."""
    reunions.verrouiller(reunion)  # one decision at a time per meeting: numbers stay unique
    if reunion.est_close:
        raise DecisionImpossible(reunion.refus_reunion_close().messages[0])
    if reunion.statut != StatutReunion.TENUE:
        raise DecisionImpossible(
            "Une décision se prend en réunion tenue : enregistrez d'abord les présences de cette réunion."
        )
    votes = {m: c for m, c in (votes or {}).items() if c}
    if mode == ModeDecision.CONSENSUS and votes:
        raise DecisionImpossible("Une décision prise par consensus n'enregistre pas de votes : choisissez « Vote ».")
    if mode == ModeDecision.VOTE and not votes:
        raise DecisionImpossible("Enregistrez le vote d'au moins un membre votant, ou choisissez le consensus.")
    if objet == ObjetDecision.DIAGNOSTIC_ROUVERT and not motif.strip():
        raise DecisionImpossible("Indiquez le motif de la réouverture du diagnostic validé.")
    for membre in votes:
        verifier_votant(reunion, membre)
    ordre = (reunion.decisions.aggregate(dernier=Max("ordre"))["dernier"] or 0) + 1
    decision = Decision.objects.create(
        reunion=reunion,
        ordre=ordre,
        texte=texte.strip(),
        mode=mode,
        objet=objet,
        reference=reference.strip(),
        objet_id=objet_id,
        motif=motif.strip(),
        enregistree_par=par if par is not None and par.is_authenticated else None,
    )
    bulk_create_with_history([Vote(decision=decision, membre=m, choix=c) for m, c in votes.items()], Vote)
    if adoptee(decision):
        decision.effet = appliquer(decision, par=par)
    else:
        decision.effet = "Décision rejetée : rien n'est modifié."
    decision.save(update_fields=["effet"])
    return decision


# --- Effects -------------------------------------------------------------------------------------------------


def appliquer(decision: Decision, par=None) -> str:
    """Update what an adopted decision decides, through each app's rules layer; return what was done, in French."""
    reunion = decision.reunion
    jour = reunion.date
    convention = reunion.comite.convention
    if decision.objet == ObjetDecision.DIAGNOSTIC_VALIDE:
        return _valider_diagnostic(convention, decision, par)
    if decision.objet == ObjetDecision.DIAGNOSTIC_ROUVERT:
        return _rouvrir_diagnostic(convention, decision, par)
    if decision.objet == ObjetDecision.PLAN_ADOPTE:
        adopter_plan = extension_du_comite("adopter_plan")
        if adopter_plan is not None:
            qui = {"user": par} if "user" in inspect.signature(adopter_plan).parameters else {}
            try:
                adopter_plan(convention, jour, **qui)
            except (ValueError, ValidationError) as exc:  # the plan app's refusal (AdoptionImpossible), shown as is
                texte = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
                raise DecisionImpossible(f"Le plan d'actions n'a pas pu être adopté : {texte}") from exc
            return f"Plan d'actions adopté le {jour:%d/%m/%Y}."
        convention.objectifs_identifies_le = jour
        convention.save(update_fields=["objectifs_identifies_le", "modifiee_le"])
        return f"Objectifs et projets conjoints identifiés le {jour:%d/%m/%Y} (enregistré sur la convention)."
    if decision.objet == ObjetDecision.ACTION_ADAPTEE:
        cible = decision.reference or "action"
        numero = f" (fiche n° {decision.objet_id})" if decision.objet_id else ""
        return f"Adaptation de « {cible} »{numero} décidée le {jour:%d/%m/%Y}."
    if decision.objet == ObjetDecision.INITIATIVE and decision.objet_id:
        initiative = Initiative.objects.filter(pk=decision.objet_id, convention=convention).first()
        if initiative is None:
            raise DecisionImpossible(f"Aucune initiative n° {decision.objet_id} sur cette convention.")
        if initiative.suivi in {SuiviInitiative.REPEREE, SuiviInitiative.A_DISCUTER}:
            initiative.suivi = SuiviInitiative.SUIVIE
        initiative.notes_suivi = (
            initiative.notes_suivi + "\n" if initiative.notes_suivi else ""
        ) + f"{jour:%d/%m/%Y} : retenue par le comité de pilotage — {decision.texte}"
        initiative.save(update_fields=["suivi", "notes_suivi"])
        return f"Initiative « {initiative.titre} » retenue et suivie."
    return ""


def _valider_diagnostic(convention, decision: Decision, par) -> str:
    from ctg.diagnostic.models import StatutDiagnostic
    from ctg.diagnostic.partage import ChangementImpossible, diagnostic_de, soumettre, valider

    jour = decision.reunion.date
    diagnostic = diagnostic_de(convention)
    if diagnostic.statut == StatutDiagnostic.VALIDE:
        return f"Le diagnostic était déjà validé (le {diagnostic.valide_le:%d/%m/%Y}) : rien n'est modifié."
    try:
        if diagnostic.statut == StatutDiagnostic.BROUILLON:
            soumettre(diagnostic, jour, par=par)
        valider(diagnostic, decision, par=par)
    except ChangementImpossible as exc:
        raise DecisionImpossible(f"Le diagnostic n'a pas pu être validé : {exc.texte}") from exc
    texte = f"Diagnostic partagé validé le {jour:%d/%m/%Y}."
    if diagnostic.premiere_validation_le != diagnostic.valide_le:
        texte += (
            f" La date de la première validation ({diagnostic.premiere_validation_le:%d/%m/%Y}) reste celle de "
            "l'échéance de la convention."
        )
    return texte


def _rouvrir_diagnostic(convention, decision: Decision, par) -> str:
    from ctg.diagnostic.partage import ChangementImpossible, diagnostic_de, rouvrir

    try:
        diagnostic = rouvrir(diagnostic_de(convention), decision, decision.motif, par=par)
    except ChangementImpossible as exc:
        raise DecisionImpossible(f"Le diagnostic n'a pas pu être rouvert : {exc.texte}") from exc
    return (
        f"Diagnostic partagé rouvert le {diagnostic.rouvert_le:%d/%m/%Y} (décision du comité du "
        f"{decision.reunion.date:%d/%m/%Y}), motif : « {diagnostic.motif_reouverture} ». La première validation "
        f"({diagnostic.premiere_validation_le:%d/%m/%Y}) reste la date de l'échéance de la convention."
    )


# --- Innovation watch ----------------------------------------------------------------------------------------


def _creer_fiche_plan(initiative: Initiative):
    """A fiche action created by the plan app, if it offers a function for it (checked at run time)."""
    creer = extension_du_comite("creer_fiche_depuis_initiative")
    if creer is None:
        return None
    valeurs = {
        "convention": initiative.convention,
        "titre": initiative.titre,
        "description": initiative.description,
        "commune_code": initiative.commune_id,
    }
    acceptes = inspect.signature(creer).parameters
    return creer(**{k: v for k, v in valeurs.items() if k in acceptes})


@transaction.atomic
def signaler_initiative(form, convention, par=None) -> Initiative:
    """An initiative of the territory reported to the comité (the page's valid ``InitiativeForm``), by ``par``."""
    initiative = form.save(commit=False)
    initiative.convention = convention
    initiative.signalee_par = par
    initiative._history_user = par
    initiative.save()
    return initiative


@transaction.atomic
def enregistrer_initiative(form, par=None) -> Initiative:
    """An initiative changed, with its follow-up (the page's valid ``InitiativeForm`` with ``suivi``)."""
    initiative = form.save(commit=False)
    initiative._history_user = par
    initiative.save()
    return initiative


@transaction.atomic
def transformer_initiative(
    initiative: Initiative, jour: date, reference: str = "", fiche_id: int | None = None, par=None
):
    """Mark the initiative as turned into a fiche action (created by the plan app when it offers to); refused
    (:class:`DecisionImpossible`) when it already is."""
    if initiative.suivi == SuiviInitiative.TRANSFORMEE:
        raise DecisionImpossible("Cette initiative est déjà transformée en fiche action.")
    if not reference.strip() and fiche_id is None:
        fiche = _creer_fiche_plan(initiative)
        if fiche is not None:
            fiche_id = getattr(fiche, "pk", None)
            reference = str(fiche)
    initiative.suivi = SuiviInitiative.TRANSFORMEE
    initiative.transformee_le = jour
    initiative.fiche_reference = reference.strip() or f"Fiche action « {initiative.titre} »"
    initiative.fiche_id = fiche_id
    initiative._history_user = par
    initiative.save(update_fields=["suivi", "transformee_le", "fiche_reference", "fiche_id"])
    return initiative
