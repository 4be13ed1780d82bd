"""Writing a checked description: the convention, its visas, signatories, avenants, adhesions and termination, through
the rules layer."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from simple_history.utils import bulk_create_with_history

from ctg.comptes.models import Organisation, caf_du_departement

from .. import perms
from ..models import (
    Adhesion,
    Avenant,
    Convention,
    Resiliation,
    Signataire,
    Statut,
    StatutAvenant,
    Visa,
)
from .commun import CHAMPS_SIGNATAIRE, Resultat
from .export import exporter
from .validation import ABSENT, _Plan


def _caf(plan: _Plan, par=None) -> Organisation:
    """The Caf of the file; its name and tribunal are updated only by its own staff (or the operator)."""
    from ..perms import peut_modifier_caf_organisation

    nouvelle = not Organisation.objects.filter(type=Organisation.Type.CAF, departement=plan.departement).exists()
    caf = caf_du_departement(plan.departement)
    modifies = []
    if isinstance(plan.caf_nom, str) and caf.nom != plan.caf_nom:
        caf.nom = plan.caf_nom
        modifies.append("nom")
    if isinstance(plan.caf_tribunal, str) and caf.tribunal_administratif != plan.caf_tribunal:
        caf.tribunal_administratif = plan.caf_tribunal
        modifies.append("tribunal_administratif")
    if modifies:
        if par is not None and not nouvelle and not peut_modifier_caf_organisation(par, caf):
            raise PermissionDenied(
                f"les données de la {caf} (nom, tribunal administratif) ne sont modifiées que par elle."
            )
        caf.save(update_fields=modifies)
    return caf


def _ecrire(plan: _Plan, par) -> Resultat:
    """Write one checked description through the rules layer (``ctg.conventions.cycle``): a convention is created
    as a draft and completed; it is signed by ``cycle.signer``; its status then follows from its dates and its
    termination (``cycle.actualiser``), never written from the file."""
    from .. import cycle

    champs = dict(plan.champs)
    champs.pop("statut", None)
    date_signature = champs.pop("date_signature", None)
    signer = plan.statut != Statut.BROUILLON
    if plan.existante is None:
        if par is not None and perms.caf_competente_pour(par, plan.epci) is None:
            raise PermissionDenied(
                f"une convention de l'EPCI {plan.epci.nom} est créée par la Caf compétente pour son département."
            )
        caf = _caf(plan, par)
        debut, fin = champs.pop("date_debut"), champs.pop("date_fin", None)
        convention = cycle.creer_convention(caf, plan.epci, debut, fin, par=par, **champs)
        creee, avant = True, None
    else:
        convention = Convention.objects.select_for_update().get(pk=plan.existante.pk)
        if par is not None and not perms.peut_modifier(par, convention):
            raise PermissionDenied(f"votre rôle ne permet pas de modifier la convention n° {convention.pk}.")
        avant = exporter(convention)
        _caf(plan, par)
        creee = False
        if not convention.est_signee:
            _mettre_a_jour(convention, champs)
        else:
            suivi = {c: v for c, v in champs.items() if c not in Convention.TERMES}
            _mettre_a_jour(convention, suivi)

    _ecrire_visas(convention, plan.visas)
    _ecrire_signataires(convention, plan.signataires)
    _ecrire_adhesions(convention, plan.adhesions)
    if signer and convention.statut == Statut.BROUILLON:
        cycle.signer(convention, date_signature or convention.date_signature, par=par)
    _ecrire_avenants(convention, plan.avenants, par, appliquer=not creee and convention.est_signee)
    _ecrire_resiliation(convention, plan.resiliation, par)
    cycle.actualiser(convention)
    modifiee = creee or exporter(convention) != avant
    return Resultat(convention, creee, modifiee)


def _ecrire_visas(convention: Convention, visas: list[str] | None) -> None:
    if visas is None:
        return
    if list(convention.visas.order_by("ordre", "pk").values_list("texte", flat=True)) == visas:
        return
    convention.visas.all().delete()
    bulk_create_with_history([Visa(convention=convention, ordre=i, texte=t) for i, t in enumerate(visas, 1)], Visa)


def _ecrire_signataires(convention: Convention, signataires: list[dict] | None) -> None:
    if signataires is None:
        return
    voulus = sorted((tuple(s[c] for c in CHAMPS_SIGNATAIRE) for s in signataires), key=lambda t: (t[0], t[1]))
    actuels = list(convention.signataires.order_by("partie", "ordre", "pk").values_list(*CHAMPS_SIGNATAIRE))
    if actuels == voulus:
        return
    convention.signataires.all().delete()
    bulk_create_with_history(
        [Signataire(convention=convention, **dict(zip(CHAMPS_SIGNATAIRE, s, strict=True))) for s in voulus], Signataire
    )


def _mettre_a_jour(instance, valeurs: dict) -> bool:
    """Set the given values (those not ABSENT) on a model instance; save it if one changed."""
    modifies = [c for c, v in valeurs.items() if v is not ABSENT and getattr(instance, c) != v]
    for champ in modifies:
        setattr(instance, champ, valeurs[champ])
    if instance.pk is None:
        instance.save()
        return True
    if modifies:
        instance.save(update_fields=modifies + (["modifiee_le"] if hasattr(instance, "modifiee_le") else []))
    return bool(modifies)


def _ecrire_avenants(convention: Convention, avenants: list[dict] | None, par, appliquer: bool) -> None:
    """Avenants of the file: a project is created or updated; a signed one is recorded as signed — and, on a
    convention already signed here, signed through the rules layer so that its modifications apply."""
    from .. import cycle

    if avenants is None:
        return
    existants = {a.numero: a for a in convention.avenants.all()}
    for lu in sorted(avenants, key=lambda a: a["numero"]):
        valeurs = {c: lu[c] for c in ("objet", "signataires", "ctes_identifiant", "modifications")}
        avenant = existants.get(lu["numero"])
        if avenant is not None and avenant.statut == StatutAvenant.SIGNE:
            continue  # checked unchanged by the reader
        signe_le = lu["date"] if lu["date"] is not ABSENT else None
        if avenant is None:
            statut = StatutAvenant.SIGNE if signe_le and not appliquer else StatutAvenant.PROJET
            avenant = Avenant(
                convention=convention,
                numero=lu["numero"],
                cree_par=par,
                statut=statut,
                date=signe_le if statut == StatutAvenant.SIGNE else None,
            )
        _mettre_a_jour(avenant, valeurs)
        if signe_le and avenant.statut == StatutAvenant.PROJET:
            cycle.signer_avenant(avenant, signe_le)


CHAMPS_ADHESION = (
    "statut",
    "maire_civilite",
    "maire_prenom",
    "maire_nom",
    "date_deliberation",
    "ancienne_commune_cej",
    "commentaire",
)


def _ecrire_adhesions(convention: Convention, adhesions: list[dict] | None) -> None:
    existantes = {a.commune_id: a for a in convention.adhesions.all()}
    for lu in adhesions or []:
        adhesion = existantes.get(lu["commune"].code)
        if adhesion is None:
            adhesion = existantes[lu["commune"].code] = Adhesion(convention=convention, commune=lu["commune"])
        _mettre_a_jour(adhesion, {c: lu[c] for c in CHAMPS_ADHESION})
    manquantes = convention.epci.communes.exclude(code__in=existantes).order_by("nom")
    bulk_create_with_history([Adhesion(convention=convention, commune=c) for c in manquantes], Adhesion)


def _ecrire_resiliation(convention: Convention, resiliation, par) -> None:
    """A termination of the file (its dates checked by the reader), recorded as such; on a signed convention, the
    removal of one is refused by the reader (an act of the Caf)."""
    if resiliation is ABSENT:
        return
    existante = Resiliation.objects.filter(convention=convention).first()
    if resiliation is None:
        if existante:
            existante.delete()
        return
    if existante is None:
        existante = Resiliation(convention=convention, enregistree_par=par)
    _mettre_a_jour(existante, {c: resiliation[c] for c in ("mode", "date_envoi", "date_effet", "initiative", "motif")})
