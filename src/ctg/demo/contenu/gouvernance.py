"""The FICTITIOUS content of the comité de pilotage of the reference convention (loaded by
``ctg.demo.gouvernance``): its members, its meetings from 2022 (agenda, minutes, decisions, excused members) and the
initiatives of the innovation watch, every one marked "(démonstration)".
"""

from datetime import date

from ctg.gouvernance.models import Cote, ModeDecision, ObjetDecision, RoleComite, Rubrique

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

# The synthesis of the shared diagnostic, when the comité validates it and it has none.
SYNTHESE_DU_DIAGNOSTIC = (
    "Synthèse de démonstration (fictive) : besoins d'accueil du jeune enfant dans les communes rurales, "
    "offre jeunesse à renforcer, accès aux droits à rapprocher des habitants."
)
