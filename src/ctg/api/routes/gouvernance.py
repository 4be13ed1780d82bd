"""The comité de pilotage: its meetings and the decisions recorded at each."""

from typing import Annotated

from django.shortcuts import get_object_or_404
from ninja import Query, Router
from ninja.errors import ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from ctg.conventions.acces import convention_visible
from ctg.gouvernance import perms
from ctg.gouvernance.decisions import DecisionImpossible, enregistrer_decision, enregistrer_presences, resultat
from ctg.gouvernance.forms import DecisionForm, PresencesForm
from ctg.gouvernance.models import Decision, Reunion, StatutReunion
from ctg.gouvernance.regles import bilan_presences, membres_en_fonction

from .. import schemas
from ..erreurs import formulaire_valide
from ..securite import exiger_droit, exiger_ecriture

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
        "decisions": [_decision(d) for d in r.decisions.all()],  # prefetched with their votes, in their order
        "presences": _presences(r),
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
        .prefetch_related("decisions__votes", "presences", "comite__membres")
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
