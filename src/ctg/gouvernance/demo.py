"""Demonstration data of the comité de pilotage of the reference convention (Caf du Nord × CA de Cambrai).

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

from . import reunions
from .decisions import (
    DecisionImpossible,
    enregistrer_decision,
    enregistrer_presences,
    extension_du_comite,
    transformer_initiative,
)
from .models import (
    STATUTS_TENUS,
    ChoixVote,
    Cote,
    EtatPresence,
    Initiative,
    Membre,
    ModeDecision,
    ObjetDecision,
    PointOrdreDuJour,
    Reunion,
    RoleComite,
    Rubrique,
)
from .regles import comite_de

DEMO = "(démonstration)"
LIEU = "Siège de la CA de Cambrai, salle du conseil (démonstration)"
VISIO = "https://visio.example.org/copil-ctg-cambrai-demonstration"

# identifiant, civilité, prénom, nom, organisation, fonction, côté, rôle, début, fin, compte de démonstration
MEMBRES = [
    (
        "animatrice",
        "Madame",
        "Camille",
        "Démo",
        "Caf du Nord",
        "Conseillère territoriale",
        Cote.CAF,
        RoleComite.ANIMATEUR,
        date(2022, 1, 1),
        None,
        "demo",
    ),
    (
        "caf2",
        "Monsieur",
        "Sacha",
        "Exemple",
        "Caf du Nord",
        "Responsable du développement territorial",
        Cote.CAF,
        RoleComite.VOTANT,
        date(2022, 1, 1),
        None,
        "membre.copil",
    ),
    (
        "caf3",
        "Madame",
        "Nadia",
        "Fictive",
        "Caf du Nord",
        "Administratrice de la Caf",
        Cote.CAF,
        RoleComite.VOTANT,
        date(2022, 1, 1),
        None,
        None,
    ),
    (
        "pilote",
        "Madame",
        "Dominique",
        "Exemple",
        "CA de Cambrai",
        "Cheffe de projet CTG",
        Cote.COLLECTIVITE,
        RoleComite.PILOTE,
        date(2022, 1, 1),
        None,
        "chef.projet",
    ),
    (
        "elu",
        "Monsieur",
        "Jean",
        "Modèle",
        "CA de Cambrai",
        "Vice-président délégué à la cohésion sociale",
        Cote.COLLECTIVITE,
        RoleComite.VOTANT,
        date(2022, 1, 1),
        None,
        None,
    ),
    (
        "col3",
        "Madame",
        "Sophie",
        "Essai",
        "CA de Cambrai",
        "Directrice enfance-jeunesse",
        Cote.COLLECTIVITE,
        RoleComite.VOTANT,
        date(2022, 1, 1),
        date(2024, 6, 30),
        None,
    ),
    (
        "col3bis",
        "Monsieur",
        "Karim",
        "Essai",
        "CA de Cambrai",
        "Directeur enfance-jeunesse",
        Cote.COLLECTIVITE,
        RoleComite.VOTANT,
        date(2024, 7, 1),
        None,
        None,
    ),
    (
        "secretariat",
        "Madame",
        "Léa",
        "Exemple",
        "CA de Cambrai",
        "Assistante de direction",
        Cote.COLLECTIVITE,
        RoleComite.SECRETARIAT,
        date(2022, 1, 1),
        None,
        None,
    ),
    (
        "ressource",
        "Monsieur",
        "Paul",
        "Témoin",
        "Centre social du territoire",
        "Directeur",
        Cote.PARTENAIRE,
        RoleComite.CONSULTATIF,
        date(2022, 1, 1),
        None,
        None,
    ),
]

DIAGNOSTIC = "diagnostic"
PLAN = "plan"

# date, visio?, agenda [(rubrique, point)], minutes, decisions [(texte, mode, objet, référence)], excusés
REUNIONS = [
    (
        date(2022, 3, 15),
        False,
        [
            (Rubrique.COORDINATION, "Installation du comité de pilotage et calendrier semestriel"),
            (Rubrique.DIAGNOSTIC, "Méthode et calendrier du diagnostic partagé"),
        ],
        "La Caf présente la convention signée le 21/12/2021 et le rôle du comité.\n"
        "Le comité arrête un rythme de deux réunions par an, en mars et en octobre.\n"
        "La collectivité présente la méthode du diagnostic : données de la Caf et de l'Insee, ateliers avec les "
        "gestionnaires d'équipements.",
        [
            (
                "Le comité adopte son calendrier semestriel et la méthode du diagnostic partagé.",
                ModeDecision.CONSENSUS,
                ObjetDecision.AUTRE,
                "",
            )
        ],
        ["caf3"],
    ),
    (
        date(2022, 10, 11),
        True,
        [
            (Rubrique.DIAGNOSTIC, "Premiers résultats du diagnostic : petite enfance et jeunesse"),
            (Rubrique.FINANCES, "Bonus territoire : point sur les adhésions des communes"),
        ],
        "La Caf présente les premiers indicateurs (couverture petite enfance, jeunesse).\n"
        "Les ateliers avec les gestionnaires sont programmés pour l'automne.",
        [
            (
                "Les ateliers thématiques sont confiés au pilote de la collectivité, avec l'appui de la Caf.",
                ModeDecision.CONSENSUS,
                ObjetDecision.AUTRE,
                "",
            )
        ],
        ["elu"],
    ),
    (
        date(2023, 3, 14),
        False,
        [
            (Rubrique.DIAGNOSTIC, "Validation du diagnostic partagé"),
            (Rubrique.PLAN, "Lancement de l'écriture du plan d'actions"),
        ],
        "Le pilote présente la synthèse du diagnostic et les besoins prioritaires.\n"
        "Les membres votants approuvent le diagnostic ; la personne ressource du centre social apporte l'éclairage "
        "des habitants à titre consultatif.",
        [
            (
                "Le comité de pilotage valide le diagnostic partagé.",
                ModeDecision.VOTE,
                ObjetDecision.DIAGNOSTIC_VALIDE,
                "Diagnostic partagé (20 pages au plus)",
            )
        ],
        [],
    ),
    (
        date(2023, 11, 16),
        False,
        [(Rubrique.PLAN, "Adoption du plan d'actions"), (Rubrique.EVALUATION, "Indicateurs de suivi retenus")],
        "Le plan d'actions est présenté : objectifs concrets, échéancés et chiffrés, en dix pages au plus.",
        [
            (
                "Le comité adopte le plan d'actions et ses indicateurs de suivi.",
                ModeDecision.VOTE,
                ObjetDecision.PLAN_ADOPTE,
                "Plan d'actions 2024-2026",
            )
        ],
        ["caf3"],
    ),
    (
        date(2024, 3, 12),
        True,
        [
            (Rubrique.EVALUATION, "Premier bilan des actions engagées"),
            (Rubrique.PLAN, "Adaptation de l'action relais petite enfance"),
        ],
        "Le bilan montre un besoin d'horaires élargis pour le relais petite enfance.",
        [
            (
                "L'action « relais petite enfance » est adaptée : permanences le samedi matin.",
                ModeDecision.CONSENSUS,
                ObjetDecision.ACTION_ADAPTEE,
                "Fiche action 1.2 (démonstration)",
            )
        ],
        [],
    ),
    (
        date(2024, 10, 8),
        False,
        [
            (Rubrique.INNOVATION, "Initiatives repérées sur le territoire"),
            (Rubrique.COORDINATION, "Accueil du nouveau directeur enfance-jeunesse de la collectivité"),
        ],
        "Le comité accueille le nouveau directeur enfance-jeunesse, qui succède à sa collègue.\n"
        "Deux initiatives innovantes sont présentées.",
        [
            (
                "Le comité retient le café des parents itinérant pour en faire une fiche action.",
                ModeDecision.CONSENSUS,
                ObjetDecision.INITIATIVE,
                "Café des parents itinérant",
            )
        ],
        ["elu"],
    ),
    (
        date(2025, 6, 26),
        False,
        [(Rubrique.EVALUATION, "Évaluation à mi-parcours"), (Rubrique.FINANCES, "Financements 2025")],
        "L'évaluation à mi-parcours est présentée ; les financements 2025 sont confirmés.",
        [("Le comité approuve l'évaluation à mi-parcours.", ModeDecision.CONSENSUS, ObjetDecision.EVALUATION, "")],
        [],
    ),
    (
        date(2025, 10, 7),
        True,
        [(Rubrique.EVALUATION, "Suivi des indicateurs"), (Rubrique.PLAN, "Actions à renforcer en 2026")],
        "Les indicateurs progressent pour la petite enfance ; l'offre jeunesse reste à renforcer.",
        [
            (
                "Le comité demande un renforcement de l'offre jeunesse dans les communes rurales.",
                ModeDecision.VOTE,
                ObjetDecision.ACTION_ADAPTEE,
                "Fiche action 3.1 (démonstration)",
            )
        ],
        ["caf2"],
    ),
    (
        date(2026, 3, 10),
        False,
        [(Rubrique.EVALUATION, "Bilan de la convention"), (Rubrique.COORDINATION, "Préparation du renouvellement")],
        "La convention arrive à échéance le 31/12/2026 ; le comité prépare son renouvellement par accord explicite.",
        [
            (
                "Le comité engage la préparation du renouvellement de la convention.",
                ModeDecision.CONSENSUS,
                ObjetDecision.AUTRE,
                "",
            )
        ],
        [],
    ),
    (
        date(2026, 12, 8),
        False,
        [
            (Rubrique.EVALUATION, "Bilan final de la convention"),
            (Rubrique.COORDINATION, "Nouvelle convention : diagnostic à actualiser"),
        ],
        "",
        [],
        [],
    ),
]

INITIATIVES = [
    (
        "Café des parents itinérant",
        "59122",
        "Association Parents en chemin (démonstration)",
        "parentalite",
        "Un café des parents qui circule dans les communes rurales, dans un véhicule aménagé.",
        date(2024, 5, 2),
    ),
    (
        "Tiers-lieu numérique jeunesse",
        "59428",
        "Centre social du territoire (démonstration)",
        "inclusion_numerique",
        "Un espace où des jeunes accompagnent les familles dans leurs démarches en ligne.",
        date(2024, 9, 16),
    ),
    (
        "Micro-crèche à horaires atypiques",
        "59322",
        "Porteur privé (démonstration)",
        "petite_enfance",
        "Un projet d'accueil du jeune enfant tôt le matin et tard le soir pour les salariés postés.",
        date(2026, 5, 20),
    ),
]


def _diagnostic_a_valider(convention) -> None:
    """The shared diagnostic as the comité validates it: the needs of the plan's demonstration (its fiches answer
    them; once validated, the diagnostic no longer takes new ones) and a synthesis if it has none."""
    from ctg.diagnostic.partage import diagnostic_de

    besoins_du_plan = extension_du_comite("charger_besoins_demo")  # idempotent
    if besoins_du_plan is not None:
        besoins_du_plan(convention)
    diagnostic = diagnostic_de(convention)
    if diagnostic.modifiable and not diagnostic.synthese.strip():
        diagnostic.synthese = (
            "Synthèse de démonstration (fictive) : besoins d'accueil du jeune enfant dans les communes rurales, "
            "offre jeunesse à renforcer, accès aux droits à rapprocher des habitants."
        )
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
