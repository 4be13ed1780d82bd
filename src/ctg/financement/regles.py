"""The rules that write a convention's financing: what a convention may reference, what a renewal keeps, and how a
verification is recorded. Pages, commands, imports and the demo loader write through here or through the forms,
always with ``save()`` so that the audit trail records each change.

Everything is reached through the convention (``convention.structures``, ``convention.cej``…): a second
convention on the same EPCI never sees nor changes the first one's records.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from ctg import audit, horloge
from ctg.comptes.models import Organisation
from ctg.concurrence import VersionPerimee, verifier_version
from ctg.televersement import nom_affichable

from .models import Capacite, Cej, FinancementReel, Structure, Verification


def communes_membres(convention):
    """The communes of the convention (its adhesions, annexe 4)."""
    from ctg.territoires.models import Commune

    return Commune.objects.filter(adhesions__convention=convention).order_by("nom")


def gestionnaires_possibles(convention):
    """The organisations a structure of ``convention`` may be managed by: its parties (the Caf, the EPCI), its member
    communes, and the operators its own structures already have. Never another convention's operators."""
    return (
        Organisation.objects.filter(
            Q(pk=convention.caf_id)
            | Q(type=Organisation.Type.EPCI, epci_id=convention.epci_id)
            | Q(type=Organisation.Type.COMMUNE, commune__adhesions__convention=convention)
            | Q(structures_gerees__convention=convention)
        )
        .distinct()
        .order_by("nom")
    )


def gestionnaire_saisi(convention, nom: str) -> Organisation:
    """The operator typed in a structure's form: one of this convention's own if the name matches, else a new
    organisation (never another convention's operator of the same name)."""
    nom = " ".join(nom.split())
    existant = gestionnaires_possibles(convention).filter(nom__iexact=nom).first()
    if existant is not None:
        return existant
    organisation = Organisation(type=Organisation.Type.AUTRE, nom=nom)
    organisation.save()
    return organisation


@transaction.atomic
def enregistrer_structure(form) -> Structure:
    """A structure of the convention from its valid ``StructureForm`` (its page, the API): its fields, its operator
    (one of the convention's own, or a new one typed in) and, when its capacity changed, a capacity from
    ``capacite_depuis`` (by default its opening date, else today; the earlier ones stay as its history). A
    structure changed since the form read it is refused with ``VersionPerimee`` (the form then carries what
    changed): nothing is written."""
    structure = form.instance
    if structure.pk:
        try:
            verifier_version(structure, form.cleaned_data["version_lue"])
        except VersionPerimee as exc:  # someone saved it since this form was displayed
            form.add_error(None, exc)
            raise
    nouveau = form.cleaned_data.get("nouveau_gestionnaire", "").strip()
    if nouveau:
        structure.gestionnaire = gestionnaire_saisi(form.convention, nouveau)
    structure.save()
    form._save_m2m()
    capacite = {c: form.cleaned_data.get(c) for c in ("places", "places_employeurs", "heures", "etp")}
    actuelle = structure.capacites.last()
    valeurs = (capacite["places"] or 0, capacite["places_employeurs"] or 0, capacite["heures"], capacite["etp"])
    inchangee = actuelle and (actuelle.places, actuelle.places_employeurs, actuelle.heures, actuelle.etp) == valeurs
    if not inchangee and any(v for v in valeurs):
        depuis = form.cleaned_data.get("capacite_depuis") or structure.date_ouverture or horloge.aujourd_hui()
        ligne = Capacite.objects.filter(structure=structure, depuis=depuis).first() or Capacite(
            structure=structure, depuis=depuis
        )
        ligne.places, ligne.places_employeurs, ligne.heures, ligne.etp = valeurs
        ligne.save()
    return structure


def structures_de_la_commune(convention, commune):
    return convention.structures.filter(commune=commune)


def financements_de_la_commune(convention, commune):
    return FinancementReel.objects.filter(structure__convention=convention, structure__commune=commune)


def enregistrer_financement(form, *, par) -> FinancementReel:
    """A commune's actual funding of a structure for a year, entered by ``par`` (its page, the API): the valid
    ``FinancementForm`` saved as an entry (``origine`` « saisie »). A line changed since the form read it is refused
    with ``VersionPerimee`` (the form then carries what changed): nothing is written."""
    form.instance.origine = "saisie"
    form.instance.saisi_par = par
    return form.save()


@transaction.atomic
def enregistrer_verification(convention, commune, *, par, **valeurs) -> tuple[Verification, bool]:
    """The Caf's verification of ``commune``'s funding for a year: a new one, or the year's former one replaced
    (its previous content stays in the history). Returns (verification, created)."""
    verification = (
        Verification.objects.select_for_update()
        .filter(convention=convention, commune=commune, annee=valeurs["annee"])
        .first()
    )
    cree = verification is None
    if cree:
        verification = Verification(convention=convention, commune=commune)
    for champ, valeur in valeurs.items():
        setattr(verification, champ, valeur)
    verification.verifie_par = par
    verification.verifie_le = horloge.maintenant()
    verification.save()
    return verification, cree


