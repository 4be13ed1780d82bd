"""The rules layer of a convention: every change of its state goes through these functions, whoever asks (a page,
the admin, a command, the JSON import, the demo); the adhesions of its communes go through ``adhesions``, built on
the same helpers.

brouillon → signée → en vigueur → terminée (arrivée à échéance | résiliée). The transitions themselves, who may
make them and their preconditions are declared on the model (``Convention.signer``… with django-fsm); this module
checks the dates and the acting person, records each step in the convention's history (``Transition``, numbered
under a row lock so that two requests at once give one step) and in the audit trail.

``par`` is the person acting. ``par=None`` is the product's operator (a console command or the import of a file):
the preconditions still apply, and the audit trail names the command (``ctg.audit.par_commande``).
"""

from __future__ import annotations

import contextlib
import contextvars
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django_fsm import can_proceed
from simple_history.utils import bulk_create_with_history

from ctg import audit, horloge
from ctg.etats import a_la_permission

from . import perms
from .models import (
    CHAMPS_AVENANT,
    STATUTS_SIGNES,
    Adhesion,
    Avenant,
    Convention,
    Resiliation,
    Signataire,
    Statut,
    StatutAvenant,
    Transition,
    Visa,
    valeurs_des_modifications,
)
from .regles import REGLES_RESILIATION, calculer_resiliation, fin_maximale


class TransitionImpossible(Exception):
    """The act is not possible in the convention's present state or with these dates (a precondition)."""


class DateRefusee(TransitionImpossible):
    """A date the act cannot bear (in the future, before the signature): the input is wrong, not the state."""


class EffetDejaPasse(DateRefusee):
    """A termination whose effect date is already past: recorded only once confirmed."""


class ActionRefusee(PermissionDenied):
    """The person acting may not do this (their role or their party)."""


# --- Contract terms are frozen once signed -----------------------------------------------------------

_termes_autorises: contextvars.ContextVar[str | None] = contextvars.ContextVar("ctg_termes", default=None)


@contextlib.contextmanager
def modification_des_termes(motif: str):
    """Inside this block the terms of a signed convention may change: used by the rules layer only (a signed
    avenant, a Caf's correction), and by tests that build a convention's state."""
    jeton = _termes_autorises.set(motif)
    try:
        yield
    finally:
        _termes_autorises.reset(jeton)


def termes_modifiables() -> bool:
    return _termes_autorises.get() is not None


class TermesFiges(ValidationError):
    pass


def verifier_termes(convention: Convention) -> None:
    """Refuse a change of the contract terms of a signed convention outside an avenant or a correction (called by
    ``Convention.save``; the same for pages, the admin, commands and the import)."""
    if convention.pk is None or termes_modifiables():
        return
    avant = Convention.objects.filter(pk=convention.pk).values("statut", *Convention.TERMES).first()
    if avant is None or avant["statut"] == Statut.BROUILLON:
        return
    changes = [champ for champ in Convention.TERMES if getattr(convention, champ) != avant[champ]]
    if changes:
        libelles = ", ".join(str(Convention._meta.get_field(c).verbose_name) for c in changes)
        raise TermesFiges(
            f"La convention est signée : ses termes ({libelles}) ne changent que par un avenant signé "
            "(article 10), ou par une correction d'erreur matérielle de la Caf."
        )


def verifier_piece_signee(convention: Convention, quoi: str) -> None:
    """Signatories and visas of a signed convention are part of its terms."""
    if termes_modifiables():
        return
    statut = Convention.objects.filter(pk=convention.pk).values_list("statut", flat=True).first()
    if statut and statut != Statut.BROUILLON:
        raise TermesFiges(f"La convention est signée : {quoi} ne changent que par un avenant signé (article 10).")


# --- Steps of the lifecycle --------------------------------------------------------------------------


def _auteur(instance, par, motif: str = ""):
    """Name the person and the reason on what is about to be saved (audit trail)."""
    if par is not None:
        instance._history_user = par
    if motif:
        instance._change_reason = motif
    return instance


def _verrouiller(convention: Convention) -> Convention:
    """The convention's row, locked until the end of the transaction (PostgreSQL; SQLite serialises writers)."""
    return Convention.objects.select_for_update().select_related("caf", "epci").get(pk=convention.pk)


