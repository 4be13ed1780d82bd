"""The loader of the demonstration comité de pilotage of the reference convention (Caf du Nord × CA de Cambrai);
its content (members, meetings, initiatives): ``ctg.demo.contenu.gouvernance``.

Every person, meeting, minute and initiative here is FICTITIOUS, marked "(démonstration)": the real convention
names only its signatories and the collectivité's project lead, not the members of its comité.

Two meetings a year from 2022: the ones whose date has come are held (attendance, minutes, decisions), the others
stay planned — on 28/11/2026 the meeting of December 2026 is planned, so the current half-year shows as due. The
meeting of the first half of 2023 validates the shared diagnostic (submitted, then validated, through
``ctg.diagnostic.partage``); the one of the second half of 2023 adopts the action plan (16/11/2023) and the one of
the first half of 2025 reviews it (26/06/2025): the dates the plan app's demonstration uses. The minutes of each
meeting are approved at the next one, which closes it. Every change goes through the rules layers
(``ctg.gouvernance.reunions``, ``ctg.gouvernance.decisions``, ``ctg.diagnostic.partage``).
"""

from __future__ import annotations

from datetime import date, time

from django.contrib.auth import get_user_model
from django.db import transaction

from ctg import horloge
from ctg.gouvernance import reunions
from ctg.gouvernance.decisions import (
    DecisionImpossible,
    enregistrer_decision,
    enregistrer_presences,
    transformer_initiative,
)
from ctg.gouvernance.models import (
    STATUTS_TENUS,
    ChoixVote,
    EtatPresence,
    Initiative,
    Membre,
    ModeDecision,
    ObjetDecision,
    PointOrdreDuJour,
    Reunion,
    Rubrique,
)
from ctg.gouvernance.regles import comite_de

from .contenu.gouvernance import DEMO, INITIATIVES, LIEU, MEMBRES, REUNIONS, SYNTHESE_DU_DIAGNOSTIC, VISIO
from .plan import charger_besoins_demo


def _diagnostic_a_valider(convention) -> None:
    """The shared diagnostic as the comité validates it: the needs of the plan's demonstration (its fiches answer
    them; once validated, the diagnostic no longer takes new ones) and a synthesis if it has none."""
    from ctg.diagnostic.partage import diagnostic_de

    charger_besoins_demo(convention)  # idempotent
    diagnostic = diagnostic_de(convention)
    if diagnostic.modifiable and not diagnostic.synthese.strip():
        diagnostic.synthese = SYNTHESE_DU_DIAGNOSTIC
        diagnostic.save(update_fields=["synthese", "modifie_le"])


@transaction.atomic
def charger_demo_gouvernance(convention, aujourd_hui: date | None = None) -> dict:
    """Load the comité of the demo convention once (idempotent); return what exists."""
    aujourd_hui = aujourd_hui or horloge.aujourd_hui()
    comite = comite_de(convention)
    if comite.membres.exists() or comite.reunions.exists():
        return _resume(comite)
    User = get_user_model()
    membres: dict[str, Membre] = {}
    for cle, civ, prenom, nom, org, fonction, cote, role, debut, fin, compte in MEMBRES:
        membres[cle] = Membre.objects.create(
            comite=comite,
            civilite=civ,
            prenom=prenom,
            nom=nom,
            organisation=org,
            fonction=f"{fonction} {DEMO}",
            email=f"{cle}@example.org",
            cote=cote,
            role=role,
            debut=debut,
            fin=fin,
            compte=User.objects.filter(username=compte, habilitations__convention=convention).first()
            if compte
            else None,
        )
    initiatives = {}
    for titre, commune, operateur, domaine, description, jour in INITIATIVES:
        initiatives[titre] = Initiative.objects.create(
            convention=convention,
            titre=titre,
            commune=convention.epci.communes.filter(code=commune).first(),
            operateur=operateur,
            domaine=domaine,
            description=description,
            reperee_le=jour,
            suivi="a_discuter" if jour <= aujourd_hui else "reperee",
        )
    precedente = None
    for jour, visio, points, texte, decisions, excuses in REUNIONS:
        if precedente is not None and jour <= aujourd_hui:
            # the minutes of a meeting are approved at the next one: the previous meeting is then closed
            reunions.approuver_compte_rendu(precedente, jour)
        precedente = None
        reunion = Reunion.objects.create(
            comite=comite,
            date=jour,
            heure_debut=time(14, 0),
            heure_fin=time(16, 30),
            lieu="" if visio else LIEU,
            lien_visio=VISIO if visio else "",
        )
        for ordre, (rubrique, intitule) in enumerate(points, 1):
            PointOrdreDuJour.objects.create(
                reunion=reunion,
                ordre=ordre,
                rubrique=rubrique,
                intitule=intitule,
                initiative=initiatives["Café des parents itinérant"] if rubrique == Rubrique.INNOVATION else None,
            )
        if jour > aujourd_hui:
            continue
        en_fonction = [m for m in membres.values() if m.en_fonction(jour)]
        enregistrer_presences(
            reunion,
            {
                m: (EtatPresence.EXCUSE, "") if cle in excuses else (EtatPresence.PRESENT, "")
                for cle, m in membres.items()
                if m in en_fonction
            },
            aujourd_hui=aujourd_hui,
        )
        reunion.compte_rendu = texte
        reunion.save(update_fields=["compte_rendu", "modifiee_le"])
        for texte_decision, mode, objet, reference in decisions:
            votes = {}
            if mode == ModeDecision.VOTE:
                votes = {
                    m: ChoixVote.POUR
                    for cle, m in membres.items()
                    if m in en_fonction and m.vote and cle not in excuses
                }
                if jour.year == 2025:
                    votes[membres["elu"]] = ChoixVote.ABSTENTION
            objet_id = initiatives[reference].pk if objet == ObjetDecision.INITIATIVE else None
            if objet == ObjetDecision.DIAGNOSTIC_VALIDE:
                _diagnostic_a_valider(convention)
            try:
                enregistrer_decision(reunion, texte_decision, mode, objet, reference, objet_id, votes)
            except DecisionImpossible as exc:  # e.g. the plan app refuses: the decision is kept, without effect
                decision = enregistrer_decision(
                    reunion, texte_decision, mode, ObjetDecision.AUTRE, reference, None, votes
                )
                decision.effet = f"Non appliquée dans le produit : {exc}"
                decision.save(update_fields=["effet"])
        if reunion.compte_rendu.strip():
            precedente = reunion
    cafe = initiatives["Café des parents itinérant"]
    if date(2024, 10, 8) <= aujourd_hui:
        cafe.refresh_from_db()
        transformer_initiative(
            cafe, date(2024, 10, 8), "Fiche action 2.3 « Café des parents itinérant » (démonstration)"
        )
    return _resume(comite)


def _resume(comite) -> dict:
    return {
        "membres": comite.membres.count(),
        "reunions": comite.reunions.count(),
        "tenues": comite.reunions.filter(statut__in=STATUTS_TENUS).count(),
        "decisions": sum(r.decisions.count() for r in comite.reunions.all()),
        "initiatives": comite.convention.initiatives.count(),
    }
