"""Indicator values computed from the open data, for every EPCI, département and France; the shared diagnostic
of a convention (its state machine and its lock).

Commune values are computed on demand (a page shows at most a few hundred communes); the values of
the larger territories are computed once after each import (``ctg calculer_indicateurs``) because
they aggregate thousands of communes. A rate is always recomputed from its numerator and
denominator at each level, never averaged.
"""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from django_fsm import ConcurrentTransitionMixin, transition

from ctg.audit import Historique
from ctg.concurrence import Versionne
from ctg.donnees.models import Niveau
from ctg.etats import ChampEtat, Verrouillable

from . import perms


class Etat(models.TextChoices):
    DISPONIBLE = "disponible", "disponible"
    SECRET = "secret", "secret statistique"
    PARTIEL = "partiel", "partiel (communes en secret ou manquantes)"
    ABSENT = "absent", "pas de donnée"


class ValeurIndicateur(models.Model):
    indicateur = models.CharField("indicateur", max_length=60)
    niveau = models.CharField("niveau", max_length=12, choices=Niveau.choices)
    code = models.CharField("code du territoire", max_length=9)
    annee = models.PositiveSmallIntegerField("année")
    valeur = models.FloatField("valeur", null=True, blank=True)
    numerateur = models.FloatField("numérateur", null=True, blank=True)
    denominateur = models.FloatField("dénominateur", null=True, blank=True)
    etat = models.CharField("état", max_length=12, choices=Etat.choices, default=Etat.DISPONIBLE)
    demonstration = models.BooleanField("calculée sur des données de démonstration", default=False)
    sources = models.JSONField("sources (jeu de données, fichier, période)", default=list)
    calculee_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "valeur d'indicateur"
        verbose_name_plural = "valeurs d'indicateurs"
        constraints = [
            models.UniqueConstraint(fields=["indicateur", "niveau", "code", "annee"], name="valeur_indicateur_unique")
        ]
        indexes = [models.Index(fields=["niveau", "code"]), models.Index(fields=["indicateur", "niveau", "annee"])]

    def __str__(self):
        return f"{self.indicateur} {self.niveau} {self.code} {self.annee} = {self.valeur}"


class StatutDiagnostic(models.TextChoices):
    BROUILLON = "brouillon", "Diagnostic type (brouillon)"
    SOUMIS = "soumis", "Soumis au comité de pilotage"
    VALIDE = "valide", "Validé par le comité de pilotage"


class ChangementImpossible(ValidationError):
    """A change of the shared diagnostic that the rules refuse; the message says why, for the user."""

    @property
    def texte(self) -> str:
        return " ".join(self.messages)


class DiagnosticVerrouille(ChangementImpossible):
    """An edit of a diagnostic that is not a draft (submitted to, or validated by, the comité de pilotage)."""


# --- Preconditions of the transitions (django-fsm ``conditions``) ----------------------------------------------


def a_du_contenu(diagnostic) -> bool:
    """Something to submit: a synthesis or at least one need."""
    return bool(diagnostic.synthese.strip()) or diagnostic.besoins.exists()


def decision_du_comite_jointe(diagnostic) -> bool:
    """A decision of the comité de pilotage is being applied (see ``ctg.diagnostic.partage``)."""
    return getattr(diagnostic, "_decision_du_comite", None) is not None


def motif_indique(diagnostic) -> bool:
    return bool((getattr(diagnostic, "_motif", None) or "").strip())


