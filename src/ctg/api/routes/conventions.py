"""Conventions the caller holds a role on, their adhesions, deadlines and avenants."""

from typing import Annotated

from ninja import Query, Router
from ninja.pagination import LimitOffsetPagination, paginate

from ctg.conventions.acces import convention_visible
from ctg.conventions.echeances import echeances as echeances_de
from ctg.conventions.models import Statut, StatutAdhesion
from ctg.conventions.perms import conventions_visibles

from .. import schemas

router = Router(tags=["Conventions"])


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
    return [
        {
            "commune": {"code": a.commune_id, "nom": a.commune.nom},
            "statut": a.statut,
            "statut_libelle": a.get_statut_display(),
            "date_deliberation": a.date_deliberation,
            "ancienne_commune_cej": a.ancienne_commune_cej,
            "competence_petite_enfance_transferee": a.competence_petite_enfance_transferee,
        }
        for a in qs
    ]


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