def _exiger(autorise: bool, message: str) -> None:
    if not autorise:
        raise ActionRefusee(message)


def _noter(convention: Convention, de: str, vers: str, date_effet: date, motif: str, par) -> Transition:
    rang = (convention.transitions.aggregate(n=Max("rang"))["n"] or 0) + 1
    transition = Transition(
        convention=convention, de=de, vers=vers, date_effet=date_effet, motif=motif, par=par, rang=rang
    )
    transition.save()
    return transition


def _franchir(convention: Convention, nom: str, date_effet: date, motif: str, par, *, champs=None) -> Transition:
    """Make the transition ``nom`` on the locked row of ``convention``; refresh the caller's instance."""
    verrouillee = _verrouiller(convention)
    methode = getattr(verrouillee, nom)
    if par is not None and not a_la_permission(methode, par):
        raise ActionRefusee(f"Votre rôle sur cette convention ne permet pas cette action ({methode.__doc__.strip()})")
    if not can_proceed(methode):
        raise TransitionImpossible(
            f"Une convention « {verrouillee.get_statut_display().lower()} » ne peut pas faire cette transition "
            f"({nom.replace('_', ' ')}) aujourd'hui."
        )
    de = verrouillee.statut
    for champ, valeur in (champs or {}).items():
        setattr(verrouillee, champ, valeur)
    methode()
    _auteur(verrouillee, par, motif).save()
    transition = _noter(verrouillee, de, verrouillee.statut, date_effet, motif, par)
    convention.refresh_from_db()
    return transition


def manques_pour_signer(convention: Convention) -> list[str]:
    manques = []
    if not convention.signataires.filter(partie="caf").exists():
        manques.append("au moins un signataire pour la Caf")
    if not convention.signataires.filter(partie="collectivite").exists():
        manques.append("au moins un signataire pour la collectivité")
    return manques


@transaction.atomic
def signer(convention: Convention, date_signature: date, par=None) -> Transition:
    if convention.statut != Statut.BROUILLON:
        raise TransitionImpossible(f"La convention est déjà signée (le {convention.date_signature:%d/%m/%Y}).")
    if par is not None:
        _exiger(perms.peut_signer(par, convention), "Seuls la Caf et la collectivité signent la convention.")
    manques = manques_pour_signer(convention)
    if manques:
        raise TransitionImpossible("Signature impossible : il manque " + " et ".join(manques) + ".")
    if date_signature > horloge.aujourd_hui():
        raise DateRefusee(
            f"La date de signature ({date_signature:%d/%m/%Y}) est dans le futur : enregistrez la signature le jour "
            "où elle a lieu."
        )
    if date_signature > convention.date_fin:
        raise DateRefusee("La date de signature est postérieure à la fin de la convention.")
    transition = _franchir(
        convention,
        "signer",
        date_signature,
        "Signature par les parties",
        par,
        champs={"date_signature": date_signature},
    )
    actualiser(convention)
    return transition


@transaction.atomic
def revenir_en_brouillon(convention: Convention, motif: str, par=None) -> Transition:
    """A signature recorded by mistake, before the start date: withdrawn by the Caf, with a reason."""
    if not motif.strip():
        raise TransitionImpossible("Indiquez le motif du retour en brouillon.")
    if par is not None:
        _exiger(perms.peut_revenir_en_brouillon(par, convention), "Seule la Caf peut annuler une signature.")
    return _franchir(
        convention,
        "revenir_en_brouillon",
        horloge.aujourd_hui(),
        f"Retour en brouillon : {motif.strip()}",
        par,
        champs={"date_signature": None},
    )


