"""The shared diagnostic of a convention (article 5): its state, synthesis, comments by domain, needs and
contributions. Reading writes nothing: a convention whose diagnostic was never opened shows an empty draft."""

from ninja import Router

from ctg.conventions.acces import convention_visible
from ctg.diagnostic.models import DiagnosticConvention, StatutDiagnostic

from .. import schemas

router = Router(tags=["Diagnostic partagé"])


@router.get(
    "/conventions/{pk}/diagnostic", response=schemas.Diagnostic, url_name="diagnostic", summary="Diagnostic partagé"
)
def diagnostic(request, pk: int):
    convention = convention_visible(request, pk)
    d = DiagnosticConvention.objects.filter(convention=convention).first()
    if d is None:
        statut = StatutDiagnostic.BROUILLON
        return {
            "statut": statut,
            "statut_libelle": statut.label,
            "annee": None,
            "synthese": "",
            "soumis_le": None,
            "valide_le": None,
            "commentaires": [],
            "besoins": [],
            "contributions": [],
        }
    return {
        "statut": d.statut,
        "statut_libelle": d.get_statut_display(),
        "annee": d.annee,
        "synthese": d.synthese,
        "soumis_le": d.soumis_le,
        "valide_le": d.valide_le,
        "commentaires": list(d.commentaires.order_by("domaine").values("domaine", "texte")),
        "besoins": [
            {
                "id": b.pk,
                "domaine": b.domaine,
                "intitule": b.intitule,
                "description": b.description,
                "public": b.public,
                "priorite": b.priorite,
                "indicateurs": list(b.indicateurs),
                "communes": sorted(c.pk for c in b.communes.all()),
            }
            for b in d.besoins.prefetch_related("communes").order_by("domaine", "pk")
        ],
        "contributions": list(d.contributions.order_by("date", "pk").values("auteur", "domaine", "date", "texte")),
    }