class DiagnosticConvention(ConcurrentTransitionMixin, Versionne):
    """The diagnostic of a convention: the Caf's "diagnostic type" from the data, then the shared diagnostic
    the partners write (commentary per domain, needs, contributions), validated by the comité de pilotage at
    the latest at the end of the convention's second year (préambule, articles 1, 3, 4; annexes 1 and 2).

    A state machine (django-fsm): brouillon → soumis (``soumettre``) → validé (``valider``, a decision of the
    comité); soumis → brouillon (``retirer``); validé → brouillon (``rouvrir``, a decision of the comité, with a
    reason). Only a draft can be edited: its text, comments, needs and contributions are refused otherwise, here
    in ``save()`` as on the pages. The first validation date is kept (``premiere_validation_le``) whatever
    happens next. Callers go through ``ctg.diagnostic.partage``, never these methods directly.
    """

    convention = models.OneToOneField("conventions.Convention", on_delete=models.CASCADE, related_name="diagnostic")
    statut = ChampEtat(
        "statut", max_length=10, choices=StatutDiagnostic.choices, default=StatutDiagnostic.BROUILLON, protected=True
    )
    annee = models.PositiveSmallIntegerField("année des données", null=True, blank=True)
    synthese = models.TextField("synthèse", blank=True)
    soumis_le = models.DateField("soumis le", null=True, blank=True)
    valide_le = models.DateField("validé par le comité de pilotage le", null=True, blank=True)
    premiere_validation_le = models.DateField(
        "validé pour la première fois le",
        null=True,
        blank=True,
        help_text="date de la première validation par le comité de pilotage, conservée si le diagnostic est rouvert",
    )
    decision_validation = models.ForeignKey(
        "gouvernance.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décision de validation",
    )
    rouvert_le = models.DateField("rouvert le", null=True, blank=True)
    decision_reouverture = models.ForeignKey(
        "gouvernance.Decision",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="décision de réouverture",
    )
    motif_reouverture = models.TextField("motif de la réouverture", blank=True)
    modifie_le = models.DateTimeField(auto_now=True)

    historique = Historique()

    class Meta:
        verbose_name = "diagnostic d'une convention"
        verbose_name_plural = "diagnostics des conventions"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(statut__in=StatutDiagnostic.values), name="diagnostic_statut_connu"
            ),
            models.CheckConstraint(
                condition=models.Q(statut=StatutDiagnostic.VALIDE, valide_le__isnull=False)
                | (~models.Q(statut=StatutDiagnostic.VALIDE) & models.Q(valide_le__isnull=True)),
                name="diagnostic_date_de_validation_si_valide",
            ),
            models.CheckConstraint(
                condition=~models.Q(statut=StatutDiagnostic.VALIDE) | models.Q(premiere_validation_le__isnull=False),
                name="diagnostic_valide_a_une_premiere_validation",
            ),
            models.CheckConstraint(
                condition=models.Q(premiere_validation_le__isnull=True)
                | models.Q(valide_le__isnull=True)
                | models.Q(premiere_validation_le__lte=models.F("valide_le")),
                name="diagnostic_premiere_validation_avant_la_derniere",
            ),
            models.CheckConstraint(
                condition=models.Q(statut=StatutDiagnostic.BROUILLON, soumis_le__isnull=True)
                | models.Q(statut__in=[StatutDiagnostic.SOUMIS, StatutDiagnostic.VALIDE], soumis_le__isnull=False),
                name="diagnostic_date_de_soumission_si_soumis",
            ),
            models.CheckConstraint(
                condition=models.Q(soumis_le__isnull=True)
                | models.Q(valide_le__isnull=True)
                | models.Q(soumis_le__lte=models.F("valide_le")),
                name="diagnostic_soumis_avant_validation",
            ),
            models.CheckConstraint(
                condition=models.Q(rouvert_le__isnull=True, decision_reouverture__isnull=True, motif_reouverture="")
                | (
                    models.Q(rouvert_le__isnull=False, decision_reouverture__isnull=False)
                    & ~models.Q(motif_reouverture="")
                ),
                name="diagnostic_reouverture_par_decision_et_motif",
            ),
            models.CheckConstraint(
                condition=models.Q(rouvert_le__isnull=True)
                | models.Q(premiere_validation_le__isnull=False, premiere_validation_le__lte=models.F("rouvert_le")),
                name="diagnostic_rouvert_apres_validation",
            ),
        ]

    def __str__(self):
        return f"Diagnostic — {self.convention}"

    # --- Transitions (called by ctg.diagnostic.partage only) ------------------------------------------------

    @transition(
        field=statut,
        source=StatutDiagnostic.BROUILLON,
        target=StatutDiagnostic.SOUMIS,
        conditions=[a_du_contenu],
        permission=perms.peut_soumettre,
    )
    def soumettre(self, jour):
        self.soumis_le = jour

    @transition(
        field=statut,
        source=StatutDiagnostic.SOUMIS,
        target=StatutDiagnostic.BROUILLON,
        permission=perms.peut_retirer,
    )
    def retirer(self):
        self.soumis_le = None

    @transition(
        field=statut,
        source=StatutDiagnostic.SOUMIS,
        target=StatutDiagnostic.VALIDE,
        conditions=[decision_du_comite_jointe],
        permission=perms.par_decision_du_comite,
    )
    def valider(self):
        decision = self._decision_du_comite
        self.valide_le = decision.reunion.date
        self.premiere_validation_le = self.premiere_validation_le or self.valide_le
        self.decision_validation = decision

    @transition(
        field=statut,
        source=StatutDiagnostic.VALIDE,
        target=StatutDiagnostic.BROUILLON,
        conditions=[decision_du_comite_jointe, motif_indique],
        permission=perms.par_decision_du_comite,
    )
    def rouvrir(self):
        decision = self._decision_du_comite
        self.soumis_le = None
        self.valide_le = None
        self.rouvert_le = decision.reunion.date
        self.decision_reouverture = decision
        self.motif_reouverture = self._motif.strip()

    # --- The lock ------------------------------------------------------------------------------------------

    @property
    def modifiable(self) -> bool:
        return self.statut == StatutDiagnostic.BROUILLON

    def refus_de_modification(self) -> DiagnosticVerrouille:
        if self.statut == StatutDiagnostic.VALIDE:
            return DiagnosticVerrouille(
                f"Le diagnostic partagé a été validé par le comité de pilotage le {self.valide_le:%d/%m/%Y} : il ne "
                "peut plus être modifié (ni sa synthèse, ni ses commentaires, besoins ou contributions). Seule une "
                "décision du comité de pilotage, avec son motif, peut le rouvrir.",
                code="diagnostic_valide",
            )
        return DiagnosticVerrouille(
            f"Le diagnostic est soumis au comité de pilotage depuis le {self.soumis_le:%d/%m/%Y} : il ne peut pas "
            "être modifié. Retirez-le (retour en brouillon) pour le modifier.",
            code="diagnostic_soumis",
        )

    def save(self, *args, **kwargs):
        if self.pk:
            enregistre = type(self)._default_manager.filter(pk=self.pk).values("statut", "synthese", "annee").first()
            if enregistre and enregistre["statut"] != StatutDiagnostic.BROUILLON:
                change_de_statut = enregistre["statut"] != self.statut
                contenu_modifie = (enregistre["synthese"], enregistre["annee"]) != (self.synthese, self.annee)
                if not change_de_statut or contenu_modifie:
                    raise type(self)._default_manager.get(pk=self.pk).refus_de_modification()
        super().save(*args, **kwargs)


