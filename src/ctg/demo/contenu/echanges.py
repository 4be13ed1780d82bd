"""The FICTITIOUS data-exchange requests of the Cambrai demo convention (article 7; loaded by ``ctg.demo.echanges``):
one request without personal data, answered; one personal-data request studied, given a favourable opinion by the
Caf's data protection officer, approved (an entry in the Caf du Nord's register) and transmitted; one refused after
an unfavourable opinion. Every title ends with "(démonstration)"; the people are the demo accounts."""

DEMO = "(démonstration)"

# The Caf du Nord's data protection officer in the demo: the Caf employee who sits on the comité de pilotage.
DELEGUE_CAF = "membre.copil"

# key: (who files, requesting party "caf"/"epci", request fields)
DEMANDES = {
    "equipements": (
        "demo",
        "caf",
        {
            "objet": f"Équipements enfance-jeunesse gérés par les communes {DEMO}",
            "finalite": "Mettre à jour l'état des lieux de l'offre du diagnostic partagé (article 4).",
            "champs": ["Équipement", "Commune", "Gestionnaire", "Capacité", "Horaires d'ouverture"],
            "donnees_personnelles": False,
            "destinataires": "Conseillère territoriale de la Caf",
            "moyen": "messagerie",
        },
    ),
    "familles": (
        "chef.projet",
        "epci",
        {
            "objet": f"Familles allocataires ayant un enfant de moins de 3 ans, par commune {DEMO}",
            "finalite": "Informer les familles de l'ouverture des places nouvelles du multi-accueil (fiche action "
            "petite enfance).",
            "champs": ["Nom", "Prénom", "Adresse", "Commune", "Âge des enfants"],
            "donnees_personnelles": True,
            "categories_personnes": "Allocataires de la Caf du Nord résidant dans la CA de Cambrai, ayant un enfant "
            "de moins de 3 ans",
            "base_legale": "mission_publique",
            "conservation_mois": 6,
            "destinataires": "Service petite enfance de la CA de Cambrai (2 agents nommément désignés)",
            "transferts_hors_ue": "Aucun",
            "moyen": "plateforme",
        },
    ),
    "rsa": (
        "chef.projet",
        "epci",
        {
            "objet": f"Liste nominative des allocataires du RSA {DEMO}",
            "finalite": "Proposer un accompagnement vers l'emploi.",
            "champs": ["Nom", "Prénom", "Adresse", "Numéro allocataire", "Montant du RSA"],
            "donnees_personnelles": True,
            "categories_personnes": "Allocataires du RSA",
            "base_legale": "interet_legitime",
            "conservation_mois": 36,
            "destinataires": "Services de la CA de Cambrai",
            "moyen": "messagerie",
        },
    ),
}

REPONSE_EQUIPEMENTS = f"Tableau des 14 équipements transmis le jour même par messagerie {DEMO}."
ETUDES = {
    "familles": {
        "opportunite": "Utile à l'information des familles sur l'offre nouvelle ; objectif partagé de la CTG.",
        "faisabilite": "Extraction possible depuis le système d'information de la Caf, une fois.",
        "conformite": "Mission de service public ; données limitées au nécessaire ; information des allocataires.",
    },
    "rsa": {
        "opportunite": "Hors du champ de la CTG : l'accompagnement des allocataires du RSA relève du Département.",
        "faisabilite": "Possible techniquement.",
        "conformite": "Finalité étrangère à la convention, base légale non établie : non conforme.",
    },
}
AVIS = {
    "familles": {
        "sens": "favorable",
        "recommandations": "Transmettre par la plateforme sécurisée, sans le numéro allocataire ; détruire le fichier "
        "après l'envoi de l'information, au plus tard à 6 mois.",
    },
    "rsa": {
        "sens": "defavorable",
        "recommandations": "Finalité hors convention et données excessives : ne pas transmettre.",
    },
}
DECISIONS = {
    "familles": {
        "approuver": True,
        "motifs": "Avis favorable du délégué suivi ; transmission sans numéro allocataire.",
        "mesures_securite": "Plateforme d'échange chiffrée, accès nominatif de deux agents, destruction à 6 mois.",
    },
    "rsa": {
        "approuver": False,
        "motifs": "Finalité étrangère à la convention ; avis défavorable du délégué à la protection des données.",
    },
}
TRANSFERT_FAMILLES = {
    "contenu": f"Fichier de 412 familles (nom, prénom, adresse, commune, âge des enfants) {DEMO}",
    "octets": "Fichier FICTIF de démonstration : 412 familles".encode(),
}
