"""What changes a signed convention: its avenants, the transitions of its lifecycle, its termination (article 12)."""

from datetime import date

from django.conf import settings
from django.db import models
from django_fsm import transition

from ctg.audit import Historique
from ctg.etats import ChampEtat, EtatsProteges

from .convention import Annexe1, Convention, Domaine, Statut, permission_de
from .signature import Partie


class StatutAvenant(models.TextChoices):
    PROJET = "projet", "Projet"
    SIGNE = "signe", "Signé"


# What an avenant may change in the convention (article 10), and how each change is read from a form or a file.
CHAMPS_AVENANT = ("titre", "date_fin", "domaines", "chef_projet_nom", "chef_projet_fonction", "annexe1")


def valeurs_des_modifications(modifications: dict) -> dict:
    """An avenant's changes (stored as JSON: dates as AAAA-MM-JJ) as values of the convention's fields."""
    return {c: date.fromisoformat(v) if c == "date_fin" else v for c, v in modifications.items()}


class Avenant(EtatsProteges, models.Model):
    """A numbered amendment (articles 10 and 11): a project that lists the changes it brings to the contract
    terms (``modifications``), applied to the convention when the avenant is signed."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="avenants")
    numero = models.PositiveSmallIntegerField("numéro")
    statut = ChampEtat(
        "statut", max_length=8, choices=StatutAvenant.choices, default=StatutAvenant.PROJET, protected=True
    )
    date = models.DateField("date de signature", null=True, blank=True)
    objet = models.TextField("objet")
    modifications = models.JSONField(
        "modifications des termes de la convention",
        default=dict,
        blank=True,
        help_text="champ → nouvelle valeur, appliquées à la signature",
    )
    signataires = models.TextField("signataires", blank=True)
    ctes_identifiant = models.CharField("identifiant @ctes", max_length=80, blank=True)
    cree_par = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")

    historique = Historique()

    class Meta:
        ordering = ["numero"]
        verbose_name = "avenant"
        constraints = [
            models.UniqueConstraint(fields=["convention", "numero"], name="avenant_numero_unique"),
            models.CheckConstraint(
                condition=models.Q(statut=StatutAvenant.PROJET, date__isnull=True)
                | models.Q(statut=StatutAvenant.SIGNE, date__isnull=False),
                name="avenant_signe_ssi_date",
            ),
        ]

    def __str__(self):
        if self.date:
            return f"Avenant n° {self.numero} du {self.date:%d/%m/%Y}"
        return f"Avenant n° {self.numero} (projet)"

    @transition(
        field=statut,
        source=StatutAvenant.PROJET,
        target=StatutAvenant.SIGNE,
        permission=permission_de("peut_signer_avenant"),
    )
    def signer(self):
        """Signature of the avenant: the rules layer applies its modifications to the convention."""

    def modifications_lisibles(self) -> list[tuple[str, str]]:
        """(field label, new value in words) for each change the avenant brings."""
        lignes = []
        for champ, valeur in self.modifications.items():
            libelle = Convention._meta.get_field(champ).verbose_name
            if champ == "domaines":
                libelles = dict(Domaine.choices)
                valeur = ", ".join(libelles.get(d, d) for d in valeur)
            elif champ == "date_fin":
                valeur = date.fromisoformat(valeur).strftime("%d/%m/%Y")
            elif champ == "annexe1":
                valeur = Annexe1(valeur).label
            lignes.append((libelle, str(valeur)))
        return lignes


class Transition(models.Model):
    """One step of a convention's lifecycle, kept as its history."""

    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="transitions")
    de = models.CharField("de", max_length=12, choices=Statut.choices, blank=True)
    vers = models.CharField("vers", max_length=12, choices=Statut.choices)
    date_effet = models.DateField("date d'effet")
    motif = models.TextField("motif", blank=True)
    par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    enregistree_le = models.DateTimeField(auto_now_add=True)
    rang = models.PositiveIntegerField("rang", help_text="1, 2, 3… dans l'historique de la convention")

    class Meta:
        ordering = ["rang"]
        verbose_name = "transition"
        constraints = [
            # Two requests that record a transition at once compute the same rank: one of them fails.
            models.UniqueConstraint(fields=["convention", "rang"], name="transition_une_par_rang"),
            models.CheckConstraint(condition=models.Q(vers__in=Statut.values), name="transition_vers_valide"),
            models.CheckConstraint(condition=models.Q(de__in=[*Statut.values, ""]), name="transition_de_valide"),
        ]

    def __str__(self):
        return f"{self.get_de_display() or '—'} → {self.get_vers_display()} ({self.date_effet:%d/%m/%Y})"


class ModeResiliation(models.TextChoices):
    MISE_EN_DEMEURE = "mise_en_demeure", "Résiliation après mise en demeure restée sans effet"
    INFRACTION = "infraction", "Résiliation par la Caf pour infraction aux lois et règlements"
    SANS_AVENANT = "sans_avenant", "Résiliation immédiate par la Caf : modification sans avenant"
    DENONCIATION = "denonciation", "Dénonciation avec un préavis de six mois"


class Resiliation(models.Model):
    convention = models.OneToOneField(Convention, on_delete=models.CASCADE, related_name="resiliation")
    mode = models.CharField("mode", max_length=20, choices=ModeResiliation.choices)
    date_envoi = models.DateField("date d'envoi (lettre recommandée ou préavis)")
    date_effet = models.DateField("date d'effet")
    initiative = models.CharField("à l'initiative de", max_length=12, choices=Partie.choices)
    motif = models.TextField("motif", blank=True)
    enregistree_par = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    enregistree_le = models.DateTimeField(auto_now_add=True)

    historique = Historique()

    class Meta:
        verbose_name = "résiliation"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(date_envoi__lte=models.F("date_effet")), name="resiliation_dates"
            ),
            models.CheckConstraint(condition=models.Q(mode__in=ModeResiliation.values), name="resiliation_mode"),
            models.CheckConstraint(
                condition=models.Q(initiative__in=["caf", "collectivite"]), name="resiliation_initiative"
            ),
        ]

    def __str__(self):
        return f"{self.get_mode_display()} — effet le {self.date_effet:%d/%m/%Y}"