def diagnostic_verrouille(diagnostic_id) -> DiagnosticConvention | None:
    """The diagnostic if it is not a draft (its content is then read-only), else ``None``."""
    diagnostic = DiagnosticConvention.objects.filter(pk=diagnostic_id).first()
    return diagnostic if diagnostic is not None and not diagnostic.modifiable else None


class PartieDuDiagnostic(Verrouillable):
    """What a shared diagnostic holds (comments, needs, contributions): editable only while it is a draft."""

    chemin_convention = "diagnostic__convention"

    class Meta:
        abstract = True

    def verifier_modifiable(self):
        verrouille = diagnostic_verrouille(self.diagnostic_id)
        if verrouille is not None:
            raise verrouille.refus_de_modification()


class CommentaireDomaine(PartieDuDiagnostic):
    diagnostic = models.ForeignKey(DiagnosticConvention, on_delete=models.CASCADE, related_name="commentaires")
    domaine = models.CharField("domaine", max_length=30)
    texte = models.TextField("commentaire partagé")
    modifie_le = models.DateTimeField(auto_now=True)

    historique = Historique()

    class Meta:
        ordering = ["domaine"]
        verbose_name = "commentaire par domaine"
        constraints = [
            models.UniqueConstraint(fields=["diagnostic", "domaine"], name="un_commentaire_par_domaine"),
            models.CheckConstraint(condition=~models.Q(texte=""), name="commentaire_domaine_non_vide"),
        ]

    def __str__(self):
        return f"{self.domaine} — {self.diagnostic}"


class Besoin(PartieDuDiagnostic):
    """A need identified by the diagnostic: what, where, for whom, and the figures that show it."""

    diagnostic = models.ForeignKey(DiagnosticConvention, on_delete=models.CASCADE, related_name="besoins")
    domaine = models.CharField("domaine", max_length=30)
    intitule = models.CharField("besoin", max_length=300)
    description = models.TextField("description", blank=True)
    public = models.CharField("public concerné", max_length=200, blank=True)
    communes = models.ManyToManyField("territoires.Commune", blank=True, related_name="besoins")
    indicateurs = models.JSONField("indicateurs qui l'étayent (codes)", default=list, blank=True)
    priorite = models.PositiveSmallIntegerField(
        "priorité", default=2, choices=[(1, "haute"), (2, "moyenne"), (3, "basse")]
    )
    cree_le = models.DateTimeField(auto_now_add=True)

    historique = Historique(m2m_fields=[communes])

    class Meta:
        ordering = ["priorite", "domaine", "intitule"]
        verbose_name = "besoin"
        constraints = [
            models.CheckConstraint(condition=models.Q(priorite__in=[1, 2, 3]), name="besoin_priorite_connue"),
            models.CheckConstraint(condition=~models.Q(intitule=""), name="besoin_intitule_non_vide"),
        ]

    def __str__(self):
        return self.intitule

    @property
    def libelles_indicateurs(self) -> list[str]:
        """The labels of the indicators that support the need, as the catalogue names them (never their codes);
        a code the catalogue no longer knows is left out."""
        from .catalogue import INDICATEURS

        return [INDICATEURS[code].libelle for code in self.indicateurs if code in INDICATEURS]


class Contribution(PartieDuDiagnostic):
    """A contribution of a partner or an operator (gestionnaire) to the shared diagnostic (annexe 2)."""

    diagnostic = models.ForeignKey(DiagnosticConvention, on_delete=models.CASCADE, related_name="contributions")
    auteur = models.CharField("structure ou personne", max_length=200)
    domaine = models.CharField("domaine", max_length=30, blank=True)
    date = models.DateField("date")
    texte = models.TextField("contribution")

    historique = Historique()

    class Meta:
        ordering = ["-date"]
        verbose_name = "contribution"

    def __str__(self):
        return f"{self.auteur} ({self.date:%d/%m/%Y})"


@receiver(m2m_changed, sender=Besoin.communes.through)
def _communes_d_un_besoin_verrouille(sender, instance, action, reverse, **kwargs):
    """The communes of a need of a submitted or validated diagnostic cannot change either."""
    if action in {"pre_add", "pre_remove", "pre_clear"} and not reverse:
        instance.verifier_modifiable()
