"""Financing: the structures of the convention and the bonus territoire of each per year, with its explanation, as
the financing page computes it (``ctg.financement.calcul``); a commune's actual funding entered through the rules of
its page (``ctg.financement.regles.enregistrer_financement``, the page's ``FinancementForm``, the rights in
``ctg.financement.perms``)."""

from typing import Annotated

from ninja import Query, Router
from ninja.pagination import LimitOffsetPagination, paginate

from ctg import horloge
from ctg.concurrence import VersionPerimee
from ctg.conventions.acces import convention_visible
from ctg.financement import perms, regles
from ctg.financement.calcul import Donnees, bonus_annee, engagement_commune
from ctg.financement.forms import FinancementForm
from ctg.financement.lecture import commune_de
from ctg.financement.models import ANNEE_MAX, ANNEE_MIN, FinancementReel

from .. import schemas
from ..erreurs import formulaire_valide
from ..securite import exiger_droit, exiger_ecriture

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


def _montant(montant) -> str | None:
    """An amount in euros as the API sends it: decimal text with its two decimals (None stays None)."""
    return None if montant is None else f"{montant:.2f}"


def _financement(f: FinancementReel, engagement) -> dict:
    return {
        "id": f.pk,
        "structure": f.structure_id,
        "structure_nom": f.structure.nom,
        "annee": f.annee,
        "document": f.document,
        "document_libelle": f.get_document_display(),
        "montant_commune": _montant(f.montant_commune),
        "montant_autres": _montant(f.montant_autres),
        "commentaire": f.commentaire,
        "origine": f.origine,
        "version": f.version,
        "engagement": None
        if engagement is None
        else {
            "annee": engagement.annee,
            "engagement": _montant(engagement.engagement),
            "financement": _montant(engagement.reel),
            "statut": engagement.statut,
            "statut_libelle": engagement.statut_libelle,
            "alerte": engagement.texte_alerte if engagement.en_alerte else "",
        },
    }


@router.post(
    "/conventions/{pk}/communes/{commune}/financements",
    response={200: schemas.Financement, 409: schemas.Erreur},
    url_name="commune_financement",
    summary="Saisir le financement d'une structure par une commune",
)
def financement(request, pk: int, commune: str, saisie: schemas.SaisieFinancement):
    """Le financement d'une structure de la commune pour une année (budget ou compte de résultat), comme le
    formulaire de saisie de la page de la commune : réservé à la Caf, à la collectivité et à la ou au référent de
    cette commune, tant que la convention court. Une ligne déjà saisie (même structure, année et document) est
    modifiée ; avec `version`, une ligne modifiée entre-temps est refusée (409). Répond la ligne et l'engagement de
    maintien des financements de la commune cette année-là. Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = commune_de(convention, commune)
    exiger_droit(convention, perms.peut_saisir_financement(request.user, convention, objet.code))
    ligne = (
        regles.financements_de_la_commune(convention, objet)
        .filter(structure_id=saisie.structure, annee=saisie.annee, document=saisie.document)
        .first()
    )
    donnees = saisie.model_dump(exclude={"version"})
    donnees["version_lue"] = saisie.version if saisie.version is not None or ligne is None else ligne.version
    form = FinancementForm(donnees, instance=ligne, structures=regles.structures_de_la_commune(convention, objet))
    if form.has_error("__all__", "version_perimee"):
        raise VersionPerimee(form.non_field_errors())
    formulaire_valide(form)
    ligne = regles.enregistrer_financement(form, par=request.user)
    return _financement(ligne, engagement_commune(Donnees(convention), objet, ligne.annee))
