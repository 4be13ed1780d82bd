"""Steps of the plan called by the other apps: adoption (gouvernance: a "plan adopté" decision of the comité de
pilotage) and a fiche action created from an innovative initiative (gouvernance's innovation watch)."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import Max

from .models import FicheAction, Plan, Priorite, StatutFiche


class AdoptionImpossible(ValueError):
    pass


def plan_de(convention) -> Plan:
    plan, _ = Plan.objects.get_or_create(convention=convention)
    return plan


@transaction.atomic
def adopter_plan(convention, jour: date) -> Plan:
    """The plan is adopted on ``jour``: the objectives and joint projects are identified (article 4: "au plus tard à
    l'issue de la deuxième année de conventionnement"), which meets the convention's deadline."""
    debut = convention.date_signature or convention.date_debut
    if jour < debut:
        raise AdoptionImpossible(f"La date d'adoption précède la signature de la convention ({debut:%d/%m/%Y}).")
    plan = plan_de(convention)
    plan.adopte_le = jour
    plan.save(update_fields=["adopte_le", "modifie_le"])
    convention.objectifs_identifies_le = jour
    convention.save(update_fields=["objectifs_identifies_le", "modifiee_le"])
    return plan


@transaction.atomic
def retirer_adoption(convention) -> None:
    plan = plan_de(convention)
    if plan.adopte_le and convention.objectifs_identifies_le == plan.adopte_le:
        convention.objectifs_identifies_le = None
        convention.save(update_fields=["objectifs_identifies_le", "modifiee_le"])
    plan.adopte_le = None
    plan.save(update_fields=["adopte_le", "modifie_le"])


def prochain_numero(convention) -> int:
    return (FicheAction.objects.filter(convention=convention).aggregate(n=Max("numero"))["n"] or 0) + 1


@transaction.atomic
def creer_fiche(convention, titre: str, **champs) -> FicheAction:
    FicheAction.objects.select_for_update().filter(convention=convention).exists()
    return FicheAction.objects.create(convention=convention, numero=prochain_numero(convention), titre=titre, **champs)


def creer_fiche_depuis_initiative(convention, titre: str, description: str, commune_code: str | None = None):
    """A fiche action "à venir" from an innovative initiative spotted by the comité de pilotage (article 6)."""
    fiche = creer_fiche(
        convention,
        titre[:200],
        description=description,
        statut=StatutFiche.A_VENIR,
        priorite=Priorite.MOYENNE,
    )
    if commune_code:
        fiche.communes.add(commune_code)
    return fiche
