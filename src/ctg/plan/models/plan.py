"""The plan of a convention (its lifecycle) and its objectives tree."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django_fsm import ConcurrentTransitionMixin, transition

from ctg.audit import Historique
from ctg.concurrence import Versionne
from ctg.etats import ChampEtat

from .. import perms
from .commun import (
    acte_pas_dans_le_futur,
    bilan_final_enregistre,
    contrainte,
    convention_signee_ce_jour,
    dans_les_bornes,
    jamais_revise,
    jour_de_l_acte,
    motif_indique,
    plan_modifiable,
    posterieur_au_dernier_acte,
)

# --- The plan --------------------------------------------------------------------------------------------------


class StatutPlan(models.TextChoices):
    EN_PREPARATION = "en_preparation", "En préparation"
    ADOPTE = "adopte", "Adopté"
    EN_REVISION = "en_revision", "En révision"
    CLOS = "clos", "Clos (bilan final établi)"


class Plan(ConcurrentTransitionMixin, models.Model):
    """The plan of one convention and its lifecycle: prepared, adopted by the comité de pilotage (article 4:
    objectives identified by the end of year 2), revised when the comité decides it (its objectives are then open
    again, and re-adopted), closed by the final bilan (article 9).

    In preparation or under revision, the editors shape the objectives tree; adopted, the tree is fixed (a revision
    reopens it) while the fiches go on being followed; closed, or once the convention has ended, nothing changes
    but the final bilan may still be recorded."""

    convention = models.OneToOneField("conventions.Convention", on_delete=models.CASCADE, related_name="plan")
    statut = ChampEtat(
        "statut", max_length=14, choices=StatutPlan.choices, default=StatutPlan.EN_PREPARATION, protected=True
    )
    synthese = models.TextField("présentation du plan", blank=True)
    adopte_le = models.DateField(
        "adopté le", null=True, blank=True, help_text="première adoption (article 4), conservée par les révisions"
    )
    revision_ouverte_le = models.DateField("révision ouverte le", null=True, blank=True)
    motif_revision = models.TextField("motif de la révision", blank=True)
    revise_le = models.DateField("révision adoptée le", null=True, blank=True)
    clos_le = models.DateField("bilan final établi le", null=True, blank=True)
    modifie_le = models.DateTimeField(auto_now=True)

    historique = Historique()

    class Meta:
        verbose_name = "plan d'actions"
        verbose_name_plural = "plans d'actions"
        constraints = [
            contrainte(Q(statut__in=StatutPlan.values), "plan_statut_connu"),
            contrainte(
                Q(statut=StatutPlan.EN_PREPARATION, adopte_le__isnull=True)
                | Q(statut__in=[StatutPlan.ADOPTE, StatutPlan.EN_REVISION], adopte_le__isnull=False)
                | ~Q(statut__in=[StatutPlan.EN_PREPARATION, StatutPlan.ADOPTE, StatutPlan.EN_REVISION]),
                "plan_adopte_a_une_date_d_adoption",
            ),
            contrainte(
                Q(statut=StatutPlan.CLOS, clos_le__isnull=False)
                | (~Q(statut=StatutPlan.CLOS) & Q(clos_le__isnull=True)),
                "plan_clos_a_une_date_de_bilan",
            ),
            contrainte(
                ~Q(statut=StatutPlan.EN_REVISION) | (Q(revision_ouverte_le__isnull=False) & ~Q(motif_revision="")),
                "plan_en_revision_a_une_date_et_un_motif",
            ),
            contrainte(
                Q(revision_ouverte_le__isnull=True) | Q(adopte_le__lte=F("revision_ouverte_le")),
                "plan_revision_apres_adoption",
            ),
            contrainte(
                Q(revise_le__isnull=True) | Q(revision_ouverte_le__lte=F("revise_le")),
                "plan_revision_adoptee_apres_ouverture",
            ),
            *(
                contrainte(dans_les_bornes(champ), f"plan_{champ}_plausible")
                for champ in ("adopte_le", "revision_ouverte_le", "revise_le", "clos_le")
            ),
        ]

    def __str__(self):
        return f"Plan d'actions — {self.convention}"

    # --- Transitions (called by ctg.plan.cycle only) -----------------------------------------------------------

    @transition(
        field=statut,
        source=[StatutPlan.EN_PREPARATION, StatutPlan.EN_REVISION],
        target=StatutPlan.ADOPTE,
        conditions=[acte_pas_dans_le_futur, convention_signee_ce_jour, posterieur_au_dernier_acte, plan_modifiable],
        permission=perms.editeur_du_plan,
        custom={"libelle": "Adopter le plan"},
    )
    def adopter(self):
        """The comité de pilotage adopts the plan (the first time: the date of article 4) or its revision."""
        if self.adopte_le is None:
            self.adopte_le = jour_de_l_acte(self)
        else:
            self.revise_le = jour_de_l_acte(self)

    @transition(
        field=statut,
        source=StatutPlan.ADOPTE,
        target=StatutPlan.EN_PREPARATION,
        conditions=[plan_modifiable, jamais_revise],
        permission=perms.editeur_du_plan,
        custom={"libelle": "Retirer l'adoption"},
    )
    def retirer_adoption(self):
        """An adoption recorded by mistake (never revised since): the plan is in preparation again."""
        self.adopte_le = None

    @transition(
        field=statut,
        source=StatutPlan.ADOPTE,
        target=StatutPlan.EN_REVISION,
        conditions=[acte_pas_dans_le_futur, posterieur_au_dernier_acte, plan_modifiable, motif_indique],
        permission=perms.editeur_du_plan,
        custom={"libelle": "Ouvrir une révision"},
    )
    def ouvrir_revision(self):
        """The comité decides to revise the plan (after a review): its objectives can change until re-adopted."""
        self.revision_ouverte_le = jour_de_l_acte(self)
        self.motif_revision = self._motif.strip()
        self.revise_le = None

    @transition(
        field=statut,
        source=[StatutPlan.EN_PREPARATION, StatutPlan.ADOPTE, StatutPlan.EN_REVISION],
        target=StatutPlan.CLOS,
        conditions=[acte_pas_dans_le_futur, bilan_final_enregistre],
        permission=perms.editeur_du_plan,
        custom={"libelle": "Clore le plan par le bilan final"},
    )
    def clore(self):
        """The final bilan is recorded (article 9): the plan is closed, also after the convention's end."""
        self.clos_le = jour_de_l_acte(self)

    @property
    def etat_libelle(self) -> str:
        """The plan's state in words ("adopté le 16/11/2023", "en révision depuis le …")."""
        if self.statut == StatutPlan.CLOS:
            return f"clos par le bilan final du {self.clos_le:%d/%m/%Y}"
        if self.statut == StatutPlan.EN_REVISION:
            return f"adopté le {self.adopte_le:%d/%m/%Y}, en révision depuis le {self.revision_ouverte_le:%d/%m/%Y}"
        if self.statut == StatutPlan.ADOPTE:
            revise = f", révision adoptée le {self.revise_le:%d/%m/%Y}" if self.revise_le else ""
            return f"adopté le {self.adopte_le:%d/%m/%Y}{revise}"
        return "projet, non encore adopté"

    @property
    def objectifs_modifiables(self) -> bool:
        """The objectives tree is open while the plan is prepared or revised, fixed once adopted."""
        return self.statut in {StatutPlan.EN_PREPARATION, StatutPlan.EN_REVISION}


