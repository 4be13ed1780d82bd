"""The convention itself: its domains, its status on any day and the conditions of its transitions, its record."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django_fsm import transition

from ctg import horloge
from ctg.audit import Historique
from ctg.comptes.models import Organisation
from ctg.concurrence import Versionne
from ctg.etats import ChampEtat, EtatsProteges
from ctg.territoires.models import Epci


class Domaine(models.TextChoices):
    """The ten domains a CTG covers (préambule)."""

    PETITE_ENFANCE = "petite_enfance", "petite enfance"
    ENFANCE = "enfance", "enfance"
    JEUNESSE = "jeunesse", "jeunesse"
    PARENTALITE = "parentalite", "parentalité"
    ACCES_DROITS = "acces_droits", "accès aux droits et aux services"
    INCLUSION_NUMERIQUE = "inclusion_numerique", "inclusion numérique"
    VIE_SOCIALE = "vie_sociale", "animation de la vie sociale"
    LOGEMENT = "logement", "logement"
    HANDICAP = "handicap", "handicap"
    ACCOMPAGNEMENT_SOCIAL = "accompagnement_social", "accompagnement social"


def tous_les_domaines() -> list[str]:
    return list(Domaine.values)


class Statut(models.TextChoices):
    BROUILLON = "brouillon", "Brouillon"
    SIGNEE = "signee", "Signée"
    EN_VIGUEUR = "en_vigueur", "En vigueur"
    EXPIREE = "expiree", "Terminée (arrivée à échéance)"
    RESILIEE = "resiliee", "Terminée (résiliée)"


STATUTS_TERMINES = {Statut.EXPIREE, Statut.RESILIEE}
STATUTS_SIGNES = {Statut.SIGNEE, Statut.EN_VIGUEUR}


def permission_de(nom: str):
    """A transition's permission: the function ``nom(user, convention)`` of ``ctg.conventions.perms``."""

    def autorise(convention, user) -> bool:
        from .. import perms

        return getattr(perms, nom)(user, convention)

    autorise.__name__ = autorise.__qualname__ = nom
    return autorise


# Preconditions of the transitions (django-fsm "conditions"): each reads the convention and the product's clock.
def signataires_des_deux_parties(convention) -> bool:
    return all(convention.signataires.filter(partie=p).exists() for p in ("caf", "collectivite"))


def debut_atteint(convention) -> bool:
    return convention.date_debut <= horloge.aujourd_hui()


def debut_non_atteint(convention) -> bool:
    return convention.date_debut > horloge.aujourd_hui()


def fin_depassee(convention) -> bool:
    return convention.date_fin < horloge.aujourd_hui()


def resiliation_effective(convention) -> bool:
    resiliation = getattr(convention, "resiliation", None)
    return resiliation is not None and resiliation.date_effet <= horloge.aujourd_hui()


def statut_a(convention, jour: date) -> str:
    """The status the rules give ``convention`` on ``jour`` from its stored status, dates and termination,
    without writing anything: entry into force on the start date, termination on its effective date, expiry
    after the end date (what ``ctg actualiser`` applies every day)."""
    statut = convention.statut
    resiliation = getattr(convention, "resiliation", None) if convention.pk else None
    if statut == Statut.SIGNEE and convention.date_debut <= jour:
        statut = Statut.EN_VIGUEUR
    if (
        statut in STATUTS_SIGNES
        and resiliation is not None
        and resiliation.date_effet <= jour
        and resiliation.date_effet < convention.date_fin
    ):
        return Statut.RESILIEE
    if statut == Statut.EN_VIGUEUR and convention.date_fin < jour:
        return Statut.EXPIREE
    return statut


class Annexe1(models.TextChoices):
    DIAGNOSTIC_TYPE = "diagnostic_type", "Diagnostic type établi par la Caf, si les travaux n'ont pas pu être finalisés"
    DIAGNOSTIC_PARTAGE = "diagnostic_partage", "Diagnostic partagé, si les travaux ont été finalisés avant signature"


class Instance(models.TextChoices):
    CONSEIL_COMMUNAUTAIRE = "conseil_communautaire", "conseil communautaire"
    BUREAU_COMMUNAUTAIRE = "bureau_communautaire", "bureau communautaire"
    CONSEIL_METROPOLITAIN = "conseil_metropolitain", "conseil métropolitain"


