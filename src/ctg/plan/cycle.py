"""The rules layer of the plan: every change of state goes through here — pages, commands, the demo and the other
apps (gouvernance: a "plan adopté" decision of the comité de pilotage, a fiche created from an innovative
initiative) alike. Nothing else fires a transition of ``ctg.plan.models`` or writes a status.

Each function checks, in this order, the state (the transition exists from the current status), who acts (the
``permission`` of the transition, ``ctg.plan.perms``) and the preconditions (its ``conditions``), and refuses with
:class:`ChangementImpossible` and a message saying why. The row is locked (``select_for_update``) while the
transition is checked and recorded: two people firing the same transition at once give one success.

Every act is dated. A person acts today (an adoption or a review carries the date of the comité's meeting, which
must not be in the future); a command or the demo (the system user) may record a past act at its real date — the
conditions judge the act on that day, so the demo loaded after the convention's end still tells its story.
"""

from __future__ import annotations

from contextlib import nullcontext
from datetime import date

from django.db import transaction
from django.db.models import Max
from django_fsm import can_proceed

from ctg import horloge
from ctg.audit import motif as motif_audit
from ctg.audit import utilisateur_systeme

from . import perms
from .arbre import semer_arbre
from .models import (
    AdaptationObjectif,
    EvaluationAction,
    FicheAction,
    Plan,
    Priorite,
    Revue,
    StatutPlan,
    TypeRevue,
    acte_pas_dans_le_futur,
    bilan_final_enregistre,
    convention_signee_ce_jour,
    jamais_revise,
    jour_de_l_acte,
    motif_indique,
    motif_lecture_seule,
    plan_modifiable,
    posterieur_au_dernier_acte,
)


class ChangementImpossible(ValueError):
    """A change the rules refuse; the message (French) says what is refused and why."""


class AdoptionImpossible(ChangementImpossible):
    pass


class PermissionRefusee(ChangementImpossible):
    pass


# --- The plan and its tree -------------------------------------------------------------------------------------


def plan_de(convention) -> Plan:
    """The plan of ``convention``, created with its objectives tree (missions of article 2, enjeux of article 4)
    the first time. For the write paths; a page that only reads uses :func:`plan_lu`."""
    plan = Plan.objects.filter(convention=convention).first()
    if plan is None:
        with transaction.atomic():
            plan, cree = Plan.objects.get_or_create(convention=convention)
            if cree:
                semer_arbre(convention)
    return plan


def plan_lu(convention) -> Plan:
    """The plan as it stands, without writing anything (an unsaved plan "en préparation" if none yet)."""
    return Plan.objects.filter(convention=convention).first() or Plan(convention=convention)


# --- Checking and firing a transition --------------------------------------------------------------------------


def _fmt(jour) -> str:
    return f"{jour:%d/%m/%Y}" if jour else "?"


def _refus_condition(condition, instance) -> str:
    """The reason, in French, that a precondition does not hold for ``instance``."""
    jour = jour_de_l_acte(instance)
    convention = instance.convention
    if condition is acte_pas_dans_le_futur:
        return f"La date indiquée ({_fmt(jour)}) est dans le futur : un acte s'enregistre le jour même ou après."
    if condition is convention_signee_ce_jour:
        debut = convention.date_signature or convention.date_debut
        return f"La date d'adoption ({_fmt(jour)}) précède la signature de la convention ({_fmt(debut)})."
    if condition is posterieur_au_dernier_acte:
        return (
            f"La date indiquée ({_fmt(jour)}) précède le dernier changement enregistré : indiquez une date plus "
            "récente."
        )
    if condition is plan_modifiable:
        return motif_de_refus(convention, jour, getattr(instance, "_par_le_systeme", False)) or ""
    if condition is jamais_revise:
        return (
            "Le plan a été révisé depuis son adoption : son adoption ne peut plus être retirée "
            f"(révision adoptée le {_fmt(instance.revise_le)})."
        )
    if condition is motif_indique:
        return "Indiquez le motif de la révision (la décision du comité de pilotage qui l'ouvre)."
    if condition is bilan_final_enregistre:
        return "Le plan se clôt par son bilan final : enregistrez d'abord le bilan."
    return f"Condition non remplie : {condition.__name__}."


def motif_de_refus(convention, jour: date, par_le_systeme: bool) -> str | None:
    """Why the plan cannot change for an act dated ``jour``: judged on that day, and also today for a person
    (after the convention's end, nobody edits the plan from a page, whatever the date typed)."""
    motif = motif_lecture_seule(convention, jour)
    if motif is None and not par_le_systeme:
        motif = motif_lecture_seule(convention)
    return motif