@transaction.atomic
def actualiser(convention: Convention) -> list[Transition]:
    """Apply the transitions that time brings, as of the product's today: entry into force on the start date,
    termination on its effective date, expiry after the end date. Idempotent; done by the daily
    ``ctg actualiser`` (and right after an act that changes the dates)."""
    systeme = audit.utilisateur_systeme()
    faites = []
    convention.refresh_from_db()
    while convention.statut_du_jour != convention.statut:
        cible = convention.statut_du_jour
        resiliation = getattr(convention, "resiliation", None)
        if cible == Statut.RESILIEE:
            etape = ("prendre_fin_par_resiliation", resiliation.date_effet, resiliation.get_mode_display())
        elif convention.statut == Statut.SIGNEE:
            etape = ("entrer_en_vigueur", convention.date_debut, "Entrée en vigueur (date de début)")
        else:
            etape = ("arriver_a_echeance", convention.date_fin, "Arrivée à échéance (date de fin)")
        nom, date_effet, motif = etape
        faites.append(_franchir(convention, nom, date_effet, motif, systeme))
    return faites


def actualiser_toutes() -> list[Transition]:
    """The daily update of every convention whose stored status is behind the calendar."""
    faites = []
    for convention in Convention.objects.exclude(statut__in=[Statut.BROUILLON, Statut.EXPIREE]).order_by("pk"):
        if convention.statut_du_jour != convention.statut:
            faites.extend(actualiser(convention))
    return faites


# --- Termination (article 12) -----------------------------------------------------------------------


@transaction.atomic
def resilier(
    convention: Convention,
    mode: str,
    date_envoi: date,
    initiative: str | None = None,
    motif: str = "",
    par=None,
    confirmer_effet_passe: bool = False,
):
    """Record a termination under article 12; it takes effect on the computed date.

    A person acts for their own party (the Caf adviser for the Caf, the project lead for the collectivité); the
    Caf alone terminates for an infraction or a change without avenant. The letter cannot be dated after today;
    when the effect date is already past, ``confirmer_effet_passe`` must say so."""
    regle = REGLES_RESILIATION.get(mode)
    if regle is None:
        raise TransitionImpossible(f"Mode de résiliation « {mode} » inconnu : {', '.join(REGLES_RESILIATION)}.")
    if par is not None:
        partie = perms.partie_de(par, convention)
        _exiger(partie is not None, "Seules la Caf et la collectivité peuvent mettre fin à la convention.")
        if initiative not in (None, partie):
            raise ActionRefusee("Vous ne pouvez enregistrer une fin de convention qu'au nom de votre propre partie.")
        initiative = partie
        _exiger(mode in perms.modes_resiliation(par, convention), f"{regle.titre} : seule la Caf peut la prononcer.")
    if initiative not in {"caf", "collectivite"}:
        raise TransitionImpossible(
            "Indiquez la partie à l'initiative de la fin de la convention (caf ou collectivite)."
        )
    if regle.par_la_caf_seulement and initiative != "caf":
        raise TransitionImpossible(f"{regle.titre} : seule la Caf peut la prononcer (article 12).")
    appelante, convention = convention, _verrouiller(convention)
    if convention.statut_du_jour not in STATUTS_SIGNES:
        raise TransitionImpossible(
            "Seule une convention signée ou en vigueur peut être résiliée "
            f"(statut : {convention.libelle_statut_du_jour.lower()})."
        )
    if hasattr(convention, "resiliation"):
        raise TransitionImpossible(f"Une résiliation est déjà enregistrée : {convention.resiliation}.")
    aujourd_hui = horloge.aujourd_hui()
    if date_envoi > aujourd_hui:
        raise DateRefusee(
            f"La date d'envoi ({date_envoi:%d/%m/%Y}) est dans le futur : enregistrez la lettre une fois envoyée."
        )
    if date_envoi < (convention.date_signature or convention.date_debut):
        raise DateRefusee("La date d'envoi précède la signature de la convention.")
    calcul = calculer_resiliation(mode, date_envoi, convention.date_fin)
    if calcul.date_effet < aujourd_hui and not confirmer_effet_passe:
        raise EffetDejaPasse(
            f"La date d'effet ({calcul.date_effet:%d/%m/%Y}) est déjà passée : la convention sera terminée dès "
            "l'enregistrement, à cette date. Confirmez pour enregistrer."
        )
    resiliation = Resiliation(
        convention=convention,
        mode=mode,
        date_envoi=date_envoi,
        date_effet=calcul.date_effet,
        initiative=initiative,
        motif=motif,
        enregistree_par=par,
    )
    _auteur(resiliation, par, regle.titre).save()
    actualiser(convention)
    appelante.refresh_from_db()
    return resiliation, calcul


