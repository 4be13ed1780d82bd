"""The comité de pilotage's composition (its members, their side and role, its sub-committees) and the initiatives
of the territory it follows (article 6), changed through the rules of the comité's pages
(``ctg.gouvernance.regles.enregistrer_membre`` and ``creer_sous_comite``; ``ctg.gouvernance.decisions``'s
``signaler_initiative``, ``enregistrer_initiative`` and ``transformer_initiative``), with the pages' forms
(``MembreForm``, ``SousComiteForm``, ``InitiativeForm``, ``TransformationForm``) and rights
(``ctg.gouvernance.perms``). Mounted on the comité's router (``routes.gouvernance``)."""

from django.shortcuts import get_object_or_404
from ninja import Router, Status
from ninja.pagination import LimitOffsetPagination, paginate

from ctg import horloge
from ctg.conventions.acces import convention_visible
from ctg.gouvernance import decisions as regles_decisions
from ctg.gouvernance import perms
from ctg.gouvernance import regles as regles_comite
from ctg.gouvernance.forms import InitiativeForm, MembreForm, SousComiteForm, TransformationForm
from ctg.gouvernance.models import Comite, Initiative, Membre, SuiviInitiative
from ctg.gouvernance.regles import comite_de, parite

from .. import schemas
from ..erreurs import formulaire_valide
from ..securite import exiger_droit, exiger_ecriture

router = Router(tags=["Comité de pilotage"])


# --- The composition: members and sub-committees -----------------------------------------------------------------


def _membre(m: Membre, voit_courriel: bool, jour) -> dict:
    return {
        "id": m.pk,
        "comite_id": m.comite_id,
        "civilite": m.civilite,
        "prenom": m.prenom,
        "nom": m.nom,
        "nom_complet": m.nom_complet,
        "organisation": m.organisation,
        "fonction": m.fonction,
        "email": m.email if voit_courriel else None,
        "cote": m.cote,
        "cote_libelle": m.get_cote_display(),
        "role": m.role,
        "role_libelle": m.get_role_display(),
        "vote": m.vote,
        "debut": m.debut,
        "fin": m.fin,
        "en_fonction": m.en_fonction(jour),
        "compte": m.compte_id,
    }


def _comite(c: Comite, voit_courriel: bool, jour) -> dict:
    return {
        "id": c.pk,
        "nom": c.nom,
        "thematique": c.thematique,
        "description": c.description,
        "membres": [_membre(m, voit_courriel, jour) for m in c.membres.all()],
    }


@router.get(
    "/conventions/{pk}/comite",
    response=schemas.Composition,
    url_name="comite",
    summary="Composition du comité de pilotage",
)
def composition(request, pk: int):
    """Les membres du comité de pilotage (anciens compris, avec leur mandat), le côté qu'ils représentent (Caf,
    collectivité, autre cosignataire, partenaire) et leur rôle, la parité des membres votants aujourd'hui (article
    6) et les sous-comités avec leurs membres. Le courriel des membres n'est lu que par la Caf et la collectivité."""
    convention = convention_visible(request, pk)
    principal = comite_de(convention)
    jour = horloge.aujourd_hui()
    voit = perms.peut_modifier(request.user, convention)
    p = parite(principal, jour)
    return _comite(principal, voit, jour) | {
        "parite": {
            "respectee": p.respectee,
            "caf": len(p.caf),
            "collectivite": len(p.collectivite),
            "cosignataires": len(p.cosignataires),
            "message": p.message,
        },
        "sous_comites": [_comite(c, voit, jour) for c in principal.sous_comites.prefetch_related("membres")],
    }


