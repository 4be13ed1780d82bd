"""Article 7 of the reference convention: data-exchange requests between the parties, the opinion of the data
protection officer (DPO, « délégué à la protection des données ») of the party holding the data, and the register
of processing activities each controller keeps (GDPR article 30).

- :class:`DelegueProtectionDonnees`: who is an organisation's DPO, from which day (a new designation supersedes the
  former one, which stays);
- :class:`DemandeEchange`: a party asks the other for data. Its status is a state machine (django-fsm) whose
  transitions are called by ``ctg.rgpd.echanges`` only::

      without personal data:  déposée ──répondre──▶ répondue
                                 └──────refuser_sans_etude──▶ refusée
      with personal data:     déposée ──etudier──▶ étudiée ──rendre_avis──▶ avis du DPO rendu ──approuver──▶ approuvée
                                                      ▲  (a new study or       │                └──refuser──▶ refusée
                                                      └── opinion supersedes) ─┘

- :class:`EtudeDemande` (opportunity, feasibility, GDPR compliance), :class:`AvisDelegue` (the DPO's opinion and
  recommendations), :class:`DecisionDemande` (approval, refusal or answer, with reasons), :class:`Transfert` (what
  was sent, when, its SHA-256, by whom; a file sent through CTG is deleted at the end of the retention period);
- :class:`TraitementRegistre`: the entry an approved personal-data request adds to the holder's register.

Nothing here is deleted: a study or an opinion given again supersedes the former one (``remplace``), which stays;
every record keeps its history (django-simple-history) and who made it, when.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django_fsm import transition

from ctg import horloge
from ctg.audit import Historique
from ctg.comptes.models import Organisation
from ctg.etats import ChampEtat, EtatsProteges

from . import perms_echanges as perms

DEMO = "(démonstration)"


class Indelebile(models.Model):
    """A record of article 7's procedure: never deleted (a new record supersedes it)."""

    class Meta:
        abstract = True

    def delete(self, *args, **kwargs):
        raise ValidationError(
            f"{self._meta.verbose_name.capitalize()} : un enregistrement des échanges de données ne se supprime "
            "pas ; enregistrez-en un nouveau, qui le remplace (l'ancien reste dans l'historique).",
            code="indelebile",
        )


class DelegueProtectionDonnees(Indelebile):
    """An organisation's DPO from ``depuis``; the latest designation not superseded is the one in office."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="delegues", verbose_name="organisation"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="delegations_rgpd", verbose_name="délégué·e"
    )
    depuis = models.DateField("en fonction depuis le", default=horloge.aujourd_hui)
    designe_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    designe_le = models.DateTimeField("désigné·e le", default=horloge.maintenant, editable=False)
    remplace = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="remplacee_par", editable=False
    )

    historique = Historique()

    class Meta:
        ordering = ["organisation", "-depuis", "-pk"]
        verbose_name = "délégué·e à la protection des données"
        verbose_name_plural = "délégué·es à la protection des données"

    def __str__(self):
        return f"{self.user.get_full_name() or self.user} — {self.organisation} (depuis le {self.depuis:%d/%m/%Y})"


def delegue_en_fonction(organisation) -> DelegueProtectionDonnees | None:
    """The organisation's DPO today: its latest designation that has begun and is not superseded."""
    return (
        DelegueProtectionDonnees.objects.filter(
            organisation=organisation, remplacee_par__isnull=True, depuis__lte=horloge.aujourd_hui()
        )
        .select_related("user")
        .order_by("-depuis", "-pk")
        .first()
    )


class BaseLegale(models.TextChoices):
    """GDPR article 6(1): the lawful basis of a processing."""

    MISSION_PUBLIQUE = "mission_publique", "Mission d'intérêt public (art. 6-1-e)"
    OBLIGATION_LEGALE = "obligation_legale", "Obligation légale (art. 6-1-c)"
    CONSENTEMENT = "consentement", "Consentement des personnes (art. 6-1-a)"
    CONTRAT = "contrat", "Exécution d'un contrat (art. 6-1-b)"
    INTERETS_VITAUX = "interets_vitaux", "Sauvegarde des intérêts vitaux (art. 6-1-d)"
    INTERET_LEGITIME = "interet_legitime", "Intérêt légitime (art. 6-1-f)"


