"""The rules of article 7: every step of a data-exchange request goes through these functions (pages, commands and
the demo loader alike). Each checks who acts (``par``, whose right is the transition's permission in
``ctg.rgpd.perms_echanges``), the request's state and the step's preconditions, and says in French why a step is
refused; nothing is written then.

Article 7 of the reference convention: « les demandes [d'échange de données à caractère personnel] par l'une des
parties feront obligatoirement l'objet d'une étude d'opportunité, de faisabilité, et de conformité au Rgpd par
l'autre partie […]. Ces demandes seront soumises pour étude et avis préalable au délégué à la protection des
données de la partie qui détient les données personnelles demandées », and the processing thus created is added to
the list the controller keeps under article 30 of the GDPR (``TraitementRegistre``).
"""

from __future__ import annotations

import hashlib
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django_fsm import can_proceed

from ctg import horloge
from ctg.comptes.models import organisation_epci
from ctg.conventions.regles import ajouter_mois
from ctg.etats import a_la_permission

from . import perms_echanges as perms
from .models import (
    AvisDelegue,
    BaseLegale,
    DecisionDemande,
    DelegueProtectionDonnees,
    DemandeEchange,
    EtudeDemande,
    Issue,
    Moyen,
    Sens,
    StatutDemande,
    TraitementRegistre,
    Transfert,
    delegue_en_fonction,
)


class EchangeImpossible(ValidationError):
    @property
    def texte(self) -> str:
        return " ".join(self.messages)


def _requis(**textes) -> None:
    manquants = [nom for nom, valeur in textes.items() if not str(valeur or "").strip()]
    if manquants:
        raise EchangeImpossible(f"À renseigner : {', '.join(manquants)}.", code="incomplet")


def _verrouiller(demande: DemandeEchange) -> DemandeEchange:
    """Lock the request's row and re-read it: two steps at once cannot both start from the same state."""
    DemandeEchange.objects.select_for_update().filter(pk=demande.pk).values_list("pk").get()
    demande.refresh_from_db()
    return demande


def _autoriser(transition, par, refus: str) -> None:
    if not a_la_permission(transition, par):
        raise EchangeImpossible(refus, code="non_autorise")
    transition.__self__._history_user = par


def _etat(demande: DemandeEchange, transition, refus: str) -> None:
    if not can_proceed(transition):
        raise EchangeImpossible(
            f"{refus} (la demande « {demande.objet} » est « {demande.get_statut_display().lower()} »).",
            code="etat",
        )


# --- Filing --------------------------------------------------------------------------------------------------


@transaction.atomic
def deposer(convention, par, *, demandeur, champs, donnees_personnelles, demonstration=False, **valeurs):
    """File a request of ``demandeur`` (a party, one ``par`` may act for) to the other party of ``convention``."""
    autorisees = perms.organisations_pour_demander(par, convention)
    if demandeur not in autorisees:
        raise EchangeImpossible(
            "Seuls la ou le conseiller·ère de la Caf et la ou le chef·fe de projet de la collectivité déposent une "
            "demande, au nom de leur propre organisation, partie à la convention, tant qu'elle est en cours.",
            code="non_autorise",
        )
    # the other party; the collectivité's organisation is created the first time a request is filed to it
    autres = [o for o in perms.parties(convention) if o.pk != demandeur.pk]
    detenteur = autres[0] if autres else organisation_epci(convention.epci)
    champs = [c.strip() for c in champs if c and c.strip()]
    if not champs:
        raise EchangeImpossible("Indiquez au moins une donnée demandée (un champ par ligne).", code="champs")
    _requis(objet=valeurs.get("objet"), finalité=valeurs.get("finalite"), destinataires=valeurs.get("destinataires"))
    if valeurs.get("moyen") not in Moyen.values:
        raise EchangeImpossible("Choisissez le moyen de transmission.", code="moyen")
    if donnees_personnelles:
        if valeurs.get("base_legale") not in BaseLegale.values:
            raise EchangeImpossible(
                "Une demande de données personnelles indique sa base légale (article 6 du RGPD).", code="base_legale"
            )
        if not valeurs.get("conservation_mois"):
            raise EchangeImpossible(
                "Une demande de données personnelles indique leur durée de conservation, en mois.", code="conservation"
            )
        _requis(**{"catégories de personnes concernées": valeurs.get("categories_personnes")})
    demande = DemandeEchange(
        convention=convention,
        demandeur=demandeur,
        detenteur=detenteur,
        champs=champs,
        donnees_personnelles=donnees_personnelles,
        deposee_par=par,
        demonstration=demonstration,
        **valeurs,
    )
    souhaitee = demande.souhaitee_pour
    if souhaitee is not None and souhaitee < demande.demandee_le:
        raise EchangeImpossible("La date souhaitée ne peut précéder la date de la demande.", code="dates")
    demande._history_user = par
    demande.save()
    return demande


