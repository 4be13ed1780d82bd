"""The action plan of a convention: its objectives tree, its fiches action with their indicators, and its evaluation.

Seed (convention Caf du Nord × CA de Cambrai, 2021): article 1 (a strategic project built on the shared diagnostic),
article 2 (the four Caf missions), article 3 (fields of the collectivité and of other signatories), article 4 (the
"enjeux" and the objectives identified by the end of year 2), article 9 (evaluation at each review and a final
bilan), annexe 2 (a plan with concrete, dated, quantified objectives, 10 pages at most).

The rules (progress, lateness) live in ``ctg.plan.regles``; the tree of the seed in ``ctg.plan.arbre``.

Two state machines (django-fsm): the plan's own lifecycle (in preparation → adopted ⇄ under revision → closed by
the final bilan) and the status of each fiche action. Their transitions are the methods decorated below; who may
fire them is the ``permission`` (``ctg.plan.perms``), what must hold is the ``conditions`` (here). Callers go
through the rules layer ``ctg.plan.cycle``, never these methods nor the status fields directly.

Every act is dated: the rules layer sets ``_jour_acte`` on the instance (today for a person on a page; the date of
the comité's meeting for an adoption; the real date of a past act for a command or the demo), and the conditions
judge the act on that day. Once the convention has ended, the plan is read-only but for its final bilan.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, transition

from ctg import horloge
from ctg.audit import Historique
from ctg.concurrence import Versionne
from ctg.etats import ChampEtat

from . import perms

# Dates and years outside this range are typing errors (a CTG runs over a few years around today).
PREMIER_JOUR = date(2000, 1, 1)
DERNIER_JOUR = date(2100, 12, 31)


def dans_les_bornes(champ: str, nullable: bool = True) -> Q:
    """``champ`` is empty or a date between 2000 and 2100 (a CheckConstraint condition)."""
    condition = Q(**{f"{champ}__gte": PREMIER_JOUR, f"{champ}__lte": DERNIER_JOUR})
    return Q(**{f"{champ}__isnull": True}) | condition if nullable else condition


def annee_dans_les_bornes(champ: str, nullable: bool = True) -> Q:
    condition = Q(**{f"{champ}__gte": PREMIER_JOUR.year, f"{champ}__lte": DERNIER_JOUR.year})
    return Q(**{f"{champ}__isnull": True}) | condition if nullable else condition


def contrainte(condition: Q, nom: str) -> models.CheckConstraint:
    """A CheckConstraint of the plan app (its name prefixed: constraint names are unique across the project)."""
    return models.CheckConstraint(condition=condition, name=nom if nom.startswith("plan_") else f"plan_{nom}")


# --- When the plan can change ---------------------------------------------------------------------------------


def jour_de_l_acte(instance) -> date:
    """The date of the act being recorded on ``instance`` (set by ``ctg.plan.cycle``), today by default."""
    return getattr(instance, "_jour_acte", None) or horloge.aujourd_hui()


def fin_du_suivi(convention) -> date | None:
    """The last day of an ended convention (its end date, or the effect date of its termination); ``None`` while
    it has not ended (``convention.est_terminee``)."""
    if not convention.est_terminee:
        return None
    fin = convention.date_fin
    resiliation = getattr(convention, "resiliation", None) if convention.pk else None
    if resiliation is not None and resiliation.date_effet and resiliation.date_effet < fin:
        fin = resiliation.date_effet
    return fin


def motif_lecture_seule(convention, jour: date | None = None) -> str | None:
    """Why the plan of ``convention`` cannot change on ``jour`` (today by default), or ``None`` if it can.

    Closed by its final bilan, or the convention ended before ``jour``: read-only (article 9: the final bilan is the
    last act of the plan; it may still be recorded once the convention has ended)."""
    jour = jour or horloge.aujourd_hui()
    plan = Plan.objects.filter(convention=convention).only("statut", "clos_le").first()
    if plan is not None and plan.statut == StatutPlan.CLOS:
        return (
            f"Le bilan final du plan d'actions a été établi le {plan.clos_le:%d/%m/%Y} : le plan est clos et ne se "
            "modifie plus."
        )
    fin = fin_du_suivi(convention)
    if fin is not None and jour > fin:
        return (
            f"La convention a pris fin le {fin:%d/%m/%Y} : son plan d'actions ne se modifie plus (fiches, statuts, "
            "objectifs, indicateurs, revues) ; seul le bilan final peut encore être établi."
        )
    return None


# Preconditions of the transitions (django-fsm ``conditions``): each reads the instance and the day of the act.
def acte_pas_dans_le_futur(instance) -> bool:
    return jour_de_l_acte(instance) <= horloge.aujourd_hui()


def plan_modifiable(instance) -> bool:
    """The plan (of a Plan, or of a fiche's convention) is not closed and the convention had not ended that day."""
    convention = instance.convention
    return motif_lecture_seule(convention, jour_de_l_acte(instance)) is None


def convention_signee_ce_jour(plan) -> bool:
    """Adoption: the convention was signed (or had started) on the day of the act."""
    convention = plan.convention
    debut = convention.date_signature or convention.date_debut
    return debut <= jour_de_l_acte(plan)


def jamais_revise(plan) -> bool:
    return plan.revise_le is None


def motif_indique(plan) -> bool:
    return bool((getattr(plan, "_motif", None) or "").strip())


def bilan_final_enregistre(plan) -> bool:
    return Revue.objects.filter(convention=plan.convention, type=TypeRevue.BILAN).exists()


def posterieur_au_dernier_acte(instance) -> bool:
    """An act is not dated before the previous one on the same record (adoption, revision, status change)."""
    precedents = [getattr(instance, champ, None) for champ in ("adopte_le", "revise_le", "revision_ouverte_le")]
    precedents.append(getattr(instance, "statut_le", None))
    dernier = max((d for d in precedents if d is not None), default=None)
    return dernier is None or dernier <= jour_de_l_acte(instance)


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


class StatutFiche(models.TextChoices):
    A_VENIR = "a_venir", "À venir"
    EN_COURS = "en_cours", "En cours"
    EN_RETARD = "en_retard", "En retard"
    EN_PAUSE = "en_pause", "En pause"
    ABANDONNEE = "abandonnee", "Abandonnée"
    TERMINEE = "terminee", "Terminée"


ACTIVES = {StatutFiche.A_VENIR, StatutFiche.EN_COURS, StatutFiche.EN_RETARD}
CONDITIONS_FICHE = [acte_pas_dans_le_futur, posterieur_au_dernier_acte, plan_modifiable]


class Priorite(models.IntegerChoices):
    HAUTE = 1, "haute"
    MOYENNE = 2, "moyenne"
    BASSE = 3, "basse"


class FicheAction(ConcurrentTransitionMixin, Versionne):
    """An action of the plan. Its status is a state machine: à venir → en cours ⇄ en retard, en pause, then
    terminée or abandonnée; the pilot (a commune referent piloting it) moves it along, the editors also abandon
    or reopen it."""

    convention = models.ForeignKey("conventions.Convention", on_delete=models.CASCADE, related_name="fiches_action")
    numero = models.PositiveSmallIntegerField("numéro")
    titre = models.CharField("titre", max_length=200)
    description = models.TextField("description et contenu de l'action", blank=True)
    objectifs = models.ManyToManyField(Objectif, blank=True, related_name="fiches", verbose_name="objectifs")
    besoins = models.ManyToManyField(
        "diagnostic.Besoin", blank=True, related_name="fiches_action", verbose_name="besoins du diagnostic"
    )
    public = models.CharField("public visé", max_length=200, blank=True)
    communes = models.ManyToManyField(
        "territoires.Commune", blank=True, related_name="fiches_action", verbose_name="communes concernées"
    )
    pilote_structure = models.CharField("structure pilote", max_length=200, blank=True)
    pilote_personne = models.CharField("personne pilote", max_length=200, blank=True)
    pilote = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="fiches_pilotees",
        verbose_name="compte du pilote",
        help_text="un membre de la convention ; un·e référent·e de commune pilote peut modifier sa fiche",
    )
    partenaires = models.TextField(
        "partenaires",
        blank=True,
        help_text="un par ligne : structure, et s'il y a lieu la personne (« Mairie — M. X »)",
    )
    operateurs = models.TextField("opérateurs gestionnaires associés", blank=True, help_text="un par ligne")
    date_debut = models.DateField("début", null=True, blank=True)
    date_fin = models.DateField("fin", null=True, blank=True)
    statut = ChampEtat(
        "statut", max_length=12, choices=StatutFiche.choices, default=StatutFiche.A_VENIR, protected=True
    )
    statut_le = models.DateField("statut depuis le", null=True, blank=True)
    priorite = models.PositiveSmallIntegerField("priorité", choices=Priorite.choices, default=Priorite.MOYENNE)
    demonstration = models.BooleanField("fiche de démonstration", default=False)
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    historique = Historique(m2m_fields=[objectifs, besoins, communes])

    class Meta:
        ordering = ["numero"]
        verbose_name = "fiche action"
        verbose_name_plural = "fiches action"
        constraints = [
            models.UniqueConstraint(fields=["convention", "numero"], name="fiche_numero_unique"),
            contrainte(Q(numero__gte=1), "fiche_numero_positif"),
            contrainte(~Q(titre=""), "fiche_titre_non_vide"),
            contrainte(Q(statut__in=StatutFiche.values), "fiche_statut_connu"),
            contrainte(Q(priorite__in=Priorite.values), "fiche_priorite_connue"),
            contrainte(
                Q(date_debut__isnull=True) | Q(date_fin__isnull=True) | Q(date_debut__lte=F("date_fin")),
                "fiche_debut_avant_fin",
            ),
            *(
                contrainte(dans_les_bornes(champ), f"fiche_{champ}_plausible")
                for champ in ("date_debut", "date_fin", "statut_le")
            ),
        ]

    def __str__(self):
        return f"Fiche n° {self.numero} — {self.titre}"

    def get_absolute_url(self):
        return reverse("plan:fiche", args=[self.convention_id, self.pk])

    @property
    def liste_partenaires(self) -> list[str]:
        return [ligne.strip() for ligne in self.partenaires.splitlines() if ligne.strip()]

    @property
    def liste_operateurs(self) -> list[str]:
        return [ligne.strip() for ligne in self.operateurs.splitlines() if ligne.strip()]

    @property
    def pilote_libelle(self) -> str:
        return " — ".join(p for p in (self.pilote_structure, self.pilote_personne) if p) or "à désigner"

    # --- Transitions of the status (called by ctg.plan.cycle only); each dates the new status ------------------

    def _dater_statut(self):
        self.statut_le = jour_de_l_acte(self)

    @transition(
        field=statut,
        source=StatutFiche.A_VENIR,
        target=StatutFiche.EN_COURS,
        conditions=CONDITIONS_FICHE,
        permission=perms.pilote_de_la_fiche,
        custom={"libelle": "Démarrer l'action"},
    )
    def demarrer(self):
        self._dater_statut()

    @transition(
        field=statut,
        source=StatutFiche.EN_COURS,
        target=StatutFiche.EN_RETARD,
        conditions=CONDITIONS_FICHE,
        permission=perms.pilote_de_la_fiche,
        custom={"libelle": "Signaler un retard"},
    )
    def signaler_retard(self):
        self._dater_statut()

    @transition(
        field=statut,
        source=StatutFiche.EN_RETARD,
        target=StatutFiche.EN_COURS,
        conditions=CONDITIONS_FICHE,
        permission=perms.pilote_de_la_fiche,
        custom={"libelle": "Retard rattrapé"},
    )
    def rattraper_retard(self):
        self._dater_statut()

    @transition(
        field=statut,
        source=[StatutFiche.A_VENIR, StatutFiche.EN_COURS, StatutFiche.EN_RETARD],
        target=StatutFiche.EN_PAUSE,
        conditions=CONDITIONS_FICHE,
        permission=perms.pilote_de_la_fiche,
        custom={"libelle": "Mettre en pause"},
    )
    def suspendre(self):
        self._dater_statut()

    @transition(
        field=statut,
        source=StatutFiche.EN_PAUSE,
        target=StatutFiche.EN_COURS,
        conditions=CONDITIONS_FICHE,
        permission=perms.pilote_de_la_fiche,
        custom={"libelle": "Reprendre l'action"},
    )
    def reprendre(self):
        self._dater_statut()

    @transition(
        field=statut,
        source=[StatutFiche.EN_COURS, StatutFiche.EN_RETARD],
        target=StatutFiche.TERMINEE,
        conditions=CONDITIONS_FICHE,
        permission=perms.pilote_de_la_fiche,
        custom={"libelle": "Terminer l'action"},
    )
    def terminer(self):
        self._dater_statut()

    @transition(
        field=statut,
        source=[StatutFiche.A_VENIR, StatutFiche.EN_COURS, StatutFiche.EN_RETARD, StatutFiche.EN_PAUSE],
        target=StatutFiche.ABANDONNEE,
        conditions=CONDITIONS_FICHE,
        permission=perms.editeur_du_plan,
        custom={"libelle": "Abandonner l'action"},
    )
    def abandonner(self):
        """A decision of the partners (a review's "arrêter"): the Caf adviser or the project lead."""
        self._dater_statut()

    @transition(
        field=statut,
        source=[StatutFiche.TERMINEE, StatutFiche.ABANDONNEE],
        target=StatutFiche.EN_COURS,
        conditions=CONDITIONS_FICHE,
        permission=perms.editeur_du_plan,
        custom={"libelle": "Rouvrir l'action"},
    )
    def rouvrir(self):
        """An action closed by mistake, or taken up again: the Caf adviser or the project lead."""
        self._dater_statut()