class Moyen(models.TextChoices):
    PLATEFORME = "plateforme", "Plateforme d'échange sécurisée"
    CTG = "ctg", "Dépôt dans CTG (fichier supprimé à la fin de la conservation)"
    MESSAGERIE = "messagerie", "Messagerie chiffrée"
    API = "api", "Interface de programmation (API)"
    MAIN_PROPRE = "main_propre", "Remise en main propre"
    AUTRE = "autre", "Autre (préciser dans l'objet)"


class StatutDemande(models.TextChoices):
    DEPOSEE = "deposee", "Déposée"
    ETUDIEE = "etudiee", "Étudiée par le détenteur"
    AVIS_RENDU = "avis_rendu", "Avis du délégué à la protection des données rendu"
    APPROUVEE = "approuvee", "Approuvée"
    REPONDUE = "repondue", "Répondue"
    REFUSEE = "refusee", "Refusée"


STATUTS_CLOS = (StatutDemande.APPROUVEE, StatutDemande.REPONDUE, StatutDemande.REFUSEE)
STATUTS_ACCORDES = (StatutDemande.APPROUVEE, StatutDemande.REPONDUE)


# --- Preconditions of the transitions (django-fsm ``conditions``) ----------------------------------------------


def personnelle(demande) -> bool:
    return demande.donnees_personnelles


def non_personnelle(demande) -> bool:
    return not demande.donnees_personnelles


def etude_et_avis(demande) -> bool:
    """Article 7: a personal-data request is decided only after its study by the holder and the opinion of the
    holder's DPO on that study."""
    etude, avis = demande.etude_en_vigueur, demande.avis_en_vigueur
    return etude is not None and avis is not None and avis.etude_id == etude.pk


class DemandeEchange(EtatsProteges, Indelebile):
    """A request, on a convention, by one party (``demandeur``) for data the other party holds (``detenteur``)."""

    convention = models.ForeignKey(
        "conventions.Convention", on_delete=models.CASCADE, related_name="demandes_echange", verbose_name="convention"
    )
    demandeur = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="demandes_echange_faites",
        verbose_name="partie qui demande",
    )
    detenteur = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="demandes_echange_recues",
        verbose_name="partie qui détient les données",
    )
    objet = models.CharField("objet", max_length=300)
    finalite = models.TextField("finalité", help_text="à quoi serviront les données")
    champs = models.JSONField("données demandées", default=list, help_text="la liste des champs")
    donnees_personnelles = models.BooleanField("comprend des données à caractère personnel", default=False)
    categories_personnes = models.CharField(
        "catégories de personnes concernées", max_length=500, blank=True, help_text="ex. : allocataires ayant un enfant"
    )
    base_legale = models.CharField("base légale", max_length=20, choices=BaseLegale.choices, blank=True)
    conservation_mois = models.PositiveSmallIntegerField(
        "durée de conservation (mois)", null=True, blank=True, help_text="au-delà, les données sont détruites"
    )
    destinataires = models.CharField("destinataires", max_length=500, help_text="services ou personnes qui les liront")
    transferts_hors_ue = models.CharField(
        "transferts hors de l'Union européenne", max_length=300, default="Aucun", blank=True
    )
    moyen = models.CharField("moyen de transmission", max_length=15, choices=Moyen.choices)
    demandee_le = models.DateField("demandée le", default=horloge.aujourd_hui)
    souhaitee_pour = models.DateField("souhaitée pour le", null=True, blank=True)
    statut = ChampEtat(
        "statut", max_length=12, choices=StatutDemande.choices, default=StatutDemande.DEPOSEE, protected=True
    )
    deposee_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="déposée par"
    )
    deposee_le = models.DateTimeField("déposée le", default=horloge.maintenant, editable=False)
    demonstration = models.BooleanField("donnée de démonstration", default=False, editable=False)

    historique = Historique()
    chemin_convention = "convention"

    class Meta:
        ordering = ["-demandee_le", "-pk"]
        verbose_name = "demande d'échange de données"
        verbose_name_plural = "demandes d'échange de données"
        constraints = [
            models.CheckConstraint(condition=models.Q(statut__in=StatutDemande.values), name="demande_statut_connu"),
            models.CheckConstraint(condition=~models.Q(demandeur=models.F("detenteur")), name="demande_deux_parties"),
            models.CheckConstraint(
                condition=models.Q(donnees_personnelles=False)
                | (~models.Q(base_legale="") & models.Q(conservation_mois__gt=0) & ~models.Q(categories_personnes="")),
                name="demande_personnelle_complete",
            ),
            models.CheckConstraint(
                condition=models.Q(donnees_personnelles=True) | models.Q(statut__in=["deposee", "repondue", "refusee"]),
                name="demande_non_personnelle_sans_etude",
            ),
        ]

    def __str__(self):
        return f"{self.objet} ({self.demandeur} → {self.detenteur})"

    def get_absolute_url(self):
        return reverse("rgpd:echange", args=[self.convention_id, self.pk])

    @property
    def etude_en_vigueur(self):
        return self.etudes.filter(remplacee_par__isnull=True).select_related("par").first()

    @property
    def avis_en_vigueur(self):
        return self.avis.filter(remplace_par__isnull=True).select_related("par").first()

    @property
    def est_close(self) -> bool:
        return self.statut in STATUTS_CLOS

    # --- Transitions (called by ctg.rgpd.echanges only) --------------------------------------------------------

    @transition(
        field=statut,
        source=[StatutDemande.DEPOSEE, StatutDemande.ETUDIEE, StatutDemande.AVIS_RENDU],
        target=StatutDemande.ETUDIEE,
        conditions=[personnelle],
        permission=perms.peut_etudier,
    )
    def etudier(self):
        """A (new) study: an opinion given on a former study no longer stands."""

    @transition(
        field=statut,
        source=[StatutDemande.ETUDIEE, StatutDemande.AVIS_RENDU],
        target=StatutDemande.AVIS_RENDU,
        conditions=[personnelle],
        permission=perms.peut_rendre_avis,
    )
    def rendre_avis(self):
        pass

    @transition(
        field=statut,
        source=StatutDemande.AVIS_RENDU,
        target=StatutDemande.APPROUVEE,
        conditions=[personnelle, etude_et_avis],
        permission=perms.peut_decider,
    )
    def approuver(self):
        pass

    @transition(
        field=statut,
        source=StatutDemande.AVIS_RENDU,
        target=StatutDemande.REFUSEE,
        conditions=[personnelle, etude_et_avis],
        permission=perms.peut_decider,
    )
    def refuser(self):
        pass

    @transition(
        field=statut,
        source=StatutDemande.DEPOSEE,
        target=StatutDemande.REPONDUE,
        conditions=[non_personnelle],
        permission=perms.peut_repondre,
    )
    def repondre(self):
        pass

    @transition(
        field=statut,
        source=StatutDemande.DEPOSEE,
        target=StatutDemande.REFUSEE,
        conditions=[non_personnelle],
        permission=perms.peut_repondre,
    )
    def refuser_sans_etude(self):
        pass


