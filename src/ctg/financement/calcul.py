"""The bonus territoire per structure and year, and each former Cej commune's funding commitment.

Rules (each has a worked example in ``tests/financement/test_calcul.py``):

1. **Places existantes — report N-1** (article 5 and its note 2): a structure covered by a Cej that has ended keeps
   the bonified amount of N-1 booked by the Caf ("charges à payer"). For a type whose ``report_n1`` rate is per
   place (EAJE), the amount is smoothed over the territoire de compétence (``territoire_de_competence``: the
   commune, or the EPCI where the competence was transferred): the sum of the Cej amounts of that territory for that
   type ÷ their reference places gives one amount per place, times the structure's existing places (its places of
   the year, at most its reference places). For a type whose rate is a flat amount ("forfait": ALSH, LAEP, RPE by
   default, formula uncertain), the structure's own N-1 amount is carried over. A floor per unit (``plancher``) and
   the yearly revaluations (``revalorisation``, compounded from the year after the reference year) apply when the
   rates table has them.
2. **Places nouvelles**: the places beyond the reference take the ``nouvelles_unites`` rate valid on 1 January of
   the year: the highest tranche whose thresholds the commune meets (potentiel financier and revenu per inhabitant
   at most the tranche's); a structure in a QPV or a ZRR takes the top rate.
3. **Bonus trajectoire**: when the co-funded PSU places of the territory (the EPCI) grew from the base year (2023)
   to the year by at least a palier's threshold (+4, +8, +12 %), each place of a structure that receives the bonus
   gets the highest palier reached (+100, +200, +300 €).
4. **CTRE**: places reserved by employers take the ``place_employeur`` rate; outside the bonus territoire, they do
   not depend on the commune's adhesion.
5. **Conditions**: a structure of a type with no rate, not open in the year, an EAJE outside the PSU, a structure
   no collectivité co-funds, a year still funded by a running Cej, a year outside the convention, or a commune that
   has not adhered to the CTG (annexe 4) gets no bonus, and the reason says so.
6. **Commitment** (article 1, note 1): a former Cej commune keeps at least the funding its Cej planned. Actual
   funding is the commune's funding of its childhood and youth structures (EAJE, ALSH, LAEP, RPE, and any structure
   of its Cej) from the compte de résultat, else the budget prévisionnel. A shortfall marks its structures' bonus
   "à vérifier" and raises an alert; the Caf's verification makes it "vérifié" (conforme) or "suspendu".
7. **Money**: ``Decimal`` only; a structure spread over part of a year is counted prorata temporis (days open ÷
   days of the year); each component is rounded once, with the rounding rule of the rate that produced it.
"""

from __future__ import annotations

import calendar
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models

from ctg import horloge
from ctg.conventions.models import Convention, StatutAdhesion

from .baremes import jour_reference, source_courte, valables
from .models import (
    Bareme,
    Capacite,
    Cej,
    Conclusion,
    Document,
    FinancementReel,
    Nature,
    RichesseCommune,
    Structure,
    TypeStructure,
    Unite,
    Verification,
    arrondir,
)
from .textes import euros, nombre, pourcent

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
        return (
            f"Commune {self.commune.nom} : financement {self.annee} inférieur à l'engagement Cej "
            f"({euros(self.reel)} au lieu de {euros(self.engagement)}, écart {euros(-self.ecart)}, d'après les "
            f"{source}{suite})"
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
        texte += f" Financement {self.annee} constaté : {euros(self.reel)} (d'après les {source})."
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
            "explication": self.explication,
        }


