"""The action plan of a convention: its objectives tree, its fiches action with their indicators, and its evaluation.

Seed (convention Caf du Nord × CA de Cambrai, 2021): article 1 (a strategic project built on the shared diagnostic),
article 2 (the four Caf missions), article 3 (fields of the collectivité and of other signatories), article 4 (the
"enjeux" and the objectives identified by the end of year 2), article 9 (evaluation at each review and a final
bilan), annexe 2 (a plan with concrete, dated, quantified objectives, 10 pages at most).

The rules (progress, lateness) live in ``ctg.plan.regles``; the tree of the seed in ``ctg.plan.arbre``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse


class Plan(models.Model):
    """The plan of one convention: its adoption (article 4: objectives identified by the end of year 2)."""

    convention = models.OneToOneField("conventions.Convention", on_delete=models.CASCADE, related_name="plan")
    synthese = models.TextField("présentation du plan", blank=True)
    adopte_le = models.DateField("adopté le", null=True, blank=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "plan d'actions"
        verbose_name_plural = "plans d'actions"

    def __str__(self):
        return f"Plan d'actions — {self.convention}"


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


class Objectif(models.Model):
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

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "objectif"

    def __str__(self):
        return self.intitule


class StatutFiche(models.TextChoices):
    A_VENIR = "a_venir", "À venir"
    EN_COURS = "en_cours", "En cours"
    EN_RETARD = "en_retard", "En retard"
    EN_PAUSE = "en_pause", "En pause"
    ABANDONNEE = "abandonnee", "Abandonnée"
    TERMINEE = "terminee", "Terminée"


class Priorite(models.IntegerChoices):
    HAUTE = 1, "haute"
    MOYENNE = 2, "moyenne"
    BASSE = 3, "basse"


class FicheAction(models.Model):
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
    statut = models.CharField("statut", max_length=12, choices=StatutFiche.choices, default=StatutFiche.A_VENIR)
    priorite = models.PositiveSmallIntegerField("priorité", choices=Priorite.choices, default=Priorite.MOYENNE)
    demonstration = models.BooleanField("fiche de démonstration", default=False)
    cree_le = models.DateTimeField(auto_now_add=True)
    modifie_le = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["numero"]
        verbose_name = "fiche action"
        verbose_name_plural = "fiches action"
        constraints = [models.UniqueConstraint(fields=["convention", "numero"], name="fiche_numero_unique")]

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


class Jalon(models.Model):
    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="jalons")
    libelle = models.CharField("jalon", max_length=200)
    date_prevue = models.DateField("date prévue")
    date_realisee = models.DateField("réalisé le", null=True, blank=True)

    class Meta:
        ordering = ["date_prevue", "pk"]
        verbose_name = "jalon"

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

    class Meta:
        ordering = ["annee", "financeur", "pk"]
        verbose_name = "financement"

    def __str__(self):
        return f"{self.financeur} {self.annee} : {self.montant} €"


class IndicateurAction(models.Model):
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

    class Meta:
        ordering = ["ordre", "pk"]
        verbose_name = "indicateur d'une action"
        verbose_name_plural = "indicateurs des actions"

    def __str__(self):
        return self.libelle


class ValeurSaisie(models.Model):
    """A value of an action's indicator entered by hand for a period (the date of the measure)."""

    indicateur = models.ForeignKey(IndicateurAction, on_delete=models.CASCADE, related_name="valeurs_saisies")
    date = models.DateField("date de la mesure")
    valeur = models.FloatField("valeur")
    commentaire = models.CharField("commentaire", max_length=200, blank=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = "valeur saisie"
        constraints = [models.UniqueConstraint(fields=["indicateur", "date"], name="une_valeur_par_date")]

    def __str__(self):
        return f"{self.indicateur} {self.date:%d/%m/%Y} = {self.valeur}"


class TypeRevue(models.TextChoices):
    REVUE = "revue", "Revue du plan d'actions"
    BILAN = "bilan", "Bilan final de la convention"


class Revue(models.Model):
    """A review of the plan (article 9: evaluation at each review) or the final bilan of the convention."""

    convention = models.ForeignKey("conventions.Convention", on_delete=models.CASCADE, related_name="revues_plan")
    type = models.CharField("type", max_length=6, choices=TypeRevue.choices, default=TypeRevue.REVUE)
    date = models.DateField("date")
    instance = models.CharField("instance", max_length=200, blank=True, default="Comité de pilotage")
    synthese = models.TextField("synthèse", blank=True)
    effets = models.TextField("effets constatés", blank=True, help_text="bilan final : les effets de la convention")
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    cree_le = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "revue"

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

    class Meta:
        ordering = ["fiche__numero"]
        verbose_name = "évaluation d'une action"
        constraints = [models.UniqueConstraint(fields=["revue", "fiche"], name="une_evaluation_par_fiche")]

    def __str__(self):
        return f"{self.fiche} — {self.get_decision_display()}"


class AdaptationObjectif(models.Model):
    """Final bilan (article 9): how an objective should be adapted to the changes observed."""

    revue = models.ForeignKey(Revue, on_delete=models.CASCADE, related_name="adaptations")
    objectif = models.ForeignKey(Objectif, on_delete=models.CASCADE, related_name="adaptations")
    texte = models.TextField("adaptation proposée")

    class Meta:
        ordering = ["objectif__ordre", "pk"]
        verbose_name = "objectif à adapter"

    def __str__(self):
        return f"{self.objectif} : {self.texte[:60]}"
