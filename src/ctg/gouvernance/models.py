"""The comité de pilotage of a convention (article 6 and annexe 2 of the reference convention).

- :class:`Comite`: the comité de pilotage of a convention, and the thematic sub-committees it may create;
- :class:`Membre`: a person sitting on a comité for one side (Caf, collectivité, another co-signatory, a partner)
  with a role (voting member, consultative resource person, animator, pilot, secretariat) from one date to another;
- :class:`Reunion`, its :class:`PointOrdreDuJour` (agenda), :class:`Presence` (attendance), minutes and
  :class:`Decision` (each with its :class:`Vote` records when put to the vote);
- :class:`Initiative`: the innovation watch ("une attention particulière aux initiatives et aux actions innovantes
  du territoire").

The rules (parity, quorum, votes, what a decision changes) live in ``ctg.gouvernance.regles`` and
``ctg.gouvernance.decisions``; a meeting's status is a state machine (django-fsm) whose transitions are called by
``ctg.gouvernance.reunions`` only. A meeting whose minutes are approved is closed: neither it nor its agenda,
attendance, decisions and votes can change any more (refused here, in ``save()``/``delete()``).
"""

import uuid
from datetime import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, transition

from ctg import horloge
from ctg.audit import Historique
from ctg.concurrence import Versionne
from ctg.conventions.models import Civilite, Domaine
from ctg.etats import ChampEtat, Verrouillable

from . import perms


class Comite(models.Model):
    """The comité de pilotage of a convention (``parent`` empty), or one of its thematic sub-committees."""

    convention = models.ForeignKey("conventions.Convention", on_delete=models.CASCADE, related_name="comites")
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="sous_comites", verbose_name="comité"
    )
    nom = models.CharField("nom", max_length=200, default="Comité de pilotage")
    thematique = models.CharField("thématique", max_length=200, blank=True)
    description = models.TextField("mission", blank=True)
    cree_le = models.DateTimeField(auto_now_add=True)

    historique = Historique()

    class Meta:
        ordering = ["parent_id", "nom", "pk"]
        verbose_name = "comité"
        constraints = [
            models.UniqueConstraint(
                fields=["convention"], condition=models.Q(parent=None), name="un_comite_de_pilotage_par_convention"
            )
        ]

    def __str__(self):
        return f"{self.nom} ({self.thematique})" if self.thematique else self.nom

    @property
    def est_sous_comite(self) -> bool:
        return self.parent_id is not None


class Cote(models.TextChoices):
    """The side a member sits for (article 6: "à parité, de représentants de la Caf et de la Collectivité")."""

    CAF = "caf", "Caf"
    COLLECTIVITE = "collectivite", "Collectivité"
    COSIGNATAIRE = "cosignataire", "Autre cosignataire"
    PARTENAIRE = "partenaire", "Partenaire (hors signataires)"


# The side in a sentence ("Vous siégez au comité : membre votant, pour la Caf"), never its code nor its bare label.
SIEGE_POUR = {
    Cote.CAF: "pour la Caf",
    Cote.COLLECTIVITE: "pour la collectivité",
    Cote.COSIGNATAIRE: "pour un autre cosignataire",
    Cote.PARTENAIRE: "pour un partenaire (hors signataires)",
}


class RoleComite(models.TextChoices):
    VOTANT = "votant", "Membre titulaire (voix délibérative)"
    CONSULTATIF = "consultatif", "Personne ressource (à titre consultatif)"
    ANIMATEUR = "animateur", "Animateur·rice (Caf)"
    PILOTE = "pilote", "Pilote désigné·e par la collectivité"
    SECRETARIAT = "secretariat", "Secrétariat permanent"


# The animator (Caf) and the pilot (collectivité) represent their party and vote; the resource persons sit "à titre
# consultatif" (article 6) and the secretariat keeps the minutes: neither votes.
ROLES_VOTANTS = {RoleComite.VOTANT, RoleComite.ANIMATEUR, RoleComite.PILOTE}


