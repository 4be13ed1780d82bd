"""Bounds of dates and years, and the conditions every act on the plan is judged by (the day of the act, the
convention's end)."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q

from ctg import horloge

# Dates and years outside this range are typing errors (a CTG runs over a few years around today).
PREMIER_JOUR = date(2000, 1, 1)
DERNIER_JOUR = date(2100, 12, 31)


def dans_les_bornes(champ: str, nullable: bool = True) -> Q:
    """``champ`` is empty or a date between 2000 and 2100 (a CheckConstraint condition)."""
    condition = Q(**{f"{champ}__gte": PREMIER_JOUR, f"{champ}__lte": DERNIER_JOUR})
    return Q(**{f"{champ}__isnull": True}) | condition if nullable else condition


def annee_dans_les_bornes(champ: str, nullable: bool = True) -> Q:
    condition = Q(**{f"{champ}__gte": PREMIER_JOUR.year, f"{champ}__lte": DERNIER_JOUR.year})
    return Q(**{f"{champ}__isnull": True}) | condition if nullable else condition


def contrainte(condition: Q, nom: str) -> models.CheckConstraint:
    """A CheckConstraint of the plan app (its name prefixed: constraint names are unique across the project)."""
    return models.CheckConstraint(condition=condition, name=nom if nom.startswith("plan_") else f"plan_{nom}")


# --- When the plan can change ---------------------------------------------------------------------------------


def jour_de_l_acte(instance) -> date:
    """The date of the act being recorded on ``instance`` (set by ``ctg.plan.cycle``), today by default."""
    return getattr(instance, "_jour_acte", None) or horloge.aujourd_hui()


def fin_du_suivi(convention) -> date | None:
    """The last day of an ended convention (its end date, or the effect date of its termination); ``None`` while
    it has not ended (``convention.est_terminee``)."""
    if not convention.est_terminee:
        return None
    fin = convention.date_fin
    resiliation = getattr(convention, "resiliation", None) if convention.pk else None
    if resiliation is not None and resiliation.date_effet and resiliation.date_effet < fin:
        fin = resiliation.date_effet
    return fin


def motif_lecture_seule(convention, jour: date | None = None) -> str | None:
    """Why the plan of ``convention`` cannot change on ``jour`` (today by default), or ``None`` if it can.

    Closed by its final bilan, or the convention ended before ``jour``: read-only (article 9: the final bilan is the
    last act of the plan; it may still be recorded once the convention has ended)."""
    from .plan import Plan, StatutPlan  # the plan's model is defined with these conditions

    jour = jour or horloge.aujourd_hui()
    plan = Plan.objects.filter(convention=convention).only("statut", "clos_le").first()
    if plan is not None and plan.statut == StatutPlan.CLOS:
        return (
            f"Le bilan final du plan d'actions a été établi le {plan.clos_le:%d/%m/%Y} : le plan est clos et ne se "
            "modifie plus."
        )
    fin = fin_du_suivi(convention)
    if fin is not None and jour > fin:
        return (
            f"La convention a pris fin le {fin:%d/%m/%Y} : son plan d'actions ne se modifie plus (fiches, statuts, "
            "objectifs, indicateurs, revues) ; seul le bilan final peut encore être établi."
        )
    return None


# Preconditions of the transitions (django-fsm ``conditions``): each reads the instance and the day of the act.
def acte_pas_dans_le_futur(instance) -> bool:
    return jour_de_l_acte(instance) <= horloge.aujourd_hui()


def plan_modifiable(instance) -> bool:
    """The plan (of a Plan, or of a fiche's convention) is not closed and the convention had not ended that day."""
    convention = instance.convention
    return motif_lecture_seule(convention, jour_de_l_acte(instance)) is None


def convention_signee_ce_jour(plan) -> bool:
    """Adoption: the convention was signed (or had started) on the day of the act."""
    convention = plan.convention
    debut = convention.date_signature or convention.date_debut
    return debut <= jour_de_l_acte(plan)


def jamais_revise(plan) -> bool:
    return plan.revise_le is None


def motif_indique(plan) -> bool:
    return bool((getattr(plan, "_motif", None) or "").strip())


def bilan_final_enregistre(plan) -> bool:
    from .revues import Revue, TypeRevue

    return Revue.objects.filter(convention=plan.convention, type=TypeRevue.BILAN).exists()


def posterieur_au_dernier_acte(instance) -> bool:
    """An act is not dated before the previous one on the same record (adoption, revision, status change)."""
    precedents = [getattr(instance, champ, None) for champ in ("adopte_le", "revise_le", "revision_ouverte_le")]
    precedents.append(getattr(instance, "statut_le", None))
    dernier = max((d for d in precedents if d is not None), default=None)
    return dernier is None or dernier <= jour_de_l_acte(instance)