class Niveau(models.TextChoices):
    MISSION = "mission", "Mission ou champ d'intervention"
    ENJEU = "enjeu", "Enjeu"
    STRATEGIQUE = "strategique", "Objectif stratégique"
    OPERATIONNEL = "operationnel", "Objectif opérationnel"


NIVEAU_ENFANT = {
    Niveau.MISSION: Niveau.ENJEU,
    Niveau.ENJEU: Niveau.STRATEGIQUE,
    Niveau.STRATEGIQUE: Niveau.OPERATIONNEL,
}


class Champ(models.TextChoices):
    """Whose field of intervention (articles 2 and 3)."""

    CAF = "caf", "Caf (article 2)"
    PARTAGE = "partage", "Caf et collectivité"
    COLLECTIVITE = "collectivite", "Collectivité (article 3)"
    AUTRE = "autre", "Autre signataire (article 3)"


class Objectif(Versionne):
    """A node of the objectives tree: a mission (article 2), an enjeu (article 4), then the strategic and
    operational objectives the partners add."""

    convention = models.ForeignKey("conventions.Convention", on_delete=models.CASCADE, related_name="objectifs")
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="enfants")
    niveau = models.CharField("niveau", max_length=12, choices=Niveau.choices)
    intitule = models.CharField("intitulé", max_length=300)
    description = models.TextField("description", blank=True)
    ordre = models.PositiveSmallIntegerField("ordre", default=0)
    champ = models.CharField("champ d'intervention", max_length=12, choices=Champ.choices, default=Champ.PARTAGE)
    signataire = models.CharField(
        "autre signataire", max_length=200, blank=True, help_text="pour un champ d'un autre signataire (article 3)"
    )
    domaines = models.JSONField("domaines de la CTG", default=list, blank=True)
    source = models.CharField("source", max_length=100, blank=True, help_text="article de la convention")

    historique = Historique()

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "objectif"
        constraints = [
            contrainte(Q(niveau__in=Niveau.values), "objectif_niveau_connu"),
            contrainte(Q(champ__in=Champ.values), "objectif_champ_connu"),
            contrainte(~Q(intitule=""), "objectif_intitule_non_vide"),
            contrainte(Q(parent__isnull=True) | ~Q(parent=F("pk")), "objectif_pas_son_propre_parent"),
            contrainte(~Q(champ=Champ.AUTRE) | ~Q(signataire=""), "objectif_autre_signataire_nomme"),
        ]

    def __str__(self):
        return self.intitule
