"""Organisations (Caf, EPCI, communes, partners), the people who belong to them, and the roles a person may hold on a
convention (the memberships themselves, and the invitations that grant them, live with the conventions)."""

import uuid

from django.conf import settings
from django.db import models

from ctg.territoires.models import Commune, Departement, Epci


def chemin_logo(organisation, nom: str) -> str:
    """Where an organisation's logo is stored: a random name with the extension of the type its content showed
    (PNG or JPEG, checked when uploaded), never the name it was uploaded with."""
    extension = {"image/png": ".png", "image/jpeg": ".jpg"}.get(organisation.logo_type, "")
    return f"logos/{uuid.uuid4().hex}{extension}"


class Organisation(models.Model):
    class Type(models.TextChoices):
        CAF = "caf", "Caf"
        EPCI = "epci", "Intercommunalité (EPCI)"
        COMMUNE = "commune", "Commune"
        AUTRE = "autre", "Autre partenaire"

    type = models.CharField("type", max_length=10, choices=Type.choices)
    nom = models.CharField("nom", max_length=200)
    departement = models.ForeignKey(
        Departement, on_delete=models.PROTECT, null=True, blank=True, help_text="pour une Caf : son département"
    )
    epci = models.ForeignKey(Epci, on_delete=models.PROTECT, null=True, blank=True)
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, null=True, blank=True)
    tribunal_administratif = models.CharField(
        "tribunal administratif compétent",
        max_length=200,
        blank=True,
        help_text="pour une Caf : le tribunal dont elle relève (article 13), ex. « Tribunal administratif de Lille »",
    )
    # Article 8: the joint documents carry the logo of each party. PNG or JPEG only, checked by its content when
    # uploaded (``ctg.conventions.communication.deposer_logo``); never served as a page of its own.
    logo = models.FileField("logo", upload_to=chemin_logo, blank=True, editable=False)
    logo_type = models.CharField("type du logo", max_length=20, blank=True, editable=False)

    class Meta:
        ordering = ["type", "nom"]
        verbose_name = "organisation"
        constraints = [
            models.UniqueConstraint(
                fields=["departement"], condition=models.Q(type="caf"), name="une_caf_par_departement"
            ),
            models.UniqueConstraint(fields=["epci"], condition=models.Q(type="epci"), name="une_organisation_par_epci"),
            models.UniqueConstraint(
                fields=["commune"], condition=models.Q(type="commune"), name="une_organisation_par_commune"
            ),
        ]

    def __str__(self):
        return self.nom

    @property
    def nom_long(self) -> str:
        """The name in full, as in a convention's first line: "Caisse d'allocations familiales du Nord"."""
        if self.type == self.Type.CAF and self.departement:
            return "Caisse d'allocations familiales " + self.departement.nom_avec_de
        return self.nom


def nom_caf(departement: Departement) -> str:
    """The usual name of a département's Caf, with the right article: Caf du Nord, Caf de l'Ain, Caf des Landes."""
    return "Caf " + departement.nom_avec_de


def caf_du_departement(departement: Departement) -> Organisation:
    caf, _ = Organisation.objects.get_or_create(
        type=Organisation.Type.CAF, departement=departement, defaults={"nom": nom_caf(departement)}
    )
    return caf


def organisation_epci(epci: Epci) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        type=Organisation.Type.EPCI, epci=epci, defaults={"nom": epci.nom}
    )
    return organisation


def parties_de(convention) -> list[tuple[str, Organisation | None]]:
    """The parties of ``convention``, in the order of its first page, as (label, organisation): its Caf, then the
    collectivité's organisation — None while nobody of the EPCI has an account (``organisation_epci`` creates it
    when a write needs it). Reads only."""
    collectivite = Organisation.objects.filter(type=Organisation.Type.EPCI, epci_id=convention.epci_id).first()
    return [("Caf", convention.caf), ("Collectivité", collectivite)]


def organisation_commune(commune: Commune) -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(
        type=Organisation.Type.COMMUNE, commune=commune, defaults={"nom": commune.nom}
    )
    return organisation


class Profil(models.Model):
    """What the product knows of a user beyond Django's account: the organisation they work for."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profil")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, null=True, blank=True, related_name="membres"
    )
    fonction = models.CharField("fonction", max_length=200, blank=True)
    administrateur_national = models.BooleanField(
        "administrateur·rice national·e",
        default=False,
        help_text="peut réviser les barèmes nationaux et créer une convention pour toute Caf",
    )
    # People's rights (``ctg.rgpd.personnes``): an account unused for CTG_INACTIVITE_JOURS is deactivated, then
    # anonymised CTG_ANONYMISATION_JOURS later; the dates say when.
    desactive_le = models.DateField("désactivé pour inactivité le", null=True, blank=True, editable=False)
    anonymise_le = models.DateField("anonymisé le", null=True, blank=True, editable=False)
    resume_hebdomadaire = models.BooleanField(
        "résumé hebdomadaire des échéances par courriel",
        default=True,
        help_text="chaque lundi, les échéances en retard ou proches des conventions où la personne a un rôle",
    )

    class Meta:
        verbose_name = "profil"

    def __str__(self):
        return f"{self.user} ({self.organisation or 'sans organisation'})"


class Role(models.TextChoices):
    """Roles on one convention, from the most to the least rights."""

    CONSEILLER_CAF = "conseiller_caf", "Conseiller·ère territorial·e de la Caf"
    CHEF_PROJET = "chef_projet", "Chef·fe de projet CTG de la collectivité"
    REFERENT_COMMUNE = "referent_commune", "Référent·e d'une commune"
    MEMBRE_COPIL = "membre_copil", "Membre du comité de pilotage"
    LECTURE = "lecture", "Lecture seule"


def organisation_de(user) -> Organisation | None:
    profil = getattr(user, "profil", None) if user.is_authenticated else None
    return profil.organisation if profil else None


def est_administrateur_national(user) -> bool:
    """The product's administrator or a national administrator: national data (barèmes), any Caf's convention."""
    if not user.is_authenticated:
        return False
    profil = getattr(user, "profil", None)
    return user.is_superuser or bool(profil and profil.administrateur_national)


def agent_de_caf_habilite(user, permission: str) -> bool:
    """A national administrator, or a Caf's employee holding the Django ``permission`` (creating a convention,
    importing open data)."""
    if not user.is_authenticated:
        return False
    if est_administrateur_national(user):
        return True
    organisation = organisation_de(user)
    return organisation is not None and organisation.type == Organisation.Type.CAF and user.has_perm(permission)


def role_du_createur(user) -> str:
    """The role the person who creates a convention gets on it: the collectivité's project lead when they work
    for an EPCI, the Caf adviser otherwise."""
    organisation = organisation_de(user)
    if organisation and organisation.type == Organisation.Type.EPCI:
        return Role.CHEF_PROJET
    return Role.CONSEILLER_CAF
