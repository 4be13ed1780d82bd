"""The shared diagnostic of a convention (article 5): its state, synthesis, comments by domain, needs and
contributions. Reading writes nothing: a convention whose diagnostic was never opened shows an empty draft. Its
text (the synthesis, the shared comment of each domain) is written through its page's form (``SyntheseForm``) and
rules (``ctg.diagnostic.partage.enregistrer_texte``), with the page's rights (``ctg.diagnostic.perms``)."""

from django.http import Http404
from ninja import Router
from ninja.errors import HttpError

from ctg.concurrence import VersionPerimee
from ctg.conventions.acces import convention_visible
from ctg.conventions.models import Domaine
from ctg.diagnostic import perms
from ctg.diagnostic.forms import SyntheseForm
from ctg.diagnostic.models import DiagnosticConvention, StatutDiagnostic
from ctg.diagnostic.partage import ChangementImpossible, diagnostic_de, enregistrer_texte

from .. import schemas
from ..erreurs import formulaire_valide
from ..securite import exiger_droit, exiger_ecriture

router = Router(tags=["Diagnostic partagé"])


@router.get(
    "/conventions/{pk}/diagnostic", response=schemas.Diagnostic, url_name="diagnostic", summary="Diagnostic partagé"
)
def diagnostic(request, pk: int):
    """Le diagnostic partagé : son état, sa synthèse, le commentaire de chaque domaine, les besoins et les
    contributions, et sa version (à renvoyer pour en modifier le texte)."""
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
            "version": 1,
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
        "version": d.version,
    }


# A section of the text: the synthesis, or the shared comment of a domain (the page's fields).
SECTIONS = {"synthese": "synthese", **{code: f"domaine_{code}" for code in Domaine.values}}


@router.put(
    "/conventions/{pk}/diagnostic/sections/{section}",
    response={200: schemas.Diagnostic, 409: schemas.Erreur},
    url_name="diagnostic_section",
    summary="Écrire une section du diagnostic partagé",
)
def diagnostic_section(request, pk: int, section: str, saisie: schemas.SaisieSection):
    """Le texte d'une section du diagnostic partagé, comme sa page : `synthese`, ou le commentaire partagé d'un
    domaine (`petite_enfance`, `jeunesse`…) ; un texte vide efface la section. Réservé à la Caf et à la
    collectivité tant que la convention court ; un diagnostic soumis au comité de pilotage ou validé ne se modifie
    plus (409, avec la raison). Avec `version`, un diagnostic modifié entre-temps est refusé (409
    `version_perimee`). Répond le diagnostic. Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    champ = SECTIONS.get(section)
    if champ is None:
        raise Http404(f"Section inconnue : {section}. Sections : {', '.join(SECTIONS)}.")
    exiger_droit(convention, perms.peut_rediger(request.user, convention))
    objet = diagnostic_de(convention)
    if not objet.modifiable:
        raise HttpError(409, objet.refus_de_modification().texte)
    lu = SyntheseForm(instance=objet)
    donnees = {nom: lu[nom].value() for nom in lu.fields}  # the other sections as they are
    donnees.update({champ: saisie.texte, "version_lue": objet.version if saisie.version is None else saisie.version})
    form = SyntheseForm(donnees, instance=objet)
    if form.has_error("__all__", "version_perimee"):
        raise VersionPerimee(form.non_field_errors())
    formulaire_valide(form, noms={champ: "texte"})
    try:
        enregistrer_texte(form, par=request.user)
    except ChangementImpossible as exc:  # submitted in the meantime
        raise HttpError(409, exc.texte) from exc
    return diagnostic(request, pk)