class Jalon(models.Model):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="jalons")
    libelle = models.CharField("jalon", max_length=200)
    date_prevue = models.DateField("date prévue")
    date_realisee = models.DateField("réalisé le", null=True, blank=True)

    chemin_convention = "fiche__convention"
    historique = Historique()

    class Meta:
        ordering = ["date_prevue", "pk"]
        verbose_name = "jalon"
        constraints = [
            contrainte(~Q(libelle=""), "jalon_libelle_non_vide"),
            contrainte(dans_les_bornes("date_prevue", nullable=False), "jalon_date_prevue_plausible"),
            contrainte(dans_les_bornes("date_realisee"), "jalon_date_realisee_plausible"),
        ]

    def __str__(self):
        return f"{self.libelle} ({self.date_prevue:%d/%m/%Y})"


class NatureFinancement(models.TextChoices):
    AIDE = "aide", "Aide ou subvention"
    FONDS_PROPRES = "fonds_propres", "Fonds propres du porteur"


class Financement(models.Model):
    """An amount of the action's budget: by financer and year; the porteur's own funds apart from the aid."""

    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="financements")
    financeur = models.CharField("financeur", max_length=200)
    annee = models.PositiveSmallIntegerField("année")
    montant = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)
    nature = models.CharField(
        "nature", max_length=14, choices=NatureFinancement.choices, default=NatureFinancement.AIDE
    )

    chemin_convention = "fiche__convention"
    historique = Historique()

    class Meta:
        ordering = ["annee", "financeur", "pk"]
        verbose_name = "financement"
        constraints = [
            contrainte(Q(montant__gte=0), "financement_montant_positif"),
            contrainte(annee_dans_les_bornes("annee", nullable=False), "financement_annee_plausible"),
            contrainte(Q(nature__in=NatureFinancement.values), "financement_nature_connue"),
            contrainte(~Q(financeur=""), "financement_financeur_nomme"),
        ]

    def __str__(self):
        return f"{self.financeur} {self.annee} : {self.montant} €"