class Donnees:
    """Everything the rules read for one convention, loaded once; the computations then run in memory.

    ``simulees``: unsaved structures (negative ``pk``) with their capacities, for a simulation."""

    def __init__(
        self,
        convention: Convention,
        simulees: list[tuple[Structure, list[Capacite]]] = (),
        competence_transferee: Iterable[str] = (),
    ):
        self.convention = convention
        # everything through the convention: never another convention's records, even on the same EPCI
        self.structures = list(
            Structure.objects.filter(convention=convention).select_related("commune", "gestionnaire")
        )
        self.capacites = defaultdict(list)
        for c in Capacite.objects.filter(structure__convention=convention).order_by("depuis"):
            self.capacites[c.structure_id].append(c)
        for structure, capacites in simulees:
            self.structures.append(structure)
            self.capacites[structure.pk] = sorted(capacites, key=lambda c: c.depuis)
        ids = [s.pk for s in self.structures if s.pk and s.pk > 0]
        cejs = Cej.objects.filter(convention=convention).select_related("commune").prefetch_related("lignes__structure")
        self.cejs = sorted(cejs, key=lambda c: (c.date_fin, c.pk))
        self.baremes = list(Bareme.objects.all())
        self.adhesions = {a.commune_id: a for a in convention.adhesions.select_related("commune")}
        # the communes (INSEE codes) that transferred their childhood competence to the EPCI (see
        # ``territoire_de_competence``): as their adhesions record it, and those a caller names (a simulation)
        self.competence_transferee = frozenset(competence_transferee) | {
            code for code, adhesion in self.adhesions.items() if adhesion.competence_petite_enfance_transferee
        }
        # the communes' wealth is national reference data (DGCL), read for this convention's communes only
        communes = set(self.adhesions) | {s.commune_id for s in self.structures}
        self.richesses = defaultdict(list)
        for r in RichesseCommune.objects.filter(commune_id__in=communes).order_by("annee"):
            self.richesses[r.commune_id].append(r)
        self.financements = defaultdict(dict)
        for f in FinancementReel.objects.filter(structure__convention=convention, structure_id__in=ids):
            self.financements[(f.structure_id, f.annee)][f.document] = f
        self.verifications = {}
        for v in (
            Verification.objects.filter(convention=convention).select_related("verifie_par").order_by("verifie_le")
        ):
            self.verifications[(v.commune_id, v.annee)] = v
        self._engagements = {}
        self._places_territoire = {}

    # --- structures -------------------------------------------------------------------------------------------
    def structures_de(self, commune_code: str) -> list[Structure]:
        return [s for s in self.structures if s.commune_id == commune_code]

    def capacite(self, structure: Structure, annee: int) -> Capacite | None:
        """The capacity in force on 31 December of the year (or on the closing day if the structure closes then)."""
        jour = date(annee, 12, 31)
        if structure.date_fermeture and structure.date_fermeture < jour:
            jour = structure.date_fermeture
        retenue = None
        for c in self.capacites.get(structure.pk, []):
            if c.depuis <= jour:
                retenue = c
        return retenue

    @staticmethod
    def prorata(structure: Structure, annee: int) -> tuple[Decimal, int, int]:
        """(fraction of the year the structure is open, days open, days in the year)."""
        debut, fin = date(annee, 1, 1), date(annee, 12, 31)
        ouvert_du = max(debut, structure.date_ouverture or debut)
        ouvert_au = min(fin, structure.date_fermeture or fin)
        jours_annee = 366 if calendar.isleap(annee) else 365
        jours = max(0, (ouvert_au - ouvert_du).days + 1)
        return Decimal(jours) / Decimal(jours_annee), jours, jours_annee

    @staticmethod
    def mesure(capacite: Capacite | None, unite: str) -> Decimal:
        """The structure's units in the rate's unit: co-funded places (employer places apart), hours, ETP."""
        if unite == Unite.FORFAIT:
            return Decimal(1)
        if capacite is None:
            return ZERO
        if unite == Unite.PLACE:
            return Decimal(capacite.places - capacite.places_employeurs)
        if unite == Unite.HEURE:
            return capacite.heures or ZERO
        if unite == Unite.ETP:
            return capacite.etp or ZERO
        return ZERO

    # --- Cej --------------------------------------------------------------------------------------------------
    def cej_en_cours(self, structure: Structure, annee: int) -> Cej | None:
        for cej in self.cejs:
            if cej.en_cours(annee) and any(ligne.structure_id == structure.pk for ligne in cej.lignes.all()):
                return cej
        return None

    def ligne_reference(self, structure: Structure, annee: int):
        """The structure's line in the latest Cej ended before ``annee``."""
        retenue = None
        for cej in self.cejs:
            if cej.date_fin.year < annee:
                for ligne in cej.lignes.all():
                    if ligne.structure_id == structure.pk:
                        retenue = ligne
        return retenue

    def cej_reference_commune(self, commune_code: str, annee: int) -> Cej | None:
        retenu = None
        for cej in self.cejs:
            if cej.commune_id == commune_code and cej.date_fin.year < annee:
                retenu = cej
        return retenu

    def richesse(self, commune_code: str, annee: int) -> RichesseCommune | None:
        retenue = None
        for r in self.richesses.get(commune_code, []):
            if r.annee <= annee:
                retenue = r
        return retenue

    # --- territory ----------------------------------------------------------------------------------------------
    def places_cofinancees(self, annee: int) -> int:
        """Co-funded PSU places of EAJE on the territory (employer places apart), on 31 December of the year."""
        if annee not in self._places_territoire:
            total = 0
            for s in self.structures:
                if s.type == TypeStructure.EAJE and s.psu and s.cofinancee and self.ouverte_le(s, date(annee, 12, 31)):
                    c = self.capacite(s, annee)
                    total += (c.places - c.places_employeurs) if c else 0
            self._places_territoire[annee] = total
        return self._places_territoire[annee]

    @staticmethod
    def ouverte_le(structure: Structure, jour: date) -> bool:
        if structure.date_ouverture and structure.date_ouverture > jour:
            return False
        return not (structure.date_fermeture and structure.date_fermeture < jour)

    def annees(self) -> list[int]:
        return list(range(self.convention.date_debut.year, self.convention.date_fin.year + 1))