class Etape(Indelebile):
    """One recorded step of a request: who, when."""

    par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name="par")
    le = models.DateTimeField("le", default=horloge.maintenant, editable=False)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self._meta.verbose_name.capitalize()} du {self.le:%d/%m/%Y} — {self.demande}"


class EtudeDemande(Etape):
    """The holder's study of a personal-data request (article 7: opportunity, feasibility, GDPR compliance)."""

    demande = models.ForeignKey(DemandeEchange, on_delete=models.CASCADE, related_name="etudes")
    opportunite = models.TextField("opportunité")
    faisabilite = models.TextField("faisabilité")
    conformite = models.TextField("conformité au RGPD")
    remplace = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="remplacee_par", editable=False
    )

    historique = Historique()
    chemin_convention = "demande__convention"

    class Meta:
        ordering = ["-le", "-pk"]
        verbose_name = "étude d'une demande"


class Sens(models.TextChoices):
    FAVORABLE = "favorable", "Favorable"
    DEFAVORABLE = "defavorable", "Défavorable"


class AvisDelegue(Etape):
    """The opinion of the holder's DPO on the study in force, with recommendations specific to this exchange."""

    demande = models.ForeignKey(DemandeEchange, on_delete=models.CASCADE, related_name="avis")
    etude = models.ForeignKey(EtudeDemande, on_delete=models.PROTECT, related_name="+", verbose_name="étude examinée")
    sens = models.CharField("avis", max_length=12, choices=Sens.choices)
    recommandations = models.TextField("recommandations")
    remplace = models.OneToOneField(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="remplace_par", editable=False
    )

    historique = Historique()
    chemin_convention = "demande__convention"

    class Meta:
        ordering = ["-le", "-pk"]
        verbose_name = "avis du délégué à la protection des données"
        verbose_name_plural = "avis du délégué à la protection des données"
        constraints = [
            models.CheckConstraint(condition=models.Q(sens__in=Sens.values), name="avis_sens_connu"),
        ]


