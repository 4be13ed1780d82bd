"""Conventions the caller holds a role on, their adhesions, deadlines and avenants. Writes go through the pages'
forms and the rules layer (``ctg.conventions.cycle``, ``adhesions``), with the rights of ``ctg.conventions.perms``:
a convention created, its settings changed, corrected or renewed, an avenant drafted and signed, a termination
recorded or undone, many adhesions recorded at once. Its members and invitations: ``routes.membres``."""

import copy
from typing import Annotated

from django.core.exceptions import ValidationError as Refus
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Status
from ninja.errors import HttpError, ValidationError
from ninja.pagination import LimitOffsetPagination, paginate

from ctg.concurrence import VersionPerimee
from ctg.conventions import cycle, perms
from ctg.conventions.acces import convention_visible, exiger
from ctg.conventions.adhesions import (
    AdhesionsRefusees,
    confirmer_adhesion,
    enregistrer_adhesion,
    enregistrer_adhesions,
    proposer_adhesion,
)
from ctg.conventions.echeances import echeances as echeances_de
from ctg.conventions.forms import (
    AdhesionForm,
    AdhesionsEnBlocForm,
    AvenantForm,
    ConventionForm,
    CorrectionForm,
    CreationForm,
    MotifForm,
    PropositionAdhesionForm,
    ResiliationForm,
    SignataireFormSet,
    SignatureForm,
    ajouter_erreurs,
)
from ctg.conventions.models import Adhesion, Avenant, Statut, StatutAdhesion
from ctg.conventions.perms import conventions_visibles
from ctg.formats import trier_par_nom

from .. import schemas
from ..erreurs import formulaire_valide
from ..securite import exiger_droit, exiger_ecriture

router = Router(tags=["Conventions"])
TERMINEE = "Cette convention est terminée : ses adhésions ne se modifient plus."


def _convention(c) -> dict:
    resiliation = getattr(c, "resiliation", None)
    return {
        "id": c.pk,
        "titre": c.titre,
        "caf": c.caf.nom,
        "epci": {"code": c.epci_id, "nom": c.epci.nom},
        "date_debut": c.date_debut,
        "date_fin": c.date_fin,
        "date_signature": c.date_signature,
        "statut": c.statut_du_jour,
        "statut_libelle": c.libelle_statut_du_jour,
        "ctes_identifiant": c.ctes_identifiant,
        "domaines": list(c.domaines),
        "signataires": [
            {"partie": s.partie, "civilite": s.civilite, "prenom": s.prenom, "nom": s.nom, "qualite": s.qualite_libelle}
            for s in c.signataires.all()
        ],
        **{champ: getattr(c, champ) for champ in CHAMPS_LUS},
        "visas": [v.texte for v in c.visas.all()],
        "tribunal_administratif": c.caf.tribunal_administratif,
        "resiliation": None
        if resiliation is None
        else {
            "mode": resiliation.mode,
            "mode_libelle": resiliation.get_mode_display(),
            "initiative": resiliation.initiative,
            "date_envoi": resiliation.date_envoi,
            "date_effet": resiliation.date_effet,
            "motif": resiliation.motif,
        },
        "version": c.version,
    }


CHAMPS_LUS = (
    "envoye_prefecture_le",
    "recu_prefecture_le",
    "affiche_le",
    "deliberation_instance",
    "deliberation_date",
    "deliberation_numero",
    "annexe1",
    "chef_projet_nom",
    "chef_projet_fonction",
    "objectifs_identifies_le",
    "tient_lieu_de_schema_sppe",
)


def _avenant(a) -> dict:
    return {
        "numero": a.numero,
        "statut": a.statut,
        "statut_libelle": a.get_statut_display(),
        "date": a.date,
        "objet": a.objet,
        "ctes_identifiant": a.ctes_identifiant,
        "signataires": a.signataires,
        "modifications": a.modifications,
    }