# --- the commune's commitment --------------------------------------------------------------------------------------


def commune_ancienne_cej(donnees: Donnees, commune_code: str) -> bool:
    adhesion = donnees.adhesions.get(commune_code)
    return bool(adhesion and adhesion.ancienne_commune_cej) or any(c.commune_id == commune_code for c in donnees.cejs)


def engagement_commune(donnees: Donnees, commune, annee: int) -> EngagementCommune | None:
    """The commitment of a former Cej commune for a year, with its status; None if the commune has none."""
    code = commune.code
    if (code, annee) in donnees._engagements:
        return donnees._engagements[(code, annee)]
    resultat = None
    if commune_ancienne_cej(donnees, code):
        cej = donnees.cej_reference_commune(code, annee)
        en_cours = any(c.commune_id == code and c.en_cours(annee) for c in donnees.cejs)
        if not en_cours:
            resultat = _engagement(donnees, commune, annee, cej)
    donnees._engagements[(code, annee)] = resultat
    return resultat


def _engagement(donnees: Donnees, commune, annee: int, cej: Cej | None) -> EngagementCommune:
    code = commune.code
    lignes_cej = {ligne.structure_id: ligne for ligne in cej.lignes.all()} if cej else {}
    structures = [
        s for s in donnees.structures_de(code) if s.pk > 0 and (s.type in TYPES_ENFANCE_JEUNESSE or s.pk in lignes_cej)
    ]
    for ligne in lignes_cej.values():
        if ligne.structure not in structures:
            structures.append(ligne.structure)
    lignes, documents = [], set()
    reel_total = None
    for s in structures:
        pieces = donnees.financements.get((s.pk, annee), {})
        piece = pieces.get(Document.COMPTE) or pieces.get(Document.BUDGET)
        engagement = lignes_cej[s.pk].engagement_commune if s.pk in lignes_cej else ZERO
        if piece:
            documents.add(piece.document)
            reel_total = (reel_total or ZERO) + piece.montant_commune
        lignes.append(
            LigneEngagement(
                s,
                engagement,
                piece.montant_commune if piece else None,
                piece.document if piece else None,
                piece.montant_autres if piece else None,
            )
        )
    engagement = sum((ligne.engagement_commune for ligne in lignes_cej.values()), ZERO) if cej else None
    verification = donnees.verifications.get((code, annee))
    if engagement is None:
        statut = StatutEngagement.ENGAGEMENT_INCONNU
    elif verification is not None:
        statut = (
            StatutEngagement.CONFORME
            if verification.conclusion == Conclusion.CONFORME
            else StatutEngagement.NON_CONFORME
        )
    elif reel_total is None:
        statut = StatutEngagement.NON_RENSEIGNE
    elif reel_total < engagement:
        statut = StatutEngagement.INSUFFISANT
    else:
        statut = StatutEngagement.RESPECTE
    return EngagementCommune(
        commune=commune,
        annee=annee,
        engagement=engagement,
        reel=reel_total,
        statut=statut,
        documents=documents,
        lignes=lignes,
        verification=verification,
        cej=cej,
        adhesion=donnees.adhesions.get(code),
    )


# --- the bonus of a structure ----------------------------------------------------------------------------------------


