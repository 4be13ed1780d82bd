"""The comité de pilotage: its meetings and the decisions recorded at each, its members' answers to the invitation
and comments on the draft minutes (``ctg.gouvernance.participation``); its composition and the initiatives of the
territory are in ``routes.comite``, mounted here. A meeting is planned, changed, cancelled (or planned again),
convened, and its minutes written and approved through the rules of its pages
(``ctg.gouvernance.reunions``, ``ctg.gouvernance.convocations``, the pages' ``ReunionForm``, ``PointFormSet`` and
``CompteRenduForm``; the rights in ``ctg.gouvernance.perms``)."""

from contextlib import contextmanager
from typing import Annotated

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as RefusDjango
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from ctg.concurrence import VersionPerimee
from ctg.conventions.acces import convention_visible
from ctg.gouvernance import participation, perms
from ctg.gouvernance import reunions as regles_reunions
from ctg.gouvernance.convocations import lancer_envoi
from ctg.gouvernance.decisions import DecisionImpossible, enregistrer_decision, enregistrer_presences, resultat
from ctg.gouvernance.forms import (
    CommentaireCompteRenduForm,
    CompteRenduForm,
    DecisionForm,
    PointFormSet,
    PresencesForm,
    ReponseConvocationForm,
    ReunionForm,
)
from ctg.gouvernance.models import Decision, Reunion, StatutReunion
from ctg.gouvernance.regles import bilan_presences, comite_de, membres_en_fonction

from .. import schemas
from ..erreurs import formulaire_et_lignes_valides, formulaire_valide
from ..securite import exiger_droit, exiger_ecriture
from . import comite

router = Router(tags=["Comité de pilotage"])


def _reunion(r: Reunion) -> dict:
    return {
        "id": r.pk,
        "comite": r.comite.nom,
        "comite_id": r.comite_id,
        "date": r.date,
        "heure_debut": f"{r.heure_debut:%H:%M}",
        "heure_fin": f"{r.heure_fin:%H:%M}",
        "lieu": r.lieu,
        "lien_visio": r.lien_visio,
        "statut": r.statut,
        "statut_libelle": r.get_statut_display(),
        "ordre_du_jour": [{"rubrique": p.rubrique, "intitule": p.intitule} for p in r.points.all()],
        "convocations_envoyees_le": r.convocations_envoyees_le,
        "compte_rendu": r.compte_rendu,
        "compte_rendu_approuve_le": r.compte_rendu_approuve_le,
        "version": r.version,
        "decisions": [_decision(d) for d in r.decisions.all()],  # prefetched with their votes, in their order
        "presences": _presences(r),
        "reponses": [
            {
                "membre": x.membre_id,
                "nom": x.membre.nom_complet,
                "reponse": x.reponse,
                "reponse_libelle": x.get_reponse_display(),
                "remplacant": x.remplacant,
                "commentaire": x.commentaire,
                "repondu_le": x.repondu_le,
            }
            for x in r.reponses.all()
        ],
        "commentaires": [
            {"membre": c.membre_id, "nom": c.membre.nom_complet, "texte": c.texte, "ecrit_le": c.ecrit_le}
            for c in r.commentaires.all()
        ],
    }


def _decision(d: Decision) -> dict:
    return {
        "ordre": d.ordre,
        "texte": d.texte,
        "mode": d.mode,
        "objet": d.objet,
        "objet_libelle": d.get_objet_display(),
        "reference": d.reference,
        "objet_id": d.objet_id,
        "motif": d.motif,
        "resultat": resultat(d),
        "effet": d.effet,
    }


def _presences(r: Reunion) -> list[dict]:
    """Every member in office on the meeting's date, with the attendance recorded (empty if none)."""
    existantes = {p.membre_id: p for p in r.presences.all()}
    return [
        {
            "membre": m.pk,
            "nom": m.nom_complet,
            "etat": existantes[m.pk].etat if m.pk in existantes else "",
            "represente_par": existantes[m.pk].represente_par if m.pk in existantes else "",
        }
        for m in membres_en_fonction(r.comite, r.date)
    ]