@router.get("/conventions", response=list[schemas.Convention], url_name="conventions", summary="Vos conventions")
@paginate(LimitOffsetPagination)
def conventions(
    request,
    territoire: Annotated[str | None, Query(description="SIREN de l'EPCI, ou code INSEE d'une de ses communes")] = None,
    statut: Annotated[Statut | None, Query(description="statut du jour")] = None,
    annee: Annotated[int | None, Query(ge=1990, le=2100, description="conventions en cours cette année-là")] = None,
):
    """Les conventions sur lesquelles vous avez un rôle."""
    qs = (
        conventions_visibles(request.user)
        .select_related("caf", "epci", "resiliation")
        .prefetch_related("signataires", "visas")
    )
    if territoire:
        qs = qs.filter(epci__code=territoire) | qs.filter(epci__communes__code=territoire)
    if annee:
        qs = qs.filter(date_debut__year__lte=annee, date_fin__year__gte=annee)
    resultat = [_convention(c) for c in qs.distinct().order_by("epci__nom", "date_debut", "pk")]
    return [c for c in resultat if statut is None or c["statut"] == statut]


@router.get("/conventions/{pk}", response=schemas.Convention, url_name="convention", summary="Une convention")
def convention(request, pk: int):
    """Une convention : parties, dates, statut du jour, identifiant @ctes, signataires."""
    return _convention(convention_visible(request, pk))


@router.get(
    "/conventions/{pk}/adhesions",
    response=list[schemas.Adhesion],
    url_name="adhesions",
    summary="Adhésions des communes",
)
@paginate(LimitOffsetPagination)
def adhesions(request, pk: int, statut: StatutAdhesion | None = None):
    """L'adhésion de chaque commune membre (annexe 4)."""
    convention = convention_visible(request, pk)
    qs = convention.adhesions.select_related("commune").order_by("commune__nom", "commune_id")
    if statut:
        qs = qs.filter(statut=statut)
    return [_adhesion(a) for a in qs]


def _adhesion(a: Adhesion) -> dict:
    return {
        "commune": {"code": a.commune_id, "nom": a.commune.nom},
        "statut": a.statut,
        "statut_libelle": a.get_statut_display(),
        "date_deliberation": a.date_deliberation,
        "ancienne_commune_cej": a.ancienne_commune_cej,
        "competence_petite_enfance_transferee": a.competence_petite_enfance_transferee,
        "proposition": a.proposition,
        "proposition_deliberation": a.proposition_deliberation,
    }


def _adhesion_de(convention, commune: str) -> Adhesion:
    return get_object_or_404(Adhesion.objects.select_related("commune"), convention=convention, commune_id=commune)


@router.post(
    "/conventions/{pk}/adhesions/{commune}",
    response=schemas.Adhesion,
    url_name="adhesion",
    summary="Enregistrer l'adhésion d'une commune",
)
def adhesion(request, pk: int, commune: str, saisie: schemas.SaisieAdhesion):
    """L'adhésion d'une commune, ou son refus, avec la date de la délibération (annexe 4), comme sa page : la Caf ou
    la collectivité l'enregistre ; la ou le référent de la commune la propose (seuls `statut` et
    `date_deliberation` comptent alors ; la proposition attend la confirmation de la Caf ou de la collectivité).
    Une convention terminée ne change plus. Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = _adhesion_de(convention, commune)
    exiger_droit(convention, perms.peut_modifier_adhesion(request.user, convention, commune), TERMINEE)
    try:
        if perms.peut_confirmer_adhesion(request.user, convention):
            donnees = {champ: getattr(objet, champ) for champ in AdhesionForm.Meta.fields}
            donnees.update(saisie.model_dump(exclude_unset=True))
            form = formulaire_valide(AdhesionForm(donnees, instance=objet))
            objet.refresh_from_db()  # the form filled the instance: the rules layer records the change
            enregistrer_adhesion(objet, {c: form[c] for c in AdhesionForm.Meta.fields}, par=request.user)
        else:
            donnees = {"proposition": saisie.statut, "date_deliberation": saisie.date_deliberation}
            form = formulaire_valide(PropositionAdhesionForm(donnees), noms={"proposition": "statut"})
            proposer_adhesion(objet, form["proposition"], form["date_deliberation"], par=request.user)
    except cycle.TransitionImpossible as exc:  # the page shows it on the form: invalid data, nothing written
        raise ValidationError([{"type": "formulaire", "loc": ("body", "corps"), "msg": str(exc)}]) from exc
    objet.refresh_from_db()
    return _adhesion(objet)


@router.post(
    "/conventions/{pk}/adhesions/{commune}/proposition",
    response={200: schemas.Adhesion, 409: schemas.Erreur},
    url_name="adhesion_proposition",
    summary="Confirmer ou écarter la proposition d'une commune",
)
def proposition(request, pk: int, commune: str, traitement: schemas.TraitementProposition):
    """La proposition de la ou du référent de la commune, comme le tableau des adhésions : confirmée, elle devient
    l'adhésion (ou le refus) de la commune, avec la date de sa délibération ; écartée, l'adhésion reste telle
    quelle. Réservé à la Caf et à la collectivité ; sans proposition en attente, 409. Une convention terminée ne
    change plus. Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = _adhesion_de(convention, commune)
    exiger_droit(convention, perms.peut_confirmer_adhesion(request.user, convention), TERMINEE)
    confirmer_adhesion(objet, par=request.user, accepter=traitement.decision == "confirmer")
    objet.refresh_from_db()
    return _adhesion(objet)