# --- Personal data: study, opinion, decision -------------------------------------------------------------------


@transaction.atomic
def etudier(demande: DemandeEchange, par, *, opportunite: str, faisabilite: str, conformite: str) -> EtudeDemande:
    """The holder's study (opportunity, feasibility, GDPR compliance). A new study supersedes the former one, which
    stays; an opinion given on the former study no longer stands (the DPO gives it again)."""
    _verrouiller(demande)
    _etat(demande, demande.etudier, "Seule une demande de données personnelles non encore décidée s'étudie")
    _autoriser(demande.etudier, par, "Seul le personnel de la partie qui détient les données étudie la demande.")
    _requis(opportunité=opportunite, faisabilité=faisabilite, **{"conformité au RGPD": conformite})
    ancienne = demande.etude_en_vigueur
    etude = EtudeDemande(
        demande=demande, par=par, opportunite=opportunite, faisabilite=faisabilite, conformite=conformite
    )
    etude.remplace = ancienne
    etude._history_user = par
    etude.save()
    demande.etudier()
    demande.save()
    return etude


@transaction.atomic
def rendre_avis(demande: DemandeEchange, par, *, sens: str, recommandations: str) -> AvisDelegue:
    """The opinion of the holder's DPO on the study in force; a new opinion supersedes the former one."""
    _verrouiller(demande)
    _etat(demande, demande.rendre_avis, "L'avis se rend sur une demande étudiée et non encore décidée")
    delegue = delegue_en_fonction(demande.detenteur)
    _autoriser(
        demande.rendre_avis,
        par,
        f"Seul·e le ou la délégué·e à la protection des données de {demande.detenteur} "
        + (f"({delegue.user.get_full_name() or delegue.user}) " if delegue else "(aucun·e n'est désigné·e) ")
        + "rend l'avis sur cette demande.",
    )
    if sens not in Sens.values:
        raise EchangeImpossible("Indiquez si l'avis est favorable ou défavorable.", code="sens")
    _requis(recommandations=recommandations)
    avis = AvisDelegue(
        demande=demande,
        par=par,
        etude=demande.etude_en_vigueur,
        sens=sens,
        recommandations=recommandations,
        remplace=demande.avis_en_vigueur,
    )
    avis._history_user = par
    avis.save()
    demande.rendre_avis()
    demande.save()
    return avis


def _refus_decision(demande: DemandeEchange) -> str:
    manque = []
    if demande.etude_en_vigueur is None:
        manque.append("son étude par le détenteur")
    if demande.avis_en_vigueur is None or demande.avis_en_vigueur.etude_id != getattr(
        demande.etude_en_vigueur, "pk", None
    ):
        manque.append("l'avis du délégué à la protection des données sur cette étude")
    return "Une demande de données personnelles ne se décide qu'après " + " et ".join(manque) + " (article 7)."