class IndicateurAction(Versionne):
    """A dated, quantified target of an action (annexe 2): baseline, target with its date, values by period.

    Linked to an indicator of the diagnostic's catalogue (``indicateur_catalogue``), its values are read from the
    open data of the convention's EPCI (or of one commune) each time: a new vintage imported and computed
    (``ctg calculer_indicateurs``) shows at once."""

    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="indicateurs")
    libelle = models.CharField("indicateur", max_length=200)
    unite = models.CharField("unité", max_length=60, blank=True)
    source = models.CharField("source", max_length=200, blank=True)
    indicateur_catalogue = models.CharField(
        "indicateur du diagnostic", max_length=60, blank=True, help_text="rempli depuis les données ouvertes"
    )
    territoire = models.CharField(
        "territoire des données", max_length=9, blank=True, help_text="code INSEE d'une commune ; vide : l'EPCI"
    )
    annee_reference = models.PositiveSmallIntegerField("année de la valeur initiale", null=True, blank=True)
    valeur_initiale = models.FloatField(
        "valeur initiale", null=True, blank=True, help_text="vide pour un indicateur lié : lue dans les données"
    )
    cible = models.FloatField("valeur cible")
    date_cible = models.DateField("cible à atteindre le")
    ordre = models.PositiveSmallIntegerField(default=0)

    chemin_convention = "fiche__convention"
    historique = Historique()

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "indicateur d'une action"
        verbose_name_plural = "indicateurs des actions"
        constraints = [
            contrainte(~Q(libelle=""), "indicateur_libelle_non_vide"),
            contrainte(annee_dans_les_bornes("annee_reference"), "indicateur_annee_reference_plausible"),
            contrainte(dans_les_bornes("date_cible", nullable=False), "indicateur_date_cible_plausible"),
            contrainte(
                ~Q(indicateur_catalogue="") | Q(valeur_initiale__isnull=False),
                "indicateur_non_lie_a_une_valeur_initiale",
            ),
        ]

    def __str__(self):
        return self.libelle