def _franchir(instance, nom: str, user, jour: date, motif: str = ""):
    """Check and fire the transition ``nom`` of ``instance`` (locked by the caller) for ``user`` on ``jour``."""
    methode = getattr(instance, nom, None)
    if methode is None or not hasattr(methode, "_django_fsm"):
        raise ChangementImpossible(f"Changement inconnu : « {nom} ».")
    instance._jour_acte = jour
    instance._motif = motif
    instance._par_le_systeme = perms.est_systeme(user)
    if not can_proceed(methode, check_conditions=False):
        statut = instance.get_statut_display().lower()
        raise ChangementImpossible(
            f"Ce changement (« {nom.replace('_', ' ')} ») ne s'applique pas au statut « {statut} »."
        )
    transition = methode._django_fsm.get_transition(instance.statut)
    libelle = transition.custom.get("libelle", nom)
    if not transition.has_perm(instance, user):
        qui = (
            "à la ou au pilote de la fiche, à la ou au conseiller Caf et à la ou au chef de projet"
            if transition.permission is perms.pilote_de_la_fiche
            else "à la ou au conseiller Caf et à la ou au chef de projet de la convention"
        )
        raise PermissionRefusee(f"« {libelle} » est réservé {qui}.")
    for condition in transition.conditions:
        if not condition(instance):
            raise ChangementImpossible(f"« {libelle} » refusé : {_refus_condition(condition, instance)}")
    # The history records why: the transition (and its reason) for a person; a command keeps its own name.
    contexte = (
        nullcontext() if perms.est_systeme(user) else motif_audit(f"{libelle}{f' : {motif}' if motif else ''}", user)
    )
    with contexte:
        methode()
        if hasattr(instance, "version"):
            instance.version += 1
        instance.save()
    return instance


def _jour(user, jour: date | None) -> date:
    """A person acts today; the system may record a past act at its date."""
    aujourd_hui = horloge.aujourd_hui()
    if jour is None:
        return aujourd_hui
    if not perms.est_systeme(user) and jour != aujourd_hui:
        raise ChangementImpossible(f"Ce changement s'enregistre à la date du jour ({_fmt(aujourd_hui)}).")
    return jour


def _systeme_si_absent(user):
    return user if user is not None else utilisateur_systeme()


# --- The plan's lifecycle --------------------------------------------------------------------------------------


def _plan_verrouille(convention) -> Plan:
    return Plan.objects.select_for_update().select_related("convention").get(pk=plan_de(convention).pk)


@transaction.atomic
def adopter_plan(convention, jour: date, user=None) -> Plan:
    """The comité de pilotage adopts the plan on ``jour`` (the date of its meeting): the first time, the objectives
    and joint projects are identified (article 4: "au plus tard à l'issue de la deuxième année de
    conventionnement"), which meets the convention's deadline; after a revision, the revision is adopted.

    ``user`` is who records it; without one, the system (a decision of the comité recorded by the gouvernance
    app)."""
    user = _systeme_si_absent(user)
    plan = _plan_verrouille(convention)
    premiere = plan.adopte_le is None
    try:
        _franchir(plan, "adopter", user, jour)
    except ChangementImpossible as exc:
        raise AdoptionImpossible(str(exc)) from exc
    if premiere:
        convention.objectifs_identifies_le = plan.adopte_le
        convention.save(update_fields=["objectifs_identifies_le", "modifiee_le"])
    return plan


@transaction.atomic
def retirer_adoption(convention, user=None) -> Plan:
    """An adoption recorded by mistake: the plan is in preparation again, the article 4 deadline no longer met
    (the history keeps the adoption that was withdrawn)."""
    user = _systeme_si_absent(user)
    plan = _plan_verrouille(convention)
    adopte_le = plan.adopte_le
    _franchir(plan, "retirer_adoption", user, horloge.aujourd_hui())
    if adopte_le and convention.objectifs_identifies_le == adopte_le:
        convention.objectifs_identifies_le = None
        convention.save(update_fields=["objectifs_identifies_le", "modifiee_le"])
    return plan


@transaction.atomic
def ouvrir_revision(convention, user, motif: str, jour: date | None = None) -> Plan:
    """The comité decides to revise the adopted plan (``motif``: its decision): the objectives open again until the
    revision is adopted (:func:`adopter_plan`); the first adoption date is kept."""
    plan = _plan_verrouille(convention)
    return _franchir(plan, "ouvrir_revision", user, jour or horloge.aujourd_hui(), motif=motif.strip())


# --- Fiches action ---------------------------------------------------------------------------------------------


def verifier_plan_ouvert(convention, user, jour: date | None = None) -> None:
    """Refuse (why, in French) when ``user`` may not change the plan of ``convention`` for an act on ``jour``."""
    if not perms.est_editeur(user, convention):
        raise PermissionRefusee(
            "Seuls la ou le conseiller Caf et la ou le chef de projet de la convention modifient le plan d'actions."
        )
    motif = motif_de_refus(convention, jour or horloge.aujourd_hui(), perms.est_systeme(user))
    if motif:
        raise ChangementImpossible(motif)


def numero_suivant(convention) -> int:
    """The number of a new fiche; locks the plan's row until the end of the caller's transaction, so that two
    fiches created at once get two numbers."""
    _plan_verrouille(convention)
    return (FicheAction.objects.filter(convention=convention).aggregate(n=Max("numero"))["n"] or 0) + 1