def _composition_a_modifier(request, pk: int):
    """The convention whose composition the caller changes, as its pages: a read-write token, the convention
    visible, the Caf adviser or the project lead (``perms.peut_modifier``) on a convention still running."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger_droit(convention, perms.peut_modifier(request.user, convention))
    return convention


def _donnees(valeurs: dict) -> dict:
    """A form's data from the API's values: None is an empty field."""
    return {c: "" if v is None else v for c, v in valeurs.items()}


def _membre_enregistre(request, convention, form) -> dict:
    formulaire_valide(form)
    membre = regles_comite.enregistrer_membre(form, par=request.user)
    jour = horloge.aujourd_hui()
    return _membre(membre, True, jour) | {"parite": parite(comite_de(convention), jour).message}


@router.post(
    "/conventions/{pk}/comite/membres",
    response={201: schemas.MembreEnregistre},
    url_name="membre_nouveau",
    summary="Ajouter un membre au comité",
)
def membre_nouveau(request, pk: int, saisie: schemas.SaisieMembre):
    """Un membre du comité de pilotage (ou d'un sous-comité), comme le formulaire « Nouveau membre » : réservé à la
    Caf et à la collectivité, tant que la convention court. L'animateur·rice représente la Caf, le pilote la
    collectivité (article 6). Répond le membre et la parité du comité de pilotage aujourd'hui, comme la page
    (201). Jeton « lecture et écriture »."""
    convention = _composition_a_modifier(request, pk)
    donnees = saisie.model_dump()
    donnees["comite"] = donnees["comite"] or comite_de(convention).pk
    donnees["debut"] = donnees["debut"] or horloge.aujourd_hui()
    form = MembreForm(_donnees(donnees), convention=convention)
    return Status(201, _membre_enregistre(request, convention, form))


@router.patch(
    "/conventions/{pk}/comite/membres/{membre}",
    response={200: schemas.MembreEnregistre},
    url_name="membre_modifier",
    summary="Modifier un membre du comité",
)
def membre_modifier(request, pk: int, membre: int, saisie: schemas.ModificationMembre):
    """Un membre du comité, comme son formulaire : son côté, son rôle, son mandat (la fin d'un mandat le retire du
    comité à cette date), son compte. Réservé à la Caf et à la collectivité, tant que la convention court. Répond le
    membre et la parité du comité de pilotage aujourd'hui. Jeton « lecture et écriture »."""
    convention = _composition_a_modifier(request, pk)
    objet = get_object_or_404(Membre, pk=membre, comite__convention=convention)
    donnees = {c: getattr(objet, f"{c}_id" if c in ("comite", "compte") else c) for c in MembreForm._meta.fields}
    donnees.update(saisie.model_dump(exclude_unset=True))
    form = MembreForm(_donnees(donnees), instance=objet, convention=convention)
    return _membre_enregistre(request, convention, form)


@router.post(
    "/conventions/{pk}/comite/sous-comites",
    response={201: schemas.Comite},
    url_name="sous_comite_nouveau",
    summary="Créer un sous-comité",
)
def sous_comite_nouveau(request, pk: int, saisie: schemas.NouveauSousComite):
    """Un sous-comité thématique du comité de pilotage, comme le formulaire « Nouveau sous-comité » : réservé à la
    Caf et à la collectivité, tant que la convention court ; sa thématique est obligatoire. Ajoutez-lui ensuite des
    membres (`comite` du membre). Jeton « lecture et écriture »."""
    convention = _composition_a_modifier(request, pk)
    form = SousComiteForm(_donnees(saisie.model_dump()))
    formulaire_valide(form)
    objet = regles_comite.creer_sous_comite(form, convention, par=request.user)
    return Status(201, _comite(objet, True, horloge.aujourd_hui()))


# --- Initiatives of the territory (the innovation watch) ---------------------------------------------------------


def _initiative(i: Initiative) -> dict:
    return {
        "id": i.pk,
        "titre": i.titre,
        "commune": {"code": i.commune_id, "nom": i.commune.nom} if i.commune_id else None,
        "operateur": i.operateur,
        "domaine": i.domaine,
        "domaine_libelle": i.get_domaine_display() if i.domaine else "",
        "description": i.description,
        "reperee_le": i.reperee_le,
        "suivi": i.suivi,
        "suivi_libelle": i.get_suivi_display(),
        "notes_suivi": i.notes_suivi,
        "fiche_reference": i.fiche_reference,
        "fiche_id": i.fiche_id,
        "transformee_le": i.transformee_le,
    }


def _initiatives(convention):
    return convention.initiatives.select_related("commune")


@router.get(
    "/conventions/{pk}/initiatives",
    response=list[schemas.Initiative],
    url_name="initiatives",
    summary="Initiatives du territoire",
)
@paginate(LimitOffsetPagination)
def initiatives(request, pk: int, suivi: SuiviInitiative | None = None, commune: str | None = None):
    """Les initiatives innovantes repérées sur le territoire (article 6), les plus récentes d'abord, avec leur suivi
    par le comité ; filtrables par suivi et par commune (code INSEE)."""
    qs = _initiatives(convention_visible(request, pk))
    if suivi:
        qs = qs.filter(suivi=suivi)
    if commune:
        qs = qs.filter(commune__code=commune)
    return [_initiative(i) for i in qs]


@router.get(
    "/conventions/{pk}/initiatives/{initiative}",
    response=schemas.Initiative,
    url_name="initiative",
    summary="Une initiative du territoire",
)
def initiative(request, pk: int, initiative: int):
    return _initiative(get_object_or_404(_initiatives(convention_visible(request, pk)), pk=initiative))


@router.post(
    "/conventions/{pk}/initiatives",
    response={201: schemas.Initiative},
    url_name="initiative_nouvelle",
    summary="Signaler une initiative du territoire",
)
def initiative_nouvelle(request, pk: int, saisie: schemas.NouvelleInitiative):
    """Une initiative repérée sur le territoire, signalée au comité de pilotage, comme le formulaire « Signaler une
    initiative » : tout membre de la convention sauf la lecture seule, tant que la convention court. Elle est
    « repérée » ; le comité décide ensuite de son suivi. Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger_droit(convention, perms.peut_signaler_initiative(request.user, convention))
    donnees = saisie.model_dump()
    donnees["reperee_le"] = donnees["reperee_le"] or horloge.aujourd_hui()
    form = InitiativeForm(_donnees(donnees), convention=convention)
    formulaire_valide(form)
    objet = regles_decisions.signaler_initiative(form, convention, par=request.user)
    return Status(201, _initiative(_initiatives(convention).get(pk=objet.pk)))


def _initiative_a_modifier(request, pk: int, initiative: int) -> tuple:
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = get_object_or_404(_initiatives(convention), pk=initiative)
    exiger_droit(convention, perms.peut_modifier(request.user, convention))
    return convention, objet


@router.patch(
    "/conventions/{pk}/initiatives/{initiative}",
    response={200: schemas.Initiative},
    url_name="initiative_modifier",
    summary="Modifier une initiative et son suivi",
)
def initiative_modifier(request, pk: int, initiative: int, saisie: schemas.ModificationInitiative):
    """Une initiative et son suivi (à discuter en comité, suivie, non retenue), comme son formulaire : réservé à la
    Caf et à la collectivité, tant que la convention court. « Transformée en fiche action » ne se choisit pas ici
    (voir `transformer`). Jeton « lecture et écriture »."""
    convention, objet = _initiative_a_modifier(request, pk, initiative)
    champs = ("titre", "commune", "operateur", "domaine", "description", "reperee_le", "suivi", "notes_suivi")
    donnees = {c: getattr(objet, "commune_id" if c == "commune" else c) for c in champs}
    donnees.update(saisie.model_dump(exclude_unset=True))
    form = InitiativeForm(_donnees(donnees), instance=objet, convention=convention, suivi=True)
    formulaire_valide(form)
    regles_decisions.enregistrer_initiative(form, par=request.user)
    return _initiative(_initiatives(convention).get(pk=objet.pk))


@router.post(
    "/conventions/{pk}/initiatives/{initiative}/transformer",
    response={200: schemas.Initiative, 409: schemas.Erreur},
    url_name="initiative_transformer",
    summary="Transformer une initiative en fiche action",
)
def initiative_transformer(request, pk: int, initiative: int, saisie: schemas.TransformationInitiative):
    """Le bouton « Transformer en fiche action » : l'initiative devient une fiche action du plan, aujourd'hui. Sans
    `reference` ni `fiche_id`, le plan d'actions crée la fiche (brouillon) s'il le permet, sinon elle est nommée
    d'après l'initiative. Réservé à la Caf et à la collectivité, tant que la convention court ; une initiative déjà
    transformée est refusée (409). Jeton « lecture et écriture »."""
    convention, objet = _initiative_a_modifier(request, pk, initiative)
    d = formulaire_valide(TransformationForm(_donnees(saisie.model_dump())))
    regles_decisions.transformer_initiative(
        objet, horloge.aujourd_hui(), d["reference"], d["fiche_id"], par=request.user
    )  # refused (already turned into a fiche): DecisionImpossible, 409
    return _initiative(_initiatives(convention).get(pk=objet.pk))
