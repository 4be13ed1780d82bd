"""The comité de pilotage: its meetings and the decisions recorded at each."""

from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.pagination import LimitOffsetPagination, paginate

from ctg.conventions.acces import convention_visible
from ctg.gouvernance.models import Reunion, StatutReunion

from .. import schemas

router = Router(tags=["Comité de pilotage"])


def _reunion(r: Reunion) -> dict:
    return {
        "id": r.pk,
        "comite": r.comite.nom,
        "date": r.date,
        "lieu": r.lieu,
        "statut": r.statut,
        "statut_libelle": r.get_statut_display(),
        "compte_rendu_approuve_le": r.compte_rendu_approuve_le,
        "decisions": [
            {
                "ordre": d.ordre,
                "texte": d.texte,
                "mode": d.mode,
                "objet": d.objet,
                "objet_libelle": d.get_objet_display(),
                "motif": d.motif,
                "effet": d.effet,
            }
            for d in r.decisions.order_by("ordre", "pk")
        ],
    }


def _reunions(convention):
    return (
        Reunion.objects.filter(comite__convention=convention)
        .select_related("comite")
        .prefetch_related("decisions")
        .order_by("date", "pk")
    )


@router.get(
    "/conventions/{pk}/reunions",
    response=list[schemas.Reunion],
    url_name="reunions",
    summary="Réunions du comité de pilotage",
)
@paginate(LimitOffsetPagination)
def reunions(
    request,
    pk: int,
    annee: Annotated[int | None, Query(ge=1990, le=2100)] = None,
    statut: StatutReunion | None = None,
):
    """Les réunions du comité de pilotage (et de ses sous-comités), avec leurs décisions."""
    qs = _reunions(convention_visible(request, pk))
    if annee:
        qs = qs.filter(date__year=annee)
    if statut:
        qs = qs.filter(statut=statut)
    return [_reunion(r) for r in qs]


@router.get(
    "/conventions/{pk}/reunions/{reunion}",
    response=schemas.Reunion,
    url_name="reunion",
    summary="Une réunion et ses décisions",
)
def reunion(request, pk: int, reunion: int):
    return _reunion(get_object_or_404(_reunions(convention_visible(request, pk)), pk=reunion))