def _reunions(convention):
    return (
        Reunion.objects.filter(comite__convention=convention)
        .select_related("comite")
        .prefetch_related(
            "decisions__votes", "presences", "comite__membres", "points", "reponses__membre", "commentaires__membre"
        )
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


@router.post(
    "/conventions/{pk}/reunions/{reunion}/presences",
    response={200: schemas.Reunion, 409: schemas.Erreur},
    url_name="reunion_presences",
    summary="Enregistrer les présences d'une réunion",
)
def presences(request, pk: int, reunion: int, saisie: schemas.SaisiePresences):
    """Les présences des membres à une réunion tenue (ou du jour), comme la page des présences : réservé à la Caf
    et à la collectivité ; une réunion close (compte rendu approuvé), annulée ou à venir est refusée (409) ; une
    réunion planifiée passe « tenue ». Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = get_object_or_404(_reunions(convention), pk=reunion)
    exiger_droit(convention, perms.peut_modifier(request.user, convention))
    if objet.est_close:
        raise DecisionImpossible(objet.refus_reunion_close().messages[0])
    membres = membres_en_fonction(objet.comite, objet.date)
    existantes = {p.membre_id: p for p in objet.presences.all()}
    donnees = {}
    for m in membres:
        presence = existantes.get(m.pk)
        donnees[f"etat_{m.pk}"] = presence.etat if presence else ""
        donnees[f"par_{m.pk}"] = presence.represente_par if presence else ""
    inconnus = []
    for i, ligne in enumerate(saisie.presences):
        if f"etat_{ligne.membre}" not in donnees:
            message = f"{ligne.membre} : pas un membre du comité en fonction le {objet.date:%d/%m/%Y}."
            inconnus.append({"type": "formulaire", "loc": ("body", "corps", "presences", i, "membre"), "msg": message})
        donnees[f"etat_{ligne.membre}"], donnees[f"par_{ligne.membre}"] = ligne.etat, ligne.represente_par
    if inconnus:
        raise ValidationError(inconnus)
    noms = {
        f"{champ}_{m.pk}": f"membre {m.pk} → {nom}"
        for m in membres
        for champ, nom in (("etat", "etat"), ("par", "represente_par"))
    }
    form = PresencesForm(donnees, membres=membres, presences=existantes)
    formulaire_valide(form, noms=noms)
    enregistrer_presences(objet, form.etats(), par=request.user)
    return _reunion(get_object_or_404(_reunions(convention), pk=reunion))


@router.post(
    "/conventions/{pk}/reunions/{reunion}/decisions",
    response={200: schemas.Decision, 409: schemas.Erreur},
    url_name="reunion_decision",
    summary="Enregistrer une décision d'une réunion",
)
def decision(request, pk: int, reunion: int, saisie: schemas.NouvelleDecision):
    """Une décision d'une réunion tenue, prise par consensus ou au vote des membres votants présents ou représentés,
    comme la page de la décision : réservé à la Caf et à la collectivité. Adoptée, elle est exécutée aussitôt
    (diagnostic validé ou rouvert, plan adopté, initiative suivie…) et `effet` dit ce qu'elle a changé ; rejetée,
    rien ne change. Une réunion close, planifiée (présences non enregistrées) ou annulée est refusée (409).
    Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = get_object_or_404(_reunions(convention), pk=reunion)
    exiger_droit(convention, perms.peut_modifier(request.user, convention))
    if objet.est_close:
        raise DecisionImpossible(objet.refus_reunion_close().messages[0])
    presents = bilan_presences(objet).presents
    donnees = saisie.model_dump(exclude={"votes"})
    inconnus = []
    for i, vote in enumerate(saisie.votes):
        if vote.membre not in {m.pk for m in presents}:
            message = f"{vote.membre} : pas un membre présent ou représenté à la réunion du {objet.date:%d/%m/%Y}."
            inconnus.append({"type": "formulaire", "loc": ("body", "corps", "votes", i, "membre"), "msg": message})
        donnees[f"vote_{vote.membre}"] = vote.choix
    if inconnus:
        raise ValidationError(inconnus)
    form = DecisionForm(donnees, reunion=objet, membres=presents)
    d = formulaire_valide(form, noms={f"vote_{m.pk}": f"membre {m.pk} → choix" for m in presents})
    try:
        nouvelle = enregistrer_decision(
            objet,
            d["texte"],
            d["mode"],
            d["objet"],
            d["reference"],
            d["objet_id"],
            form.votes(),
            request.user,
            d["motif"],
        )
    except DecisionImpossible as exc:
        if objet.statut != StatutReunion.TENUE:
            raise  # the meeting's state (planned, cancelled): 409
        # the page shows it on the form (votes without a vote, an unknown initiative…): invalid data, nothing written
        raise ValidationError([{"type": "formulaire", "loc": ("body", "corps"), "msg": str(exc)}]) from exc
    return _decision(nouvelle)


# --- A meeting: planned, changed, cancelled, convened, its minutes ------------------------------------------------

CHAMPS_REUNION = ("comite", "date", "heure_debut", "heure_fin", "lieu", "lien_visio")


@contextmanager
def _refus_409():
    """A change the page refuses (the meeting's state, a closed meeting): 409 with the page's French reason; a
    meeting changed since the caller read it stays a ``version_perimee`` 409."""
    try:
        yield
    except VersionPerimee:
        raise
    except RefusDjango as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc


def _reunion_a_modifier(request, pk: int, reunion: int) -> tuple:
    """The meeting the caller changes, as its pages find it: a read-write token, the convention visible, the Caf
    adviser or the project lead (``perms.peut_modifier``) on a convention still running."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = get_object_or_404(_reunions(convention), pk=reunion)
    exiger_droit(convention, perms.peut_modifier(request.user, convention))
    return convention, objet


def _formulaires_reunion(convention, objet: Reunion | None, saisie: dict):
    """The page's ``ReunionForm`` and agenda ``PointFormSet``, filled from the API's fields (an absent field keeps
    the meeting's value; a new agenda replaces the former one, point by point in its order)."""
    if objet is None:
        donnees = {"comite": comite_de(convention).pk}
    else:
        donnees = {c: getattr(objet, "comite_id" if c == "comite" else c) for c in CHAMPS_REUNION}
        donnees["version_lue"] = objet.version if saisie.get("version") is None else saisie["version"]
    donnees.update({c: saisie[c] for c in CHAMPS_REUNION if saisie.get(c) is not None})
    existants = list(objet.points.order_by("ordre", "pk")) if objet else []
    points = saisie.get("ordre_du_jour")
    if points is None:
        points = [{"rubrique": p.rubrique, "intitule": p.intitule} for p in existants]
    total = max(len(points), len(existants))
    donnees |= {"points-TOTAL_FORMS": total, "points-INITIAL_FORMS": len(existants), "points-MIN_NUM_FORMS": 0}
    for i in range(total):
        if i < len(existants):
            donnees[f"points-{i}-id"] = existants[i].pk
        if i < len(points):
            donnees[f"points-{i}-rubrique"], donnees[f"points-{i}-intitule"] = (
                points[i]["rubrique"],
                points[i]["intitule"],
            )
        else:  # a former point beyond the new agenda: deleted (its values kept, so that it is valid)
            point = existants[i]
            donnees |= {f"points-{i}-rubrique": point.rubrique, f"points-{i}-intitule": point.intitule}
            donnees[f"points-{i}-DELETE"] = "on"
    form = ReunionForm(donnees, instance=objet, convention=convention)
    formset = PointFormSet(donnees, instance=objet, prefix="points")
    erreurs = []
    if form.is_valid() and objet is not None:
        for nom in ("comite", "date"):  # fixed once the meeting is held: said, not ignored
            if form.fields[nom].disabled and saisie.get(nom) is not None and saisie[nom] != form.initial.get(nom):
                message = "Réunion tenue : son comité et sa date ne changent plus."
                erreurs.append({"type": "formulaire", "loc": ("body", "corps", nom), "msg": message})
    if form.has_error("__all__", "version_perimee"):
        raise VersionPerimee(form.non_field_errors())
    points = [(f, ("body", "corps", "ordre_du_jour", i)) for i, f in enumerate(formset.forms)]
    formulaire_et_lignes_valides(form, points, formset, ("body", "corps", "ordre_du_jour"), erreurs)
    return form, formset


@router.post(
    "/conventions/{pk}/reunions",
    response={201: schemas.Reunion, 409: schemas.Erreur},
    url_name="reunion_nouvelle",
    summary="Planifier une réunion du comité",
)
def reunion_nouvelle(request, pk: int, saisie: schemas.NouvelleReunion):
    """Une réunion du comité de pilotage (ou d'un sous-comité) et son ordre du jour, comme le formulaire
    « Nouvelle réunion » : réservé à la Caf et à la collectivité, tant que la convention court. La réunion est
    planifiée ; envoyez ensuite les convocations. Répond la réunion (201). Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger_droit(convention, perms.peut_modifier(request.user, convention))
    form, formset = _formulaires_reunion(convention, None, saisie.model_dump())
    with _refus_409():
        objet = regles_reunions.enregistrer_reunion(form, formset)
    return Status(201, _reunion(_reunions(convention).get(pk=objet.pk)))


@router.patch(
    "/conventions/{pk}/reunions/{reunion}",
    response={200: schemas.Reunion, 409: schemas.Erreur},
    url_name="reunion_modifier",
    summary="Modifier une réunion du comité",
)
def reunion_modifier(request, pk: int, reunion: int, saisie: schemas.ModificationReunion):
    """La date, les heures, le lieu, le lien de visioconférence ou l'ordre du jour d'une réunion, comme son
    formulaire : réservé à la Caf et à la collectivité. Une réunion close (compte rendu approuvé) est refusée (409) ;
    la date d'une réunion tenue ne change plus (422). Avec `version`, une réunion modifiée entre-temps est refusée
    (409 `version_perimee`). Une réunion déjà convoquée reçoit une nouvelle version de son invitation de calendrier
    (renvoyez les convocations). Jeton « lecture et écriture »."""
    convention, objet = _reunion_a_modifier(request, pk, reunion)
    if objet.est_close:
        raise HttpError(409, objet.refus_reunion_close().messages[0])
    form, formset = _formulaires_reunion(convention, objet, saisie.model_dump())
    with _refus_409():
        regles_reunions.enregistrer_reunion(form, formset)
    return _reunion(_reunions(convention).get(pk=objet.pk))


@router.post(
    "/conventions/{pk}/reunions/{reunion}/statut",
    response={200: schemas.Reunion, 409: schemas.Erreur},
    url_name="reunion_statut",
    summary="Annuler une réunion, la planifier de nouveau, approuver son compte rendu",
)
def reunion_statut(request, pk: int, reunion: int, changement: schemas.ChangementReunion):
    """Les boutons de la page de la réunion : `annuler` une réunion planifiée (sans présences enregistrées),
    `retablir` une réunion annulée, `approuver` le compte rendu rédigé d'une réunion tenue (aujourd'hui ; la
    réunion est alors close). Réservé à la Caf et à la collectivité ; un état qui ne le permet pas est refusé (409,
    avec la raison). Jeton « lecture et écriture »."""
    convention, objet = _reunion_a_modifier(request, pk, reunion)
    with _refus_409():
        regles_reunions.ACTIONS[changement.action](objet, par=request.user)
    return _reunion(_reunions(convention).get(pk=objet.pk))


@router.post(
    "/conventions/{pk}/reunions/{reunion}/compte-rendu",
    response={200: schemas.Reunion, 409: schemas.Erreur},
    url_name="reunion_compte_rendu",
    summary="Rédiger le compte rendu d'une réunion",
)
def compte_rendu(request, pk: int, reunion: int, saisie: schemas.SaisieCompteRendu):
    """Le texte du compte rendu, comme la page du compte rendu : réservé à la Caf et à la collectivité, tant qu'il
    n'est pas approuvé (sinon 409). Avec `version`, une réunion modifiée entre-temps est refusée (409
    `version_perimee`). Jeton « lecture et écriture »."""
    convention, objet = _reunion_a_modifier(request, pk, reunion)
    if objet.est_close:
        raise HttpError(409, objet.refus_reunion_close().messages[0])
    version = objet.version if saisie.version is None else saisie.version
    form = CompteRenduForm({"compte_rendu": saisie.compte_rendu, "version_lue": version}, instance=objet)
    if form.has_error("__all__", "version_perimee"):
        raise VersionPerimee(form.non_field_errors())
    formulaire_valide(form)
    with _refus_409():
        regles_reunions.enregistrer_compte_rendu(form)
    return _reunion(_reunions(convention).get(pk=objet.pk))


@router.post(
    "/conventions/{pk}/reunions/{reunion}/convocations",
    response={200: schemas.EnvoiConvocations, 202: schemas.EnvoiConvocations, 409: schemas.Erreur},
    url_name="reunion_convocations",
    summary="Envoyer les convocations d'une réunion",
)
def convocations(request, pk: int, reunion: int):
    """Le bouton « Envoyer les convocations » : un courriel à chaque membre en fonction le jour de la réunion qui a
    une adresse, avec la convocation en PDF et l'invitation de calendrier (.ics). Réservé à la Caf et à la
    collectivité, pour une réunion planifiée (sinon 409). L'envoi est un travail en arrière-plan : 200 avec son
    bilan s'il est fini (`statut` « termine », ou « echec » et la raison : le serveur de courriel a refusé), 202
    s'il est en file d'attente ou en cours. Jeton « lecture et écriture »."""
    convention, objet = _reunion_a_modifier(request, pk, reunion)
    with _refus_409():
        travail = lancer_envoi(objet, par=request.user)
    reponse = {
        "travail": travail.pk,
        "statut": travail.statut,
        "statut_libelle": travail.libelle,
        "message": travail.message,
        "details": [str(d) for d in travail.details or []],
        "reunion": _reunion(_reunions(convention).get(pk=objet.pk)),
    }
    return Status(200 if travail.est_fini else 202, reponse)


# --- A member's part: their answer to the invitation, their comment on the draft minutes -----------------------


@contextmanager
def _participation_refusee():
    """A member's answer or comment the page refuses: no seat on the comité that day (403), or the meeting's state
    (409), with the page's French reason."""
    try:
        yield
    except participation.SansSiege as exc:
        raise PermissionDenied(str(exc)) from exc
    except participation.ParticipationImpossible as exc:
        raise HttpError(409, str(exc)) from exc