@router.get("/conventions/{pk}/echeances", response=list[schemas.Echeance], url_name="echeances", summary="Échéances")
@paginate(LimitOffsetPagination)
def echeances(request, pk: int, etat: str | None = Query(None, description="faite, en_retard, proche, a_venir…")):
    """Ce qui est dû sur la convention, et quand (la même liste que le tableau de bord)."""
    convention = convention_visible(request, pk)
    return [e.as_dict() for e in echeances_de(convention) if etat is None or e.etat == etat]


@router.get("/conventions/{pk}/avenants", response=list[schemas.Avenant], url_name="avenants", summary="Avenants")
@paginate(LimitOffsetPagination)
def avenants(request, pk: int):
    """Les avenants de la convention, projets compris."""
    convention = convention_visible(request, pk)
    return [_avenant(a) for a in convention.avenants.order_by("numero")]


# --- Writes: the pages' forms, the rules of ``ctg.conventions.cycle``, the rights of ``ctg.conventions.perms`` ---


def _sur_le_champ(champ: str, exc: Exception) -> ValidationError:
    """A date the rules refuse (in the future, before the signature…): invalid input, said on its field (422)."""
    return ValidationError([{"type": "formulaire", "loc": ("body", "corps", champ), "msg": str(exc)}])


@router.post(
    "/conventions",
    response={201: schemas.Convention},
    url_name="convention_nouvelle",
    summary="Créer une convention",
)
def convention_nouvelle(request, saisie: schemas.NouvelleConvention):
    """Une convention en brouillon, comme la page « Nouvelle convention » : réservé aux conseillers et conseillères
    d'une Caf qui ont le droit de créer une convention, pour une intercommunalité du département de leur Caf (une
    administratrice ou un administrateur national : toute intercommunalité). Elle reçoit les visas par défaut et
    une adhésion en attente par commune membre ; son auteur y reçoit son rôle. Une intercommunalité ne peut pas
    avoir deux conventions sur des périodes qui se chevauchent (422). Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    exiger(
        perms.peut_creer_convention(request.user),
        "Une convention est créée par un conseiller ou une conseillère de la Caf compétente.",
    )
    form = CreationForm(saisie.model_dump())
    donnees = formulaire_valide(form)
    caf = perms.caf_competente_pour(request.user, donnees["epci"])
    if caf is None:
        form.add_error("epci", perms.hors_de_sa_caf(donnees["epci"]))
        formulaire_valide(form)
    try:
        convention = cycle.creer_convention(
            caf, donnees["epci"], donnees["date_debut"], donnees["date_fin"], par=request.user
        )
    except Refus as exc:  # the rules of a convention's fields (overlap, end after N+4): on the form, as the page
        ajouter_erreurs(form, exc)
        formulaire_valide(form)
    return Status(201, _convention(convention))


def _refuser_termes_figes(convention, champs: dict, signataires: bool) -> None:
    """A signed convention's terms change only by avenant: a change asked of them is refused (409) with the rules'
    own words (``cycle.verifier_termes``), rather than ignored as the page's disabled fields are."""
    essai = copy.copy(convention)
    for champ in set(champs) & set(convention.TERMES):
        setattr(essai, champ, champs[champ])
    try:
        cycle.verifier_termes(essai)
        if "visas" in champs and champs["visas"].splitlines() != [v.texte for v in convention.visas.all()]:
            cycle.verifier_piece_signee(convention, "ses visas")
        if signataires:
            cycle.verifier_piece_signee(convention, "ses signataires")
    except cycle.TermesFiges as exc:
        raise HttpError(409, " ".join(exc.messages)) from exc


