"""Financing: the structures of the convention and the bonus territoire of each per year, with its explanation, as
the financing page computes it (``ctg.financement.calcul``)."""

from typing import Annotated

from ninja import Query, Router
from ninja.pagination import LimitOffsetPagination, paginate

from ctg import horloge
from ctg.conventions.acces import convention_visible
from ctg.financement.calcul import Donnees, bonus_annee
from ctg.financement.models import ANNEE_MAX, ANNEE_MIN

from .. import schemas

router = Router(tags=["Financement"])


@router.get(
    "/conventions/{pk}/structures",
    response=list[schemas.Structure],
    url_name="structures",
    summary="Structures financées",
)
@paginate(LimitOffsetPagination)
def structures(request, pk: int, commune: str | None = None):
    """Les structures (EAJE, accueils de loisirs…) financées au titre de la convention."""
    convention = convention_visible(request, pk)
    qs = convention.structures.select_related("commune").order_by("commune__nom", "nom", "pk")
    if commune:
        qs = qs.filter(commune__code=commune)
    return [
        {
            "id": s.pk,
            "nom": s.nom,
            "type": s.type,
            "type_libelle": s.get_type_display(),
            "commune": {"code": s.commune_id, "nom": s.commune.nom},
            "psu": s.psu,
            "date_ouverture": s.date_ouverture,
            "date_fermeture": s.date_fermeture,
            "demonstration": s.demonstration,
        }
        for s in qs
    ]


@router.get(
    "/conventions/{pk}/bonus", response=list[schemas.Bonus], url_name="bonus", summary="Bonus territoire d'une année"
)
@paginate(LimitOffsetPagination)
def bonus(
    request,
    pk: int,
    annee: Annotated[int | None, Query(ge=ANNEE_MIN, le=ANNEE_MAX, description="sans elle : l'année en cours")] = None,
):
    """Le bonus territoire de chaque structure pour une année, avec son explication (règle, taux, référence)."""
    convention = convention_visible(request, pk)
    annee = annee or convention.annee_dans_la_periode(horloge.aujourd_hui().year)
    return [b.as_dict() for b in bonus_annee(convention, annee, Donnees(convention))]