class Convention(EtatsProteges, Versionne, models.Model):
    """A CTG. Its ``statut`` changes only through the transitions below, called by the rules layer
    (``ctg.conventions.cycle``); each transition names who may make it (``permission``) and its preconditions
    (``conditions``). Contract terms change only by avenant once signed (article 10)."""

    caf = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="conventions_caf", limit_choices_to={"type": "caf"}
    )
    epci = models.ForeignKey(Epci, on_delete=models.PROTECT, related_name="conventions")
    titre = models.CharField("titre", max_length=200, default="Convention territoriale globale")
    date_debut = models.DateField("date de début")
    date_fin = models.DateField("date de fin", help_text="au plus tard le 31 décembre de l'année N+4 (article 10)")
    date_signature = models.DateField("date de signature", null=True, blank=True)
    statut = ChampEtat("statut", max_length=12, choices=Statut.choices, default=Statut.BROUILLON, protected=True)
    domaines = models.JSONField("domaines d'intervention", default=tous_les_domaines)

    # Télétransmission au contrôle de légalité (@ctes)
    ctes_identifiant = models.CharField(
        "identifiant @ctes",
        max_length=80,
        null=True,
        blank=True,
        unique=True,
        help_text="DDD-SIREN-AAAAMMJJ-NUMERO-NATURE, par exemple 059-200068500-20211221-D2021_12_10_01-CC",
    )
    envoye_prefecture_le = models.DateField("envoyé en préfecture le", null=True, blank=True)
    recu_prefecture_le = models.DateField("reçu en préfecture le", null=True, blank=True)
    affiche_le = models.DateField("affiché le", null=True, blank=True)

    # Délibération de la collectivité (visas et annexe 3)
    deliberation_instance = models.CharField(
        "instance", max_length=25, choices=Instance.choices, default=Instance.CONSEIL_COMMUNAUTAIRE
    )
    deliberation_date = models.DateField("date de la délibération", null=True, blank=True)
    deliberation_numero = models.CharField("numéro de la délibération", max_length=50, blank=True)

    annexe1 = models.CharField(
        "annexe 1 : diagnostic à la signature", max_length=20, choices=Annexe1.choices, default=Annexe1.DIAGNOSTIC_TYPE
    )
    chef_projet_nom = models.CharField("chef·fe de projet de la collectivité : nom", max_length=200, blank=True)
    chef_projet_fonction = models.CharField("chef·fe de projet : fonction", max_length=200, blank=True)

    diagnostic_valide_le = models.DateField("diagnostic validé le", null=True, blank=True)
    objectifs_identifies_le = models.DateField("objectifs et projets identifiés le", null=True, blank=True)
    tient_lieu_de_schema_sppe = models.BooleanField(
        "la CTG couvre le contenu du schéma pluriannuel de maintien et de développement de l'offre d'accueil",
        null=True,
        blank=True,
        help_text="service public de la petite enfance : les communes de plus de 10 000 habitants sont alors "
        "dispensées d'établir ce schéma (CASF L.214-2 III, D.214-10-1) ; vide : pas encore dit",
    )
    precedente = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suivante",
        help_text="convention renouvelée par celle-ci (accord explicite, article 10)",
    )
    creee_le = models.DateTimeField(auto_now_add=True)
    modifiee_le = models.DateTimeField(auto_now=True)

    historique = Historique()
    chemin_convention = "pk"

    # Contract terms: read-only once signed, changed only by a signed avenant (or a Caf's recorded correction of
    # a clerical error). The other fields (transmission to the prefecture, deadlines met) follow the contract.
    TERMES = (
        "titre",
        "date_debut",
        "date_fin",
        "domaines",
        "deliberation_instance",
        "deliberation_date",
        "deliberation_numero",
        "annexe1",
        "chef_projet_nom",
        "chef_projet_fonction",
    )

    class Meta:
        ordering = ["-date_debut", "epci__nom"]
        verbose_name = "convention"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_debut__lte=models.F("date_fin")), name="convention_debut_fin"
            ),
            models.CheckConstraint(condition=models.Q(statut__in=Statut.values), name="convention_statut_valide"),
            models.CheckConstraint(
                condition=models.Q(statut=Statut.BROUILLON, date_signature__isnull=True)
                | (~models.Q(statut=Statut.BROUILLON) & models.Q(date_signature__isnull=False)),
                name="convention_signee_ssi_date_signature",
            ),
            models.CheckConstraint(
                condition=models.Q(date_signature__isnull=True) | models.Q(date_signature__lte=models.F("date_fin")),
                name="convention_signature_avant_fin",
            ),
        ]

    def __str__(self):
        return f"CTG {self.caf} × {self.epci.nom} ({self.date_debut:%Y}–{self.date_fin:%Y})"

    def save(self, *args, **kwargs):
        from ..cycle import verifier_termes

        verifier_termes(self)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("conventions:tableau", args=[self.pk])

    def clean(self):
        from ..regles import erreurs_convention

        erreurs = erreurs_convention(self)
        if erreurs:
            raise ValidationError(erreurs)

    @property
    def domaines_libelles(self) -> list[str]:
        libelles = dict(Domaine.choices)
        return [libelles[d] for d in Domaine.values if d in self.domaines]

    # --- Status as of today (computed, never written on read) ----------------------------------------------

    @property
    def statut_du_jour(self) -> str:
        """The status on the product's today, the same on every page (``ctg actualiser`` writes it daily)."""
        return statut_a(self, horloge.aujourd_hui())

    @property
    def libelle_statut_du_jour(self) -> str:
        return Statut(self.statut_du_jour).label

    @property
    def est_terminee(self) -> bool:
        return self.statut_du_jour in STATUTS_TERMINES

    @property
    def est_signee(self) -> bool:
        """Signed (in force, ended or not): its contract terms are fixed."""
        return self.statut != Statut.BROUILLON

    @property
    def fin_effective(self) -> date:
        """The last day of the convention: its end date, or the effective date of its termination."""
        resiliation = getattr(self, "resiliation", None) if self.pk else None
        return min(self.date_fin, resiliation.date_effet) if resiliation else self.date_fin

    def annee_dans_la_periode(self, annee: int) -> int:
        """The year brought within the convention's years: its first year before it starts, its last year after
        it ends. Every year a page offers (the comité's calendar, the financing year, the import template) is
        one of the convention's years: a 2027–2031 convention never offers "Calendrier 2026"."""
        return min(max(annee, self.date_debut.year), self.date_fin.year)

    # --- Transitions (django-fsm): called only by ctg.conventions.cycle ---------------------------------------

    @transition(
        field=statut,
        source=Statut.BROUILLON,
        target=Statut.SIGNEE,
        conditions=[signataires_des_deux_parties],
        permission=permission_de("peut_signer"),
    )
    def signer(self):
        """Signature by the parties (date checked by the rules layer)."""

    @transition(
        field=statut,
        source=Statut.SIGNEE,
        target=Statut.BROUILLON,
        conditions=[debut_non_atteint],
        permission=permission_de("peut_revenir_en_brouillon"),
    )
    def revenir_en_brouillon(self):
        """A signature recorded by mistake, before the start date: the Caf withdraws it, with a reason."""

    @transition(
        field=statut,
        source=Statut.SIGNEE,
        target=Statut.EN_VIGUEUR,
        conditions=[debut_atteint],
        permission=permission_de("par_le_calendrier"),
    )
    def entrer_en_vigueur(self):
        """On the start date (daily update)."""

    @transition(
        field=statut,
        source=Statut.EN_VIGUEUR,
        target=Statut.EXPIREE,
        conditions=[fin_depassee],
        permission=permission_de("par_le_calendrier"),
    )
    def arriver_a_echeance(self):
        """The day after the end date (daily update)."""

    @transition(
        field=statut,
        source=[Statut.SIGNEE, Statut.EN_VIGUEUR],
        target=Statut.RESILIEE,
        conditions=[resiliation_effective],
        permission=permission_de("par_le_calendrier"),
    )
    def prendre_fin_par_resiliation(self):
        """On the effective date of a termination recorded under article 12 (daily update)."""

    @transition(
        field=statut,
        source=Statut.RESILIEE,
        target=Statut.SIGNEE,
        permission=permission_de("peut_annuler_resiliation"),
    )
    def annuler_resiliation(self):
        """A termination recorded by mistake: the Caf undoes it, with a reason; the convention is signed again
        and the daily update applies its dates (in force, or expired if its end has passed)."""