def _signataires(convention, liste: list[dict]):
    """The page's formset of signatories, bound to replace them all by ``liste``: the present ones deleted, the
    listed ones added."""
    presents = list(convention.signataires.all())
    donnees = {"signataires-TOTAL_FORMS": len(presents) + len(liste), "signataires-INITIAL_FORMS": len(presents)}
    for i, present in enumerate(presents):
        donnees.update({f"signataires-{i}-id": present.pk, f"signataires-{i}-DELETE": "on"})
    for i, signataire in enumerate(liste, len(presents)):
        donnees.update({f"signataires-{i}-{champ}": valeur for champ, valeur in signataire.items()})
    return SignataireFormSet(donnees, instance=convention, prefix="signataires")


@router.patch(
    "/conventions/{pk}",
    response={200: schemas.Convention, 409: schemas.Erreur},
    url_name="convention_modifier",
    summary="Modifier une convention",
)
def convention_modifier(request, pk: int, saisie: schemas.ModificationConvention):
    """Les champs de la page « Modifier la convention » (un champ absent garde sa valeur) : réservé à la Caf et à la
    collectivité tant que la convention court. En brouillon, tout se modifie ; une fois signée, seul ce qui suit le
    contrat (transmission en préfecture, échéances tenues…) : changer un de ses termes est refusé (409, ils changent
    par avenant). Le tribunal administratif de la Caf : son personnel seulement. Avec `version`, une convention
    modifiée entre-temps est refusée (409 `version_perimee`). Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger_droit(convention, perms.peut_modifier(request.user, convention))
    termes = perms.peut_modifier_termes(request.user, convention)
    caf = perms.peut_modifier_caf(request.user, convention)
    champs = saisie.model_dump(exclude_unset=True, exclude={"version", "signataires"})
    liste = None if saisie.signataires is None else [s.model_dump() for s in saisie.signataires]
    if "visas" in champs:
        champs["visas"] = "\n".join(ligne.strip() for ligne in champs["visas"] or [] if ligne.strip())
    if not caf and champs.get("tribunal_administratif", convention.caf.tribunal_administratif) != (
        convention.caf.tribunal_administratif
    ):
        exiger(False, "Le tribunal administratif de la Caf est enregistré par son personnel, sur sa fiche.")
    if not termes:
        _refuser_termes_figes(convention, champs, liste is not None)
    lue = ConventionForm(instance=convention, termes_modifiables=termes, caf_modifiable=caf)
    donnees = {nom: lue[nom].value() for nom in lue.fields}  # what the page shows, changed by the request
    donnees.update(champs, version_lue=convention.version if saisie.version is None else saisie.version)
    form = ConventionForm(donnees, instance=convention, termes_modifiables=termes, caf_modifiable=caf)
    if form.has_error("__all__", "version_perimee"):
        raise VersionPerimee(form.non_field_errors())
    formulaire_valide(form)
    signataires = None if liste is None else _signataires(convention, liste)
    if signataires is not None and not signataires.is_valid():
        erreurs = [
            {"type": "formulaire", "loc": ("body", "corps", "signataires", i, champ), "msg": " ".join(textes)}
            for i, f in enumerate(signataires.forms[len(signataires.initial_forms) :])
            for champ, textes in f.errors.items()
        ]
        ensemble = {"type": "formulaire", "loc": ("body", "corps", "signataires")}
        raise ValidationError(erreurs or [{**ensemble, "msg": " ".join(signataires.non_form_errors())}])
    try:
        cycle.enregistrer_convention(form, signataires, par=request.user)
    except VersionPerimee:
        raise
    except Refus as exc:
        ajouter_erreurs(form, exc)
        formulaire_valide(form)
    return _convention(convention_visible(request, pk))


@router.post(
    "/conventions/{pk}/signature",
    response={200: schemas.Convention, 409: schemas.Erreur},
    url_name="convention_signer",
    summary="Enregistrer la signature d'une convention",
)
def convention_signer(request, pk: int, saisie: schemas.SignatureConvention):
    """La signature d'une convention en brouillon, comme la page « Signer » : réservé à la Caf et à la collectivité ;
    il faut au moins un signataire de chaque partie (sinon 409) ; la date ne peut être ni dans le futur ni après la
    fin de la convention (422). La convention entre en vigueur à sa date de début. Une convention déjà signée : 409.
    Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger_droit(convention, perms.peut_modifier(request.user, convention))  # the state: the rules say it (409)
    jour = formulaire_valide(SignatureForm(saisie.model_dump()))["date_signature"]
    try:
        cycle.signer(convention, jour, par=request.user)
    except cycle.DateRefusee as exc:
        raise _sur_le_champ("date_signature", exc) from exc
    return _convention(convention_visible(request, pk))


