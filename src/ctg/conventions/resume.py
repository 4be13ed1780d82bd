"""The weekly e-mail digest: to each person, the deadlines late or due soon of the conventions they hold a role on
(the same list and the same states as the dashboard, ``ctg.conventions.echeances``), with a link to each dashboard
and a link to stop receiving it. Sent by ``ctg resume_hebdomadaire`` (every Monday, from a timer or cron).

A person receives it when their account is active, has an e-mail address and has not opted out
(``Profil.resume_hebdomadaire``, on by default); nothing is sent to someone with nothing late or due soon. The
opt-out link carries a signed token (``django.core.signing``): it names the account and nothing else, and works
without signing in."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core import signing
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.urls import reverse

from ctg import horloge
from ctg.comptes.models import Profil
from ctg.documents.echappement import en_tete_courriel
from ctg.formats import trier_par_nom

from .echeances import PROCHE_JOURS, Echeance, Etat, echeances
from .models import STATUTS_TERMINES, Convention, statut_a

SEL = "ctg.conventions.resume"
# How long an opt-out link stays valid: a digest read months later still lets its reader stop the next ones.
DUREE_LIEN_JOURS = 365
ETATS_SIGNALES = (Etat.EN_RETARD, Etat.PROCHE)

journal = logging.getLogger(__name__)


@dataclass
class Rubrique:
    """One convention of a person's digest and what is late or due soon on it."""

    convention: Convention
    echeances: list[Echeance]

    @property
    def en_retard(self) -> list[Echeance]:
        return [e for e in self.echeances if e.etat == Etat.EN_RETARD]

    @property
    def proches(self) -> list[Echeance]:
        return [e for e in self.echeances if e.etat == Etat.PROCHE]


@dataclass
class Bilan:
    envoyes: list[str] = field(default_factory=list)  # the addresses written to
    sans_echeance: int = 0  # people with nothing late or due soon: no message


def destinataires():
    """Active accounts with an e-mail address, a role on at least one convention, and the digest not refused."""
    return (
        get_user_model()
        .objects.filter(is_active=True, habilitations__isnull=False)
        .exclude(email="")
        .exclude(profil__resume_hebdomadaire=False)
        .distinct()
        .order_by("pk")
    )


def rubriques(user, aujourd_hui: date | None = None) -> list[Rubrique]:
    """The conventions ``user`` holds a role on, still running on ``aujourd_hui`` (draft, signed, in force), each
    with its deadlines late or due soon; conventions with none are left out."""
    aujourd_hui = aujourd_hui or horloge.aujourd_hui()
    conventions = Convention.objects.filter(habilitations__user=user).select_related("epci", "caf").distinct()
    resultat = []
    for convention in trier_par_nom(conventions, lambda c: c.epci.nom):
        if statut_a(convention, aujourd_hui) in STATUTS_TERMINES:
            continue
        signalees = [e for e in echeances(convention, aujourd_hui) if e.etat in ETATS_SIGNALES]
        if signalees:
            resultat.append(Rubrique(convention, signalees))
    return resultat


def jeton_desabonnement(user) -> str:
    return signing.dumps(user.pk, salt=SEL)


def compte_du_jeton(jeton: str):
    """The account an opt-out link names, or None for a link altered, foreign or too old."""
    try:
        pk = signing.loads(jeton, salt=SEL, max_age=DUREE_LIEN_JOURS * 24 * 3600)
    except signing.BadSignature:
        return None
    return get_user_model().objects.filter(pk=pk).first()


def desabonner(user) -> None:
    """``user`` no longer receives the digest (recorded in the journal)."""
    with transaction.atomic():
        profil, _cree = Profil.objects.get_or_create(user=user)
        if profil.resume_hebdomadaire:
            profil.resume_hebdomadaire = False
            profil.save(update_fields=["resume_hebdomadaire"])
            journal.info("Résumé hebdomadaire refusé par le compte %s.", user.pk)


def adresse_du_produit() -> str:
    return settings.CTG_ADRESSE_PUBLIQUE.rstrip("/")


def _ligne(e: Echeance) -> str:
    texte = f"  - {e.date:%d/%m/%Y} · {e.libelle}"
    if e.detail:
        texte += f" : {e.detail}"
    if e.source:
        texte += f"\n    Règle : {e.source}"
    return texte


def lien_desabonnement(user) -> str:
    return adresse_du_produit() + reverse("conventions:resume_desabonnement", args=[jeton_desabonnement(user)])


def texte(user, liste: list[Rubrique], aujourd_hui: date, lien: str) -> str:
    adresse = adresse_du_produit()
    nom = user.get_full_name() or user.get_username()
    parties = [
        f"Bonjour {nom},",
        "",
        f"Voici, au {aujourd_hui:%d/%m/%Y}, les échéances en retard ou à faire bientôt (dans les "
        f"{PROCHE_JOURS} jours) des conventions territoriales globales sur lesquelles vous avez un rôle.",
    ]
    for rubrique in liste:
        convention = rubrique.convention
        parties += ["", f"{convention} — {adresse}{reverse('conventions:tableau', args=[convention.pk])}"]
        if rubrique.en_retard:
            parties.append("En retard :")
            parties += [_ligne(e) for e in rubrique.en_retard]
        if rubrique.proches:
            parties.append("À faire bientôt :")
            parties += [_ligne(e) for e in rubrique.proches]
    parties += [
        "",
        "Ce résumé vous est envoyé chaque lundi. Pour ne plus le recevoir :",
        lien,
        "",
        "— CTG, Convention territoriale globale",
    ]
    return "\n".join(parties)


def sujet(liste: list[Rubrique]) -> str:
    retards = sum(len(r.en_retard) for r in liste)
    proches = sum(len(r.proches) for r in liste)
    morceaux = []
    if retards:
        morceaux.append(f"{retards} en retard")
    if proches:
        morceaux.append(f"{proches} à faire bientôt")
    return en_tete_courriel("CTG — vos échéances de la semaine : " + ", ".join(morceaux))


def envoyer_resumes(aujourd_hui: date | None = None, essai: bool = False, sortie=None) -> Bilan:
    """One message per person with something late or due soon. ``essai``: nothing is sent, each message's
    addressee and subject are written to ``sortie`` (a text stream) instead."""
    aujourd_hui = aujourd_hui or horloge.aujourd_hui()
    bilan = Bilan()
    messages = []
    for user in destinataires():
        liste = rubriques(user, aujourd_hui)
        if not liste:
            bilan.sans_echeance += 1
            continue
        lien = lien_desabonnement(user)
        message = EmailMessage(
            subject=sujet(liste),
            body=texte(user, liste, aujourd_hui, lien),
            to=[user.email],
            headers={"List-Unsubscribe": f"<{lien}>"},
        )
        messages.append((user, message))
    if essai:
        for user, message in messages:
            if sortie is not None:
                sortie.write(f"{user.email} : {message.subject}\n")
        return bilan
    try:
        with get_connection() as connexion:
            for _user, message in messages:
                connexion.send_messages([message])
                bilan.envoyes.append(message.to[0])
    except (smtplib.SMTPException, OSError) as exc:
        raise EnvoiInterrompu(
            f"le serveur de courriel a refusé l'envoi ({exc}) ; {len(bilan.envoyes)} résumé(s) envoyé(s) avant "
            "l'incident. Vérifiez la configuration du courriel (EMAIL_HOST…) puis relancez la commande.",
            bilan,
        ) from exc
    return bilan


class EnvoiInterrompu(Exception):
    def __init__(self, message: str, bilan: Bilan):
        super().__init__(message)
        self.bilan = bilan
