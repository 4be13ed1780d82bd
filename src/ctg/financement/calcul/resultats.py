"""What the computation gives: statuses, a bonus and its components, a commune's commitment, with their texts."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models

from ..models import (
    Bareme,
    Cej,
    Document,
    Structure,
    TypeStructure,
    Unite,
    Verification,
)
from ..textes import euros, nombre

ZERO = Decimal("0")
CENT = Decimal("100")
TYPES_ENFANCE_JEUNESSE = {TypeStructure.EAJE, TypeStructure.ALSH, TypeStructure.LAEP, TypeStructure.RPE}


class StatutBonus(models.TextChoices):
    ELIGIBLE = "eligible", "Éligible"
    SOUS_RESERVE = "sous_reserve", "Sous réserve du financement de la commune"
    A_VERIFIER = "a_verifier", "À vérifier"
    VERIFIE = "verifie", "Vérifié par la Caf"
    SUSPENDU = "suspendu", "Suspendu"
    NON_ELIGIBLE = "non_eligible", "Non éligible"


class StatutEngagement(models.TextChoices):
    RESPECTE = "respecte", "Respecté"
    INSUFFISANT = "insuffisant", "Inférieur à l'engagement"
    NON_RENSEIGNE = "non_renseigne", "Non renseigné"
    ENGAGEMENT_INCONNU = "engagement_inconnu", "Engagement Cej à renseigner"
    CONFORME = "conforme", "Vérifié : conforme"
    NON_CONFORME = "non_conforme", "Vérifié : non conforme"


def _d(valeur) -> Decimal:
    return valeur if isinstance(valeur, Decimal) else Decimal(valeur)


def _date(jour: date) -> str:
    return f"{jour:%d/%m/%Y}"


def _places(n: Decimal, unite: str) -> str:
    n = _d(n)
    mots = {
        Unite.PLACE: ("place", "places"),
        Unite.HEURE: ("heure", "heures"),
        Unite.ETP: ("ETP", "ETP"),
        Unite.FORFAIT: ("forfait", "forfaits"),
    }
    singulier, pluriel = mots.get(unite, ("unité", "unités"))
    return f"{nombre(n)} {singulier if n <= 1 else pluriel}"


def _taux(bareme: Bareme) -> str:
    mention = " (à confirmer)" if bareme.a_confirmer else ""
    tranche = f" « {bareme.tranche} »" if bareme.tranche else ""
    return f"taux{tranche} de {bareme.montant_texte}, valable {bareme.periode}{mention}"


@dataclass
class Composante:
    code: str
    libelle: str
    montant: Decimal
    explication: str
    bareme: Bareme | None = None
    bonus_territoire: bool = True

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "libelle": self.libelle,
            "montant": str(self.montant),
            "explication": self.explication,
            "bareme": self.bareme.pk if self.bareme and self.bareme.pk else None,
            "bonus_territoire": self.bonus_territoire,
        }


@dataclass
class BonusStructure:
    structure: Structure
    annee: int
    statut: str = StatutBonus.ELIGIBLE
    motifs: list[str] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)
    composantes: list[Composante] = field(default_factory=list)
    capacite: str = ""

    @property
    def montant_calcule(self) -> Decimal:
        """The bonus territoire the rules give, before the conditions (adhesion, commitment)."""
        return sum((c.montant for c in self.composantes if c.bonus_territoire), ZERO)

    @property
    def montant(self) -> Decimal:
        """The bonus territoire due: zero when not eligible or suspended."""
        if self.statut in {StatutBonus.NON_ELIGIBLE, StatutBonus.SUSPENDU}:
            return ZERO
        return self.montant_calcule

    @property
    def ctre(self) -> Decimal:
        return sum((c.montant for c in self.composantes if not c.bonus_territoire), ZERO)

    @property
    def bloque(self) -> Decimal:
        """An amount computed but not due (commune not adhered, bonus suspended)."""
        return self.montant_calcule - self.montant

    @property
    def statut_libelle(self) -> str:
        return StatutBonus(self.statut).label

    @property
    def explication(self) -> list[str]:
        """The amount in words: which rule, which rate, which reference."""
        lignes = []
        if self.capacite:
            lignes.append(self.capacite)
        for c in self.composantes:
            lignes.append(f"{c.libelle} : {c.explication}")
        lignes.extend(self.conditions)
        lignes.extend(self.motifs)
        if self.statut == StatutBonus.NON_ELIGIBLE and self.montant_calcule:
            lignes.append(f"Montant calculé mais non dû : {euros(self.montant_calcule)}.")
        elif self.statut == StatutBonus.SUSPENDU:
            lignes.append(f"Bonus suspendu : {euros(self.montant_calcule)} non versés.")
        lignes.append(f"Bonus territoire {self.annee} : {euros(self.montant)}.")
        if self.ctre:
            lignes.append(f"CTRE (places employeurs, hors bonus territoire) : {euros(self.ctre)}.")
        return lignes

    def as_dict(self) -> dict:
        s = self.structure
        return {
            "structure": s.pk,
            "nom": s.nom,
            "type": s.type,
            "commune": s.commune_id,
            "commune_nom": s.commune.nom,
            "annee": self.annee,
            "statut": self.statut,
            "statut_libelle": self.statut_libelle,
            "bonus_territoire": str(self.montant),
            "montant_calcule": str(self.montant_calcule),
            "ctre": str(self.ctre),
            "composantes": [c.as_dict() for c in self.composantes],
            "explication": self.explication,
        }


@dataclass
class LigneEngagement:
    structure: Structure
    engagement: Decimal
    reel: Decimal | None
    document: str | None
    autres: Decimal | None = None


@dataclass
class EngagementCommune:
    commune: object
    annee: int
    engagement: Decimal | None
    reel: Decimal | None
    statut: str
    documents: set = field(default_factory=set)
    lignes: list[LigneEngagement] = field(default_factory=list)
    verification: Verification | None = None
    cej: Cej | None = None
    adhesion: object = None
    # the commune's structures outside the commitment (neither enfance-jeunesse nor in the Cej): not counted in
    # ``reel``, which the tables show beside the commune's whole funding, with these structures named
    exclues: list = field(default_factory=list)

    @property
    def hors_engagement(self) -> str:
        """The words naming the structures left out, "hors Centre social … (ni enfance-jeunesse ni au Cej)"; empty
        when every structure counts."""
        if not self.exclues:
            return ""
        noms = ", ".join(s.nom for s in self.exclues)
        return f"hors {noms} (ni enfance-jeunesse ni au Cej)"

    @property
    def ecart(self) -> Decimal | None:
        if self.engagement is None or self.reel is None:
            return None
        return self.reel - self.engagement

    @property
    def statut_libelle(self) -> str:
        return StatutEngagement(self.statut).label

    @property
    def provisoire(self) -> bool:
        """Actual funding read, in part, from budgets rather than comptes de résultat."""
        return Document.BUDGET in self.documents

    @property
    def en_alerte(self) -> bool:
        return self.statut in {StatutEngagement.INSUFFISANT, StatutEngagement.NON_CONFORME}

    @property
    def texte_alerte(self) -> str:
        source = "budgets prévisionnels" if self.provisoire else "comptes de résultat"
        suite = " ; bonus suspendu après vérification de la Caf" if self.statut == StatutEngagement.NON_CONFORME else ""
        suite = suite or " ; bonus des structures à vérifier"
        hors = f", {self.hors_engagement}" if self.exclues else ""
        return (
            f"Commune {self.commune.nom} : financement {self.annee} inférieur à l'engagement Cej "
            f"({euros(self.reel)} au lieu de {euros(self.engagement)}, écart {euros(-self.ecart)}, d'après les "
            f"{source}{hors}{suite})"
        )

    @property
    def explication(self) -> str:
        if self.engagement is None:
            return (
                f"{self.commune.nom} est une ancienne commune Cej, mais le montant de son engagement n'est pas "
                "renseigné : saisissez son Cej."
            )
        texte = f"Engagement du Cej « {self.cej} » : {euros(self.engagement)} par an."
        if self.reel is None:
            return texte + f" Financement {self.annee} non renseigné (budgets ou comptes de résultat à saisir)."
        source = "budgets prévisionnels" if self.provisoire else "comptes de résultat"
        hors = f", {self.hors_engagement}" if self.exclues else ""
        texte += f" Financement {self.annee} constaté : {euros(self.reel)} (d'après les {source}{hors})."
        if self.verification:
            v = self.verification
            qui = v.verifie_par.get_full_name() or v.verifie_par.username
            texte += f" Vérifié par {qui} le {v.verifie_le:%d/%m/%Y} : {v.get_conclusion_display().lower()}."
        return texte

    def as_dict(self) -> dict:
        return {
            "commune": self.commune.code,
            "commune_nom": self.commune.nom,
            "annee": self.annee,
            "engagement": None if self.engagement is None else str(self.engagement),
            "reel": None if self.reel is None else str(self.reel),
            "ecart": None if self.ecart is None else str(self.ecart),
            "statut": self.statut,
            "statut_libelle": self.statut_libelle,
            "provisoire": self.provisoire,
            # the structures not counted in "reel" (neither enfance-jeunesse nor in the Cej), as the tables name them
            "structures_hors_engagement": [s.nom for s in self.exclues],
            "explication": self.explication,
        }
