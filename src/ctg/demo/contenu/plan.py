"""The FICTITIOUS content of the demonstration plan of the reference convention (loaded by ``ctg.demo.plan``): the
needs of the shared diagnostic its fiches answer, its strategic and operational objectives, twelve fiches action
(pilots, partners, milestones, budgets by financer and year, indicators and their values) and the comité's review of
2025. Every title is marked "(démonstration)".

A fiche names its objectives by their key (``(mission, enjeu)`` for a strategic objective, ``(mission, enjeu, rang)``
for an operational one, ``"e<mission>.<enjeu>"`` for an enjeu of article 2, ``"pmi"`` for the Département's
mission) and its needs by their code; ``pilote_referent`` gives it the referent account of the commune as pilot.
"""

from datetime import date

from ctg.plan.models import Champ, Decision, StatutFiche

# The day the demo plan is written (its fiches created): the comité adopts it that day.
ADOPTION = date(2023, 11, 16)
REVUE = date(2025, 6, 26)
# The status changes of the fiches other than "started on its start date": (status, date).
STATUTS = {StatutFiche.TERMINEE: ("terminer", date(2025, 9, 30)), StatutFiche.EN_PAUSE: ("suspendre", REVUE)}

D = "(démonstration)"

# code, domaine, intitulé, public, communes, indicateurs, priorité
BESOINS = [
    (
        "pe",
        "petite_enfance",
        f"Manque de places d'accueil du jeune enfant dans les communes rurales {D}",
        "familles avec enfants de moins de 3 ans",
        ["59389", "59377", "59520", "59269"],
        ["taux_couverture_global", "places_manquantes_taux_departement"],
        1,
    ),
    (
        "alsh",
        "enfance",
        f"Accueil de loisirs du mercredi insuffisant dans le sud du territoire {D}",
        "enfants de 3 à 11 ans",
        ["59269", "59623", "59312"],
        ["enfants_6_10"],
        2,
    ),
    (
        "parents",
        "parentalite",
        f"Parents isolés peu accompagnés dans leur rôle {D}",
        "familles monoparentales",
        ["59122", "59206"],
        ["part_familles_monoparentales"],
        1,
    ),
    (
        "jeunes",
        "jeunesse",
        f"Peu d'offre pour les 11-17 ans hors de Cambrai {D}",
        "jeunes de 11 à 17 ans",
        ["59428", "59322", "59476"],
        ["jeunes_11_17"],
        2,
    ),
    (
        "droits",
        "acces_droits",
        f"Non-recours aux droits et éloignement des points d'accueil {D}",
        "allocataires et futurs allocataires",
        [],
        ["foyers_allocataires", "taux_couverture_population"],
        2,
    ),
    (
        "logement",
        "logement",
        f"Impayés de loyer et logements sur-occupés {D}",
        "familles locataires",
        ["59122"],
        ["part_foyers_aide_logement"],
        2,
    ),
    (
        "pauvrete",
        "accompagnement_social",
        f"Allocataires à bas revenus concentrés à Cambrai et Escaudœuvres {D}",
        "allocataires à bas revenus",
        ["59122", "59206"],
        ["part_allocataires_bas_revenus"],
        1,
    ),
    (
        "handicap",
        "handicap",
        f"Accueil des enfants en situation de handicap dans les structures {D}",
        "enfants en situation de handicap et leurs parents",
        [],
        [],
        2,
    ),
]

# enjeu (mission, rang), intitulé, opérationnels
STRATEGIQUES = [
    (
        (1, 1),
        f"Atteindre 56 places pour 100 enfants de moins de 3 ans d'ici fin 2026 {D}",
        [
            f"Créer 40 places d'accueil dans les communes rurales {D}",
            f"Enrayer la baisse des assistant·e·s maternel·le·s {D}",
        ],
    ),
    ((1, 2), f"Offrir un accueil de loisirs le mercredi à moins de 15 minutes de chaque famille {D}", []),
    ((2, 1), f"Structurer une offre de soutien à la parentalité de proximité {D}", []),
    ((2, 3), f"Accompagner les projets et la mobilité des jeunes {D}", []),
    ((3, 1), f"Prévenir les expulsions locatives des familles {D}", []),
    ((4, 3), f"Lever les freins à l'emploi des parents isolés {D}", []),
]