def bonus_structure(donnees: Donnees, structure: Structure, annee: int, simulation: bool = False) -> BonusStructure:
    """The bonus territoire of ``structure`` for ``annee``, with its explanation (rules 1 to 6 of this module)."""
    resultat = BonusStructure(structure, annee)
    jour = jour_reference(annee)
    baremes = donnees.baremes
    reports = valables(baremes, structure.type, Nature.REPORT_N1, jour)
    nouvelles = valables(baremes, structure.type, Nature.NOUVELLES_UNITES, jour)
    employeurs = valables(baremes, structure.type, Nature.PLACE_EMPLOYEUR, jour)

    def refuser(motif: str) -> BonusStructure:
        resultat.statut = StatutBonus.NON_ELIGIBLE
        resultat.motifs.append(motif)
        return resultat

    if not (reports or nouvelles or employeurs):
        return refuser(
            f"Pas de bonus territoire pour ce type de structure ({structure.get_type_display().lower()}) : aucun taux "
            "de ce type n'est "
            f"en vigueur au {_date(jour)} dans le barème (bonus réservés aux EAJE, ALSH, LAEP et RPE)."
        )
    fraction, jours, jours_annee = donnees.prorata(structure, annee)
    if jours == 0:
        if structure.date_ouverture and structure.date_ouverture.year > annee:
            return refuser(f"Structure pas encore ouverte en {annee} (ouverture le {_date(structure.date_ouverture)}).")
        return refuser(f"Structure fermée depuis le {_date(structure.date_fermeture)}.")
    if structure.type == TypeStructure.EAJE and not structure.psu:
        return refuser("EAJE non financé par la prestation de service unique (PSU) : pas de bonus territoire.")
    cej = donnees.cej_en_cours(structure, annee)
    if cej is not None:
        return refuser(
            f"Année encore financée par le Cej « {cej} » (jusqu'au {_date(cej.date_fin)}) : la prestation de service "
            "enfance jeunesse s'applique, le bonus territoire prend le relais à la fin du contrat."
        )

    capacite = donnees.capacite(structure, annee)
    if capacite is None:
        resultat.capacite = f"Capacité au 31/12/{annee} non renseignée."
    else:
        morceaux = []
        if capacite.places:
            employeurs_txt = (
                f" dont {capacite.places_employeurs} réservées par des employeurs" if capacite.places_employeurs else ""
            )
            morceaux.append(f"{capacite.places} places{employeurs_txt}")
        if capacite.heures:
            morceaux.append(f"{nombre(capacite.heures)} heures par an")
        if capacite.etp:
            morceaux.append(f"{nombre(capacite.etp)} ETP")
        resultat.capacite = f"Capacité en {annee} : {', '.join(morceaux) or 'non renseignée'}."
    if fraction != 1:
        resultat.conditions.append(
            f"Ouverte {jours} jours sur {jours_annee} en {annee} : montants au prorata temporis."
        )

    # rule 4: CTRE, outside the bonus territoire
    if employeurs and capacite and capacite.places_employeurs:
        b = employeurs[0]
        montant = arrondir(Decimal(capacite.places_employeurs) * b.montant * fraction, b.arrondi)
        resultat.composantes.append(
            Composante(
                "ctre",
                "Places réservées par des employeurs (CTRE)",
                montant,
                f"{capacite.places_employeurs} places × {euros(b.montant)}{_prorata_texte(fraction)} = "
                f"{euros(montant)} ({_taux(b)} ; source : {source_courte(b)}).",
                b,
                bonus_territoire=False,
            )
        )

    if not structure.cofinancee:
        return refuser(
            "Structure non soutenue financièrement par une collectivité signataire de la CTG : pas de bonus territoire."
        )

    # rule 1: existing units carry the N-1 reference
    ligne = donnees.ligne_reference(structure, annee)
    unites_reference = ligne.unites_reference if ligne else ZERO
    if ligne and reports:
        resultat.composantes.append(_report_n1(donnees, structure, annee, ligne, reports[0], capacite, fraction))
    elif ligne and not reports:
        resultat.conditions.append(
            f"Aucun taux de report N-1 en vigueur au {_date(jour)} pour ce type : le montant du Cej n'est pas reporté."
        )

    # rule 2: new units at the applicable rate
    if nouvelles:
        composante = _nouvelles_unites(donnees, structure, annee, nouvelles, capacite, unites_reference, fraction)
        if composante:
            resultat.composantes.append(composante)
    elif not ligne:
        resultat.conditions.append(
            f"Aucun Cej de référence et aucun taux pour les unités nouvelles de ce type au {_date(jour)}."
        )

    # rule 3: bonus trajectoire
    trajectoire = _trajectoire(donnees, structure, annee, capacite, fraction)
    if trajectoire:
        resultat.composantes.append(trajectoire)

    # rule 5: the convention and the commune's adhesion
    convention = donnees.convention
    debut, fin = convention.date_debut.year, convention.date_fin.year
    resiliation = getattr(convention, "resiliation", None) if convention.pk else None
    if not debut <= annee <= fin:
        texte = f"Année hors de la période de la convention ({debut}–{fin})"
        if simulation:
            resultat.conditions.append(texte + " : sous réserve de son renouvellement (accord explicite, article 10).")
        else:
            return refuser(texte + " : pas de bonus territoire sans CTG.")
    elif resiliation and resiliation.date_effet < date(annee, 1, 1):
        return refuser(
            f"Convention résiliée avec effet le {_date(resiliation.date_effet)} : les engagements ont cessé "
            "(article 12)."
        )
    adhesion = donnees.adhesions.get(structure.commune_id)
    commune = structure.commune.nom
    if adhesion is None:
        return refuser(
            f"La commune {commune} ne fait pas partie du territoire de la convention : pas de bonus territoire."
        )
    if adhesion.statut != StatutAdhesion.ADHEREE:
        etat = "a refusé d'adhérer" if adhesion.statut == StatutAdhesion.REFUSEE else "n'a pas encore adhéré"
        ancienne = " (ancienne commune Cej : bonus bloqué)" if adhesion.ancienne_commune_cej else ""
        return refuser(
            f"La commune {commune} {etat} à la CTG (annexe 4){ancienne} : pas de bonus territoire sur son territoire "
            "tant qu'elle n'a pas adhéré."
        )
    if adhesion.date_deliberation and adhesion.date_deliberation.year > annee:
        return refuser(
            f"La commune {commune} a adhéré à la CTG par délibération du {_date(adhesion.date_deliberation)}, après "
            f"{annee} : pas de bonus territoire pour {annee}."
        )
    quand = f" par délibération du {_date(adhesion.date_deliberation)}" if adhesion.date_deliberation else ""
    resultat.conditions.append(f"La commune {commune} a adhéré à la CTG{quand} (annexe 4).")

    # rule 6: the commune's commitment
    engagement = engagement_commune(donnees, structure.commune, annee)
    if engagement is None:
        if commune_ancienne_cej(donnees, structure.commune_id):
            resultat.conditions.append(f"Engagement Cej de {commune} sans objet en {annee} (Cej en cours).")
        else:
            resultat.conditions.append(
                f"{commune} n'était pas signataire d'un Cej : pas d'engagement de maintien à vérifier."
            )
        return resultat
    resultat.conditions.append(engagement.explication)
    if engagement.statut == StatutEngagement.NON_CONFORME:
        resultat.statut = StatutBonus.SUSPENDU
        resultat.motifs.append(
            f"La Caf a constaté que {commune} n'a pas maintenu son financement {annee} : bonus suspendu "
            "(article 1, note 1)."
        )
    elif engagement.statut == StatutEngagement.CONFORME:
        resultat.statut = StatutBonus.VERIFIE
    elif engagement.statut == StatutEngagement.INSUFFISANT:
        resultat.statut = StatutBonus.A_VERIFIER
        resultat.motifs.append(
            f"À vérifier : le financement {annee} de {commune} ({euros(engagement.reel)}) est inférieur à son "
            f"engagement Cej ({euros(engagement.engagement)}) ; la Caf vérifie les budgets et comptes de résultat "
            "avant de verser."
        )
    elif engagement.statut in {StatutEngagement.NON_RENSEIGNE, StatutEngagement.ENGAGEMENT_INCONNU}:
        resultat.statut = StatutBonus.SOUS_RESERVE
    return resultat


