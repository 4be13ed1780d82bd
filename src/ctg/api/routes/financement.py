"""Financing: the structures of the convention and the bonus territoire of each per year, with its explanation, as
the financing page computes it (``ctg.financement.calcul``); a commune's actual funding entered through the rules of
its page (``ctg.financement.regles.enregistrer_financement``, the page's ``FinancementForm``, the rights in
``ctg.financement.perms``); the Cej references (``regles.enregistrer_cej``, the Cej page's ``CejForm`` and
``LigneCejFormSet``) and the Caf's verifications of a commune (``regles.enregistrer_verification_saisie``, the
commune page's ``VerificationForm``, whose attachment is checked by ``ctg.televersement``); the structures and their
capacities (``regles.enregistrer_structure``, the structure page's ``StructureForm``)."""

import json
from typing import Annotated

from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Query, Router, Status
from ninja.errors import HttpError
from ninja.pagination import LimitOffsetPagination, paginate

from ctg import horloge
from ctg.concurrence import VersionPerimee
from ctg.conventions.acces import convention_visible
from ctg.financement import perms, regles
from ctg.financement.calcul import Donnees, bonus_annee, engagement_commune
from ctg.financement.forms import CejForm, FinancementForm, LigneCejFormSet, StructureForm, VerificationForm
from ctg.financement.lecture import commune_de, piece_de_verification
from ctg.financement.models import ANNEE_MAX, ANNEE_MIN, Cej, FinancementReel, Verification
from ctg.televersement import TYPES_CONNUS, fichiers_recus

from .. import schemas
from ..erreurs import formulaire_et_lignes_valides, formulaire_valide
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
    qs = _structures(convention_visible(request, pk))
    if commune:
        qs = qs.filter(commune__code=commune)
    return [_structure(s) for s in qs]


def _structures(convention):
    return (
        convention.structures.select_related("commune", "gestionnaire")
        .prefetch_related("communes_desservies", "capacites")
        .order_by("commune__nom", "nom", "pk")
    )


def _structure(s) -> dict:
    return {
        "id": s.pk,
        "nom": s.nom,
        "type": s.type,
        "type_libelle": s.get_type_display(),
        "commune": {"code": s.commune_id, "nom": s.commune.nom},
        "psu": s.psu,
        "date_ouverture": s.date_ouverture,
        "date_fermeture": s.date_fermeture,
        "demonstration": s.demonstration,
        "reference": s.reference,
        "gestionnaire": {"id": s.gestionnaire_id, "nom": s.gestionnaire.nom},
        "communes_desservies": [
            {"code": c.code, "nom": c.nom} for c in sorted(s.communes_desservies.all(), key=lambda c: (c.nom, c.code))
        ],
        "cofinancee": s.cofinancee,
        "en_qpv": s.en_qpv,
        "en_zrr": s.en_zrr,
        "capacites": [
            {
                "depuis": c.depuis,
                "places": c.places,
                "places_employeurs": c.places_employeurs,
                "heures": _montant(c.heures),
                "etp": _montant(c.etp),
            }
            for c in sorted(s.capacites.all(), key=lambda c: c.depuis)
        ],
        "version": s.version,
    }


@router.get(
    "/conventions/{pk}/structures/{structure}",
    response=schemas.Structure,
    url_name="structure",
    summary="Une structure financée",
)
def structure(request, pk: int, structure: int):
    """Une structure de la convention : son gestionnaire, ses communes, ses capacités successives, sa version."""
    return _structure(get_object_or_404(_structures(convention_visible(request, pk)), pk=structure))


def _structure_ecrite(request, convention, objet, saisie) -> dict:
    """The page's ``StructureForm`` filled with what the page shows, changed by the request's fields; validated
    (422 per field, 409 ``version_perimee`` for a structure changed since ``version``) and saved through
    ``regles.enregistrer_structure``. Returns the structure as the GET reads it."""
    lue = StructureForm(instance=objet, convention=convention)
    donnees = {nom: lue[nom].value() for nom in lue.fields}
    champs = saisie.model_dump(exclude_unset=True, exclude={"version"})
    donnees.update({nom: "" if valeur is None else valeur for nom, valeur in champs.items()})
    if objet is not None:
        donnees["version_lue"] = objet.version if saisie.version is None else saisie.version
    form = StructureForm({k: v for k, v in donnees.items() if v is not None}, instance=objet, convention=convention)
    if form.has_error("__all__", "version_perimee"):
        raise VersionPerimee(form.non_field_errors())
    formulaire_valide(form)
    objet = regles.enregistrer_structure(form)
    return _structure(_structures(convention).get(pk=objet.pk))


