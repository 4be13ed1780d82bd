"""The action plan: fiches action, their indicators and the values entered; a fiche's status and its indicators'
values change through the rules the fiche's page uses (``ctg.plan.cycle.changer_statut_fiche``,
``ctg.plan.valeurs``, the page's ``ValeurForm``; the rights in ``ctg.plan.perms``)."""

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from ctg.conventions.acces import convention_visible, exiger
from ctg.plan import cycle, perms, valeurs
from ctg.plan.forms import ValeurForm
from ctg.plan.models import FicheAction, IndicateurAction, StatutFiche

from .. import schemas
from ..erreurs import formulaire_valide
from ..securite import exiger_ecriture

router = Router(tags=["Plan d'action"])


def _fiche_courte(f: FicheAction) -> dict:
    return {
        "id": f.pk,
        "numero": f.numero,
        "titre": f.titre,
        "statut": f.statut,
        "statut_libelle": f.get_statut_display(),
        "statut_le": f.statut_le,
        "priorite": f.priorite,
        "date_debut": f.date_debut,
        "date_fin": f.date_fin,
        "communes": sorted(c.pk for c in f.communes.all()),
    }


def _fiche(f: FicheAction, user) -> dict:
    return {
        **_fiche_courte(f),
        "description": f.description,
        "public": f.public,
        "pilote_structure": f.pilote_structure,
        "pilote_personne": f.pilote_personne,
        "partenaires": "\n".join(f.liste_partenaires),
        "acteurs": [
            {
                "role": a.role,
                "organisation_id": a.organisation_id,
                "organisation": a.organisation.nom,
                "precision": a.precision,
            }
            for a in f.acteurs.select_related("organisation")
        ],
        "indicateurs": [_indicateur(i) for i in f.indicateurs.select_related("definition").order_by("ordre", "pk")],
        "financements": [
            {
                "financeur": x.financeur,
                "annee": x.annee,
                "nature": x.nature,
                "montant": str(x.montant),
                "montant_realise": None if x.montant_realise is None else str(x.montant_realise),
            }
            for x in f.financements.all()
        ],
        "transitions": [nom for nom, _, _ in cycle.transitions_possibles(f, user)],
    }


def _indicateur(i: IndicateurAction) -> dict:
    return {
        "id": i.pk,
        "definition_id": i.definition_id,
        "libelle": i.definition.libelle,
        "unite": i.definition.unite,
        "source": i.definition.source,
        "indicateur_catalogue": i.definition.indicateur_catalogue,
        "valeur_initiale": i.valeur_initiale,
        "cible": i.cible,
        "date_cible": i.date_cible,
        "cibles": list(i.cibles.order_by("annee").values("annee", "valeur")),
        "valeurs": list(i.valeurs_saisies.order_by("date").values("date", "valeur", "commentaire")),
    }


def _fiche_de(convention, fiche: int) -> FicheAction:
    return get_object_or_404(FicheAction.objects.select_related("convention"), pk=fiche, convention=convention)


@router.get("/conventions/{pk}/fiches", response=list[schemas.FicheCourte], url_name="fiches", summary="Fiches action")
@paginate(LimitOffsetPagination)
def fiches(request, pk: int, statut: StatutFiche | None = None, commune: str | None = None):
    """Les fiches action de la convention (filtrables par statut et par commune concernée)."""
    convention = convention_visible(request, pk)
    qs = FicheAction.objects.filter(convention=convention).prefetch_related("communes").order_by("numero")
    if statut:
        qs = qs.filter(statut=statut)
    if commune:
        qs = qs.filter(communes__code=commune)
    return [_fiche_courte(f) for f in qs]


@router.get("/conventions/{pk}/fiches/{fiche}", response=schemas.Fiche, url_name="fiche", summary="Une fiche action")
def fiche(request, pk: int, fiche: int):
    """Une fiche action, ses indicateurs avec leurs valeurs saisies, et les changements de statut permis."""
    convention = convention_visible(request, pk)
    return _fiche(_fiche_de(convention, fiche), request.user)


@router.post(
    "/conventions/{pk}/fiches/{fiche}/statut",
    response={200: schemas.Fiche, 403: schemas.Erreur, 404: schemas.Erreur, 409: schemas.Erreur},
    url_name="fiche_statut",
    summary="Changer le statut d'une fiche action",
)
def fiche_statut(request, pk: int, fiche: int, changement: schemas.ChangementStatut):
    """Faire avancer une fiche (démarrer, signaler un retard, terminer…), comme le bouton de sa page : réservé
    aux éditeurs de la convention et à la ou au référent qui pilote la fiche ; jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = _fiche_de(convention, fiche)
    exiger(perms.est_editeur(request.user, convention) or perms.pilote_referent(request.user, objet))
    apres = cycle.changer_statut_fiche(objet, changement.transition, request.user)
    return _fiche(apres, request.user)


def _indicateur_a_saisir(request, pk: int, fiche: int, indicateur_action: int) -> IndicateurAction:
    """The indicator whose values the caller enters, as the fiche's page finds it: a read-write token, the
    convention visible, the editors or the referent who pilots the fiche."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = _fiche_de(convention, fiche)
    exiger(perms.pilote_de_la_fiche(objet, request.user))
    return get_object_or_404(
        IndicateurAction.objects.select_related("fiche__convention"), pk=indicateur_action, fiche=objet
    )


@router.post(
    "/conventions/{pk}/fiches/{fiche}/indicateurs/{indicateur_action}/valeurs",
    response={200: schemas.IndicateurAction, 409: schemas.Erreur},
    url_name="fiche_valeur",
    summary="Saisir une valeur d'un indicateur d'une fiche",
)
def valeur_saisir(request, pk: int, fiche: int, indicateur_action: int, saisie: schemas.NouvelleValeur):
    """Ajouter la valeur mesurée à une date (ou remplacer celle de cette date), comme le formulaire de la fiche :
    réservé aux éditeurs de la convention et à la ou au référent qui pilote la fiche, tant que le plan est ouvert
    (sinon 409 et la raison) ; jeton « lecture et écriture ». Répond l'indicateur et toutes ses valeurs."""
    indicateur = _indicateur_a_saisir(request, pk, fiche, indicateur_action)
    donnees = formulaire_valide(ValeurForm(saisie.model_dump()))
    valeurs.enregistrer_valeur(indicateur, donnees["date"], donnees["valeur"], donnees["commentaire"], request.user)
    return _indicateur(indicateur)


@router.delete(
    "/conventions/{pk}/fiches/{fiche}/indicateurs/{indicateur_action}/valeurs/{jour}",
    response={200: schemas.IndicateurAction, 409: schemas.Erreur},
    url_name="fiche_valeur_supprimer",
    summary="Supprimer la valeur d'un indicateur à une date",
)
def valeur_supprimer(request, pk: int, fiche: int, indicateur_action: int, jour: date):
    """Supprimer la valeur saisie à la date ``jour`` (AAAA-MM-JJ), avec les mêmes droits que la saisie ; 404 si
    aucune valeur n'est saisie à cette date. Répond l'indicateur et les valeurs qui restent."""
    indicateur = _indicateur_a_saisir(request, pk, fiche, indicateur_action)
    saisie = indicateur.valeurs_saisies.filter(date=jour).first()
    valeurs.supprimer_valeur(indicateur, saisie, request.user)
    if saisie is None:
        raise Http404(f"Aucune valeur du {jour:%d/%m/%Y} pour cet indicateur.")
    return _indicateur(indicateur)