@transaction.atomic
def creer_fiche(convention, titre: str, user, jour: date | None = None, **champs) -> FicheAction:
    """A new fiche "à venir" (its status then moves only through :func:`changer_statut_fiche`)."""
    if "statut" in champs or "statut_le" in champs:
        raise TypeError("Le statut d'une fiche change par changer_statut_fiche, jamais à la création.")
    jour = _jour(user, jour)
    verifier_plan_ouvert(convention, user, jour)
    fiche = FicheAction(convention=convention, numero=numero_suivant(convention), titre=titre, statut_le=jour, **champs)
    fiche.save()
    return fiche


def creer_fiche_depuis_initiative(
    convention, titre: str, description: str, commune_code: str | None = None, user=None
) -> FicheAction:
    """A fiche action "à venir" from an innovative initiative spotted by the comité de pilotage (article 6); without
    ``user``, recorded by the system on the comité's decision."""
    fiche = creer_fiche(
        convention, titre[:200], _systeme_si_absent(user), description=description, priorite=Priorite.MOYENNE
    )
    if commune_code:
        fiche.communes.add(commune_code)
    return fiche


@transaction.atomic
def changer_statut_fiche(fiche: FicheAction, nom: str, user, jour: date | None = None) -> FicheAction:
    """Fire the transition ``nom`` (``demarrer``, ``terminer``…) of ``fiche`` for ``user``; return the fiche as
    recorded (its version moves on: a form read before is then refused as stale)."""
    verrouillee = FicheAction.objects.select_for_update().select_related("convention").get(pk=fiche.pk)
    return _franchir(verrouillee, nom, user, _jour(user, jour))


def transitions_possibles(fiche: FicheAction, user) -> list:
    """The status changes ``user`` may make on ``fiche`` today (name, label, target), for the page's buttons."""
    fiche._jour_acte = horloge.aujourd_hui()
    fiche._par_le_systeme = perms.est_systeme(user)
    return [
        (t.name, t.custom.get("libelle", t.name), t.target) for t in fiche.get_available_user_statut_transitions(user)
    ]


# --- Reviews and the final bilan (article 9) -------------------------------------------------------------------


@transaction.atomic
def enregistrer_revue(
    convention,
    user,
    *,
    date: date,
    type: str = TypeRevue.REVUE,
    nom_instance: str = "Comité de pilotage",
    synthese: str = "",
    effets: str = "",
    evaluations=(),
    adaptations=(),
) -> Revue:
    """Record a review of the plan (``evaluations``: dicts with ``fiche``, ``progression``, ``statut``,
    ``commentaire``, ``decision``) or the final bilan (also ``adaptations``: ``(objectif, texte)``).

    A review needs the plan open on its date; the final bilan — one per convention — may be recorded after the
    convention's end, and closes the plan."""
    aujourd_hui = horloge.aujourd_hui()
    if not perms.est_editeur(user, convention):
        raise PermissionRefusee(
            "Seuls la ou le conseiller Caf et la ou le chef de projet enregistrent les revues et le bilan du plan."
        )
    if date > aujourd_hui:
        raise ChangementImpossible(
            f"La date de la revue ({_fmt(date)}) est dans le futur : une revue s'enregistre après la réunion."
        )
    debut = convention.date_signature or convention.date_debut
    if date < debut:
        raise ChangementImpossible(
            f"La date de la revue ({_fmt(date)}) précède la signature de la convention ({_fmt(debut)})."
        )
    plan = _plan_verrouille(convention)
    bilan = type == TypeRevue.BILAN
    if bilan:
        existant = Revue.objects.filter(convention=convention, type=TypeRevue.BILAN).first()
        if existant is not None or plan.statut == StatutPlan.CLOS:
            quand = _fmt(existant.date if existant else plan.clos_le)
            raise ChangementImpossible(
                f"Le bilan final de la convention a déjà été établi (le {quand}) : il est unique."
            )
    else:
        motif = motif_de_refus(convention, date, perms.est_systeme(user))
        if motif:
            raise ChangementImpossible(motif)
    revue = Revue(
        convention=convention,
        type=type,
        date=date,
        nom_instance=nom_instance,
        synthese=synthese,
        effets=effets,
        cree_par=None if perms.est_systeme(user) else user,
    )
    revue.save()
    for e in evaluations:
        if e["fiche"].convention_id != convention.pk:
            raise ChangementImpossible("Une fiche évaluée n'appartient pas à cette convention.")
        EvaluationAction(revue=revue, **e).save()
    for objectif, texte in adaptations:
        if objectif.convention_id != convention.pk:
            raise ChangementImpossible("Un objectif à adapter n'appartient pas à cette convention.")
        if texte.strip():
            AdaptationObjectif(revue=revue, objectif=objectif, texte=texte.strip()).save()
    if bilan:
        _franchir(plan, "clore", user, date)
    return revue
