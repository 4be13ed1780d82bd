"""Joint communication (article 8 of the convention): « Les parties décideront et réaliseront, d'un commun accord,
les actions de communication relatives à la présente convention. Les supports communs feront apparaître les logos
de chacune des parties. »

A communication item (object, medium, date, content, attached files) belongs to a convention. It is published only
once every party of the convention has approved it: one approval per party organisation (the Caf, the
collectivité), given by a member of the convention who works for that organisation, dated and attributed. Any
change of the item (its text, its date, its files) withdraws the approvals already given: the parties approve
what is published, not an earlier version. Once published, the item no longer changes.

Each party's logo is a field of its organisation (``comptes.Organisation.logo``), uploaded through
:func:`deposer_logo` (PNG or JPEG, checked by content by ``ctg.televersement``); :func:`logos_des_parties` is the
one place the joint documents (the convention, the plan, the diagnostic report, the comité's convocations and
minutes) get the parties' logos from.

The models live here and are registered by ``ctg.conventions.models``; views go through the functions below.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction

from ctg import horloge
from ctg.audit import Historique
from ctg.comptes.models import Organisation, Role, organisation_de, parties_de
from ctg.documents.modele import Logo
from ctg.televersement import JPEG, PNG

from .models.membres import Habilitation

TYPES_LOGO = (PNG, JPEG)
TAILLE_MAX_LOGO = 500 * 1024  # bytes: a logo for a document header, not a poster


class Support(models.TextChoices):
    COMMUNIQUE = "communique", "Communiqué de presse"
    SITE = "site", "Site internet"
    RESEAUX = "reseaux", "Réseaux sociaux"
    BULLETIN = "bulletin", "Bulletin ou magazine"
    AFFICHE = "affiche", "Affiche, dépliant"
    EVENEMENT = "evenement", "Événement, inauguration"
    AUTRE = "autre", "Autre support"


class Communication(models.Model):
    """One action of communication about the convention, decided jointly (article 8)."""

    convention = models.ForeignKey("conventions.Convention", on_delete=models.CASCADE, related_name="communications")
    objet = models.CharField("objet", max_length=200)
    support = models.CharField("support", max_length=12, choices=Support.choices)
    date_prevue = models.DateField("date de diffusion prévue")
    contenu = models.TextField("contenu", help_text="le texte tel qu'il sera diffusé")
    creee_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    creee_le = models.DateTimeField("créée le", auto_now_add=True)
    modifiee_le = models.DateTimeField("modifiée le", auto_now=True)
    publiee_le = models.DateTimeField("publiée le", null=True, blank=True, editable=False)
    publiee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", editable=False
    )
    demonstration = models.BooleanField("donnée de démonstration", default=False, editable=False)

    historique = Historique()

    class Meta:
        app_label = "conventions"
        ordering = ["-date_prevue", "-pk"]
        verbose_name = "communication commune"
        verbose_name_plural = "communications communes"
        constraints = [
            models.CheckConstraint(condition=models.Q(support__in=Support.values), name="communication_support_connu"),
            models.CheckConstraint(
                condition=models.Q(publiee_le__isnull=True) | models.Q(publiee_par__isnull=False),
                name="communication_publiee_par_quelqu_un",
            ),
        ]

    def __str__(self):
        return f"{self.objet} ({self.get_support_display()}, {self.date_prevue:%d/%m/%Y})"

    @property
    def est_publiee(self) -> bool:
        return self.publiee_le is not None


class ApprobationCommunication(models.Model):
    """The approval of one party (its organisation) of a communication item, by one of its staff, dated."""

    communication = models.ForeignKey(Communication, on_delete=models.CASCADE, related_name="approbations")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="+")
    approuvee_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    approuvee_le = models.DateTimeField("approuvée le", default=horloge.maintenant)

    historique = Historique()

    class Meta:
        app_label = "conventions"
        ordering = ["approuvee_le", "pk"]
        verbose_name = "approbation d'une communication"
        constraints = [
            models.UniqueConstraint(
                fields=["communication", "organisation"], name="une_approbation_par_partie_et_communication"
            )
        ]

    def __str__(self):
        return f"Approuvée pour {self.organisation} par {self.approuvee_par}"


def chemin_piece_communication(piece, nom: str) -> str:
    from ctg.televersement import extension_du_type

    extension = extension_du_type(piece.fichier_type)
    dossier = f"communications/{piece.communication.convention_id}"
    return f"{dossier}/{uuid.uuid4().hex}{'.' + extension if extension else ''}"


class PieceCommunication(models.Model):
    """A file of a communication item (the leaflet, the press release as sent…), sent back only as a download."""

    communication = models.ForeignKey(Communication, on_delete=models.CASCADE, related_name="pieces")
    fichier = models.FileField("fichier", upload_to=chemin_piece_communication, editable=False)
    fichier_nom = models.CharField("nom du fichier", max_length=200)
    fichier_type = models.CharField("type du fichier", max_length=100)
    ajoutee_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    ajoutee_le = models.DateTimeField("ajoutée le", auto_now_add=True)

    historique = Historique()

    class Meta:
        app_label = "conventions"
        ordering = ["pk"]
        verbose_name = "pièce d'une communication"

    def __str__(self):
        return self.fichier_nom


# --- The parties ---------------------------------------------------------------------------------------------------


def partie_de(user, convention) -> Organisation | None:
    """The party ``user`` may act for: the organisation they work for, if it is a party of the convention and they
    hold a role on it other than read-only; else None."""
    if not user.is_authenticated:
        return None
    organisation = organisation_de(user)
    if organisation is None or organisation not in [o for _, o in parties_de(convention) if o is not None]:
        return None
    role = Habilitation.objects.filter(user=user, convention=convention).values_list("role", flat=True).first()
    return organisation if role and role != Role.LECTURE else None


def logos_des_parties(convention) -> list[Logo]:
    """The logos of the parties that have one, in the order of the parties: what every joint document prints
    (article 8). A logo that cannot be read is left out (the document is still produced)."""
    logos = []
    for libelle, organisation in parties_de(convention):
        if organisation is None or not organisation.logo:
            continue
        try:
            with organisation.logo.open("rb") as fichier:
                contenu = fichier.read()
        except OSError:
            continue
        format = "jpeg" if organisation.logo_type == JPEG.mime else "png"
        logos.append(Logo(contenu, format, f"Logo de {organisation.nom} ({libelle.lower()})"))
    return logos


# --- Rules ---------------------------------------------------------------------------------------------------------


class CommunicationImpossible(ValidationError):
    """A change refused by the rules; the message says why, for the user."""


CHAMPS_MODIFIABLES = ("objet", "support", "date_prevue", "contenu")


def _verifier_modifiable(communication: Communication) -> None:
    if communication.est_publiee:
        raise CommunicationImpossible(
            "Cette communication est publiée : elle ne change plus. Créez-en une nouvelle si besoin."
        )


def _retirer_approbations(communication: Communication) -> int:
    """A changed item must be approved again by every party (the approvals stay in the history)."""
    retirees = 0
    for approbation in communication.approbations.all():
        approbation.delete()
        retirees += 1
    return retirees


@transaction.atomic
def creer(convention, par, **valeurs) -> Communication:
    communication = Communication(convention=convention, creee_par=par, **valeurs)
    communication._history_user = par
    communication.full_clean()
    communication.save()
    return communication


@transaction.atomic
def modifier(communication: Communication, par, **valeurs) -> bool:
    """Change the item; if anything changed, every approval is withdrawn. Returns whether it changed."""
    _verifier_modifiable(communication)
    change = False
    for champ in CHAMPS_MODIFIABLES:
        if champ in valeurs and getattr(communication, champ) != valeurs[champ]:
            setattr(communication, champ, valeurs[champ])
            change = True
    if not change:
        return False
    communication.full_clean()
    communication._history_user = par
    communication.save()
    _retirer_approbations(communication)
    return True


@transaction.atomic
def ajouter_piece(communication: Communication, par, fichier) -> PieceCommunication:
    """Attach a file checked by ``ChampFichier`` (its type found from its content); withdraws the approvals."""
    _verifier_modifiable(communication)
    from ctg.televersement import nom_affichable

    piece = PieceCommunication(
        communication=communication,
        fichier_nom=nom_affichable(fichier.name),
        fichier_type=fichier.type_detecte.mime,
        ajoutee_par=par,
    )
    piece.fichier.save(fichier.name, fichier, save=False)
    piece._history_user = par
    piece.save()
    _retirer_approbations(communication)
    return piece


@transaction.atomic
def approuver(communication: Communication, par) -> ApprobationCommunication:
    """Approve the item for the party ``par`` works for (once per party)."""
    _verifier_modifiable(communication)
    organisation = partie_de(par, communication.convention)
    if organisation is None:
        raise CommunicationImpossible(
            "Seul un membre de la convention travaillant pour l'une des parties (la Caf ou la collectivité) peut "
            "approuver une communication, au nom de sa partie."
        )
    if communication.approbations.filter(organisation=organisation).exists():
        raise CommunicationImpossible(f"{organisation.nom} a déjà approuvé cette communication.")
    approbation = ApprobationCommunication(
        communication=communication, organisation=organisation, approuvee_par=par, approuvee_le=horloge.maintenant()
    )
    approbation._history_user = par
    approbation.save()
    return approbation


def parties_manquantes(communication: Communication) -> list[str]:
    """The parties whose approval is missing (their names, or « la collectivité » when it has no organisation)."""
    approuvees = set(communication.approbations.values_list("organisation_id", flat=True))
    manquantes = []
    for libelle, organisation in parties_de(communication.convention):
        if organisation is None:
            manquantes.append(libelle.lower())
        elif organisation.pk not in approuvees:
            manquantes.append(organisation.nom)
    return manquantes


@transaction.atomic
def publier(communication: Communication, par) -> Communication:
    """Publish the item: refused while a party's approval is missing (article 8, « d'un commun accord »)."""
    _verifier_modifiable(communication)
    manquantes = parties_manquantes(communication)
    if manquantes:
        raise CommunicationImpossible(
            f"Publication impossible : il manque l'approbation de {', '.join(manquantes)} (article 8 : les parties "
            "décident d'un commun accord)."
        )
    if partie_de(par, communication.convention) is None:
        raise CommunicationImpossible("Seul un membre de l'une des parties peut publier une communication.")
    communication.publiee_le = horloge.maintenant()
    communication.publiee_par = par
    communication._history_user = par
    communication.save(update_fields=["publiee_le", "publiee_par"])
    return communication


# --- Logos ---------------------------------------------------------------------------------------------------------


@transaction.atomic
def deposer_logo(organisation: Organisation, fichier) -> Organisation:
    """Store the logo of ``organisation`` (a file checked by a ``ChampFichier`` of ``TYPES_LOGO``); the previous
    file is deleted."""
    ancien = organisation.logo.name if organisation.logo else ""
    organisation.logo_type = fichier.type_detecte.mime
    organisation.logo.save(fichier.name, fichier, save=False)
    organisation.save(update_fields=["logo", "logo_type"])
    if ancien:
        organisation.logo.storage.delete(ancien)
    return organisation


def exemples_acces(convention) -> dict:
    """For the permission walk (``conventions.perms.exemples_acces``): an item of the demo convention with a file."""
    from django.core.files.base import ContentFile

    auteur = convention.habilitations.filter(role=Role.CONSEILLER_CAF).first().user
    communication = Communication.objects.create(
        convention=convention,
        objet="Inauguration du relais petite enfance",
        support=Support.COMMUNIQUE,
        date_prevue=horloge.aujourd_hui(),
        contenu="La Caf et la collectivité inaugurent ensemble le relais petite enfance.",
        creee_par=auteur,
    )
    piece = PieceCommunication(
        communication=communication, fichier_nom="communique.pdf", fichier_type="application/pdf", ajoutee_par=auteur
    )
    piece.fichier.save("communique.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"), save=False)
    piece.save()
    return {"communication": communication.pk, "piece": piece.pk}