@router.post(
    "/conventions/{pk}/structures",
    response={201: schemas.Structure, 409: schemas.Erreur},
    url_name="structure_nouvelle",
    summary="Ajouter une structure",
)
def structure_nouvelle(request, pk: int, saisie: schemas.NouvelleStructure):
    """Une structure (EAJE, accueil de loisirs…) d'une commune membre, comme la page « Nouvelle structure » : son
    gestionnaire (un organisme de la convention, ou un nouveau par son nom) et sa capacité (places, heures, ETP) à
    compter de `capacite_depuis` (par défaut sa date d'ouverture). Réservé à la Caf et à la collectivité, tant que la
    convention court. Répond la structure (201). Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger_droit(convention, perms.peut_modifier(request.user, convention))
    return Status(201, _structure_ecrite(request, convention, None, saisie))


@router.patch(
    "/conventions/{pk}/structures/{structure}",
    response={200: schemas.Structure, 409: schemas.Erreur},
    url_name="structure_modifier",
    summary="Modifier une structure",
)
def structure_modifier(request, pk: int, structure: int, saisie: schemas.ModificationStructure):
    """Les champs donnés d'une structure (un champ absent garde sa valeur), comme la page « Modifier la structure » :
    une capacité changée s'ajoute à compter de `capacite_depuis`, les précédentes restent. Réservé à la Caf et à la
    collectivité, tant que la convention court. Avec `version`, une structure modifiée entre-temps est refusée (409
    `version_perimee`). Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = get_object_or_404(convention.structures, pk=structure)
    exiger_droit(convention, perms.peut_modifier(request.user, convention))
    return _structure_ecrite(request, convention, objet, saisie)


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


# --- Cej references -------------------------------------------------------------------------------------------

CHAMPS_CEJ = ("commune", "intitule", "date_debut", "date_fin", "annee_reference", "actions", "commentaire")
CHAMPS_LIGNE = ("montant_n1", "unites_reference", "engagement_commune")


def _cejs(convention):
    return (
        convention.cej.select_related("commune")
        .prefetch_related("lignes__structure")
        .order_by("commune__nom", "-date_fin", "pk")
    )


def _cej(c: Cej) -> dict:
    return {
        "id": c.pk,
        "commune": {"code": c.commune_id, "nom": c.commune.nom},
        "intitule": c.intitule,
        "date_debut": c.date_debut,
        "date_fin": c.date_fin,
        "annee_reference": c.annee_reference,
        "actions": c.actions,
        "commentaire": c.commentaire,
        "reprise_de": c.copiee_de_id,
        "demonstration": c.demonstration,
        "lignes": [
            {
                "structure": ligne.structure_id,
                "structure_nom": ligne.structure.nom,
                "montant_n1": _montant(ligne.montant_n1),
                "unites_reference": f"{ligne.unites_reference:.2f}",
                "engagement_commune": _montant(ligne.engagement_commune),
            }
            for ligne in sorted(c.lignes.all(), key=lambda ligne: (ligne.structure.nom, ligne.pk))
        ],
    }


@router.get("/conventions/{pk}/cej", response=list[schemas.Cej], url_name="cejs", summary="Contrats enfance jeunesse")
@paginate(LimitOffsetPagination)
def cejs(request, pk: int, commune: str | None = None):
    """Les contrats enfance jeunesse (Cej) de référence de la convention, avec leurs montants par structure : le
    bonus territoire des anciennes communes Cej et leur engagement de maintien des financements en découlent."""
    qs = _cejs(convention_visible(request, pk))
    if commune:
        qs = qs.filter(commune__code=commune)
    return [_cej(c) for c in qs]


@router.get("/conventions/{pk}/cej/{cej}", response=schemas.Cej, url_name="cej", summary="Un contrat enfance jeunesse")
def cej(request, pk: int, cej: int):
    return _cej(get_object_or_404(_cejs(convention_visible(request, pk)), pk=cej))


