"""The shared diagnostic of a convention (article 5): its state, synthesis, comments by domain, needs and
contributions. Reading writes nothing: a convention whose diagnostic was never opened shows an empty draft. Its
text (the synthesis, the shared comment of each domain), its needs, a partner's contribution and its status (submit,
withdraw) are written through its pages' forms (``SyntheseForm``, ``BesoinForm``, ``ContributionForm``, ``DateForm``)
and rules (``ctg.diagnostic.partage``), with the pages' rights (``ctg.diagnostic.perms``)."""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from ctg import horloge
from ctg.concurrence import VersionPerimee
from ctg.conventions.acces import convention_visible
from ctg.conventions.models import Domaine
from ctg.diagnostic import partage, perms
from ctg.diagnostic.forms import ContributionForm, DateForm, SyntheseForm
from ctg.diagnostic.models import Besoin, DiagnosticConvention, StatutDiagnostic
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
        "besoins": [_besoin(b) for b in d.besoins.prefetch_related("communes").order_by("domaine", "pk")],
        "contributions": list(d.contributions.order_by("date", "pk").values("auteur", "domaine", "date", "texte")),
        "version": d.version,
    }


def _besoin(b: Besoin) -> dict:
    return {
        "id": b.pk,
        "domaine": b.domaine,
        "intitule": b.intitule,
        "description": b.description,
        "public": b.public,
        "priorite": b.priorite,
        "indicateurs": list(b.indicateurs),
        "communes": sorted(c.pk for c in b.communes.all()),
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


# --- Needs, contributions and status (``ctg.diagnostic.partage``) -------------------------------------------------


@contextmanager
def _refus():
    """A refusal of ``partage``: 403 for a role that may not (``non_autorise``), else 409 with the page's reason."""
    try:
        yield
    except ChangementImpossible as exc:
        if getattr(exc, "code", None) == "non_autorise":
            raise PermissionDenied(exc.texte) from exc
        raise HttpError(409, exc.texte) from exc


def _diagnostic_modifiable(convention) -> DiagnosticConvention:
    """The convention's diagnostic, a draft (else 409 with why, as the pages)."""
    objet = diagnostic_de(convention)
    if not objet.modifiable:
        raise HttpError(409, objet.refus_de_modification().texte)
    return objet


def _besoins(convention):
    return Besoin.objects.filter(diagnostic__convention=convention).prefetch_related("communes")


@router.get(
    "/conventions/{pk}/diagnostic/besoins",
    response=list[schemas.Besoin],
    url_name="besoins",
    summary="Besoins du diagnostic partagé",
)
@paginate(LimitOffsetPagination)
def besoins(request, pk: int, domaine: str | None = None):
    """Les besoins identifiés par le diagnostic partagé (filtrables par domaine), par domaine."""
    qs = _besoins(convention_visible(request, pk)).order_by("domaine", "pk")
    if domaine:
        qs = qs.filter(domaine=domaine)
    return [_besoin(b) for b in qs]


@router.get(
    "/conventions/{pk}/diagnostic/besoins/{besoin}",
    response=schemas.Besoin,
    url_name="besoin",
    summary="Un besoin du diagnostic partagé",
)
def besoin(request, pk: int, besoin: int):
    """Un besoin : son domaine, son public, sa priorité, les communes concernées et les indicateurs qui l'étayent."""
    return _besoin(get_object_or_404(_besoins(convention_visible(request, pk)), pk=besoin))


def _enregistrer_besoin(request, convention, donnees: dict, instance=None, lieu=("body", "saisie")) -> dict:
    form = partage.formulaire_besoin(convention, {k: "" if v is None else v for k, v in donnees.items()}, instance)
    formulaire_valide(form, lieu)
    with _refus():
        enregistre = partage.enregistrer_besoin(form, par=request.user)
    return _besoin(get_object_or_404(_besoins(convention), pk=enregistre.pk))


def _convention_a_rediger(request, pk: int):
    """A read-write token, the convention visible, the Caf adviser or the project lead (403, as the pages)."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger_droit(convention, perms.peut_rediger(request.user, convention))
    return convention


@router.post(
    "/conventions/{pk}/diagnostic/besoins",
    response={200: schemas.Besoin, 409: schemas.Erreur},
    url_name="besoin_creer",
    summary="Identifier un besoin du diagnostic partagé",
)
def besoin_creer(request, pk: int, saisie: schemas.SaisieBesoin):
    """Un besoin du diagnostic, comme le formulaire « Nouveau besoin » : son domaine, son intitulé, le public, la
    priorité, les communes adhérentes concernées et les indicateurs du diagnostic qui l'étayent. Réservé à la ou au
    conseiller Caf et à la ou au chef de projet tant que la convention court ; un diagnostic soumis ou validé ne se
    modifie plus (409 et la raison). Un champ refusé : 422, rien n'est écrit. Jeton « lecture et écriture »."""
    convention = _convention_a_rediger(request, pk)
    _diagnostic_modifiable(convention)
    return _enregistrer_besoin(request, convention, saisie.model_dump())


@router.patch(
    "/conventions/{pk}/diagnostic/besoins/{besoin}",
    response={200: schemas.Besoin, 409: schemas.Erreur},
    url_name="besoin_modifier",
    summary="Modifier un besoin du diagnostic partagé",
)
def besoin_modifier(request, pk: int, besoin: int, modification: schemas.ModificationBesoin):
    """Changer un besoin comme son formulaire (un champ absent garde sa valeur), avec les mêmes droits et le même
    état que la création."""
    convention = _convention_a_rediger(request, pk)
    instance = get_object_or_404(Besoin, pk=besoin, diagnostic=_diagnostic_modifiable(convention))
    actuel = partage.formulaire_besoin(convention, instance=instance)
    donnees = {nom: actuel[nom].value() for nom in actuel.fields}
    donnees.update(modification.model_dump(exclude_unset=True))
    return _enregistrer_besoin(request, convention, donnees, instance, ("body", "modification"))


@router.delete(
    "/conventions/{pk}/diagnostic/besoins/{besoin}",
    response={200: schemas.Diagnostic, 409: schemas.Erreur},
    url_name="besoin_supprimer",
    summary="Supprimer un besoin du diagnostic partagé",
)
def besoin_supprimer(request, pk: int, besoin: int):
    """Retirer un besoin du diagnostic (les fiches action qui y répondaient ne le citent plus), comme le bouton de
    sa page : mêmes droits et même état que la création. Répond le diagnostic."""
    convention = _convention_a_rediger(request, pk)
    objet = get_object_or_404(Besoin, pk=besoin, diagnostic=_diagnostic_modifiable(convention))
    with _refus():
        partage.supprimer_besoin(objet, par=request.user)
    return diagnostic(request, pk)


@router.post(
    "/conventions/{pk}/diagnostic/contributions",
    response={200: schemas.Diagnostic, 409: schemas.Erreur},
    url_name="contribution_creer",
    summary="Apporter une contribution au diagnostic partagé",
)
def contribution_creer(request, pk: int, saisie: schemas.SaisieContribution):
    """La contribution d'un partenaire ou d'un gestionnaire (annexe 2), comme le formulaire de la page : sa
    structure, son domaine (vide : tous), sa date (absente : aujourd'hui) et son texte. Ouvert à chaque membre de la
    convention sauf la lecture seule, tant qu'elle court ; un diagnostic soumis ou validé n'en reçoit plus (409 et
    la raison). Répond le diagnostic ; jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger_droit(convention, perms.peut_contribuer(request.user, convention))
    donnees = {k: "" if v is None else v for k, v in saisie.model_dump().items()}
    donnees["date"] = saisie.date or horloge.aujourd_hui()
    form = ContributionForm(donnees, diagnostic=_diagnostic_modifiable(convention))
    formulaire_valide(form)
    with _refus():
        partage.enregistrer_contribution(form, par=request.user)
    return diagnostic(request, pk)


@router.post(
    "/conventions/{pk}/diagnostic/statut",
    response={200: schemas.Diagnostic, 409: schemas.Erreur},
    url_name="diagnostic_statut",
    summary="Soumettre le diagnostic partagé au comité, ou le retirer",
)
def diagnostic_statut(request, pk: int, changement: schemas.ChangementDiagnostic):
    """Les boutons de la page : ``soumettre`` le brouillon au comité de pilotage à ``date`` (absente : aujourd'hui ;
    ni dans le futur, ni avant la signature de la convention ; il faut une synthèse ou un besoin), ou ``retirer`` le
    diagnostic soumis (retour en brouillon). Réservé à la ou au conseiller Caf et à la ou au chef de projet. Valider
    ou rouvrir le diagnostic sont des décisions du comité de pilotage, enregistrées avec la décision de sa réunion
    (409 et où les enregistrer) ; un état qui ne s'y prête pas : 409 et la raison."""
    convention = _convention_a_rediger(request, pk)
    if changement.action not in (*partage.ACTIONS, "valider", "rouvrir"):
        raise ValidationError(
            [
                {
                    "type": "formulaire",
                    "loc": ("body", "changement", "action"),
                    "msg": f"Action inconnue ; actions : {', '.join(partage.ACTIONS)}.",
                }
            ]
        )
    jour = None
    if changement.action == "soumettre":
        date = changement.date or horloge.aujourd_hui()
        jour = formulaire_valide(DateForm({"date": date}), ("body", "changement"))["date"]
    with _refus():
        partage.changer_statut(diagnostic_de(convention), changement.action, jour, par=request.user)
    return diagnostic(request, pk)