def _reunion_du_membre(request, pk: int, reunion: int) -> tuple:
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = get_object_or_404(_reunions(convention), pk=reunion)
    with _participation_refusee():
        participation.siege_exige(objet, request.user)
    return convention, objet


@router.put(
    "/conventions/{pk}/reunions/{reunion}/reponse",
    response={200: schemas.Reunion, 409: schemas.Erreur},
    url_name="reunion_reponse",
    summary="Répondre à la convocation d'une réunion",
)
def reponse(request, pk: int, reunion: int, saisie: schemas.SaisieReponse):
    """La réponse du membre à la convocation, comme sur la page de la réunion : réservé à la personne qui siège au
    comité ce jour-là avec son propre compte (sinon 403). Elle vient, ou elle est excusée (et, si quelqu'un la
    représente, son nom) ; une nouvelle réponse remplace la précédente. Une réunion qui n'est plus planifiée, ou une
    convention terminée, est refusée (409). Répond la réunion, avec les réponses. Jeton « lecture et écriture »."""
    convention, objet = _reunion_du_membre(request, pk, reunion)
    d = formulaire_valide(ReponseConvocationForm(saisie.model_dump()))
    with _participation_refusee():
        participation.repondre(objet, request.user, d["reponse"] == "vient", d["remplacant"], d["commentaire"])
    return _reunion(_reunions(convention).get(pk=objet.pk))


@router.put(
    "/conventions/{pk}/reunions/{reunion}/commentaire",
    response={200: schemas.Reunion, 409: schemas.Erreur},
    url_name="reunion_commentaire",
    summary="Commenter le projet de compte rendu d'une réunion",
)
def commentaire(request, pk: int, reunion: int, saisie: schemas.SaisieCommentaire):
    """Le commentaire du membre sur le projet de compte rendu, comme sur la page de la réunion : réservé à la
    personne qui siège au comité ce jour-là avec son propre compte (sinon 403) ; il remplace son commentaire
    précédent. Une réunion non tenue, sans projet de compte rendu, ou close (compte rendu approuvé) est refusée
    (409). Répond la réunion, avec les commentaires. Jeton « lecture et écriture »."""
    convention, objet = _reunion_du_membre(request, pk, reunion)
    d = formulaire_valide(CommentaireCompteRenduForm(saisie.model_dump()))
    with _participation_refusee():
        participation.commenter(objet, request.user, d["texte"])
    return _reunion(_reunions(convention).get(pk=objet.pk))


router.add_router("", comite.router)