def _prorata_texte(fraction: Decimal) -> str:
    return "" if fraction == 1 else " × prorata temporis"


@dataclass(frozen=True)
class TerritoireCompetence:
    """The territory over which the amount of the existing places of a type of structure is smoothed."""

    epci: bool  # the competence was transferred to the EPCI; else the commune holds it
    nom: str  # the commune's or the EPCI's name
    communes: frozenset[str]  # INSEE codes

    @property
    def texte(self) -> str:
        if not self.epci:
            return f"lissé sur le territoire de la commune de {self.nom}, qui détient la compétence"
        n = len(self.communes)
        return (
            f"lissé sur le territoire de compétence de l'EPCI {self.nom}, à qui {n} commune{'s' if n > 1 else ''} "
            f"{'ont' if n > 1 else 'a'} transféré la compétence"
        )


def territoire_de_competence(donnees: Donnees, structure: Structure, cej: Cej) -> TerritoireCompetence:
    """Where the existing places of ``structure`` (funded by ``cej``) are smoothed: its « territoire de compétence ».

    Sources: caf.fr partner pages on the bonus territoire (« Bonus territoire et contrat territorial réservataire
    EAJE ») and the Cnaf circular of 16 January 2020: the existing places carry over the N-1 amount (or the last Cej
    amounts), smoothed over the territoire de compétence: the commune, or the EPCI where the competence was
    transferred.

    The EPCI's territory (the communes that transferred the competence) when the structure's commune is among the
    communes ``Donnees.competence_transferee`` names, or when the structure's reference Cej funds structures of
    several communes (an intercommunal contract: a Cej is signed by whoever holds the competence); else the
    structure's commune."""
    epci = getattr(donnees.convention, "epci", None)
    nom_epci = epci.nom if epci is not None else "de la convention"
    if structure.commune_id in donnees.competence_transferee:
        return TerritoireCompetence(True, nom_epci, donnees.competence_transferee)
    communes_du_cej = frozenset(ligne.structure.commune_id for ligne in cej.lignes.all())
    if len(communes_du_cej) > 1:
        return TerritoireCompetence(True, nom_epci, communes_du_cej)
    return TerritoireCompetence(False, structure.commune.nom, frozenset({structure.commune_id}))