@router.post(
    "/conventions/{pk}/avenants",
    response={201: schemas.Avenant, 409: schemas.Erreur},
    url_name="avenant_nouveau",
    summary="Rédiger un avenant",
)
def avenant_nouveau(request, pk: int, saisie: schemas.NouvelAvenant):
    """Un projet d'avenant (article 10), comme la page « Nouvel avenant » : son objet et les termes qu'il changera
    une fois signé. Réservé à la Caf et à la collectivité ; une convention en brouillon (ses termes se modifient
    directement) ou terminée n'a pas d'avenant (409). Il reçoit le numéro suivant. Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger_droit(convention, perms.peut_modifier(request.user, convention))  # the state: the rules say it (409)
    donnees = {nom: "" if valeur is None else valeur for nom, valeur in saisie.model_dump().items()}
    donnees.update(changer_domaines=saisie.domaines is not None, domaines=saisie.domaines or [])
    form = AvenantForm(donnees, convention=convention)
    formulaire_valide(form)
    objet = cycle.ajouter_avenant(
        convention,
        form.cleaned_data["objet"],
        form.modifications(),
        par=request.user,
        signataires=form.cleaned_data["signataires"],
        ctes=form.cleaned_data["ctes_identifiant"],
    )
    return Status(201, _avenant(objet))


@router.post(
    "/conventions/{pk}/avenants/{numero}/signature",
    response={200: schemas.Avenant, 409: schemas.Erreur},
    url_name="avenant_signer",
    summary="Enregistrer la signature d'un avenant",
)
def avenant_signer(request, pk: int, numero: int, saisie: schemas.SignatureAvenant):
    """La signature d'un projet d'avenant, comme le bouton « Signé le » du tableau de bord : ses modifications
    s'appliquent alors aux termes de la convention. Réservé à la Caf et à la collectivité ; un avenant déjà signé
    est refusé (409) ; la date ne peut être ni dans le futur ni avant la signature de la convention (422). Jeton
    « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = get_object_or_404(Avenant, convention=convention, numero=numero)
    exiger_droit(convention, perms.peut_modifier(request.user, convention))
    jour = formulaire_valide(SignatureForm(saisie.model_dump()))["date_signature"]
    try:
        cycle.signer_avenant(objet, jour, par=request.user)
    except cycle.DateRefusee as exc:
        raise _sur_le_champ("date_signature", exc) from exc
    objet.refresh_from_db()
    return _avenant(objet)


