"""The bonus territoire of a structure for a year: existing places (report N-1, smoothed over the territoire de
compétence), new places, trajectory."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from ctg.conventions.models import StatutAdhesion
from ctg.formats import de

from ..baremes import jour_reference, source_courte, valables
from ..models import (
    Cej,
    Nature,
    Structure,
    TypeStructure,
    Unite,
    arrondir,
)
from ..textes import euros, nombre, pourcent
from .donnees import Donnees
from .engagement import commune_ancienne_cej, engagement_commune
from .resultats import CENT, ZERO, BonusStructure, Composante, StatutBonus, StatutEngagement, _date, _places, _taux

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
            resultat.conditions.append(f"Engagement Cej {de(commune)} sans objet en {annee} (Cej en cours).")
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
            f"À vérifier : le financement {annee} {de(commune)} ({euros(engagement.reel)}) est inférieur à son "
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
            return f"lissé sur le territoire de la commune {de(self.nom)}, qui détient la compétence"
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
                f"potentiel financier et revenu par habitant {de(structure.commune.nom)} non renseignés : taux de base"
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
                    f"richesse {de(structure.commune.nom)}.",
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