class Issue(models.TextChoices):
    APPROUVEE = "approuvee", "Approuvée"
    REPONDUE = "repondue", "Répondue"
    REFUSEE = "refusee", "Refusée"


class DecisionDemande(Etape):
    """The holder's decision (a personal-data request) or answer (other data), with its reasons."""

    demande = models.OneToOneField(DemandeEchange, on_delete=models.CASCADE, related_name="decision")
    issue = models.CharField("décision", max_length=10, choices=Issue.choices)
    motifs = models.TextField("motifs ou réponse")
    mesures_securite = models.TextField("mesures de sécurité", blank=True)

    historique = Historique()
    chemin_convention = "demande__convention"

    class Meta:
        verbose_name = "décision sur une demande"
        constraints = [
            models.CheckConstraint(condition=models.Q(issue__in=Issue.values), name="decision_issue_connue"),
        ]


def chemin_transfert(transfert, nom: str) -> str:
    """A random name under the request's folder, with the extension of the type found in the content."""
    import uuid

    from ctg.televersement import extension_du_type

    extension = extension_du_type(transfert.fichier_type)
    return f"echanges/{transfert.demande_id}/{uuid.uuid4().hex}{'.' + extension if extension else ''}"


class Transfert(Etape):
    """A transmission made under an approved (or answered) request: what, when, its SHA-256, by whom. A file sent
    through CTG is kept until ``conserver_jusqu_au`` (the request's retention), then deleted (``fichier_supprime_le``)
    by the daily update; this record stays."""

    demande = models.ForeignKey(DemandeEchange, on_delete=models.CASCADE, related_name="transferts")
    contenu = models.TextField("ce qui a été transmis")
    transmis_le = models.DateField("transmis le", default=horloge.aujourd_hui)
    empreinte = models.CharField("empreinte SHA-256", max_length=64, blank=True)
    fichier_nom = models.CharField("fichier transmis", max_length=200, blank=True)
    fichier_type = models.CharField("type du fichier", max_length=100, blank=True)
    fichier = models.FileField("fichier", upload_to=chemin_transfert, blank=True, editable=False)
    conserver_jusqu_au = models.DateField("conservé jusqu'au", null=True, blank=True)
    fichier_supprime_le = models.DateTimeField("fichier supprimé le", null=True, blank=True)

    historique = Historique()
    chemin_convention = "demande__convention"

    class Meta:
        ordering = ["-transmis_le", "-pk"]
        verbose_name = "transmission de données"
        verbose_name_plural = "transmissions de données"


class TraitementRegistre(Indelebile):
    """An entry of a controller's register of processing activities (GDPR article 30-1), written when the holder
    approves a personal-data request; its text is fixed at that moment."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="traitements", verbose_name="responsable du traitement"
    )
    demande = models.OneToOneField(DemandeEchange, on_delete=models.PROTECT, related_name="traitement")
    intitule = models.CharField("traitement", max_length=300)
    responsable = models.CharField("responsable du traitement et délégué", max_length=500)
    finalites = models.TextField("finalités")
    categories_personnes = models.CharField("catégories de personnes concernées", max_length=500)
    categories_donnees = models.TextField("catégories de données")
    destinataires = models.CharField("destinataires", max_length=800)
    transferts_hors_ue = models.CharField("transferts hors de l'Union européenne", max_length=300)
    conservation = models.CharField("durée de conservation", max_length=100)
    mesures_securite = models.TextField("mesures de sécurité")
    base_legale = models.CharField("base légale", max_length=100)
    inscrit_le = models.DateField("inscrit le", default=horloge.aujourd_hui)
    demonstration = models.BooleanField("donnée de démonstration", default=False, editable=False)

    historique = Historique()
    chemin_convention = "demande__convention"

    class Meta:
        ordering = ["organisation", "inscrit_le", "pk"]
        verbose_name = "traitement du registre (article 30 du RGPD)"
        verbose_name_plural = "traitements du registre (article 30 du RGPD)"

    def __str__(self):
        return f"{self.intitule} — {self.organisation}"
