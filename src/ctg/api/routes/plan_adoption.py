"""The plan's lifecycle (``ctg.plan.cycle``): its state, its adoption by the comité de pilotage (or the adoption of
its revision), the withdrawal of an adoption recorded by mistake, the opening of a revision — the buttons of the
plan's page and their forms (``AdoptionForm``, ``RevisionForm``), with the page's rights (the editors:
``ctg.plan.perms``)."""

from ninja import Router

from ctg.conventions.acces import convention_visible, exiger
from ctg.plan import cycle, perms
from ctg.plan.forms import AdoptionForm, RevisionForm

from .. import schemas
from ..erreurs import formulaire_valide
from ..securite import exiger_ecriture

router = Router(tags=["Plan d'action"])


def _plan(convention) -> dict:
    plan = cycle.plan_lu(convention)
    return {
        "statut": plan.statut,
        "statut_libelle": plan.get_statut_display(),
        "etat": plan.etat_libelle,
        "adopte_le": plan.adopte_le,
        "revision_ouverte_le": plan.revision_ouverte_le,
        "motif_revision": plan.motif_revision,
        "revise_le": plan.revise_le,
        "clos_le": plan.clos_le,
        "objectifs_modifiables": plan.objectifs_modifiables,
    }


@router.get("/conventions/{pk}/plan", response=schemas.Plan, url_name="plan", summary="État du plan d'action")
def plan(request, pk: int):
    """L'état du plan : en préparation, adopté (et sa date, article 4), en révision (depuis quand, pourquoi) ou
    clos par le bilan final."""
    return _plan(convention_visible(request, pk))


def _convention_du_plan(request, pk: int):
    """A read-write token, the convention visible, the editors (403 otherwise, as the page)."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger(perms.est_editeur(request.user, convention))
    return convention


@router.post(
    "/conventions/{pk}/plan/adoption",
    response={200: schemas.Plan, 409: schemas.Erreur},
    url_name="plan_adoption",
    summary="Enregistrer l'adoption du plan (ou de sa révision)",
)
def plan_adopter(request, pk: int, adoption: schemas.AdoptionPlan):
    """Le comité de pilotage adopte le plan à la date de sa réunion : la première fois, les objectifs et projets
    sont identifiés (article 4) ; en révision, la révision est adoptée. Comme le bouton de la page : réservé à la ou
    au conseiller Caf et à la ou au chef de projet ; une date future, antérieure à la signature ou au dernier acte,
    un plan déjà adopté ou clos, une convention terminée : 409 et la raison. Jeton « lecture et écriture »."""
    convention = _convention_du_plan(request, pk)
    jour = formulaire_valide(AdoptionForm(adoption.model_dump()), ("body", "adoption"))["date"]
    cycle.adopter_plan(convention, jour, request.user)
    return _plan(convention)


@router.delete(
    "/conventions/{pk}/plan/adoption",
    response={200: schemas.Plan, 409: schemas.Erreur},
    url_name="plan_adoption_retirer",
    summary="Retirer l'adoption du plan",
)
def plan_retirer_adoption(request, pk: int):
    """Une adoption enregistrée par erreur : le plan revient en préparation (l'échéance de l'article 4 n'est plus
    tenue ; l'historique garde l'adoption retirée). Refusé (409) après une révision adoptée, plan clos ou
    convention terminée. Mêmes droits que l'adoption."""
    convention = _convention_du_plan(request, pk)
    cycle.retirer_adoption(convention, request.user)
    return _plan(convention)


@router.post(
    "/conventions/{pk}/plan/revision",
    response={200: schemas.Plan, 409: schemas.Erreur},
    url_name="plan_revision",
    summary="Ouvrir une révision du plan",
)
def plan_reviser(request, pk: int, revision: schemas.RevisionPlan):
    """Le comité décide de réviser le plan adopté (``motif`` : sa décision) : ses objectifs se modifient de nouveau
    jusqu'à l'adoption de la révision. Un plan qui n'est pas adopté : 409 et la raison. Mêmes droits que
    l'adoption."""
    convention = _convention_du_plan(request, pk)
    motif = formulaire_valide(RevisionForm(revision.model_dump()), ("body", "revision"))["motif"]
    cycle.ouvrir_revision(convention, request.user, motif)
    return _plan(convention)
