"""The action plan: fiches action, their indicators and the values entered, the objectives tree and the reviews. Every
write goes through the form and the rules its page uses: a fiche's status (``ctg.plan.cycle.changer_statut_fiche``),
its indicators' values (``ctg.plan.valeurs``, ``ValeurForm``), a fiche's content and an objective
(``ctg.plan.edition``, ``FicheForm``, ``ObjectifForm``), a review (``cycle.enregistrer_revue``, ``RevueForm``,
``EvaluationForm``); the rights in ``ctg.plan.perms``."""

from datetime import date

from django.http import Http404
from django.shortcuts import get_object_or_404
from ninja import Router
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from ctg.concurrence import VersionPerimee
from ctg.conventions.acces import convention_visible, exiger
from ctg.plan import cycle, edition, perms, valeurs
from ctg.plan.arbre import numeros
from ctg.plan.forms import AdaptationForm, EvaluationForm, RevueForm, ValeurForm
from ctg.plan.models import FicheAction, IndicateurAction, Objectif, Revue, StatutFiche, TypeRevue
from ctg.plan.regles import fiches_suivies

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
        "pilote": f.pilote_id,
        "acteurs": [
            {
                "id": a.pk,
                "role": a.role,
                "organisation_id": a.organisation_id,
                "organisation": a.organisation.nom,
                "precision": a.precision,
            }
            for a in f.acteurs.select_related("organisation")
        ],
        "jalons": list(f.jalons.values("id", "libelle", "date_prevue", "date_realisee")),
        "indicateurs": [_indicateur(i) for i in f.indicateurs.select_related("definition").order_by("ordre", "pk")],
        "financements": [
            {
                "id": x.pk,
                "financeur": x.financeur,
                "annee": x.annee,
                "nature": x.nature,
                "montant": str(x.montant),
                "montant_realise": None if x.montant_realise is None else str(x.montant_realise),
            }
            for x in f.financements.all()
        ],
        "transitions": [nom for nom, _, _ in cycle.transitions_possibles(f, user)],
        "objectifs": sorted(o.pk for o in f.objectifs.all()),
        "besoins": sorted(b.pk for b in f.besoins.all()),
        "version": f.version,
    }