def lignes_du_territoire(donnees: Donnees, structure: Structure, annee: int, ligne, territoire) -> list:
    """The Cej lines whose amounts and reference units are smoothed together for ``structure`` in ``annee``: those of
    its type with reference units, of its own Cej for a commune; for an EPCI, the reference line of every structure
    of that type on the territoire de compétence (their Cej may differ: one per commune before the transfer)."""
    lignes = {
        autre.pk: autre
        for autre in ligne.cej.lignes.all()
        if autre.structure.type == structure.type and autre.unites_reference > 0
    }
    if territoire.epci:
        for autre_structure in donnees.structures:
            if autre_structure.type != structure.type or autre_structure.commune_id not in territoire.communes:
                continue
            autre = donnees.ligne_reference(autre_structure, annee)
            if autre is not None and autre.unites_reference > 0:
                lignes.setdefault(autre.pk, autre)
    return list(lignes.values())


def _report_n1(donnees, structure, annee, ligne, bareme, capacite, fraction) -> Composante:
    cej = ligne.cej
    unite = bareme.unite
    montant_n1 = ligne.montant_n1
    if unite == Unite.FORFAIT:
        base = montant_n1
        texte = (
            f"montant N-1 de la structure au Cej « {cej} » ({cej.annee_reference}, charges à payer de la Caf) : "
            f"{euros(montant_n1)}, reporté tel quel"
        )
    else:
        territoire = territoire_de_competence(donnees, structure, cej)
        lissees = lignes_du_territoire(donnees, structure, annee, ligne, territoire)
        total = sum((autre.montant_n1 for autre in lissees), ZERO)
        unites_total = sum((autre.unites_reference for autre in lissees), ZERO)
        par_unite = total / unites_total if unites_total else ZERO
        mesure = donnees.mesure(capacite, unite)
        existantes = min(mesure, ligne.unites_reference)
        lisse = f" ({territoire.texte})" if len(lissees) > 1 else ""
        autres_cej = sorted({str(autre.cej) for autre in lissees if autre.cej_id != cej.pk})
        if autres_cej:
            noms = ", ".join(f"« {nom} »" for nom in [str(cej), *autres_cej][:-1])
            source = f"des Cej {noms} et « {autres_cej[-1]} »"
        else:
            source = f"du Cej « {cej} »"
        texte = (
            f"montant N-1 {source} ({cej.annee_reference}, charges à payer de la Caf) : {euros(total)} pour "
            f"{_places(unites_total, unite)}, soit {euros(arrondir(par_unite, bareme.arrondi))} "
            f"{bareme.get_unite_display()}{lisse}"
        )
        planchers = valables(donnees.baremes, structure.type, Nature.PLANCHER, jour_reference(annee))
        planchers = [p for p in planchers if p.unite == unite]
        if planchers and planchers[0].montant > par_unite:
            par_unite = planchers[0].montant
            texte += f", porté au plancher de {euros(par_unite)} ({_taux(planchers[0])})"
        base = par_unite * existantes
        texte += f" ; {_places(existantes, unite)} existante{'s' if existantes > 1 else ''}"
        if existantes < ligne.unites_reference:
            texte += f" (sur {_places(ligne.unites_reference, unite)} de référence)"
    facteur, revalorisations = Decimal(1), []
    for k in range(cej.annee_reference + 1, annee + 1):
        for r in valables(donnees.baremes, structure.type, Nature.REVALORISATION, jour_reference(k)):
            facteur *= 1 + r.montant / CENT
            mention = " à confirmer" if r.a_confirmer else ""
            revalorisations.append(f"{k} : {pourcent(r.montant)}{mention}")
    montant = arrondir(base * facteur * fraction, bareme.arrondi)
    if revalorisations:
        texte += f" ; revalorisations {', '.join(revalorisations)}"
    texte += (
        f"{_prorata_texte(fraction)} = {euros(montant)} (règle « {bareme.get_nature_display()} », "
        f"{bareme.get_unite_display()} ; arrondi {bareme.get_arrondi_display()} ; source : {source_courte(bareme)})."
    )
    return Composante(
        "existantes", "Places existantes (report N-1)" if unite == Unite.PLACE else "Report N-1", montant, texte, bareme
    )


