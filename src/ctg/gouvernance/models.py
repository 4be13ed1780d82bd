"""The comité de pilotage of a convention (article 6 and annexe 2 of the reference convention).

- :class:`Comite`: the comité de pilotage of a convention, and the thematic sub-committees it may create;
- :class:`Membre`: a person sitting on a comité for one side (Caf, collectivité, another co-signatory, a partner)
  with a role (voting member, consultative resource person, animator, pilot, secretariat) from one date to another;
- :class:`Reunion`, its :class:`PointOrdreDuJour` (agenda), :class:`Presence` (attendance), minutes and
  :class:`Decision` (each with its :class:`Vote` records when put to the vote);
- :class:`Initiative`: the innovation watch ("une attention particulière aux initiatives et aux actions innovantes
  du territoire").

The rules (parity, quorum, votes, what a decision changes) live in ``ctg.gouvernance.regles`` and
``ctg.gouvernance.decisions``.
"""

import uuid
from datetime import time

from django.conf import settings
from django.db import models
from django.urls import reverse

from ctg.conventions.models import Civilite, Domaine


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

    class Meta:
        ordering = ["cote", "role", "nom", "prenom", "pk"]
        verbose_name = "membre du comité"

    def __str__(self):
        return " ".join(p for p in (self.civilite, self.prenom, self.nom) if p)

    @property
    def nom_complet(self) -> str:
        return str(self)

    @property
    def vote(self) -> bool:
        return self.role in ROLES_VOTANTS

    def en_fonction(self, jour) -> bool:
        return self.debut <= jour and (self.fin is None or jour <= self.fin)


class StatutReunion(models.TextChoices):
    PLANIFIEE = "planifiee", "Planifiée"
    TENUE = "tenue", "Tenue"
    ANNULEE = "annulee", "Annulée"


class Reunion(models.Model):
    comite = models.ForeignKey(Comite, on_delete=models.CASCADE, related_name="reunions", verbose_name="comité")
    date = models.DateField("date")
    heure_debut = models.TimeField("heure de début", default=time(14, 0))
    heure_fin = models.TimeField("heure de fin", default=time(16, 0))
    lieu = models.CharField("lieu", max_length=300, blank=True)
    lien_visio = models.URLField("lien de visioconférence", blank=True)
    statut = models.CharField("statut", max_length=10, choices=StatutReunion.choices, default=StatutReunion.PLANIFIEE)
    compte_rendu = models.TextField("compte rendu", blank=True)
    convocations_envoyees_le = models.DateTimeField("convocations envoyées le", null=True, blank=True)
    uid = models.UUIDField("identifiant de calendrier", default=uuid.uuid4, unique=True, editable=False)
    sequence = models.PositiveIntegerField("version de l'invitation", default=0, editable=False)
    modifiee_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["date", "heure_debut", "pk"]
        verbose_name = "réunion"

    def __str__(self):
        return f"{self.comite.nom} du {self.date:%d/%m/%Y}"

    def get_absolute_url(self):
        return reverse("gouvernance:reunion", args=[self.comite.convention_id, self.pk])

    @property
    def convention(self):
        return self.comite.convention

    @property
    def est_tenue(self) -> bool:
        return self.statut == StatutReunion.TENUE


class Rubrique(models.TextChoices):
    DIAGNOSTIC = "diagnostic", "Diagnostic"
    PLAN = "plan", "Plan d'actions"
    EVALUATION = "evaluation", "Suivi et évaluation"
    FINANCES = "finances", "Financements"
    COORDINATION = "coordination", "Coordination des partenaires"
    INNOVATION = "innovation", "Initiatives innovantes"
    AUTRE = "autre", "Autre"


class PointOrdreDuJour(models.Model):
    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="points")
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

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "point de l'ordre du jour"

    def __str__(self):
        return self.intitule


class EtatPresence(models.TextChoices):
    PRESENT = "present", "Présent·e"
    EXCUSE = "excuse", "Excusé·e"
    REPRESENTE = "represente", "Représenté·e"
    ABSENT = "absent", "Absent·e"


class Presence(models.Model):
    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="presences")
    membre = models.ForeignKey(Membre, on_delete=models.CASCADE, related_name="presences")
    etat = models.CharField("présence", max_length=12, choices=EtatPresence.choices)
    represente_par = models.CharField("représenté·e par", max_length=200, blank=True)

    class Meta:
        ordering = ["membre__cote", "membre__nom", "pk"]
        verbose_name = "présence"
        constraints = [models.UniqueConstraint(fields=["reunion", "membre"], name="une_presence_par_membre")]

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
    PLAN_ADOPTE = "plan_adopte", "Plan d'actions adopté"
    ACTION_ADAPTEE = "action_adaptee", "Action adaptée"
    INITIATIVE = "initiative", "Initiative retenue"
    EVALUATION = "evaluation", "Évaluation"
    FINANCEMENT = "financement", "Financement"
    AUTRE = "autre", "Autre décision"


class Decision(models.Model):
    reunion = models.ForeignKey(Reunion, on_delete=models.CASCADE, related_name="decisions")
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
    effet = models.TextField("effet", blank=True, help_text="ce que la décision a changé dans le produit")
    enregistree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    enregistree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reunion__date", "ordre", "pk"]
        verbose_name = "décision"

    def __str__(self):
        return self.texte


class ChoixVote(models.TextChoices):
    POUR = "pour", "Pour"
    CONTRE = "contre", "Contre"
    ABSTENTION = "abstention", "Abstention"


class Vote(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="votes")
    membre = models.ForeignKey(Membre, on_delete=models.CASCADE, related_name="votes")
    choix = models.CharField("vote", max_length=10, choices=ChoixVote.choices)

    class Meta:
        ordering = ["membre__cote", "membre__nom", "pk"]
        verbose_name = "vote"
        constraints = [models.UniqueConstraint(fields=["decision", "membre"], name="un_vote_par_membre")]

    def __str__(self):
        return f"{self.membre} : {self.get_choix_display()}"


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

    class Meta:
        ordering = ["-reperee_le", "titre", "pk"]
        verbose_name = "initiative"

    def __str__(self):
        return self.titre