class Membre(models.Model):
    comite = models.ForeignKey(Comite, on_delete=models.CASCADE, related_name="membres", verbose_name="comité")
    civilite = models.CharField("civilité", max_length=8, choices=Civilite.choices, blank=True)
    prenom = models.CharField("prénom", max_length=100)
    nom = models.CharField("nom", max_length=100)
    organisation = models.CharField("organisation", max_length=200, help_text="ex. Caf du Nord, CA de Cambrai")
    fonction = models.CharField("fonction", max_length=200, blank=True)
    email = models.EmailField("courriel", blank=True, help_text="pour recevoir les convocations")
    cote = models.CharField("représente", max_length=12, choices=Cote.choices)
    role = models.CharField("rôle au comité", max_length=12, choices=RoleComite.choices, default=RoleComite.VOTANT)
    debut = models.DateField("membre depuis le")
    fin = models.DateField("jusqu'au", null=True, blank=True, help_text="dernier jour de mandat ; vide : en cours")
    compte = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="mandats_comite",
        verbose_name="compte CTG",
    )

    chemin_convention = "comite__convention"
    historique = Historique()

    class Meta:
        ordering = ["cote", "role", "nom", "prenom", "pk"]
        verbose_name = "membre du comité"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(fin__isnull=True) | models.Q(fin__gte=models.F("debut")),
                name="membre_fin_de_mandat_apres_debut",
            ),
            models.CheckConstraint(condition=models.Q(cote__in=Cote.values), name="membre_cote_connu"),
            models.CheckConstraint(condition=models.Q(role__in=RoleComite.values), name="membre_role_connu"),
            models.CheckConstraint(
                condition=~models.Q(role=RoleComite.ANIMATEUR) | models.Q(cote=Cote.CAF),
                name="membre_animateur_represente_la_caf",
            ),
            models.CheckConstraint(
                condition=~models.Q(role=RoleComite.PILOTE) | models.Q(cote=Cote.COLLECTIVITE),
                name="membre_pilote_represente_la_collectivite",
            ),
        ]

    def __str__(self):
        return " ".join(p for p in (self.civilite, self.prenom, self.nom) if p)

    @property
    def nom_complet(self) -> str:
        return str(self)

    @property
    def vote(self) -> bool:
        return self.role in ROLES_VOTANTS

    @property
    def siege_pour(self) -> str:
        """The side the member sits for, in a sentence: "pour la Caf", "pour la collectivité"…"""
        return SIEGE_POUR.get(self.cote, f"pour {self.get_cote_display()}")

    def en_fonction(self, jour) -> bool:
        return self.debut <= jour and (self.fin is None or jour <= self.fin)


class StatutReunion(models.TextChoices):
    PLANIFIEE = "planifiee", "Planifiée"
    TENUE = "tenue", "Tenue"
    ANNULEE = "annulee", "Annulée"
    APPROUVEE = "approuvee", "Tenue, compte rendu approuvé"


# A held meeting, its minutes approved or not: it counts for the semester rule and its decisions stand.
STATUTS_TENUS = (StatutReunion.TENUE, StatutReunion.APPROUVEE)


class ReunionClose(ValidationError):
    """A change to a meeting whose minutes are approved, or to what it holds."""


# --- Preconditions of the transitions (django-fsm ``conditions``) ----------------------------------------------


def deja_venue(reunion) -> bool:
    """A meeting cannot be "held" before its day."""
    return reunion.date <= horloge.aujourd_hui()


def presences_enregistrees(reunion) -> bool:
    return reunion.presences.exists()


def sans_presence(reunion) -> bool:
    return not reunion.presences.exists()


def compte_rendu_redige(reunion) -> bool:
    return bool(reunion.compte_rendu.strip())