@transaction.atomic
def decider(
    demande: DemandeEchange, par, *, approuver: bool, motifs: str, mesures_securite: str = ""
) -> DecisionDemande:
    """The holder approves or refuses a personal-data request, after its study and its DPO's opinion; an approval
    adds the processing to the holder's register (GDPR article 30)."""
    _verrouiller(demande)
    transition = demande.approuver if approuver else demande.refuser
    if demande.statut in (StatutDemande.DEPOSEE, StatutDemande.ETUDIEE) and demande.donnees_personnelles:
        raise EchangeImpossible(_refus_decision(demande), code="etude_et_avis")
    _etat(demande, transition, "Seule une demande de données personnelles étudiée et avisée se décide")
    _autoriser(transition, par, "Seul le personnel de la partie qui détient les données décide de la demande.")
    _requis(motifs=motifs)
    if approuver:
        _requis(**{"mesures de sécurité": mesures_securite})
    decision = DecisionDemande(
        demande=demande,
        par=par,
        issue=Issue.APPROUVEE if approuver else Issue.REFUSEE,
        motifs=motifs,
        mesures_securite=mesures_securite,
    )
    decision._history_user = par
    decision.save()
    transition()
    demande.save()
    if approuver:
        inscrire_au_registre(demande, decision)
    return decision


def inscrire_au_registre(demande: DemandeEchange, decision: DecisionDemande) -> TraitementRegistre:
    """The entry of the holder's register for an approved request: the text of the request and of the decision."""
    delegue = delegue_en_fonction(demande.detenteur)
    responsable = demande.detenteur.nom_long
    if delegue is not None:
        responsable += f" ; délégué·e à la protection des données : {delegue.user.get_full_name() or delegue.user}"
    entree = TraitementRegistre(
        organisation=demande.detenteur,
        demande=demande,
        intitule=f"Transmission à {demande.demandeur} : {demande.objet}",
        responsable=responsable,
        finalites=demande.finalite,
        categories_personnes=demande.categories_personnes,
        categories_donnees=", ".join(demande.champs),
        destinataires=f"{demande.demandeur.nom_long} — {demande.destinataires}",
        transferts_hors_ue=demande.transferts_hors_ue or "Aucun",
        conservation=f"{demande.conservation_mois} mois",
        mesures_securite=decision.mesures_securite,
        base_legale=demande.get_base_legale_display(),
        inscrit_le=horloge.aujourd_hui(),
        demonstration=demande.demonstration,
    )
    entree._history_user = decision.par
    entree.save()
    return entree


# --- Other data: a direct answer ----------------------------------------------------------------------------------


@transaction.atomic
def repondre(demande: DemandeEchange, par, *, accepter: bool, reponse: str) -> DecisionDemande:
    """A request without personal data is answered (or refused) by the holder directly, without study nor opinion."""
    _verrouiller(demande)
    transition = demande.repondre if accepter else demande.refuser_sans_etude
    if demande.donnees_personnelles:
        raise EchangeImpossible(
            "Cette demande porte sur des données personnelles : elle s'étudie, passe par l'avis du délégué à la "
            "protection des données, puis se décide (article 7).",
            code="personnelle",
        )
    _etat(demande, transition, "Seule une demande déposée reçoit une réponse")
    _autoriser(transition, par, "Seul le personnel de la partie qui détient les données répond à la demande.")
    _requis(réponse=reponse)
    decision = DecisionDemande(
        demande=demande, par=par, issue=Issue.REPONDUE if accepter else Issue.REFUSEE, motifs=reponse
    )
    decision._history_user = par
    decision.save()
    transition()
    demande.save()
    return decision


# --- The transmission ------------------------------------------------------------------------------------------


def empreinte_de(fichier) -> str:
    sha = hashlib.sha256()
    fichier.seek(0)
    for morceau in fichier.chunks():
        sha.update(morceau)
    fichier.seek(0)
    return sha.hexdigest()