def _nouvelles_unites(donnees, structure, annee, baremes, capacite, unites_reference, fraction) -> Composante | None:
    unite = baremes[0].unite
    if unite == Unite.FORFAIT:
        return None
    mesure = donnees.mesure(capacite, unite)
    nouvelles = mesure - min(mesure, unites_reference)
    if nouvelles <= 0:
        return None
    motif = ""
    if structure.en_qpv or structure.en_zrr:
        b = max(baremes, key=lambda x: x.montant)
        zone = " et ".join(z for z, oui in (("QPV", structure.en_qpv), ("ZRR", structure.en_zrr)) if oui)
        motif = f"structure située en {zone} : taux maximal"
    else:
        richesse = donnees.richesse(structure.commune_id, annee)
        if richesse is None:
            sans_seuil = [x for x in baremes if x.seuil_potentiel_financier is None and x.seuil_revenu is None]
            b = max(sans_seuil, key=lambda x: x.montant) if sans_seuil else min(baremes, key=lambda x: x.montant)
            motif = (
                f"potentiel financier et revenu par habitant de {structure.commune.nom} non renseignés : taux de base"
            )
        else:
            eligibles = [
                x
                for x in baremes
                if (x.seuil_potentiel_financier is None or richesse.potentiel_financier <= x.seuil_potentiel_financier)
                and (x.seuil_revenu is None or richesse.revenu <= x.seuil_revenu)
            ]
            if not eligibles:
                return Composante(
                    "nouvelles",
                    "Places nouvelles",
                    ZERO,
                    f"{_places(nouvelles, unite)} nouvelle(s), mais aucune tranche du barème ne correspond à la "
                    f"richesse de {structure.commune.nom}.",
                )
            b = max(eligibles, key=lambda x: x.montant)
            demo = " (donnée de démonstration)" if richesse.demonstration else ""
            motif = (
                f"{structure.commune.nom} : potentiel financier {euros(richesse.potentiel_financier)} et revenu "
                f"{euros(richesse.revenu)} par habitant en {richesse.annee}{demo} (source : {richesse.source})"
            )
    montant = arrondir(nouvelles * b.montant * fraction, b.arrondi)
    reference = (
        f" au-delà des {_places(unites_reference, unite)} de référence du Cej"
        if unites_reference
        else " (aucune référence Cej)"
    )
    return Composante(
        "nouvelles",
        "Places nouvelles" if unite == Unite.PLACE else "Unités nouvelles",
        montant,
        f"{_places(nouvelles, unite)}{reference} × {euros(b.montant)}{_prorata_texte(fraction)} = {euros(montant)} ; "
        f"{motif} ; {_taux(b)} (source : {source_courte(b)}).",
        b,
    )