@transaction.atomic
def annuler_resiliation(convention: Convention, motif: str, par=None) -> None:
    """Undo a termination recorded by mistake: an act of the Caf, with a reason, kept in the history."""
    if not motif.strip():
        raise TransitionImpossible("Indiquez pourquoi la résiliation est annulée.")
    if par is not None:
        _exiger(perms.peut_annuler_resiliation(par, convention), "Seule la Caf peut annuler une résiliation.")
    verrouillee = _verrouiller(convention)
    resiliation = getattr(verrouillee, "resiliation", None)
    if resiliation is None:
        raise TransitionImpossible("Aucune résiliation n'est enregistrée pour cette convention.")
    texte = f"Annulation de la résiliation ({resiliation.get_mode_display()}) : {motif.strip()}"
    if verrouillee.statut == Statut.RESILIEE:
        _franchir(verrouillee, "annuler_resiliation", horloge.aujourd_hui(), texte, par)
    _auteur(resiliation, par, texte).delete()
    convention.refresh_from_db()
    actualiser(convention)


# --- Avenants and corrections (article 10) ------------------------------------------------------------


def _valeurs_termes(convention: Convention, valeurs: dict, champs_permis) -> dict:
    inconnus = set(valeurs) - set(champs_permis)
    if inconnus:
        raise TransitionImpossible(f"Champ(s) non modifiable(s) de cette façon : {', '.join(sorted(inconnus))}.")
    return {champ: valeur for champ, valeur in valeurs.items() if getattr(convention, champ) != valeur}


def _appliquer_termes(convention: Convention, valeurs: dict, motif: str, par) -> None:
    with modification_des_termes(motif):
        for champ, valeur in valeurs.items():
            setattr(convention, champ, valeur)
        try:
            convention.full_clean()
        except ValidationError as exc:
            raise TransitionImpossible(" ".join(m for ms in exc.message_dict.values() for m in ms)) from None
        convention.version += 1
        _auteur(convention, par, motif).save()


@transaction.atomic
def ajouter_avenant(
    convention: Convention, objet: str, modifications: dict | None = None, par=None, signataires="", ctes=""
) -> Avenant:
    """A project of avenant, with the changes of the contract terms it will bring once signed."""
    convention = _verrouiller(convention)
    if convention.statut_du_jour not in STATUTS_SIGNES:
        raise TransitionImpossible("Un avenant modifie une convention signée et non terminée.")
    if par is not None:
        _exiger(perms.peut_ajouter_avenant(par, convention), "Seules la Caf et la collectivité rédigent un avenant.")
    modifications = {
        c: v.isoformat() if isinstance(v, date) else v
        for c, v in _valeurs_termes(convention, valeurs_des_modifications(modifications or {}), CHAMPS_AVENANT).items()
    }
    numero = (convention.avenants.aggregate(n=Max("numero"))["n"] or 0) + 1
    avenant = Avenant(
        convention=convention,
        numero=numero,
        objet=objet,
        modifications=modifications,
        signataires=signataires,
        ctes_identifiant=ctes,
        cree_par=par,
    )
    _auteur(avenant, par).save()
    return avenant


@transaction.atomic
def signer_avenant(avenant: Avenant, date_signature: date, par=None) -> Avenant:
    """Sign an avenant: its changes apply to the convention's terms that day."""
    avenant = Avenant.objects.select_for_update().select_related("convention").get(pk=avenant.pk)
    if avenant.statut != StatutAvenant.PROJET:
        raise TransitionImpossible(f"L'avenant n° {avenant.numero} est déjà signé.")
    if par is not None and not a_la_permission(avenant.signer, par):
        raise ActionRefusee("Seules la Caf et la collectivité signent un avenant.")
    convention = _verrouiller(avenant.convention)
    if date_signature > horloge.aujourd_hui():
        raise DateRefusee(f"La date de signature ({date_signature:%d/%m/%Y}) est dans le futur.")
    if convention.date_signature and date_signature < convention.date_signature:
        raise DateRefusee("Un avenant ne peut pas être signé avant la convention qu'il modifie.")
    motif = f"Avenant n° {avenant.numero} signé le {date_signature:%d/%m/%Y}"
    _appliquer_termes(convention, valeurs_des_modifications(avenant.modifications), motif, par)
    avenant.signer()
    avenant.date = date_signature
    _auteur(avenant, par, motif).save()
    actualiser(convention)
    avenant.convention.refresh_from_db()
    return avenant