@transaction.atomic
def transmettre(
    demande: DemandeEchange,
    par,
    *,
    contenu: str,
    transmis_le: date | None = None,
    empreinte: str = "",
    fichier=None,
    fichier_nom: str = "",
    fichier_type: str = "",
) -> Transfert:
    """Record what the holder sent under an approved (or answered) request. A file sent through CTG gets its
    SHA-256 computed here and is kept until the end of the request's retention."""
    _verrouiller(demande)
    if demande.statut not in (StatutDemande.APPROUVEE, StatutDemande.REPONDUE):
        raise EchangeImpossible(
            "Une transmission ne s'enregistre que pour une demande approuvée ou répondue "
            f"(celle-ci est « {demande.get_statut_display().lower()} »).",
            code="etat",
        )
    if not perms.peut_transmettre(demande, par):
        raise EchangeImpossible("Seul le personnel de la partie qui détient les données enregistre la transmission.")
    _requis(**{"ce qui a été transmis": contenu})
    jour = transmis_le or horloge.aujourd_hui()
    if jour > horloge.aujourd_hui() or jour < demande.demandee_le:
        raise EchangeImpossible("La date de transmission se situe entre la demande et aujourd'hui.", code="date")
    empreinte = (empreinte or "").strip().lower()
    if fichier is not None:
        empreinte = empreinte_de(fichier)
    elif empreinte and (len(empreinte) != 64 or any(c not in "0123456789abcdef" for c in empreinte)):
        raise EchangeImpossible("Une empreinte SHA-256 s'écrit en 64 caractères hexadécimaux.", code="empreinte")
    transfert = Transfert(
        demande=demande,
        par=par,
        contenu=contenu,
        transmis_le=jour,
        empreinte=empreinte,
        fichier_nom=fichier_nom,
        fichier_type=fichier_type,
    )
    if demande.conservation_mois:
        transfert.conserver_jusqu_au = ajouter_mois(jour, demande.conservation_mois)
    if fichier is not None:
        transfert.fichier = fichier
    transfert._history_user = par
    transfert.save()
    return transfert


def purger_fichiers_expires(jour: date | None = None) -> list[Transfert]:
    """Delete the files of the transmissions whose retention has ended (``conserver_jusqu_au`` before ``jour``,
    default today) and record it on each (``fichier_supprime_le``, in its history). Idempotent: the daily update
    runs it."""
    jour = jour or horloge.aujourd_hui()
    faits = []
    expires = Transfert.objects.filter(conserver_jusqu_au__lt=jour, fichier_supprime_le__isnull=True).exclude(
        fichier=""
    )
    for transfert in expires.select_related("demande"):
        with transaction.atomic():
            transfert.fichier.delete(save=False)
            transfert.fichier = ""
            transfert.fichier_supprime_le = horloge.maintenant()
            transfert._change_reason = (
                f"Fichier supprimé : conservation de {transfert.demande.conservation_mois} mois échue le "
                f"{transfert.conserver_jusqu_au:%d/%m/%Y}"
            )
            transfert.save()
        faits.append(transfert)
    return faits


# --- The DPO ----------------------------------------------------------------------------------------------------


@transaction.atomic
def designer_delegue(organisation, user, par, depuis: date | None = None) -> DelegueProtectionDonnees:
    """Designate ``user`` as ``organisation``'s DPO from ``depuis`` (default today): the designation in office is
    superseded (it stays, with its dates)."""
    if not perms.peut_designer_delegue(par, organisation):
        raise EchangeImpossible(
            f"Seuls le personnel de {organisation} et les administrateurs nationaux désignent son délégué·e.",
            code="non_autorise",
        )
    en_fonction = (
        DelegueProtectionDonnees.objects.select_for_update(of=("self",))
        .filter(organisation=organisation, remplacee_par__isnull=True)
        .order_by("-depuis", "-pk")
        .first()
    )
    depuis = depuis or horloge.aujourd_hui()
    if en_fonction is not None and depuis < en_fonction.depuis:
        raise EchangeImpossible(
            f"La désignation en cours date du {en_fonction.depuis:%d/%m/%Y} : la nouvelle ne peut la précéder.",
            code="date",
        )
    delegue = DelegueProtectionDonnees(
        organisation=organisation, user=user, depuis=depuis, designe_par=par, remplace=en_fonction
    )
    delegue._history_user = par
    delegue.save()
    return delegue