@router.post(
    "/conventions/{pk}/resiliation",
    response={200: schemas.Convention, 409: schemas.Erreur},
    url_name="resiliation",
    summary="Enregistrer la fin (résiliation) d'une convention",
)
def resiliation(request, pk: int, saisie: schemas.SaisieResiliation):
    """La fin d'une convention signée (article 12), comme la page « Mettre fin à la convention », au nom de votre
    partie : la Caf ou la collectivité envoient une mise en demeure ou dénoncent la convention (préavis de six
    mois) ; la Caf seule la résilie pour infraction ou pour une modification sans avenant (sinon 403). La date
    d'effet est calculée (lettre + un mois, préavis + six mois, immédiate ; au plus tard la fin de la convention) ;
    la date d'envoi ne peut être dans le futur ni avant la signature (422) ; une date d'effet déjà passée demande
    `confirmer_effet_passe` (422 sans). Une convention en brouillon, terminée ou déjà résiliée : 409. Répond la
    convention et sa résiliation. Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger_droit(
        convention,
        perms.partie_de(request.user, convention) is not None,  # the state, the party's modes: the rules say them
        "Cette convention est terminée : elle ne se résilie plus.",
    )
    donnees = formulaire_valide(ResiliationForm(saisie.model_dump()))
    try:
        cycle.resilier(
            convention,
            donnees["mode"],
            donnees["date_envoi"],
            motif=donnees["motif"],
            par=request.user,
            confirmer_effet_passe=donnees["confirmer_effet_passe"],
        )
    except cycle.DateRefusee as exc:
        raise _sur_le_champ(
            "confirmer_effet_passe" if isinstance(exc, cycle.EffetDejaPasse) else "date_envoi", exc
        ) from exc
    return _convention(convention_visible(request, pk))


@router.post(
    "/conventions/{pk}/resiliation/annulation",
    response={200: schemas.Convention, 409: schemas.Erreur},
    url_name="resiliation_annuler",
    summary="Annuler une résiliation enregistrée par erreur",
)
def resiliation_annuler(request, pk: int, saisie: schemas.Motif):
    """Annuler la résiliation enregistrée (une erreur), comme le bouton du tableau de bord : un acte de la Caf, avec
    son motif, conservé dans l'historique ; la convention reprend son statut du jour. Sans résiliation enregistrée :
    409. Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger(perms.peut_annuler_resiliation(request.user, convention), "Seule la Caf peut annuler une résiliation.")
    motif = formulaire_valide(MotifForm(saisie.model_dump()))["motif"]
    cycle.annuler_resiliation(convention, motif, par=request.user)
    return _convention(convention_visible(request, pk))


@router.post(
    "/conventions/{pk}/renouvellement",
    response={201: schemas.Convention, 409: schemas.Erreur},
    url_name="convention_renouveler",
    summary="Renouveler une convention",
)
def convention_renouveler(request, pk: int):
    """Le renouvellement par accord explicite (article 10), comme le bouton « Renouveler » du tableau de bord : une
    nouvelle convention en brouillon à compter du lendemain de la fin de celle-ci, qui en reprend les visas, les
    signataires, les communes (leur adhésion est à recueillir à nouveau), les membres et leurs rôles, et ce que les
    autres modules reprennent (structures, plan…). Réservé à la Caf, aussi une fois la convention terminée ; une
    convention en brouillon ou déjà renouvelée : 409. Répond la nouvelle convention (201). Jeton « lecture et
    écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger(perms.partie_de(request.user, convention) == "caf", "Le renouvellement est préparé par la Caf.")
    try:  # the state first (409), then the page's right (``perms.peut_renouveler``): the rules check both
        nouvelle = cycle.renouveler(convention, par=request.user)
    except Refus as exc:  # the new convention's own rules (an overlapping convention of the EPCI)
        raise HttpError(409, " ".join(exc.messages)) from exc
    return Status(201, _convention(convention_visible(request, nouvelle.pk)))


@router.post(
    "/conventions/{pk}/correction",
    response={200: schemas.Convention, 409: schemas.Erreur},
    url_name="convention_corriger",
    summary="Corriger une erreur matérielle d'une convention signée",
)
def convention_corriger(request, pk: int, saisie: schemas.CorrectionConvention):
    """La correction d'une erreur matérielle dans les termes d'une convention signée (titre, dates, domaines, cheffe
    ou chef de projet, annexe 1), comme le formulaire « Corriger une erreur matérielle » : un acte de la Caf, avec son
    motif, conservé dans l'historique (changer l'accord lui-même se fait par avenant). Un terme absent garde sa
    valeur ; aucune valeur changée ou une valeur refusée : 422 ; une convention en brouillon (ses termes se modifient
    directement) : 409. Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger(perms.partie_de(request.user, convention) == "caf", "Seule la Caf corrige une erreur matérielle.")
    lue = CorrectionForm(convention=convention)
    donnees = {nom: lue[nom].value() for nom in lue.fields}
    champs = saisie.model_dump(exclude_unset=True)
    donnees.update({("" if nom == "motif" else "correction_") + nom: valeur for nom, valeur in champs.items()})
    noms = {f"correction_{nom}": nom for nom in champs}
    form = CorrectionForm({k: "" if v is None else v for k, v in donnees.items()}, convention=convention)
    formulaire_valide(form, noms=noms)
    try:
        cycle.corriger(convention, form.valeurs(), form.cleaned_data["motif"], par=request.user)
    except cycle.TransitionImpossible as exc:
        if convention.statut == Statut.BROUILLON:
            raise
        ajouter_erreurs(form, exc)  # shown on the page's form: invalid input, nothing written
        formulaire_valide(form, noms=noms)
    return _convention(convention_visible(request, pk))


