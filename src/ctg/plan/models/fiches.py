"""The fiches action: status, milestones, partners and operators, funding (their indicators: ``.indicateurs``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django_fsm import ConcurrentTransitionMixin, transition

from ctg.audit import Historique
from ctg.concurrence import Versionne
from ctg.etats import ChampEtat

from .. import perms
from .commun import (
    acte_pas_dans_le_futur,
    annee_dans_les_bornes,
    contrainte,
    dans_les_bornes,
    jour_de_l_acte,
    plan_modifiable,
    posterieur_au_dernier_acte,
)
from .plan import Objectif


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

    def _acteurs(self, role) -> list[str]:
        return [str(a) for a in self.acteurs.all() if a.role == role]  # (prefetch-friendly: sorted by the model)

    @property
    def liste_partenaires(self) -> list[str]:
        """« Organisation — précision » for each partner, in their order."""
        return self._acteurs(RoleActeur.PARTENAIRE)

    @property
    def liste_operateurs(self) -> list[str]:
        return self._acteurs(RoleActeur.OPERATEUR)

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


class RoleActeur(models.TextChoices):
    PARTENAIRE = "partenaire", "Partenaire"
    OPERATEUR = "operateur", "Opérateur gestionnaire"


class ActeurFiche(models.Model):
    """A partner or an operator of an action: an organisation (a party, a member commune, or one named on a fiche of
    the same convention), with the service or the contact there (« Mairie de Masnières — adjointe à la famille »)."""

    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="acteurs")
    organisation = models.ForeignKey(
        "comptes.Organisation", on_delete=models.PROTECT, related_name="acteurs_de_fiches", verbose_name="organisation"
    )
    role = models.CharField("rôle", max_length=10, choices=RoleActeur.choices, default=RoleActeur.PARTENAIRE)
    precision = models.CharField(
        "service ou contact", max_length=200, blank=True, help_text="ex. « PMI », « adjointe à la famille »"
    )
    ordre = models.PositiveSmallIntegerField("ordre", default=0)

    chemin_convention = "fiche__convention"
    historique = Historique()

    class Meta:
        ordering = ["role", "ordre", "pk"]
        verbose_name = "partenaire ou opérateur d'une action"
        verbose_name_plural = "partenaires et opérateurs des actions"
        constraints = [contrainte(Q(role__in=RoleActeur.values), "acteur_role_connu")]

    def __str__(self):
        return " — ".join(p for p in (self.organisation.nom, self.precision) if p)


class NatureFinancement(models.TextChoices):
    AIDE = "aide", "Aide ou subvention"
    FONDS_PROPRES = "fonds_propres", "Fonds propres du porteur"


class Financement(models.Model):
    """An amount of the action's budget: by financer and year; the porteur's own funds apart from the aid. Planned
    (``montant``), then actual once known (``montant_realise``, empty until then)."""

    fiche = models.ForeignKey(FicheAction, on_delete=models.CASCADE, related_name="financements")
    financeur = models.CharField("financeur", max_length=200)
    annee = models.PositiveSmallIntegerField("année")
    montant = models.DecimalField("montant (€)", max_digits=12, decimal_places=2)
    montant_realise = models.DecimalField(
        "réalisé (€)",
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        help_text="vide tant qu'il n'est pas connu",
    )
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
            contrainte(Q(montant_realise__isnull=True) | Q(montant_realise__gte=0), "financement_realise_positif"),
            contrainte(annee_dans_les_bornes("annee", nullable=False), "financement_annee_plausible"),
            contrainte(Q(nature__in=NatureFinancement.values), "financement_nature_connue"),
            contrainte(~Q(financeur=""), "financement_financeur_nomme"),
        ]

    def __str__(self):
        return f"{self.financeur} {self.annee} : {self.montant} €"