class Reunion(ConcurrentTransitionMixin, Versionne):
    """A meeting of a comité. Its status is a state machine: planifiée → tenue (``tenir``: its day has come and
    the attendance is recorded) → compte rendu approuvé (``approuver_compte_rendu``: the minutes are written;
    the meeting is then closed); planifiée → annulée (``annuler``) → planifiée (``retablir``)."""

    comite = models.ForeignKey(Comite, on_delete=models.CASCADE, related_name="reunions", verbose_name="comité")
    date = models.DateField("date")
    heure_debut = models.TimeField("heure de début", default=time(14, 0))
    heure_fin = models.TimeField("heure de fin", default=time(16, 0))
    lieu = models.CharField("lieu", max_length=300, blank=True)
    lien_visio = models.URLField("lien de visioconférence", blank=True)
    statut = ChampEtat(
        "statut", max_length=10, choices=StatutReunion.choices, default=StatutReunion.PLANIFIEE, protected=True
    )
    compte_rendu = models.TextField("compte rendu", blank=True)
    compte_rendu_approuve_le = models.DateField("compte rendu approuvé le", null=True, blank=True)
    convocations_envoyees_le = models.DateTimeField("convocations envoyées le", null=True, blank=True)
    uid = models.UUIDField("identifiant de calendrier", default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField("version de l'invitation", default=0, editable=False)
    modifiee_le = models.DateTimeField(auto_now=True)

    chemin_convention = "comite__convention"
    historique = Historique()

    class Meta:
        ordering = ["date", "heure_debut", "pk"]
        verbose_name = "réunion"
        constraints = [
            models.CheckConstraint(condition=models.Q(statut__in=StatutReunion.values), name="reunion_statut_connu"),
            models.CheckConstraint(
                condition=models.Q(heure_fin__gt=models.F("heure_debut")), name="reunion_fin_apres_debut"
            ),
            models.CheckConstraint(
                condition=models.Q(statut=StatutReunion.APPROUVEE, compte_rendu_approuve_le__isnull=False)
                | (~models.Q(statut=StatutReunion.APPROUVEE) & models.Q(compte_rendu_approuve_le__isnull=True)),
                name="reunion_date_d_approbation_si_approuvee",
            ),
            models.CheckConstraint(
                condition=models.Q(compte_rendu_approuve_le__isnull=True)
                | models.Q(compte_rendu_approuve_le__gte=models.F("date")),
                name="reunion_approbation_apres_la_reunion",
            ),
            models.CheckConstraint(
                condition=~models.Q(statut=StatutReunion.APPROUVEE) | ~models.Q(compte_rendu=""),
                name="reunion_approuvee_a_un_compte_rendu",
            ),
        ]

    def __str__(self):
        return f"{self.comite.nom} du {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("gouvernance:reunion", args=[self.comite.convention_id, self.pk])

    @property
    def convention(self):
        return self.comite.convention

    @property
    def est_tenue(self) -> bool:
        return self.statut in STATUTS_TENUS

    @property
    def est_close(self) -> bool:
        return self.statut == StatutReunion.APPROUVEE

    # --- Transitions (called by ctg.gouvernance.reunions only) ------------------------------------------------

    @transition(
        field=statut,
        source=StatutReunion.PLANIFIEE,
        target=StatutReunion.TENUE,
        conditions=[deja_venue, presences_enregistrees],
        permission=perms.peut_tenir,
    )
    def tenir(self):
        pass

    @transition(
        field=statut,
        source=StatutReunion.PLANIFIEE,
        target=StatutReunion.ANNULEE,
        conditions=[sans_presence],
        permission=perms.peut_annuler,
    )
    def annuler(self):
        pass

    @transition(
        field=statut,
        source=StatutReunion.ANNULEE,
        target=StatutReunion.PLANIFIEE,
        permission=perms.peut_retablir,
    )
    def retablir(self):
        pass

    @transition(
        field=statut,
        source=StatutReunion.TENUE,
        target=StatutReunion.APPROUVEE,
        conditions=[compte_rendu_redige],
        permission=perms.peut_approuver_compte_rendu,
    )
    def approuver_compte_rendu(self, jour):
        self.compte_rendu_approuve_le = jour

    # --- The lock ------------------------------------------------------------------------------------------

    def refus_reunion_close(self) -> ReunionClose:
        return ReunionClose(
            f"Le compte rendu de la réunion du {self.date:%d/%m/%Y} a été approuvé le "
            f"{self.compte_rendu_approuve_le:%d/%m/%Y} : la réunion est close, ni elle ni son ordre du jour, ses "
            "présences, ses décisions et ses votes ne peuvent plus être modifiés.",
            code="reunion_close",
        )

    def save(self, *args, **kwargs):
        if self.statut in STATUTS_TENUS and not deja_venue(self):
            raise ValidationError(
                f"La réunion du {self.date:%d/%m/%Y} est à venir : elle ne peut pas être déjà tenue.",
                code="reunion_future_tenue",
            )
        if self.pk:
            avant = type(self)._default_manager.filter(pk=self.pk).first()
            if avant is not None and avant.est_close:
                raise avant.refus_reunion_close()
            if avant is not None and avant.est_tenue and avant.date != self.date and avant.decisions.exists():
                raise ValidationError(
                    f"La réunion du {avant.date:%d/%m/%Y} est tenue et ses décisions sont datées de ce jour : "
                    "sa date ne peut plus changer.",
                    code="reunion_tenue_date",
                )
        super().save(*args, **kwargs)


class PartieDeReunion(Verrouillable):
    """What a meeting holds (agenda, attendance, decisions): frozen once its minutes are approved."""

    class Meta:
        abstract = True

    def reunion_concernee(self):
        return Reunion.objects.filter(pk=self.reunion_id).first()

    def verifier_modifiable(self):
        reunion = self.reunion_concernee()
        if reunion is not None and reunion.est_close:
            raise reunion.refus_reunion_close()


class Rubrique(models.TextChoices):
    DIAGNOSTIC = "diagnostic", "Diagnostic"
    PLAN = "plan", "Plan d'actions"
    EVALUATION = "evaluation", "Suivi et évaluation"
    FINANCES = "finances", "Financements"
    COORDINATION = "coordination", "Coordination des partenaires"
    INNOVATION = "innovation", "Initiatives innovantes"
    AUTRE = "autre", "Autre"


class PointOrdreDuJour(PartieDeReunion):
    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="points", verbose_name="réunion")
    ordre = models.PositiveSmallIntegerField("ordre", default=1)
    rubrique = models.CharField("rubrique", max_length=12, choices=Rubrique.choices, default=Rubrique.AUTRE)
    intitule = models.CharField("point", max_length=300)
    initiative = models.ForeignKey(
        "Initiative",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="points",
        verbose_name="initiative discutée",
    )

    chemin_convention = "reunion__comite__convention"
    historique = Historique()

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "point de l'ordre du jour"
        constraints = [
            models.CheckConstraint(condition=models.Q(rubrique__in=Rubrique.values), name="point_rubrique_connue")
        ]

    def __str__(self):
        return self.intitule