DESCRIPTION_DES_BESOINS = "Besoin fictif, créé pour la démonstration du plan d'actions."

# The mission of the Département, beside the four missions of article 2.
MISSION_PMI = {
    "intitule": f"Protection maternelle et infantile : agrément et suivi des assistant·e·s maternel·le·s {D}",
    "champ": Champ.AUTRE,
    "signataire": "Département du Nord",
    "ordre": 5,
}

CAF = "Caf du Nord"
CA = "CA de Cambrai"
AIDE, PROPRES = "aide", "fonds_propres"
FIN = date(2026, 12, 31)

SYNTHESE_DU_PLAN = (
    "Plan de DÉMONSTRATION (fictif). Issu du diagnostic partagé, il porte en priorité sur l'accueil du jeune "
    "enfant dans les communes rurales, le soutien aux parents isolés et l'accès aux droits. Chaque fiche a un "
    "pilote, des partenaires, un calendrier, un budget et au moins un objectif chiffré et daté."
)

# The fiches action, numbered in this order.
FICHES = [
    {
        "titre": f"Ouvrir une micro-crèche intercommunale à Masnières {D}",
        "description": "Micro-crèche de 12 places portée par l'intercommunalité pour Masnières, Marcoing et "
        "Rumilly-en-Cambrésis, gérée par une association après appel à projets.",
        "objectifs": [(1, 1, 1)],
        "besoins": ["pe"],
        "communes": ["59389", "59377", "59520"],
        "public": "familles avec enfants de moins de 3 ans",
        "pilote_structure": CA,
        "pilote_personne": "Service petite enfance",
        "partenaires": "Caf du Nord — conseillère territoriale\nMairie de Masnières — adjointe à la famille",
        "operateurs": "Association gestionnaire retenue par appel à projets",
        "date_debut": date(2023, 9, 1),
        "date_fin": date(2025, 9, 30),
        "statut": StatutFiche.TERMINEE,
        "priorite": 1,
        "jalons": [
            ("Appel à projets attribué", date(2024, 3, 31), date(2024, 3, 18)),
            ("Ouverture de la micro-crèche", date(2025, 9, 1), date(2025, 9, 1)),
        ],
        "financements": [
            (CAF, 2024, "120000", AIDE, "118500"),  # (the actual amount, when known)
            ("Département du Nord", 2024, "40000", AIDE, "40000"),
            (CA, 2024, "80000", PROPRES, "86200"),
            (CAF, 2025, "35000", AIDE),
        ],
        "indicateurs": [
            (
                {
                    "libelle": "Places d'accueil créées",
                    "unite": "places",
                    "source": "gestionnaire",
                    "valeur_initiale": 0,
                    "annee_reference": 2023,
                    "cible": 12,
                    "date_cible": date(2025, 9, 30),
                },
                [(date(2025, 9, 15), 12)],
            )
        ],
    },
    {
        "titre": f"Augmenter la couverture en modes d'accueil du jeune enfant {D}",
        "description": "Suivi de l'objectif de couverture du territoire : schéma petite enfance, soutien aux projets "
        "de crèches et de maisons d'assistant·e·s maternel·le·s, bonus territoire.",
        "objectifs": [(1, 1)],
        "besoins": ["pe"],
        "public": "familles avec enfants de moins de 3 ans",
        "pilote_structure": CAF,
        "pilote_personne": "Conseillère territoriale",
        "partenaires": "CA de Cambrai — cheffe de projet CTG\nDépartement du Nord — PMI",
        "date_debut": date(2022, 1, 1),
        "date_fin": FIN,
        "statut": StatutFiche.EN_COURS,
        "priorite": 1,
        "jalons": [
            ("Schéma petite enfance adopté", date(2023, 6, 30), date(2023, 6, 20)),
            ("Bilan à mi-parcours du schéma", date(2025, 3, 31), date(2025, 3, 27)),
        ],
        "financements": [
            (CAF, a, m, AIDE) for a, m in ((2023, "15000"), (2024, "15000"), (2025, "15000"), (2026, "15000"))
        ],
        "indicateurs": [
            (
                {
                    "libelle": "Taux de couverture global (moins de 3 ans)",
                    "unite": "places pour 100 enfants",
                    "source": "données ouvertes : txcouv_pe, nbpla_pe, insee_pop",
                    "indicateur_catalogue": "taux_couverture_global",
                    "annee_reference": 2021,
                    "cible": 56,
                    "date_cible": FIN,
                },
                [],
            ),
            (
                {
                    "libelle": "Offre totale d'accueil des moins de 3 ans",
                    "unite": "places",
                    "source": "données ouvertes : nbpla_pe",
                    "indicateur_catalogue": "places_total",
                    "annee_reference": 2021,
                    "cible": 1400,
                    "date_cible": FIN,
                },
                [],
            ),
        ],
    },
    {
        "titre": f"Relais petite enfance : promouvoir le métier d'assistant·e maternel·le {D}",
        "description": "Campagne d'information, forum des métiers, accompagnement à l'agrément avec la PMI.",
        "objectifs": [(1, 1, 2), "pmi"],
        "besoins": ["pe"],
        "public": "candidat·e·s à l'agrément, assistant·e·s maternel·le·s",
        "pilote_structure": "Relais petite enfance du Cambrésis",
        "pilote_personne": "Animatrice du relais",
        "partenaires": "Département du Nord — PMI\nFrance Travail",
        "date_debut": date(2024, 1, 1),
        "date_fin": FIN,
        "statut": StatutFiche.EN_COURS,
        "priorite": 1,
        "jalons": [
            ("Campagne d'information lancée", date(2024, 10, 1), date(2024, 10, 7)),
            ("Forum des métiers de la petite enfance", date(2026, 3, 31), None),
        ],
        "financements": [(CAF, 2024, "18000", AIDE), (CAF, 2025, "18000", AIDE), (CA, 2025, "6000", PROPRES)],
        "indicateurs": [
            (
                {
                    "libelle": "Assistant·e·s maternel·le·s en activité",
                    "unite": "personnes",
                    "source": "relais petite enfance, PMI",
                    "valeur_initiale": 310,
                    "annee_reference": 2023,
                    "cible": 340,
                    "date_cible": FIN,
                    "cibles": {2024: 320, 2025: 330},  # the trajectory; 2026: the final target
                },
                [(date(2024, 12, 31), 305), (date(2025, 12, 31), 318)],
            )
        ],
    },
    {
        "titre": f"Accueils de loisirs du mercredi dans le sud du territoire {D}",
        "description": "Ouverture le mercredi de deux accueils de loisirs existants et transport des enfants des "
        "communes voisines.",
        "objectifs": [(1, 2)],
        "besoins": ["alsh"],
        "communes": ["59269", "59623", "59312"],
        "public": "enfants de 3 à 11 ans",
        "pilote_structure": "Mairie de Gouzeaucourt",
        "pilote_personne": "Directrice de l'accueil de loisirs",
        "partenaires": "CA de Cambrai — mobilités\nCaf du Nord",
        "operateurs": "Centre social intercommunal",
        "date_debut": date(2024, 1, 1),
        "date_fin": FIN,
        "statut": StatutFiche.EN_COURS,
        "priorite": 2,
        "jalons": [("Ouverture du mercredi à Gouzeaucourt", date(2024, 9, 4), date(2024, 9, 4))],
        "financements": [
            (CAF, 2024, "22000", AIDE),
            (CAF, 2025, "26000", AIDE),
            (CAF, 2026, "26000", AIDE),
            ("Mairie de Gouzeaucourt", 2025, "9000", PROPRES),
        ],
        "indicateurs": [
            (
                {
                    "libelle": "Places le mercredi",
                    "unite": "places",
                    "source": "déclarations des accueils",
                    "valeur_initiale": 40,
                    "annee_reference": 2023,
                    "cible": 96,
                    "date_cible": date(2026, 9, 1),
                },
                [(date(2024, 9, 30), 64), (date(2025, 9, 30), 88), (date(2026, 9, 15), 96)],
            )
        ],
    },
    {
        "titre": f"Lieu d'accueil enfants-parents itinérant {D}",
        "description": "Un lieu d'accueil enfants-parents qui se tient chaque semaine dans trois communes.",
        "objectifs": [(2, 1)],
        "besoins": ["parents"],
        "communes": ["59122", "59206", "59488"],
        "public": "parents et enfants de moins de 6 ans",
        "pilote_structure": "Centre social de Cambrai",
        "pilote_personne": "Référente famille",
        "partenaires": "Caf du Nord\nDépartement du Nord — PMI",
        "date_debut": date(2024, 3, 1),
        "date_fin": FIN,
        "statut": StatutFiche.EN_COURS,
        "priorite": 1,
        "financements": [(CAF, 2024, "14000", AIDE), (CAF, 2025, "16000", AIDE), (CAF, 2026, "16000", AIDE)],
        "indicateurs": [
            (
                {
                    "libelle": "Familles accueillies dans l'année",
                    "unite": "familles",
                    "source": "bilan du lieu d'accueil",
                    "valeur_initiale": 0,
                    "annee_reference": 2023,
                    "cible": 150,
                    "date_cible": FIN,
                },
                [(date(2024, 12, 31), 62), (date(2025, 12, 31), 118)],
            )
        ],
    },
    {
        "titre": f"Accompagnement à la scolarité à Cambrai {D}",
        "description": "Contrat local d'accompagnement à la scolarité dans deux quartiers, avec les écoles et les "
        "parents.",
        "objectifs": ["e2.2"],
        "besoins": ["parents"],
        "communes": ["59122"],
        "public": "élèves de l'élémentaire et du collège, et leurs parents",
        "pilote_structure": "Ville de Cambrai",
        "pilote_personne": "Service enfance-jeunesse (référent de la commune)",
        "pilote_referent": True,
        "partenaires": "Éducation nationale — circonscription de Cambrai\nCaf du Nord",
        "operateurs": "Centre social de Cambrai",
        "date_debut": date(2023, 9, 1),
        "date_fin": FIN,
        "statut": StatutFiche.EN_COURS,
        "priorite": 2,
        "financements": [
            (CAF, 2024, "11000", AIDE),
            (CAF, 2025, "11000", AIDE),
            ("Ville de Cambrai", 2025, "7000", PROPRES),
        ],
        "indicateurs": [
            (
                {
                    "libelle": "Enfants accompagnés dans l'année scolaire",
                    "unite": "enfants",
                    "source": "bilan du Clas",
                    "valeur_initiale": 60,
                    "annee_reference": 2023,
                    "cible": 90,
                    "date_cible": date(2025, 6, 30),
                },
                [(date(2024, 6, 30), 74), (date(2025, 6, 30), 92)],
            )
        ],
    },
    {
        "titre": f"Point information jeunesse et bourse au permis {D}",
        "description": "Permanences du point information jeunesse à Neuville-Saint-Rémy, Iwuy et Proville ; bourse "
        "au permis contre un engagement bénévole.",
        "objectifs": [(2, 3)],
        "besoins": ["jeunes"],
        "communes": ["59428", "59322", "59476"],
        "public": "jeunes de 16 à 25 ans",
        "pilote_structure": CA,
        "pilote_personne": "Service jeunesse",
        "partenaires": "Mission locale du Cambrésis\nCaf du Nord",
        "date_debut": date(2024, 1, 1),
        "date_fin": FIN,
        "statut": StatutFiche.EN_COURS,
        "priorite": 2,
        "jalons": [("Première bourse au permis attribuée", date(2024, 6, 30), date(2024, 6, 12))],
        "financements": [(CAF, 2025, "12000", AIDE), (CA, 2025, "15000", PROPRES), (CA, 2026, "15000", PROPRES)],
        "indicateurs": [
            (
                {
                    "libelle": "Jeunes accompagnés dans un projet",
                    "unite": "jeunes",
                    "source": "point information jeunesse",
                    "valeur_initiale": 0,
                    "annee_reference": 2023,
                    "cible": 120,
                    "date_cible": FIN,
                },
                [(date(2024, 12, 31), 41), (date(2025, 12, 31), 83)],
            )
        ],
    },
    {
        "titre": f"Prévenir les impayés de loyer des familles {D}",
        "description": "Signalement précoce des impayés par les bailleurs, accompagnement social par la Caf.",
        "objectifs": [(3, 1)],
        "besoins": ["logement"],
        "communes": ["59122"],
        "public": "familles locataires en impayé",
        "pilote_structure": CAF,
        "pilote_personne": "Service d'action sociale",
        "partenaires": "Bailleurs sociaux du Cambrésis\nADIL du Nord",
        "date_debut": date(2024, 1, 1),
        "date_fin": FIN,
        "statut": StatutFiche.EN_COURS,
        "priorite": 2,
        "financements": [(CAF, 2025, "8000", AIDE)],
        "indicateurs": [
            (
                {
                    "libelle": "Familles accompagnées avant une procédure",
                    "unite": "familles",
                    "source": "Caf du Nord",
                    "valeur_initiale": 0,
                    "annee_reference": 2023,
                    "cible": 80,
                    "date_cible": FIN,
                },
                [(date(2025, 12, 31), 47)],
            )
        ],
    },
    {
        "titre": f"Espace de vie sociale à Iwuy {D}",
        "description": "Projet d'espace de vie sociale porté par une association d'habitants ; en pause le temps de "
        "trouver un local.",
        "objectifs": ["e3.2"],
        "communes": ["59322"],
        "public": "habitants d'Iwuy et des communes voisines",
        "pilote_structure": "Mairie d'Iwuy",
        "pilote_personne": "Adjoint à la vie associative",
        "partenaires": "Caf du Nord — animation de la vie sociale",
        "date_debut": date(2024, 9, 1),
        "date_fin": FIN,
        "statut": StatutFiche.EN_PAUSE,
        "priorite": 3,
        "jalons": [("Local trouvé", date(2025, 6, 30), None)],
        "indicateurs": [
            (
                {
                    "libelle": "Habitants impliqués dans le projet",
                    "unite": "habitants",
                    "source": "association",
                    "valeur_initiale": 0,
                    "annee_reference": 2024,
                    "cible": 50,
                    "date_cible": FIN,
                },
                [(date(2024, 12, 31), 12)],
            )
        ],
    },
    {
        "titre": f"Accès aux droits : permanences Caf dans les France services {D}",
        "description": "Permanences Caf sur rendez-vous dans les France services du territoire et rendez-vous des "
        "droits pour les familles repérées par les partenaires.",
        "objectifs": ["e4.3"],
        "besoins": ["droits"],
        "public": "allocataires et futurs allocataires",
        "pilote_structure": CAF,
        "pilote_personne": "Responsable de l'accueil",
        "partenaires": "France services du Cambrésis\nCCAS des communes",
        "date_debut": date(2023, 1, 1),
        "date_fin": FIN,
        "statut": StatutFiche.EN_COURS,
        "priorite": 2,
        "financements": [(CAF, 2024, "5000", AIDE), (CA, 2024, "3000", PROPRES)],
        "indicateurs": [
            (
                {
                    "libelle": "Foyers allocataires",
                    "unite": "foyers",
                    "source": "données ouvertes : s_ben_com_f",
                    "indicateur_catalogue": "foyers_allocataires",
                    "annee_reference": 2021,
                    "cible": 9100,
                    "date_cible": FIN,
                },
                [],
            ),
            (
                {
                    "libelle": "Permanences tenues par mois",
                    "unite": "permanences",
                    "source": "Caf du Nord",
                    "valeur_initiale": 2,
                    "annee_reference": 2022,
                    "cible": 8,
                    "date_cible": date(2024, 12, 31),
                },
                [(date(2023, 12, 31), 6), (date(2024, 12, 31), 8)],
            ),
        ],
    },
    {
        "titre": f"Accueillir les enfants en situation de handicap en crèche et en accueil de loisirs {D}",
        "description": "Pôle ressource handicap : formation des équipes, renfort d'encadrement, bonus inclusion.",
        "objectifs": ["e4.1"],
        "besoins": ["handicap"],
        "public": "enfants en situation de handicap",
        "pilote_structure": CAF,
        "pilote_personne": "Conseillère territoriale",
        "partenaires": "Maison départementale des personnes handicapées\nAssociations de parents",
        "operateurs": "Crèches et accueils de loisirs du territoire",
        "date_debut": date(2024, 1, 1),
        "date_fin": FIN,
        "statut": StatutFiche.EN_COURS,
        "priorite": 2,
        "financements": [(CAF, 2025, "20000", AIDE), (CAF, 2026, "20000", AIDE)],
        "indicateurs": [
            (
                {
                    "libelle": "Enfants en situation de handicap accueillis",
                    "unite": "enfants",
                    "source": "gestionnaires",
                    "valeur_initiale": 8,
                    "annee_reference": 2023,
                    "cible": 20,
                    "date_cible": FIN,
                },
                [(date(2025, 6, 30), 14)],
            )
        ],
    },
    {
        "titre": f"Parcours vers l'emploi des parents isolés {D}",
        "description": "Places de crèche à vocation d'insertion professionnelle et accompagnement vers l'emploi.",
        "objectifs": [(4, 3)],
        "besoins": ["pauvrete", "parents"],
        "communes": ["59122", "59206"],
        "public": "parents isolés allocataires du RSA",
        "pilote_structure": CA,
        "pilote_personne": "Cheffe de projet CTG",
        "partenaires": "France Travail\nDépartement du Nord — insertion\nCaf du Nord",
        "operateurs": "Crèches à vocation d'insertion professionnelle",
        "date_debut": date(2024, 1, 1),
        "date_fin": FIN,
        "statut": StatutFiche.EN_COURS,
        "priorite": 1,
        "financements": [
            (CAF, 2025, "30000", AIDE),
            ("Département du Nord", 2025, "15000", AIDE),
            (CA, 2025, "10000", PROPRES),
        ],
        "indicateurs": [
            (
                {
                    "libelle": "Part des allocataires à bas revenus",
                    "unite": "%",
                    "source": "données ouvertes : bas_revenu",
                    "indicateur_catalogue": "part_allocataires_bas_revenus",
                    "annee_reference": 2022,
                    "cible": 32,
                    "date_cible": FIN,
                },
                [],
            ),
            (
                {
                    "libelle": "Parents isolés accompagnés vers l'emploi",
                    "unite": "parents",
                    "source": "France Travail",
                    "valeur_initiale": 0,
                    "annee_reference": 2023,
                    "cible": 40,
                    "date_cible": FIN,
                },
                [(date(2025, 12, 31), 22)],
            ),
        ],
    },
]

# The review of the plan by the comité de pilotage on REVUE: decisions and progress by fiche number; the fiches
# paused at the review.
DECISIONS_DE_LA_REVUE = {
    3: (Decision.ADAPTER, "Renforcer la communication et organiser le forum des métiers au printemps 2026."),
    9: (Decision.ADAPTER, "Mettre en pause jusqu'à ce qu'un local soit trouvé."),
}
AVANCEMENTS_A_LA_REVUE = {1: 90, 2: 0, 3: 0, 4: 86, 5: 41, 6: 100, 7: 34, 8: 30, 9: 24, 10: 50, 11: 50, 12: 25}
EN_PAUSE_A_LA_REVUE = {9}
SYNTHESE_DE_LA_REVUE = (
    "Revue de DÉMONSTRATION : la micro-crèche ouvre en septembre ; le recrutement d'assistant·e·s "
    "maternel·le·s reste en deçà de l'objectif ; l'espace de vie sociale d'Iwuy est mis en pause."
)