def _formulaires_cej(convention, objet: Cej | None, saisie: dict):
    """The Cej page's ``CejForm`` and ``LigneCejFormSet`` filled from the API's fields (an absent field keeps its
    value; the lines given are all the Cej's lines: a structure's line already there is changed, a structure left
    out loses its line), validated: 422 with each field's French message."""
    donnees = {} if objet is None else {c: getattr(objet, "commune_id" if c == "commune" else c) for c in CHAMPS_CEJ}
    donnees.update({c: saisie[c] for c in CHAMPS_CEJ if saisie.get(c) is not None})
    existantes = {ligne.structure_id: ligne for ligne in objet.lignes.all()} if objet else {}
    lignes = saisie.get("lignes")
    if lignes is None:
        lignes = [{"structure": s, **{c: getattr(ligne, c) for c in CHAMPS_LIGNE}} for s, ligne in existantes.items()]
    gardees = [existantes[ligne["structure"]] for ligne in lignes if ligne["structure"] in existantes]
    ordre = gardees + [ligne for s, ligne in existantes.items() if s not in {g.structure_id for g in gardees}]
    nouvelles = [ligne for ligne in lignes if ligne["structure"] not in existantes]
    donnees |= {"lignes-TOTAL_FORMS": len(ordre) + len(nouvelles), "lignes-INITIAL_FORMS": len(ordre)}
    donnees["lignes-MIN_NUM_FORMS"] = 0
    par_structure = {ligne["structure"]: ligne for ligne in lignes}
    for i, ligne in enumerate(ordre):  # the existing lines first (as the formset expects), each changed or deleted
        valeurs = par_structure.get(ligne.structure_id) or {c: getattr(ligne, c) for c in CHAMPS_LIGNE}
        donnees |= {f"lignes-{i}-id": ligne.pk, f"lignes-{i}-structure": ligne.structure_id}
        donnees |= {f"lignes-{i}-{c}": valeurs[c] for c in CHAMPS_LIGNE}
        if ligne.structure_id not in par_structure:
            donnees[f"lignes-{i}-DELETE"] = "on"
    for i, ligne in enumerate(nouvelles, len(ordre)):
        donnees |= {f"lignes-{i}-{c}": ligne[c] for c in ("structure", *CHAMPS_LIGNE)}
    form = CejForm(donnees, instance=objet, convention=convention)
    formset = LigneCejFormSet(donnees, instance=objet or form.instance, prefix="lignes")
    for f in formset.forms:
        f.fields["structure"].queryset = convention.structures.all()
    numeros = [ligne["structure"] for ligne in lignes]
    a_verifier = []  # each line sent, named by its place in the list sent (a deleted line is not checked)
    for i, f in enumerate(formset.forms):
        if formset.can_delete and f.data.get(f"lignes-{i}-DELETE"):
            continue
        structure = f.data.get(f"lignes-{i}-structure")
        a_verifier.append((f, ("body", "corps", "lignes", numeros.index(structure) if structure in numeros else i)))
    formulaire_et_lignes_valides(form, a_verifier, formset, ("body", "corps", "lignes"))
    return form, formset


def _cej_a_ecrire(request, pk: int):
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    exiger_droit(convention, perms.peut_modifier(request.user, convention))
    return convention


@router.post(
    "/conventions/{pk}/cej",
    response={201: schemas.Cej, 409: schemas.Erreur},
    url_name="cej_nouveau",
    summary="Ajouter un contrat enfance jeunesse de référence",
)
def cej_nouveau(request, pk: int, saisie: schemas.NouveauCej):
    """Un Cej d'une commune membre et ses lignes (une par structure de la convention), comme le formulaire
    « Nouveau Cej » : réservé à la Caf et à la collectivité, tant que la convention court. Répond le Cej (201).
    Jeton « lecture et écriture »."""
    convention = _cej_a_ecrire(request, pk)
    form, formset = _formulaires_cej(convention, None, saisie.model_dump())
    objet = regles.enregistrer_cej(form, formset)
    return Status(201, _cej(_cejs(convention).get(pk=objet.pk)))


@router.patch(
    "/conventions/{pk}/cej/{cej}",
    response={200: schemas.Cej, 409: schemas.Erreur},
    url_name="cej_modifier",
    summary="Modifier un contrat enfance jeunesse de référence",
)
def cej_modifier(request, pk: int, cej: int, saisie: schemas.ModificationCej):
    """Les champs donnés d'un Cej (un champ absent garde sa valeur) et, avec `lignes`, toutes ses lignes, comme
    le formulaire du Cej : réservé à la Caf et à la collectivité, tant que la convention court. Jeton « lecture
    et écriture »."""
    convention = _cej_a_ecrire(request, pk)
    objet = get_object_or_404(_cejs(convention), pk=cej)
    form, formset = _formulaires_cej(convention, objet, saisie.model_dump())
    regles.enregistrer_cej(form, formset)
    return _cej(_cejs(convention).get(pk=objet.pk))


# --- The Caf's verifications of a commune -------------------------------------------------------------------------