class EtatPresence(models.TextChoices):
    PRESENT = "present", "Présent·e"
    EXCUSE = "excuse", "Excusé·e"
    REPRESENTE = "represente", "Représenté·e"
    ABSENT = "absent", "Absent·e"


class Presence(PartieDeReunion):
    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="presences", verbose_name="réunion")
    membre = models.ForeignKey(Membre, on_delete=models.CASCADE, related_name="presences")
    etat = models.CharField("présence", max_length=12, choices=EtatPresence.choices)
    represente_par = models.CharField("représenté·e par", max_length=200, blank=True)

    chemin_convention = "reunion__comite__convention"
    historique = Historique()

    class Meta:
        ordering = ["membre__cote", "membre__nom", "pk"]
        verbose_name = "présence"
        constraints = [
            models.UniqueConstraint(fields=["reunion", "membre"], name="une_presence_par_membre"),
            models.CheckConstraint(condition=models.Q(etat__in=EtatPresence.values), name="presence_etat_connu"),
            models.CheckConstraint(
                condition=(models.Q(etat=EtatPresence.REPRESENTE) & ~models.Q(represente_par=""))
                | (~models.Q(etat=EtatPresence.REPRESENTE) & models.Q(represente_par="")),
                name="presence_representant_si_represente",
            ),
        ]

    def __str__(self):
        return f"{self.membre} : {self.get_etat_display()}"

    @property
    def compte(self) -> bool:
        """Present or represented: counts for the quorum, the parity of those present and the vote."""
        return self.etat in {EtatPresence.PRESENT, EtatPresence.REPRESENTE}


class ModeDecision(models.TextChoices):
    CONSENSUS = "consensus", "Consensus"
    VOTE = "vote", "Vote"


class ObjetDecision(models.TextChoices):
    DIAGNOSTIC_VALIDE = "diagnostic_valide", "Diagnostic validé"
    DIAGNOSTIC_ROUVERT = "diagnostic_rouvert", "Diagnostic rouvert"
    PLAN_ADOPTE = "plan_adopte", "Plan d'actions adopté"
    ACTION_ADAPTEE = "action_adaptee", "Action adaptée"
    INITIATIVE = "initiative", "Initiative retenue"
    EVALUATION = "evaluation", "Évaluation"
    FINANCEMENT = "financement", "Financement"
    AUTRE = "autre", "Autre décision"