@router.post(
    "/conventions/{pk}/adhesions",
    response={200: list[schemas.Adhesion], 409: schemas.Erreur},
    url_name="adhesions_en_bloc",
    summary="Enregistrer les adhésions de plusieurs communes",
)
def adhesions_en_bloc(request, pk: int, saisie: schemas.SaisieAdhesionsEnBloc):
    """Les adhésions (ou refus) de plusieurs communes d'un coup, avec la date de chaque délibération, comme la page
    « Saisir les adhésions » (tableau ou fichier CSV) : réservé à la Caf et à la collectivité, tant que la
    convention court ; tout ou rien (une commune refusée : 422, rien n'est écrit, chaque commune en cause nommée).
    Une commune absente de la liste ne change pas. Répond les adhésions des communes données. Jeton « lecture et
    écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger_droit(convention, perms.peut_confirmer_adhesion(request.user, convention), TERMINEE)
    liste = trier_par_nom(convention.adhesions.select_related("commune"), nom=lambda a: a.commune.nom)
    membres = {a.commune_id: a for a in liste}
    erreurs, rang = [], {}
    for i, ligne in enumerate(saisie.adhesions):
        if ligne.commune not in membres:
            erreurs.append((i, "commune", "Cette commune n'est pas membre de l'intercommunalité de la convention."))
        elif ligne.commune in rang:
            erreurs.append((i, "commune", "Cette commune est déjà donnée plus haut dans la liste."))
        else:
            rang[ligne.commune] = i
    if not saisie.adhesions:
        erreurs.append((None, None, "Indiquez au moins une commune."))
    donnees = {}
    for a in liste:
        donnees[f"statut_{a.commune_id}"] = a.statut
        donnees[f"date_{a.commune_id}"] = a.date_deliberation or ""
    for ligne in saisie.adhesions:
        donnees[f"statut_{ligne.commune}"] = ligne.statut
        donnees[f"date_{ligne.commune}"] = ligne.date_deliberation or ""
    tableau = AdhesionsEnBlocForm(donnees, adhesions=liste)
    if not erreurs and not tableau.is_valid():
        for nom, textes in tableau.errors.items():
            commune = nom.partition("_")[2]
            champ = "statut" if nom.startswith("statut_") else "date_deliberation"
            erreurs.append((rang.get(commune), champ, " ".join(textes)))
    if not erreurs:
        try:
            enregistrer_adhesions(convention, tableau.valeurs(), par=request.user)
        except AdhesionsRefusees as exc:  # the rules' refusal (a date in the future…), per commune
            position = {membres[c].commune.nom: i for c, i in rang.items()}
            erreurs = [(position.get(nom), None, f"{nom} : {raison}") for nom, raison in exc.erreurs.items()]
    if erreurs:
        raise ValidationError(
            [
                {"type": "formulaire", "loc": tuple(p for p in ("body", "corps", "adhesions", i, c) if p is not None)}
                | {"msg": texte}
                for i, c, texte in erreurs
            ]
        )
    lues = {a.commune_id: a for a in convention.adhesions.select_related("commune")}
    return [_adhesion(lues[ligne.commune]) for ligne in saisie.adhesions]


from . import membres  # noqa: E402  (its operations are the conventions'; ``membres`` imports nothing from here)

router.add_router("", membres.router)
