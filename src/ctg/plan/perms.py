"""Who may do what on the action plan (the roles are the convention's: ``ctg.conventions.perms``).

- every member sees the plan, its views, its reviews and downloads its documents;
- the Caf adviser and the project lead (the editors) shape the plan: objectives, fiches, reviews, adoption,
  revision, final bilan, and every change of a fiche's status;
- a commune referent who is the pilot (``FicheAction.pilote``) of a fiche edits that fiche, its indicators and
  values, and moves its status along (start, late, pause, resume, finish), and nothing else: abandoning or
  reopening an action is the editors' decision;
- the system (``ctg.audit.utilisateur_systeme``: commands, the demo, a decision of the comité recorded by the
  gouvernance app) acts as an editor.

Two layers: *who* (the role: ``editeur_du_plan``, ``pilote_de_la_fiche``, the ``permission`` of the state machines)
and *what may change now* (``peut_modifier_*``: the role, and the plan neither closed nor its convention ended —
``ctg.plan.models.motif_lecture_seule``).
"""

from __future__ import annotations

from ctg import acces
from ctg.audit import IDENTIFIANT_SYSTEME
from ctg.comptes.models import Role
from ctg.conventions import perms as perms_convention


def est_systeme(user) -> bool:
    return getattr(user, "username", None) == IDENTIFIANT_SYSTEME


# --- Who (the role on the convention) --------------------------------------------------------------------------


def est_editeur(user, convention) -> bool:
    """The Caf adviser, the project lead, the product's administrator, or the system."""
    if user is None or not user.is_authenticated:
        return False
    return user.is_superuser or est_systeme(user) or perms_convention.role(user, convention) in ROLES_EDITION


def pilote_referent(user, fiche) -> bool:
    """The commune referent who pilots ``fiche``."""
    if user is None or not user.is_authenticated or fiche.pilote_id is None or fiche.pilote_id != user.pk:
        return False
    return perms_convention.role(user, fiche.convention) == Role.REFERENT_COMMUNE


ROLES_EDITION = perms_convention.ROLES_EDITION


# The ``permission`` callables of the state machines (``instance, user``).
def editeur_du_plan(instance, user) -> bool:
    """A Plan or a FicheAction: the editors of its convention."""
    return est_editeur(user, instance.convention)


def pilote_de_la_fiche(fiche, user) -> bool:
    """A FicheAction: the editors, or the commune referent who pilots it."""
    return est_editeur(user, fiche.convention) or pilote_referent(user, fiche)


# --- What may change now (role and state) ----------------------------------------------------------------------


def lecture_seule(convention) -> str | None:
    """Why the plan is read-only today (closed, or the convention ended), or ``None``."""
    from .models import motif_lecture_seule

    return motif_lecture_seule(convention)


def peut_modifier_plan(user, convention) -> bool:
    """Create fiches, record reviews, adopt: the editors, while the plan is open."""
    return est_editeur(user, convention) and lecture_seule(convention) is None


def peut_modifier_objectifs(user, convention, plan) -> bool:
    """The objectives tree: the editors, while the plan is prepared or under revision."""
    return peut_modifier_plan(user, convention) and plan.objectifs_modifiables


def peut_modifier_fiche(user, convention, fiche) -> bool:
    """A fiche, its milestones, budget, indicators and values: editors and its piloting referent, plan open."""
    return (est_editeur(user, convention) or pilote_referent(user, fiche)) and lecture_seule(convention) is None


def peut_evaluer(user, convention) -> bool:
    """Record a review (plan open) or the final bilan (also once the convention has ended): the editors."""
    return est_editeur(user, convention)


ACCES = {
    "plan:arbre": acces.MEMBRE,
    "plan:tableau": acces.MEMBRE,
    "plan:calendrier": acces.MEMBRE,
    "plan:bord": acces.MEMBRE,
    "plan:besoins": acces.MEMBRE,
    "plan:besoins_carte": acces.MEMBRE,
    "plan:document": acces.MEMBRE,
    "plan:fiche": acces.MEMBRE,
    "plan:fiche_document": acces.MEMBRE,
    "plan:fiche_nouvelle": acces.EDITION,
    # Editors, and the referent who pilots the fiche (the walk's referent does not pilot the example fiche).
    "plan:fiche_modifier": acces.EDITION,
    "plan:fiche_statut": acces.POST,
    "plan:indicateur_nouveau": acces.EDITION,
    "plan:indicateur": acces.EDITION,
    "plan:valeur": acces.POST,
    "plan:objectif_nouveau": acces.EDITION,
    "plan:objectif": acces.EDITION,
    "plan:adopter": acces.POST,
    "plan:revues": acces.MEMBRE,
    "plan:revue_nouvelle": acces.EDITION,
    "plan:revue": acces.MEMBRE,
    "plan:revue_document": acces.MEMBRE,
    # CSV and XLSX exports of the tables (``views/exports_tableaux``)
    **{
        f"plan:{nom}_export": acces.MEMBRE
        for nom in (
            "budget",
            "cibles",
            "besoins",
            "besoins_communes",
            "revues",
            "evaluations",
            "effets",
            "fiche_budget",
            "indicateur_cibles",
            "indicateur_valeurs",
        )
    },
}


def exemples_acces(convention) -> dict:
    """A fiche with an indicator, a strategic objective and a review on the demo convention, for the walk."""
    from datetime import date

    from ctg.audit import par_commande, utilisateur_systeme

    from . import cycle, definitions
    from .models import IndicateurAction, Niveau, Objectif

    with par_commande("exemples du parcours des droits"):
        cycle.plan_de(convention)  # the plan and its tree (missions of article 2, enjeux of article 4)
        enjeu = Objectif.objects.filter(convention=convention, niveau=Niveau.ENJEU).first()
        objectif = Objectif.objects.create(
            convention=convention, parent=enjeu, niveau=Niveau.STRATEGIQUE, intitule="Objectif d'exemple"
        )
        systeme = utilisateur_systeme()
        fiche = cycle.creer_fiche(
            convention,
            "Fiche d'exemple",
            systeme,
            jour=date(2023, 1, 1),
            date_debut=date(2023, 1, 1),
            date_fin=date(2026, 12, 31),
        )
        fiche.objectifs.add(objectif)
        indicateur = IndicateurAction.objects.create(
            fiche=fiche,
            definition=definitions.definition(convention, libelle="Places créées"),
            valeur_initiale=0,
            cible=10,
            date_cible=date(2026, 12, 31),
        )
        revue = cycle.enregistrer_revue(convention, systeme, date=date(2025, 6, 30))
    valeurs = {
        "plan:document/format": "csv",
        "plan:fiche_document/format": "docx",
        "plan:revue_document/format": "docx",
        **{f"plan:{nom}_export/format": "xlsx" for nom in ("budget", "besoins", "besoins_communes", "revues")},
        **{f"plan:{nom}_export/format": "csv" for nom in ("cibles", "evaluations", "effets", "indicateur_valeurs")},
        "plan:fiche_budget_export/format": "xlsx",
        "plan:indicateur_cibles_export/format": "csv",
    }
    for nom in ACCES:
        valeurs[f"{nom}/pk"] = convention.pk
        valeurs[f"{nom}/fiche"] = fiche.pk
        valeurs[f"{nom}/indicateur"] = indicateur.pk
        valeurs[f"{nom}/objectif"] = objectif.pk
        valeurs[f"{nom}/revue"] = revue.pk
    return valeurs