@transaction.atomic
def corriger(convention: Convention, valeurs: dict, motif: str, par=None) -> None:
    """Correct a clerical error in the terms of a signed convention: an explicit act of the Caf, with its reason,
    recorded in the audit trail (not a change of the agreement: that is an avenant)."""
    if convention.statut == Statut.BROUILLON:
        raise TransitionImpossible(
            "Une convention en brouillon se modifie directement (« Modifier la convention ») : "
            "seule une convention signée se corrige d'une erreur matérielle."
        )
    if not motif.strip():
        raise TransitionImpossible("Indiquez l'erreur matérielle corrigée.")
    if par is not None:
        _exiger(perms.peut_corriger(par, convention), "Seule la Caf corrige une erreur matérielle.")
    verrouillee = _verrouiller(convention)
    valeurs = _valeurs_termes(verrouillee, valeurs, Convention.TERMES)
    if not valeurs:
        raise TransitionImpossible("Aucune valeur n'a changé : rien à corriger.")
    _appliquer_termes(verrouillee, valeurs, f"Correction d'une erreur matérielle : {motif.strip()}", par)
    actualiser(verrouillee)
    convention.refresh_from_db()


# --- The settings page --------------------------------------------------------------------------------


@transaction.atomic
def enregistrer_convention(form, signataires=None, par=None) -> Convention:
    """The change of a convention from its settings page (``ConventionForm``, valid; the API builds the same
    form): its fields; while it is a draft, its visas and its signatories (``signataires``: the page's formset,
    valid, or None to keep them); the Caf's tribunal when the form lets it change. Refused when the convention
    changed since the form was read (``VersionPerimee``) or, signed, when its terms change (``TermesFiges``)."""
    _auteur(form.instance, par)
    convention = form.save()
    if form.termes_modifiables:
        if signataires is not None:
            signataires.save()
        lignes = form.lignes_visas()
        if lignes != [v.texte for v in convention.visas.all()]:
            convention.visas.all().delete()
            bulk_create_with_history(
                [Visa(convention=convention, ordre=i, texte=t) for i, t in enumerate(lignes, 1)],
                Visa,
                default_user=par,
            )
    if not form.fields["tribunal_administratif"].disabled:
        caf = convention.caf
        if caf.tribunal_administratif != form.cleaned_data["tribunal_administratif"]:
            caf.tribunal_administratif = form.cleaned_data["tribunal_administratif"]
            caf.save(update_fields=["tribunal_administratif"])
    return convention


# --- Creation and renewal ---------------------------------------------------------------------------

VISAS_PAR_DEFAUT = [
    "Vu les articles L. 263-1, L. 223-1, et L. 227-1 à 3 du Code de la Sécurité Sociale ;",
    "Vu le Code de l'action sociale et des familles ;",
    "Vu le Code général des collectivités territoriales ;",
    "Vu l'arrêté du 3 octobre 2001 relatif à l'action sociale des Caisses d'allocations familiales (Caf);",
    "Vu la Convention d'objectifs et de gestion (Cog) arrêtée entre l'Etat et la Caisse nationale des allocations "
    "familiales (Cnaf) ;",
    "Vu la délibération du conseil d'administration de la {caf} en date du [à compléter] concernant le Contrat "
    "pluriannuel d'objectifs et de gestion (Cpog) évoquant la stratégie et les objectifs de déploiement des CTG;",
]


def _nouvelle(caf, epci, date_debut, date_fin, par, motif: str, visas: list[str], **champs) -> Convention:
    from ctg.territoires.models import Epci

    Epci.objects.select_for_update().filter(pk=epci.pk).first()  # one creation at a time per EPCI (overlaps)
    convention = Convention(caf=caf, epci=epci, date_debut=date_debut, date_fin=date_fin or fin_maximale(date_debut))
    for champ, valeur in champs.items():
        setattr(convention, champ, valeur)
    convention.full_clean()
    _auteur(convention, par, motif).save()
    bulk_create_with_history(
        [Visa(convention=convention, ordre=i, texte=t) for i, t in enumerate(visas, 1)],
        Visa,
        default_user=par,
        default_change_reason=motif,
    )
    _noter(convention, "", Statut.BROUILLON, horloge.aujourd_hui(), motif, par)
    return convention


