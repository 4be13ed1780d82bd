"""Who may do what on the action plan (the roles are the convention's: ``ctg.conventions.perms``).

- every member sees the plan, its views, its reviews and downloads its documents;
- the Caf adviser and the project lead (the editors) shape the plan: objectives, fiches, reviews, adoption;
- a commune referent who is the pilot (``FicheAction.pilote``) of a fiche edits that fiche, its indicators and
  values, and nothing else.
"""

from __future__ import annotations

from ctg import acces
from ctg.comptes.models import Role
from ctg.conventions import perms as perms_convention


def peut_modifier_plan(user, convention) -> bool:
    return perms_convention.peut_modifier(user, convention)


def peut_modifier_fiche(user, convention, fiche) -> bool:
    """Editors, and the commune referent who pilots this fiche."""
    if convention.est_terminee:
        return False
    if peut_modifier_plan(user, convention):
        return True
    h = perms_convention.habilitation(user, convention)
    return (
        h is not None and h.role == Role.REFERENT_COMMUNE and fiche.pilote_id is not None and fiche.pilote_id == user.pk
    )


def peut_evaluer(user, convention) -> bool:
    """Record a review or the final bilan: the editors (the comité de pilotage's animators)."""
    return user.is_superuser or perms_convention.role(user, convention) in perms_convention.ROLES_EDITION


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
}


def exemples_acces(convention) -> dict:
    """A fiche with an indicator, a strategic objective and a review on the demo convention, for the walk."""
    from datetime import date

    from .arbre import semer_arbre
    from .cycle import creer_fiche
    from .models import IndicateurAction, Niveau, Objectif, Revue

    mission = semer_arbre(convention)[0]
    enjeu = mission.enfants.first()
    objectif = Objectif.objects.create(
        convention=convention, parent=enjeu, niveau=Niveau.STRATEGIQUE, intitule="Objectif d'exemple"
    )
    fiche = creer_fiche(convention, "Fiche d'exemple", date_debut=date(2023, 1, 1), date_fin=date(2026, 12, 31))
    fiche.objectifs.add(objectif)
    indicateur = IndicateurAction.objects.create(
        fiche=fiche, libelle="Places créées", valeur_initiale=0, cible=10, date_cible=date(2026, 12, 31)
    )
    revue = Revue.objects.create(convention=convention, date=date(2025, 6, 30))
    valeurs = {
        "plan:document/format": "csv",
        "plan:fiche_document/format": "docx",
        "plan:revue_document/format": "docx",
    }
    for nom in ACCES:
        valeurs[f"{nom}/pk"] = convention.pk
        valeurs[f"{nom}/fiche"] = fiche.pk
        valeurs[f"{nom}/indicateur"] = indicateur.pk
        valeurs[f"{nom}/objectif"] = objectif.pk
        valeurs[f"{nom}/revue"] = revue.pk
    return valeurs