def enregistrer_verification_saisie(convention, commune, form, *, par) -> tuple[Verification, bool]:
    """The Caf's verification from its valid ``VerificationForm`` (the commune's page, the API): its attachment,
    checked by ``ctg.televersement`` (size, type by content), kept with its name as uploaded and the type its
    content showed. Returns (verification, created)."""
    donnees = form.cleaned_data
    fichier = donnees.get("fichier")
    return enregistrer_verification(
        convention,
        commune,
        par=par,
        annee=donnees["annee"],
        conclusion=donnees["conclusion"],
        documents=donnees["documents"],
        commentaire=donnees["commentaire"],
        fichier_nom=nom_affichable(fichier.name) if fichier else "",
        fichier_type=fichier.type_detecte.mime if fichier else "",
        fichier=fichier or "",
    )


@transaction.atomic
def enregistrer_cej(form, formset) -> Cej:
    """A Cej reference of a convention from its valid ``CejForm`` and its lines (the valid ``LigneCejFormSet``:
    per structure of the convention, the Caf's amount of N-1, the units covered, the commune's commitment), saved
    together (the page, the API)."""
    cej = form.save()
    formset.instance = cej
    formset.save()
    return cej


def _copier(objet, **valeurs):
    """An unsaved copy of ``objet`` with ``valeurs`` changed (a new primary key, version 1)."""
    champs = {
        f.attname: getattr(objet, f.attname)
        for f in type(objet)._meta.concrete_fields
        if not f.primary_key and f.name not in {"version", "creee_le", "modifiee_le", "modifie_le", "verifie_le"}
    }
    champs.update(valeurs)
    return type(objet)(**champs)


@transaction.atomic
def copier_pour_renouvellement(ancienne, nouvelle) -> dict[str, int]:
    """Copy into the renewed convention ``nouvelle`` what it keeps of ``ancienne``'s financing (article 10: a
    renewal is an explicit agreement, and so is what it takes over). Returns how many rows were copied.

    - every Cej reference, with its lines: the bonus of the former Cej communes rests on them for good;
    - the structures still open when ``nouvelle`` starts, and those a copied Cej line names, with their whole
      capacity history and the communes they serve (a copy: each convention then evolves on its own);
    - the actual funding already entered for ``nouvelle``'s years (a budget of the first year entered early).

    Not copied: the Caf's verifications (each one is an act under the convention that made it) and the funding of
    ``ancienne``'s years. Calling it again copies only what is missing (idempotent)."""
    if nouvelle.pk == ancienne.pk:
        raise ValidationError("Une convention ne se renouvelle pas en elle-même.")
    if nouvelle.epci_id != ancienne.epci_id:
        raise ValidationError("La convention renouvelée doit porter sur le même EPCI que la précédente.")
    if nouvelle.precedente_id != ancienne.pk:
        raise ValidationError(
            f"La convention n° {nouvelle.pk} ne renouvelle pas la convention n° {ancienne.pk} (article 10 : "
            "renouvellement par accord explicite)."
        )
    with audit.motif(f"renouvellement : reprise du financement de la convention n° {ancienne.pk}"):
        return _copier_financement(ancienne, nouvelle)


def _copier_financement(ancienne, nouvelle) -> dict[str, int]:
    comptes = {"structures": 0, "capacites": 0, "cej": 0, "lignes_cej": 0, "financements": 0}
    deja = {s.copiee_de_id: s for s in nouvelle.structures.filter(copiee_de__isnull=False)}
    cej_deja = {c.copiee_de_id: c for c in nouvelle.cej.filter(copiee_de__isnull=False)}

    cejs = list(ancienne.cej.prefetch_related("lignes").order_by("date_debut", "pk"))
    citees = {ligne.structure_id for cej in cejs for ligne in cej.lignes.all()}
    ouvertes = Q(date_fermeture__isnull=True) | Q(date_fermeture__gte=nouvelle.date_debut)
    structures = ancienne.structures.filter(ouvertes | Q(pk__in=citees)).prefetch_related(
        "capacites", "communes_desservies"
    )
    copies = {}
    for structure in structures.order_by("pk"):
        if structure.pk in deja:
            copies[structure.pk] = deja[structure.pk]
            continue
        copie = _copier(structure, convention_id=nouvelle.pk, copiee_de_id=structure.pk)
        copie.save()
        copie.communes_desservies.set(structure.communes_desservies.all())
        for capacite in structure.capacites.all():
            _copier(capacite, structure_id=copie.pk).save()
            comptes["capacites"] += 1
        copies[structure.pk] = copie
        comptes["structures"] += 1

    for cej in cejs:
        if cej.pk in cej_deja:
            continue
        copie = _copier(cej, convention_id=nouvelle.pk, copiee_de_id=cej.pk)
        copie.save()
        comptes["cej"] += 1
        for ligne in cej.lignes.all():
            _copier(ligne, cej_id=copie.pk, structure_id=copies[ligne.structure_id].pk).save()
            comptes["lignes_cej"] += 1

    annees = range(nouvelle.date_debut.year, nouvelle.date_fin.year + 1)
    for financement in FinancementReel.objects.filter(structure__in=list(copies), annee__in=annees):
        structure = copies[financement.structure_id]
        if not FinancementReel.objects.filter(
            structure=structure, annee=financement.annee, document=financement.document
        ).exists():
            _copier(financement, structure_id=structure.pk).save()
            comptes["financements"] += 1
    return comptes