@transaction.atomic
def creer_convention(caf, epci, date_debut: date, date_fin: date | None = None, par=None, **champs) -> Convention:
    """A new draft convention, with the default visas and one pending adhesion per member commune (annexe 4).

    A person may create one only for the Caf competent for the EPCI's département, their own (a national
    administrator: any); an EPCI cannot have two conventions over overlapping periods."""
    from ctg.comptes.models import role_du_createur

    from .models import Habilitation

    if par is not None:
        competente = perms.caf_competente_pour(par, epci)
        _exiger(
            competente is not None and competente.pk == caf.pk,
            f"Une convention de l'EPCI {epci.nom} est créée par la Caf compétente pour son département, "
            "par l'un de ses conseillers ou conseillères.",
        )
    convention = _nouvelle(
        caf, epci, date_debut, date_fin, par, "Création", [t.format(caf=caf.nom) for t in VISAS_PAR_DEFAUT], **champs
    )
    bulk_create_with_history(
        [Adhesion(convention=convention, commune=c) for c in epci.communes.order_by("nom")],
        Adhesion,
        default_user=par,
        default_change_reason="Création",
    )
    if par is not None:
        Habilitation.objects.get_or_create(user=par, convention=convention, defaults={"role": role_du_createur(par)})
    return convention


@transaction.atomic
def renouveler(convention: Convention, par=None) -> Convention:
    """Article 10: renewal only by explicit agreement — a new draft convention from the day after the end, which
    copies explicitly what it keeps: visas, signatories, member communes (their adhesion is to collect again),
    the people and their roles, and what the other apps keep (``renouvellement`` extension point)."""
    from .extensions import collecter

    if Convention.objects.filter(precedente=convention).exists():
        raise TransitionImpossible("Cette convention a déjà été renouvelée.")
    if convention.statut == Statut.BROUILLON:
        raise TransitionImpossible("Une convention en brouillon ne se renouvelle pas : signez-la d'abord.")
    if par is not None:
        _exiger(perms.peut_renouveler(par, convention), "Le renouvellement est préparé par la Caf.")
    debut = convention.fin_effective + timedelta(days=1)
    motif = f"Renouvellement par accord explicite de la convention n° {convention.pk}"
    nouvelle = _nouvelle(
        convention.caf,
        convention.epci,
        debut,
        fin_maximale(debut),
        par,
        motif,
        [v.texte for v in convention.visas.all()],
        titre=convention.titre,
        domaines=list(convention.domaines),
        deliberation_instance=convention.deliberation_instance,
        annexe1=convention.annexe1,
        chef_projet_nom=convention.chef_projet_nom,
        chef_projet_fonction=convention.chef_projet_fonction,
        precedente=convention,
    )
    bulk_create_with_history(
        [
            Signataire(
                convention=nouvelle,
                partie=s.partie,
                ordre=s.ordre,
                civilite=s.civilite,
                prenom=s.prenom,
                nom=s.nom,
                qualite=s.qualite,
                qualite_autre=s.qualite_autre,
            )
            for s in convention.signataires.all()
        ],
        Signataire,
        default_user=par,
        default_change_reason=motif,
    )
    communes = set(nouvelle.epci.communes.values_list("code", flat=True))
    bulk_create_with_history(
        [
            Adhesion(convention=nouvelle, commune_id=a.commune_id, ancienne_commune_cej=a.ancienne_commune_cej)
            for a in convention.adhesions.filter(commune_id__in=communes)
        ],
        Adhesion,
        default_user=par,
        default_change_reason=motif,
    )
    for habilitation in convention.habilitations.all():
        habilitation.pk = None
        habilitation.convention = nouvelle
        _auteur(habilitation, par, motif).save()
    collecter("renouvellement", convention, nouvelle)
    return nouvelle