def croissance(donnees: Donnees, annee_base: int, annee: int) -> tuple[int, int, Decimal | None]:
    """(co-funded places in the base year, in the year, growth in %) on the territory."""
    base, courant = donnees.places_cofinancees(annee_base), donnees.places_cofinancees(annee)
    if not base:
        return base, courant, None
    return base, courant, (Decimal(courant - base) * CENT / Decimal(base))


def _trajectoire(donnees, structure, annee, capacite, fraction) -> Composante | None:
    paliers = valables(donnees.baremes, structure.type, Nature.TRAJECTOIRE, jour_reference(annee))
    if not paliers or capacite is None:
        return None
    annee_base = paliers[0].annee_base
    base, courant, taux = croissance(donnees, annee_base, annee)
    if taux is None:
        return Composante(
            "trajectoire",
            "Bonus trajectoire",
            ZERO,
            f"aucune place cofinancée sur le territoire en {annee_base} : progression non calculable.",
        )
    atteints = [p for p in paliers if taux >= p.seuil_croissance]
    texte_croissance = (
        f"places d'EAJE cofinancées du territoire : {base} en {annee_base}, {courant} en {annee}, soit "
        f"{'+' if taux >= 0 else ''}{pourcent(taux, 1)}"
    )
    if not atteints:
        premier = min(paliers, key=lambda p: p.seuil_croissance)
        return Composante(
            "trajectoire",
            "Bonus trajectoire",
            ZERO,
            f"{texte_croissance}, sous le premier palier (+{pourcent(premier.seuil_croissance)}) : pas de bonus "
            f"trajectoire (source : {source_courte(premier)}).",
            premier,
        )
    p = max(atteints, key=lambda x: x.seuil_croissance)
    places = Decimal(capacite.places - capacite.places_employeurs)
    montant = arrondir(places * p.montant * fraction, p.arrondi)
    return Composante(
        "trajectoire",
        "Bonus trajectoire",
        montant,
        f"{texte_croissance} ≥ +{pourcent(p.seuil_croissance)} : {nombre(places)} places × {euros(p.montant)}"
        f"{_prorata_texte(fraction)} = {euros(montant)} ({_taux(p)} ; source : {source_courte(p)}).",
        p,
    )


# --- for a whole convention ------------------------------------------------------------------------------------------


def bonus_annee(convention: Convention, annee: int, donnees: Donnees | None = None) -> list[BonusStructure]:
    donnees = donnees or Donnees(convention)
    return [bonus_structure(donnees, s, annee) for s in donnees.structures]


def engagements_annee(convention: Convention, annee: int, donnees: Donnees | None = None) -> list[EngagementCommune]:
    donnees = donnees or Donnees(convention)
    codes = {c.commune_id for c in donnees.cejs} | {
        code for code, a in donnees.adhesions.items() if a.ancienne_commune_cej
    }
    communes = {a.commune_id: a.commune for a in donnees.adhesions.values()}
    for cej in donnees.cejs:
        communes.setdefault(cej.commune_id, cej.commune)
    resultats = []
    for code in sorted(codes, key=lambda c: communes[c].nom):
        e = engagement_commune(donnees, communes[code], annee)
        if e is not None:
            resultats.append(e)
    return resultats


def manquements(convention: Convention, jusqu_a: int | None = None, donnees: Donnees | None = None):
    """The commitments in shortfall (unverified) or found non-conforme, over the convention's years."""
    donnees = donnees or Donnees(convention)
    derniere = min(donnees.convention.date_fin.year, jusqu_a or horloge.aujourd_hui().year)
    resultats = []
    for annee in range(donnees.convention.date_debut.year, derniere + 1):
        resultats.extend(e for e in engagements_annee(convention, annee, donnees) if e.en_alerte)
    return resultats


def totaux(bonus: list[BonusStructure]) -> dict:
    return {
        "bonus": sum((b.montant for b in bonus), ZERO),
        "calcule": sum((b.montant_calcule for b in bonus), ZERO),
        "bloque": sum((b.bloque for b in bonus), ZERO),
        "ctre": sum((b.ctre for b in bonus), ZERO),
        "a_verifier": sum(1 for b in bonus if b.statut == StatutBonus.A_VERIFIER),
        "non_eligibles": sum(1 for b in bonus if b.statut == StatutBonus.NON_ELIGIBLE),
    }