def _indicateur(i: IndicateurAction) -> dict:
    return {
        "id": i.pk,
        "definition_id": i.definition_id,
        "libelle": i.definition.libelle,
        "unite": i.definition.unite,
        "source": i.definition.source,
        "indicateur_catalogue": i.definition.indicateur_catalogue,
        "territoire": i.definition.territoire,
        "annee_reference": i.annee_reference,
        "valeur_initiale": i.valeur_initiale,
        "cible": i.cible,
        "date_cible": i.date_cible,
        "cibles": list(i.cibles.order_by("annee").values("annee", "valeur")),
        "valeurs": list(i.valeurs_saisies.order_by("date").values("date", "valeur", "commentaire")),
        "version": i.version,
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


# --- Writing a fiche's content (``ctg.plan.edition``, the page's ``FicheForm``) -----------------------------------


def _donnees_fiche(champs: dict) -> dict:
    """The API's fields as the page's form reads them (dates as text, identifiers as the choices' keys)."""
    donnees = {}
    for nom, valeur in champs.items():
        if nom in ("objectifs", "besoins"):
            valeur = [str(pk) for pk in valeur]
        elif hasattr(valeur, "isoformat"):
            valeur = valeur.isoformat()
        elif isinstance(valeur, int) and not isinstance(valeur, bool):
            valeur = str(valeur)
        donnees[nom] = "" if valeur is None else valeur
    return donnees


def _refuser_si_perimee(form) -> None:
    """A stale version read by the form (``FormulaireVersionne``): 409 ``version_perimee`` with what changed."""
    if form.has_error("__all__", "version_perimee"):
        raise VersionPerimee(form.non_field_errors())


# A fiche's lines as the page's formsets read them: the API's name of each field → the form's.
CHAMPS_LIGNES = {
    "acteurs": {"role": "role", "organisation_id": "organisation", "nom": "nom", "precision": "precision"},
    "jalons": {"libelle": "libelle", "date_prevue": "date_prevue", "date_realisee": "date_realisee"},
    "financements": {
        "financeur": "financeur",
        "annee": "annee",
        "nature": "nature",
        "montant": "montant",
        "montant_realise": "montant_realise",
    },
}


def _erreur(lieu: tuple, message: str) -> dict:
    return {"type": "formulaire", "loc": lieu, "msg": message}


def _donnees_lignes(nom: str, lignes: list, existantes: list[int], lieu: tuple) -> tuple[dict, list, list]:
    """The formset's data for the fiche's ``nom`` lines replaced by ``lignes``: the lines kept (their ``id``) first,
    in the list's order, then the existing lines left out (deleted), then the new ones. Returns the data, the index
    in ``lignes`` of each form (``None``: a deleted line) and the errors of unknown or repeated identifiers."""
    erreurs, vues, gardees, nouvelles = [], set(), [], []
    for i, ligne in enumerate(lignes):
        if ligne.id is None:
            nouvelles.append(i)
        elif ligne.id in vues:
            erreurs.append(_erreur((*lieu, nom, i, "id"), "Cette ligne figure déjà plus haut dans la liste."))
        elif ligne.id not in existantes:
            erreurs.append(_erreur((*lieu, nom, i, "id"), "Ligne inconnue dans cette fiche."))
        else:
            vues.add(ligne.id)
            gardees.append(i)
    supprimees = [pk for pk in existantes if pk not in vues]
    indices = [*gardees, *([None] * len(supprimees)), *nouvelles]
    donnees = {
        f"{nom}-TOTAL_FORMS": str(len(indices)),
        f"{nom}-INITIAL_FORMS": str(len(gardees) + len(supprimees)),
    }
    for k, i in enumerate(indices):
        if i is None:
            donnees[f"{nom}-{k}-id"] = str(supprimees[k - len(gardees)])
            donnees[f"{nom}-{k}-DELETE"] = "on"
            continue
        ligne = lignes[i]
        if ligne.id is not None:
            donnees[f"{nom}-{k}-id"] = str(ligne.id)
        for champ, champ_formulaire in CHAMPS_LIGNES[nom].items():
            valeur = getattr(ligne, champ)
            texte = "" if valeur is None else valeur.isoformat() if hasattr(valeur, "isoformat") else str(valeur)
            donnees[f"{nom}-{k}-{champ_formulaire}"] = texte
    return donnees, indices, erreurs


def _lignes_valides(convention, objet, listes: dict, lieu: tuple) -> tuple[dict, list]:
    """The page's formsets for the lists sent (``acteurs``, ``jalons``, ``financements``), and the errors of each
    bad line named by its index in its list (every line sent is a line wanted: an empty one is an error)."""
    erreurs, donnees, indices = [], {}, {}
    for nom, lignes in listes.items():
        existantes = list(getattr(objet, nom).values_list("pk", flat=True)) if objet is not None else []
        d, indices[nom], e = _donnees_lignes(nom, lignes, existantes, lieu)
        donnees.update(d)
        erreurs += e
    if erreurs:
        return {}, erreurs
    ensembles = edition.ensembles_fiche(convention, donnees, objet, noms=tuple(listes))
    noms_api = {nom: {f: a for a, f in CHAMPS_LIGNES[nom].items()} for nom in listes}
    for nom, ensemble in ensembles.items():
        ensemble.min_num = ensemble.total_form_count()  # a line sent empty is refused, not skipped
        ensemble.is_valid()
        for k, form in enumerate(ensemble.forms):
            if indices[nom][k] is None:
                continue
            for champ, textes in form.errors.items():
                suite = () if champ == "__all__" else (noms_api[nom].get(champ, champ),)
                erreurs.append(_erreur((*lieu, nom, indices[nom][k], *suite), " ".join(textes)))
        for texte in ensemble.non_form_errors():
            erreurs.append(_erreur((*lieu, nom), texte))
    return ensembles, erreurs


def _enregistrer_fiche(request, convention, donnees: dict, listes: dict, objet=None, lieu=("body", "saisie")):
    """The fiche's form and the formsets of the lists sent, checked together (every bad field and line in one
    422), then saved in one transaction through ``edition.enregistrer_fiche`` (the plan open, the version read)."""
    edition.verifier_plan_modifiable(convention)
    form = edition.formulaire_fiche(convention, request.user, _donnees_fiche(donnees), objet)
    if objet is not None and form.fields["pilote"].disabled:  # a referent piloting the fiche keeps the account
        if str(donnees.get("pilote") or "") != str(objet.pilote_id or ""):
            raise cycle.PermissionRefusee(
                "Seuls la ou le conseiller Caf et la ou le chef de projet désignent le compte du pilote."
            )
    _refuser_si_perimee(form)
    erreurs = []
    try:
        formulaire_valide(form, lieu, noms={"version_lue": "version"})
    except ValidationError as exc:
        erreurs += exc.errors
    ensembles, erreurs_lignes = _lignes_valides(convention, objet, listes, lieu)
    if erreurs or erreurs_lignes:
        raise ValidationError(erreurs + erreurs_lignes)
    enregistree = edition.enregistrer_fiche(convention, request.user, form, ensembles.values(), nouvelle=objet is None)
    return _fiche(_fiche_de(convention, enregistree.pk), request.user)


@router.post(
    "/conventions/{pk}/fiches",
    response={200: schemas.Fiche, 409: schemas.Erreur},
    url_name="fiche_creer",
    summary="Créer une fiche action",
)
def fiche_creer(request, pk: int, saisie: schemas.SaisieFiche):
    """Une nouvelle fiche action, comme le formulaire « Nouvelle fiche action » : numérotée à la suite, « à venir »
    ou démarrée aussitôt, avec ses partenaires et opérateurs, ses jalons et son budget (lignes sans ``id``) ;
    réservé à la ou au conseiller Caf et à la ou au chef de projet, plan ouvert (sinon 409 et la raison) ; jeton
    « lecture et écriture ». Une ligne refusée est nommée par sa place dans sa liste (422), et rien n'est écrit.
    Répond la fiche comme la lecture."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger(perms.est_editeur(request.user, convention))
    champs = saisie.model_dump(exclude=set(CHAMPS_LIGNES))
    listes = {nom: getattr(saisie, nom) for nom in CHAMPS_LIGNES if getattr(saisie, nom)}
    return _enregistrer_fiche(request, convention, champs, listes)


@router.patch(
    "/conventions/{pk}/fiches/{fiche}",
    response={200: schemas.Fiche, 409: schemas.Erreur},
    url_name="fiche_modifier",
    summary="Modifier une fiche action",
)
def fiche_modifier(request, pk: int, fiche: int, modification: schemas.ModificationFiche):
    """Changer le contenu d'une fiche comme son formulaire : titre, description, public, pilote, calendrier,
    priorité, communes, objectifs, besoins du diagnostic, compte du pilote (les éditeurs seulement), et ses lignes.
    Un champ absent garde sa valeur.

    Les lignes (partenaires et opérateurs ``acteurs``, ``jalons``, budget ``financements`` : prévu et réalisé) se
    modifient dans cette même opération, et non par des sous-ressources : la page enregistre la fiche et ses lignes
    d'un seul envoi, sous la version de la fiche ; ici de même, une fiche et ses lignes changent ensemble ou pas du
    tout, sous une seule vérification de version. Une liste présente remplace les lignes de la fiche : une ligne
    avec l'``id`` lu (GET) est gardée et modifiée, une ligne sans ``id`` est ajoutée (après les lignes gardées), une
    ligne existante absente est supprimée ; une liste absente (ou ``null``) ne change rien, une liste vide supprime
    toutes les lignes. Une ligne refusée est nommée par sa place dans sa liste (422, ex. « jalons → 1 →
    date_prevue ») et rien n'est écrit.

    Réservé aux éditeurs de la convention et à la ou au référent qui pilote la fiche, plan ouvert (sinon 409 et la
    raison). Avec ``version``, une fiche modifiée entre-temps est refusée (409 ``version_perimee``, avec ce qui a
    changé) ; toute modification, même des seules lignes, fait avancer la version. Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = _fiche_de(convention, fiche)
    exiger(perms.est_editeur(request.user, convention) or perms.pilote_referent(request.user, objet))
    actuel = edition.formulaire_fiche(convention, request.user, instance=objet)
    donnees = {nom: actuel[nom].value() for nom in actuel.fields if nom != "version_lue"}
    envoyes = modification.model_dump(exclude_unset=True, exclude={"version", *CHAMPS_LIGNES})
    donnees.update(envoyes)
    donnees["version_lue"] = objet.version if modification.version is None else modification.version
    listes = {nom: getattr(modification, nom) for nom in CHAMPS_LIGNES if getattr(modification, nom) is not None}
    return _enregistrer_fiche(request, convention, donnees, listes, objet, ("body", "modification"))


# --- The objectives tree (``ctg.plan.edition``, the page's ``ObjectifForm``) ----------------------------------------


def _objectif(o: Objectif, nums: dict) -> dict:
    return {
        "id": o.pk,
        "parent": o.parent_id,
        "numero": nums.get(o.pk, ""),
        "niveau": o.niveau,
        "niveau_libelle": o.get_niveau_display(),
        "intitule": o.intitule,
        "description": o.description,
        "champ": o.champ,
        "champ_libelle": o.get_champ_display(),
        "signataire": o.signataire,
        "source": o.source,
        "version": o.version,
    }


@router.get(
    "/conventions/{pk}/objectifs",
    response=list[schemas.Objectif],
    url_name="objectifs",
    summary="Objectifs du plan",
)
@paginate(LimitOffsetPagination)
def objectifs(request, pk: int):
    """L'arbre des objectifs (missions, enjeux, objectifs stratégiques et opérationnels), dans l'ordre de la page."""
    convention = convention_visible(request, pk)
    nums = numeros(convention)
    par_pk = {o.pk: o for o in convention.objectifs.all()}
    return [_objectif(par_pk[pk_objectif], nums) for pk_objectif in nums if pk_objectif in par_pk]


def _objectif_de(convention, objectif: int) -> Objectif:
    return get_object_or_404(Objectif, pk=objectif, convention=convention)


@router.get(
    "/conventions/{pk}/objectifs/{objectif}",
    response=schemas.Objectif,
    url_name="objectif",
    summary="Un objectif du plan",
)
def objectif(request, pk: int, objectif: int):
    """Un objectif de l'arbre, avec sa version (à renvoyer en le modifiant)."""
    convention = convention_visible(request, pk)
    return _objectif(_objectif_de(convention, objectif), numeros(convention))


def _enregistrer_objectif(request, convention, donnees: dict, instance: Objectif | None = None) -> dict:
    if donnees.get("rattachement") is not None:
        donnees["rattachement"] = str(donnees["rattachement"])
    form = edition.formulaire_objectif(convention, {k: "" if v is None else v for k, v in donnees.items()}, instance)
    _refuser_si_perimee(form)
    formulaire_valide(form, noms={"version_lue": "version"})
    return _objectif(edition.enregistrer_objectif(convention, request.user, form), numeros(convention))


@router.post(
    "/conventions/{pk}/objectifs",
    response={200: schemas.Objectif, 409: schemas.Erreur},
    url_name="objectif_creer",
    summary="Ajouter un objectif au plan",
)
def objectif_creer(request, pk: int, saisie: schemas.SaisieObjectif):
    """Un objectif rattaché à un objectif de l'arbre (son niveau suit celui du parent), comme le formulaire de la
    page : réservé à la ou au conseiller Caf et à la ou au chef de projet, tant que le plan est en préparation ou
    en révision (sinon 409 et la raison) ; jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger(perms.est_editeur(request.user, convention))
    return _enregistrer_objectif(request, convention, saisie.model_dump())


@router.patch(
    "/conventions/{pk}/objectifs/{objectif}",
    response={200: schemas.Objectif, 409: schemas.Erreur},
    url_name="objectif_modifier",
    summary="Modifier un objectif du plan",
)
def objectif_modifier(request, pk: int, objectif: int, modification: schemas.ModificationObjectif):
    """Changer un objectif (un champ absent garde sa valeur) avec les droits et l'état de la page ; une mission
    ou un enjeu de la convention garde son intitulé et sa place. Avec ``version``, un objectif modifié entre-temps
    est refusé (409 ``version_perimee``)."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger(perms.est_editeur(request.user, convention))
    instance = _objectif_de(convention, objectif)
    actuel = edition.formulaire_objectif(convention, instance=instance)
    donnees = {nom: actuel[nom].value() for nom in actuel.fields if nom != "version_lue"}
    donnees.update(modification.model_dump(exclude_unset=True, exclude={"version"}))
    donnees["version_lue"] = instance.version if modification.version is None else modification.version
    return _enregistrer_objectif(request, convention, donnees, instance)


# --- Reviews and the final bilan (``cycle.enregistrer_revue``, the page's forms) ----------------------------------


def _revue_courte(r: Revue) -> dict:
    return {
        "id": r.pk,
        "type": r.type,
        "type_libelle": r.get_type_display(),
        "date": r.date,
        "nom_instance": r.nom_instance,
    }


def _revue(r: Revue) -> dict:
    return {
        **_revue_courte(r),
        "synthese": r.synthese,
        "effets": r.effets,
        "evaluations": [
            {
                "fiche": e.fiche_id,
                "numero": e.fiche.numero,
                "progression": e.progression,
                "statut": e.statut,
                "statut_libelle": e.get_statut_display(),
                "commentaire": e.commentaire,
                "decision": e.decision,
                "decision_libelle": e.get_decision_display(),
            }
            for e in r.evaluations.select_related("fiche").order_by("fiche__numero")
        ],
        "adaptations": [{"objectif": a.objectif_id, "texte": a.texte} for a in r.adaptations.order_by("objectif_id")],
    }


@router.get("/conventions/{pk}/revues", response=list[schemas.RevueCourte], url_name="revues", summary="Revues du plan")
@paginate(LimitOffsetPagination)
def revues(request, pk: int):
    """Les revues du plan et le bilan final, les plus récentes d'abord."""
    convention = convention_visible(request, pk)
    return [_revue_courte(r) for r in convention.revues_plan.order_by("-date", "-pk")]


@router.get("/conventions/{pk}/revues/{revue}", response=schemas.Revue, url_name="revue", summary="Une revue du plan")
def revue(request, pk: int, revue: int):
    """Une revue : sa synthèse, l'évaluation de chaque action et, au bilan final, les adaptations des objectifs."""
    convention = convention_visible(request, pk)
    return _revue(get_object_or_404(Revue, pk=revue, convention=convention))


@router.post(
    "/conventions/{pk}/revues",
    response={200: schemas.Revue, 409: schemas.Erreur},
    url_name="revue_creer",
    summary="Enregistrer une revue du plan ou le bilan final",
)
def revue_creer(request, pk: int, saisie: schemas.NouvelleRevue):
    """Une revue du plan (plan ouvert) ou le bilan final (unique ; aussi après la fin de la convention ; il clôt
    le plan), comme le formulaire de la page : chaque fiche est évaluée, une fiche absente d'``evaluations`` l'est
    comme le formulaire le propose. Réservé à la ou au conseiller Caf et à la ou au chef de projet ; un refus
    (date future, plan clos, bilan déjà établi) répond 409 et la raison ; jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger(perms.peut_evaluer(request.user, convention))
    tete = formulaire_valide(
        RevueForm(saisie.model_dump(include={"type", "date", "nom_instance", "synthese", "effets"}))
    )
    suivis = {s.fiche.pk: s for s in fiches_suivies(convention)}
    saisies = {e.fiche: (i, e) for i, e in enumerate(saisie.evaluations)}
    inconnues = [pk_fiche for pk_fiche in saisies if pk_fiche not in suivis]
    if inconnues:
        raise ValidationError(
            [
                {
                    "type": "formulaire",
                    "loc": ("body", "saisie", "evaluations", saisies[f][0], "fiche"),
                    "msg": "Fiche inconnue dans cette convention.",
                }
                for f in inconnues
            ]
        )
    evaluations = []
    for pk_fiche, s in suivis.items():
        i, e = saisies.get(pk_fiche, (None, None))
        donnees = {"progression": s.progression, "statut": s.statut, "decision": "maintenir", "commentaire": ""}
        if e is not None:
            donnees.update({k: v for k, v in e.model_dump(exclude={"fiche"}).items() if v is not None})
        lieu = ("body", "saisie", "evaluations", i) if i is not None else ("body", "saisie", "evaluations")
        valides = formulaire_valide(EvaluationForm({k: "" if v is None else v for k, v in donnees.items()}), lieu)
        evaluations.append({"fiche": s.fiche, **valides})
    adaptations = []
    if saisie.adaptations and tete["type"] != TypeRevue.BILAN:
        raise ValidationError(
            [{"type": "formulaire", "loc": ("body", "saisie", "adaptations"), "msg": "Réservées au bilan final."}]
        )
    for i, a in enumerate(saisie.adaptations):
        objectif = convention.objectifs.filter(pk=a.objectif).first()
        texte = formulaire_valide(AdaptationForm({"texte": a.texte}), ("body", "saisie", "adaptations", i))["texte"]
        if objectif is None:
            raise ValidationError(
                [
                    {
                        "type": "formulaire",
                        "loc": ("body", "saisie", "adaptations", i, "objectif"),
                        "msg": "Objectif inconnu dans cette convention.",
                    }
                ]
            )
        adaptations.append((objectif, texte))
    if tete["type"] != TypeRevue.BILAN:
        motif = perms.lecture_seule(convention)
        if motif:
            raise cycle.ChangementImpossible(motif)
    enregistree = cycle.enregistrer_revue(
        convention, request.user, evaluations=evaluations, adaptations=adaptations, **tete
    )
    return _revue(enregistree)