def _verification(v: Verification) -> dict:
    return {
        "id": v.pk,
        "commune": {"code": v.commune_id, "nom": v.commune.nom},
        "annee": v.annee,
        "conclusion": v.conclusion,
        "conclusion_libelle": v.get_conclusion_display(),
        "documents": v.documents,
        "commentaire": v.commentaire,
        "piece_jointe": v.fichier_nom,
        "piece_jointe_type": v.fichier_type,
        "piece_jointe_url": (reverse("api:v1:verification_piece", args=[v.convention_id, v.pk]) if v.fichier else None),
        "verifie_par": v.verifie_par.get_full_name() or v.verifie_par.username,
        "verifie_le": v.verifie_le,
    }


@router.get(
    "/conventions/{pk}/communes/{commune}/verifications",
    response=list[schemas.Verification],
    url_name="commune_verifications",
    summary="Vérifications de la Caf pour une commune",
)
@paginate(LimitOffsetPagination)
def verifications(request, pk: int, commune: str):
    """Les vérifications par la Caf du maintien des financements de la commune (article 1, note 1), la plus
    récente d'abord : année, conclusion, documents examinés, pièce jointe (téléchargée depuis la page de la
    commune)."""
    convention = convention_visible(request, pk)
    objet = commune_de(convention, commune)
    qs = Verification.objects.filter(convention=convention, commune=objet).select_related("commune", "verifie_par")
    return [_verification(v) for v in qs.order_by("-annee", "-pk")]


@router.get(
    "/conventions/{pk}/verifications/{verification}/piece-jointe",
    url_name="verification_piece",
    summary="Télécharger la pièce jointe d'une vérification",
    openapi_extra={
        "responses": {
            200: {
                "description": "Le fichier tel qu'il a été déposé, en pièce jointe (jamais affiché en ligne).",
                "content": {t.mime: {"schema": {"type": "string", "format": "binary"}} for t in TYPES_CONNUS},
            }
        }
    },
)
def verification_piece(request, pk: int, verification: int):
    """La pièce jointe d'une vérification (son adresse : `piece_jointe_url` de la vérification lue), avec les
    droits de la page de la commune : tout membre de la convention ; 404 sans pièce jointe."""
    return piece_de_verification(convention_visible(request, pk), verification)


CORPS_VERIFICATION = {
    "type": "object",
    "required": ["annee", "conclusion", "documents"],
    "properties": {
        "annee": {"type": "integer", "minimum": ANNEE_MIN, "maximum": ANNEE_MAX},
        "conclusion": {"type": "string", "enum": ["conforme", "non_conforme"]},
        "documents": {"type": "string", "description": "les documents examinés, un par ligne"},
        "commentaire": {"type": "string"},
    },
}


@router.post(
    "/conventions/{pk}/communes/{commune}/verifications",
    response={200: schemas.Verification, 201: schemas.Verification},
    url_name="commune_verification",
    summary="Enregistrer une vérification de la Caf",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {"schema": CORPS_VERIFICATION},
                "multipart/form-data": {
                    "schema": {
                        **CORPS_VERIFICATION,
                        "properties": {
                            **CORPS_VERIFICATION["properties"],
                            "fichier": {"type": "string", "format": "binary", "description": "pièce jointe"},
                        },
                    }
                },
            },
        }
    },
)
def verification(request, pk: int, commune: str):
    """La vérification par la Caf du maintien des financements de la commune pour une année, comme le formulaire
    de la page de la commune : réservée à la conseillère ou au conseiller de la Caf, tant que la convention court.
    En JSON sans pièce jointe, ou en `multipart/form-data` avec une pièce jointe (`fichier`) vérifiée comme sur la
    page : taille, type reconnu à son contenu (PDF, image, bureautique, CSV ; pages web, SVG et scripts refusés).
    Une vérification de la même année est remplacée (201 : créée, 200 : remplacée ; la précédente reste dans
    l'historique). Jeton « lecture et écriture »."""
    exiger_ecriture(request)
    convention = convention_visible(request, pk)
    objet = commune_de(convention, commune)
    exiger_droit(convention, perms.peut_verifier(request.user, convention))
    if request.content_type == "multipart/form-data":
        donnees, fichiers = request.POST, fichiers_recus(request)
    else:
        try:
            donnees = json.loads(request.body or b"{}")
        except ValueError:
            donnees = None
        if not isinstance(donnees, dict):
            raise HttpError(400, "Corps de la requête illisible : envoyez un objet JSON, ou un formulaire multipart.")
        fichiers = None
    form = VerificationForm(donnees, fichiers)
    formulaire_valide(form)
    verification, cree = regles.enregistrer_verification_saisie(convention, objet, form, par=request.user)
    return Status(201 if cree else 200, _verification(verification))