class ValeurSaisie(models.Model):
    """A value of an action's indicator entered by hand for a period (the date of the measure)."""

    indicateur = models.ForeignKey(IndicateurAction, on_delete=models.CASCADE, related_name="valeurs_saisies")
    date = models.DateField("date de la mesure")
    valeur = models.FloatField("valeur")
    commentaire = models.CharField("commentaire", max_length=200, blank=True)

    chemin_convention = "indicateur__fiche__convention"
    historique = Historique()

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = "valeur saisie"
        constraints = [
            models.UniqueConstraint(fields=["indicateur", "date"], name="une_valeur_par_date"),
            contrainte(dans_les_bornes("date", nullable=False), "valeur_date_plausible"),
        ]

    def __str__(self):
        return f"{self.indicateur} {self.date:%d/%m/%Y} = {self.valeur}"


class TypeRevue(models.TextChoices):
    REVUE = "revue", "Revue du plan d'actions"
    BILAN = "bilan", "Bilan final de la convention"


class Revue(models.Model):
    """A review of the plan (article 9: evaluation at each review) or the final bilan of the convention (one per
    convention; recording it closes the plan)."""

    convention = models.ForeignKey("conventions.Convention", on_delete=models.CASCADE, related_name="revues_plan")
    type = models.CharField("type", max_length=6, choices=TypeRevue.choices, default=TypeRevue.REVUE)
    date = models.DateField("date")
    # (not "instance": the name is taken by the history's records)
    nom_instance = models.CharField("instance", max_length=200, blank=True, default="Comité de pilotage")
    synthese = models.TextField("synthèse", blank=True)
    effets = models.TextField("effets constatés", blank=True, help_text="bilan final : les effets de la convention")
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cree_le = models.DateTimeField(auto_now_add=True)

    historique = Historique()

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "revue"
        constraints = [
            contrainte(Q(type__in=TypeRevue.values), "revue_type_connu"),
            contrainte(dans_les_bornes("date", nullable=False), "revue_date_plausible"),
            models.UniqueConstraint(
                fields=["convention"], condition=Q(type=TypeRevue.BILAN), name="plan_un_bilan_final_par_convention"
            ),
        ]

    def __str__(self):
        return f"{self.get_type_display()} du {self.date:%d/%m/%Y}"


