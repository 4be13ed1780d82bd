"""The funding commitment of a former Cej commune, year by year (article 1, note 1)."""

from __future__ import annotations

from ..models import (
    Cej,
    Conclusion,
    Document,
)
from .donnees import Donnees
from .resultats import TYPES_ENFANCE_JEUNESSE, ZERO, EngagementCommune, LigneEngagement, StatutEngagement

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
    # the commune's other structures (centre social…): their funding is shown in the tables but not counted here
    exclues = [s for s in donnees.structures_de(code) if s.pk > 0 and s not in structures]
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
        exclues=exclues,
    )
