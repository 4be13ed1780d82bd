"""Conventions the caller holds a role on, their adhesions, deadlines and avenants."""

from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from ctg.conventions import cycle, perms
from ctg.conventions.acces import convention_visible
from ctg.conventions.adhesions import confirmer_adhesion, enregistrer_adhesion, proposer_adhesion
from ctg.conventions.echeances import echeances as echeances_de
from ctg.conventions.forms import AdhesionForm, PropositionAdhesionForm
from ctg.conventions.models import Adhesion, Statut, StatutAdhesion
from ctg.conventions.perms import conventions_visibles

from .. import schemas
from ..erreurs import formulaire_valide
from ..securite import exiger_droit, exiger_ecriture

router = Router(tags=["Conventions"])
TERMINEE = "Cette convention est terminée : ses adhésions ne se modifient plus."


def _convention(c) -> dict:
    return {
        "id": c.pk,
        "titre": c.titre,
        "caf": c.caf.nom,
        "epci": {"code": c.epci_id, "nom": c.epci.nom},
        "date_debut": c.date_debut,
        "date_fin": c.date_fin,
        "date_signature": c.date_signature,
        "statut": c.statut_du_jour,
        "statut_libelle": c.libelle_statut_du_jour,
        "ctes_identifiant": c.ctes_identifiant,
        "domaines": list(c.domaines),
        "signataires": [
            {"partie": s.partie, "civilite": s.civilite, "prenom": s.prenom, "nom": s.nom, "qualite": s.qualite_libelle}
            for s in c.signataires.all()
        ],
    }


def _avenant(a) -> dict:
    return {
        "numero": a.numero,
        "statut": a.statut,
        "statut_libelle": a.get_statut_display(),
        "date": a.date,
        "objet": a.objet,
        "ctes_identifiant": a.ctes_identifiant,
    }


@router.get("/conventions", response=list[schemas.Convention], url_name="conventions", summary="Vos conventions")
@paginate(LimitOffsetPagination)
def conventions(
    request,
    territoire: Annotated[str | None, Query(description="SIREN de l'EPCI, ou code INSEE d'une de ses communes")] = None,
    statut: Annotated[Statut | None, Query(description="statut du jour")] = None,
    annee: Annotated[int | None, Query(ge=1990, le=2100, description="conventions en cours cette année-là")] = None,
):
    """Les conventions sur lesquelles vous avez un rôle."""
    qs = conventions_visibles(request.user).select_related("caf", "epci").prefetch_related("signataires")
    if territoire:
        qs = qs.filter(epci__code=territoire) | qs.filter(epci__communes__code=territoire)
    if annee:
        qs = qs.filter(date_debut__year__lte=annee, date_fin__year__gte=annee)
    resultat = [_convention(c) for c in qs.distinct().order_by("epci__nom", "date_debut", "pk")]
    return [c for c in resultat if statut is None or c["statut"] == statut]


@router.get("/conventions/{pk}", response=schemas.Convention, url_name="convention", summary="Une convention")
def convention(request, pk: int):
    """Une convention : parties, dates, statut du jour, identifiant @ctes, signataires."""
    return _convention(convention_visible(request, pk))


@router.get(
    "/conventions/{pk}/adhesions",
    response=list[schemas.Adhesion],
    url_name="adhesions",
    summary="Adhésions des communes",
)
@paginate(LimitOffsetPagination)
def adhesions(request, pk: int, statut: StatutAdhesion | None = None):
    """L'adhésion de chaque commune membre (annexe 4)."""
    convention = convention_visible(request, pk)
    qs = convention.adhesions.select_related("commune").order_by("commune__nom", "commune_id")
    if statut:
        qs = qs.filter(statut=statut)
    return [_adhesion(a) for a in qs]


def _adhesion(a: Adhesion) -> dict:
    return {
        "commune": {"code": a.commune_id, "nom": a.commune.nom},
        "statut": a.statut,
        "statut_libelle": a.get_statut_display(),
        "date_deliberation": a.date_deliberation,
        "ancienne_commune_cej": a.ancienne_commune_cej,
        "competence_petite_enfance_transferee": a.competence_petite_enfance_transferee,
        "proposition": a.proposition,
        "proposition_deliberation": a.proposition_deliberation,
    }