class Decision(PartieDeReunion):
    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="decisions", verbose_name="réunion")
    ordre = models.PositiveSmallIntegerField("ordre", default=1)
    texte = models.TextField("décision")
    mode = models.CharField("mode", max_length=10, choices=ModeDecision.choices, default=ModeDecision.CONSENSUS)
    objet = models.CharField("objet", max_length=20, choices=ObjetDecision.choices, default=ObjetDecision.AUTRE)
    reference = models.CharField(
        "référence", max_length=200, blank=True, help_text="ex. « Fiche action 2.1 », un document, un dossier"
    )
    objet_id = models.PositiveIntegerField(
        "numéro de l'objet", null=True, blank=True, help_text="numéro interne de la fiche action, le cas échéant"
    )
    motif = models.TextField(
        "motif", blank=True, help_text="obligatoire pour rouvrir un diagnostic validé : pourquoi le comité le rouvre"
    )
    effet = models.TextField("effet", blank=True, help_text="ce que la décision a changé dans le produit")
    enregistree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    enregistree_le = models.DateTimeField("enregistrée le", auto_now_add=True)

    chemin_convention = "reunion__comite__convention"
    historique = Historique()

    class Meta:
        ordering = ["reunion__date", "ordre", "pk"]
        verbose_name = "décision"
        constraints = [
            models.UniqueConstraint(fields=["reunion", "ordre"], name="une_decision_par_numero"),
            models.CheckConstraint(condition=models.Q(ordre__gte=1), name="decision_numero_positif"),
            models.CheckConstraint(condition=models.Q(mode__in=ModeDecision.values), name="decision_mode_connu"),
            models.CheckConstraint(condition=models.Q(objet__in=ObjetDecision.values), name="decision_objet_connu"),
            models.CheckConstraint(
                condition=~models.Q(objet=ObjetDecision.DIAGNOSTIC_ROUVERT) | ~models.Q(motif=""),
                name="decision_reouverture_motivee",
            ),
        ]

    def __str__(self):
        return self.texte


class ChoixVote(models.TextChoices):
    POUR = "pour", "Pour"
    CONTRE = "contre", "Contre"
    ABSTENTION = "abstention", "Abstention"


class Vote(PartieDeReunion):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    membre = models.ForeignKey(Membre, on_delete=models.CASCADE, related_name="votes")
    choix = models.CharField("vote", max_length=10, choices=ChoixVote.choices)

    chemin_convention = "decision__reunion__comite__convention"
    historique = Historique()

    class Meta:
        ordering = ["membre__cote", "membre__nom", "pk"]
        verbose_name = "vote"
        constraints = [
            models.UniqueConstraint(fields=["decision", "membre"], name="un_vote_par_membre"),
            models.CheckConstraint(condition=models.Q(choix__in=ChoixVote.values), name="vote_choix_connu"),
        ]

    def __str__(self):
        return f"{self.membre} : {self.get_choix_display()}"

    def reunion_concernee(self):
        return Reunion.objects.filter(decisions__pk=self.decision_id).first()


class SuiviInitiative(models.TextChoices):
    REPEREE = "reperee", "Repérée"
    A_DISCUTER = "a_discuter", "À discuter en comité"
    SUIVIE = "suivie", "Suivie"
    TRANSFORMEE = "transformee", "Transformée en fiche action"
    ECARTEE = "ecartee", "Non retenue"


class Initiative(models.Model):
    """An innovative initiative spotted on the territory (article 6)."""

    convention = models.ForeignKey("conventions.Convention", on_delete=models.CASCADE, related_name="initiatives")
    titre = models.CharField("titre", max_length=200)
    commune = models.ForeignKey(
        "territoires.Commune", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="commune"
    )
    operateur = models.CharField("porteur ou opérateur", max_length=200, blank=True)
    domaine = models.CharField("domaine", max_length=30, choices=Domaine.choices, blank=True)
    description = models.TextField("description")
    reperee_le = models.DateField("repérée le")
    suivi = models.CharField("suivi", max_length=12, choices=SuiviInitiative.choices, default=SuiviInitiative.REPEREE)
    notes_suivi = models.TextField("notes de suivi", blank=True)
    fiche_reference = models.CharField("fiche action", max_length=200, blank=True)
    fiche_id = models.PositiveIntegerField("numéro de la fiche action", null=True, blank=True)
    transformee_le = models.DateField("transformée le", null=True, blank=True)
    signalee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    historique = Historique()

    class Meta:
        ordering = ["-reperee_le", "titre", "pk"]
        verbose_name = "initiative"
        constraints = [
            models.CheckConstraint(condition=models.Q(suivi__in=SuiviInitiative.values), name="initiative_suivi_connu"),
            models.CheckConstraint(
                condition=~models.Q(suivi=SuiviInitiative.TRANSFORMEE) | models.Q(transformee_le__isnull=False),
                name="initiative_transformee_datee",
            ),
        ]

    def __str__(self):
        return self.titre


# What a member does on a meeting's page (answer the invitation, comment the draft minutes): in its own module.
from .modeles_membres import CommentaireCompteRendu, Reponse, ReponseConvocation  # noqa: E402, F401