class Decision(models.TextChoices):
    MAINTENIR = "maintenir", "Maintenir"
    ADAPTER = "adapter", "Adapter"
    ARRETER = "arreter", "Arrêter"


class EvaluationAction(models.Model):
    """What a review records for one action: its progress that day, a comment, a decision."""

    revue = models.ForeignKey(Revue, on_delete=models.CASCADE, related_name="evaluations")
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="evaluations")
    progression = models.PositiveSmallIntegerField("avancement (%)", null=True, blank=True)
    statut = models.CharField("statut constaté", max_length=12, choices=StatutFiche.choices)
    commentaire = models.TextField("commentaire", blank=True)
    decision = models.CharField("décision", max_length=10, choices=Decision.choices, default=Decision.MAINTENIR)

    chemin_convention = "revue__convention"
    historique = Historique()

    class Meta:
        ordering = ["fiche__numero"]
        verbose_name = "évaluation d'une action"
        constraints = [
            models.UniqueConstraint(fields=["revue", "fiche"], name="une_evaluation_par_fiche"),
            contrainte(
                Q(progression__isnull=True) | Q(progression__gte=0, progression__lte=100),
                "evaluation_progression_0_100",
            ),
            contrainte(Q(statut__in=StatutFiche.values), "evaluation_statut_connu"),
            contrainte(Q(decision__in=Decision.values), "evaluation_decision_connue"),
        ]

    def __str__(self):
        return f"{self.fiche} — {self.get_decision_display()}"


class AdaptationObjectif(models.Model):
    """Final bilan (article 9): how an objective should be adapted to the changes observed."""

    revue = models.ForeignKey(Revue, on_delete=models.CASCADE, related_name="adaptations")
    objectif = models.ForeignKey(Objectif, on_delete=models.CASCADE, related_name="adaptations")
    texte = models.TextField("adaptation proposée")

    chemin_convention = "revue__convention"
    historique = Historique()

    class Meta:
        ordering = ["objectif__ordre", "pk"]
        verbose_name = "objectif à adapter"
        constraints = [contrainte(~Q(texte=""), "adaptation_texte_non_vide")]

    def __str__(self):
        return f"{self.objectif} : {self.texte[:60]}"