def _adhesion_de(convention, commune: str) -> Adhesion:
    return get_object_or_404(Adhesion.objects.select_related("commune"), convention=convention, commune_id=commune)


@router.post(
    "/conventions/{pk}/adhesions/{commune}",
    response=schemas.Adhesion,
    url_name="adhesion",
    summary="Enregistrer l'adhésion d'une commune",
)
def adhesion(request, pk: int, commune: str, saisie: schemas.SaisieAdhesion):
    """L'adhésion d'une commune, ou son refus, avec la date de la délibération (annexe 4), comme sa page : la Caf ou
    la collectivité l'enregistre ; la ou le référent de la commune la propose (seuls `statut` et
    `date_deliberation` comptent alors ; la proposition attend la confirmation de la Caf ou de la collectivité).
    Une convention terminée ne change plus. Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = _adhesion_de(convention, commune)
    exiger_droit(convention, perms.peut_modifier_adhesion(request.user, convention, commune), TERMINEE)
    try:
        if perms.peut_confirmer_adhesion(request.user, convention):
            donnees = {champ: getattr(objet, champ) for champ in AdhesionForm.Meta.fields}
            donnees.update(saisie.model_dump(exclude_unset=True))
            form = formulaire_valide(AdhesionForm(donnees, instance=objet))
            objet.refresh_from_db()  # the form filled the instance: the rules layer records the change
            enregistrer_adhesion(objet, {c: form[c] for c in AdhesionForm.Meta.fields}, par=request.user)
        else:
            donnees = {"proposition": saisie.statut, "date_deliberation": saisie.date_deliberation}
            form = formulaire_valide(PropositionAdhesionForm(donnees), noms={"proposition": "statut"})
            proposer_adhesion(objet, form["proposition"], form["date_deliberation"], par=request.user)
    except cycle.TransitionImpossible as exc:  # the page shows it on the form: invalid data, nothing written
        raise ValidationError([{"type": "formulaire", "loc": ("body", "corps"), "msg": str(exc)}]) from exc
    objet.refresh_from_db()
    return _adhesion(objet)


@router.post(
    "/conventions/{pk}/adhesions/{commune}/proposition",
    response={200: schemas.Adhesion, 409: schemas.Erreur},
    url_name="adhesion_proposition",
    summary="Confirmer ou écarter la proposition d'une commune",
)
def proposition(request, pk: int, commune: str, traitement: schemas.TraitementProposition):
    """La proposition de la ou du référent de la commune, comme le tableau des adhésions : confirmée, elle devient
    l'adhésion (ou le refus) de la commune, avec la date de sa délibération ; écartée, l'adhésion reste telle
    quelle. Réservé à la Caf et à la collectivité ; sans proposition en attente, 409. Une convention terminée ne
    change plus. Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = _adhesion_de(convention, commune)
    exiger_droit(convention, perms.peut_confirmer_adhesion(request.user, convention), TERMINEE)
    confirmer_adhesion(objet, par=request.user, accepter=traitement.decision == "confirmer")
    objet.refresh_from_db()
    return _adhesion(objet)


@router.get("/conventions/{pk}/echeances", response=list[schemas.Echeance], url_name="echeances", summary="Échéances")
@paginate(LimitOffsetPagination)
def echeances(request, pk: int, etat: str | None = Query(None, description="faite, en_retard, proche, a_venir…")):
    """Ce qui est dû sur la convention, et quand (la même liste que le tableau de bord)."""
    convention = convention_visible(request, pk)
    return [e.as_dict() for e in echeances_de(convention) if etat is None or e.etat == etat]


@router.get("/conventions/{pk}/avenants", response=list[schemas.Avenant], url_name="avenants", summary="Avenants")
@paginate(LimitOffsetPagination)
def avenants(request, pk: int):
    """Les avenants de la convention, projets compris."""
    convention = convention_visible(request, pk)
    return [_avenant(a) for a in convention.avenants.order_by("numero")]
