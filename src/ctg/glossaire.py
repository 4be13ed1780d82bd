"""The glossary of the words of a CTG, each with the text it comes from: the public help page (``/glossaire/``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.text import slugify

from ctg.formats import cle_alphabetique


@dataclass(frozen=True)
class Terme:
    terme: str
    developpe: str  # what the abbreviation stands for ("" when the term is a word)
    definition: str
    source: str

    @property
    def lu(self) -> str:
        """The term as it is read: « @ctes » is « actes »."""
        return self.terme.replace("@", "a")

    @property
    def ancre(self) -> str:
        return slugify(self.lu)


CONVENTION = "Convention territoriale globale Caf du Nord × CA de Cambrai (décembre 2021)"
CIRCULAIRE_2020 = "Circulaire Cnaf du 16 janvier 2020 relative au déploiement des CTG et aux nouveaux financements"
LOI_SPPE = "Loi n° 2023-1196 du 18 décembre 2023, article 17 ; code de l'action sociale et des familles, L.214-1-3"

TERMES = [
    Terme(
        "CTG",
        "convention territoriale globale",
        "Convention de partenariat entre la Caf et une intercommunalité, à laquelle chaque commune membre adhère, pour "
        "définir un projet de territoire en faveur des familles : petite enfance, enfance, jeunesse, parentalité, "
        "accès aux droits, animation de la vie sociale, logement, handicap. Elle repose sur un diagnostic partagé et "
        "un plan d'actions, et est suivie par un comité de pilotage.",
        f"{CONVENTION}, articles 1 à 4 ; {CIRCULAIRE_2020}",
    ),
    Terme(
        "Caf",
        "caisse d'allocations familiales",
        "Organisme de la branche Famille de la Sécurité sociale, un par département (la Caf du Nord pour le Nord). "
        "Elle signe la CTG, apporte le diagnostic type tiré de ses données et verse les financements.",
        CONVENTION,
    ),
    Terme(
        "Cnaf",
        "caisse nationale des allocations familiales",
        "Tête de réseau des Caf : elle fixe par circulaire les règles des CTG et des financements (prestations de "
        "service, bonus territoire) et publie les données statistiques de la branche (data.caf.fr).",
        CIRCULAIRE_2020,
    ),
    Terme(
        "EPCI",
        "établissement public de coopération intercommunale",
        "Intercommunalité à fiscalité propre (communauté de communes, d'agglomération, urbaine, métropole), "
        "identifiée par son numéro SIREN. C'est la collectivité signataire de la CTG avec la Caf ; ses communes "
        "membres y adhèrent (annexe 4).",
        f"{CONVENTION}, préambule et annexe 4 ; code général des collectivités territoriales, L.5210-1-1 A",
    ),
    Terme(
        "CEJ",
        "contrat enfance jeunesse",
        "Contrat d'objectifs et de cofinancement (2006–) entre la Caf et une commune ou une intercommunalité, qui "
        "versait une prestation de service enfance jeunesse. À la fin de chaque CEJ, à partir de 2020, ses montants "
        "deviennent des bonus territoire CTG, à condition qu'une CTG couvre le territoire.",
        f"{CIRCULAIRE_2020} ; {CONVENTION}, article 5",
    ),
    Terme(
        "Bonus territoire",
        "",
        "Financement annuel de la Caf versé directement au gestionnaire de chaque structure (crèche, accueil de "
        "loisirs, lieu d'accueil enfants-parents, relais petite enfance) soutenue par une collectivité signataire de "
        "la CTG. Pour les places existantes, il reprend le montant bonifié de l'année précédente (ou du dernier CEJ) ; "
        "chaque ancienne commune du CEJ doit maintenir au moins ses financements enfance et jeunesse du CEJ.",
        f"{CIRCULAIRE_2020} ; {CONVENTION}, article 5",
    ),
    Terme(
        "PSU",
        "prestation de service unique",
        "Financement de fonctionnement de la Caf aux établissements d'accueil du jeune enfant, calculé à l'heure "
        "d'accueil ; le bonus territoire d'un EAJE s'ajoute par place PSU cofinancée par une collectivité signataire.",
        CIRCULAIRE_2020,
    ),
    Terme(
        "EAJE",
        "établissement d'accueil du jeune enfant",
        "Crèche collective, multi-accueil, crèche familiale, micro-crèche : accueil des enfants de moins de 6 ans, "
        "financé par la PSU (ou, pour des micro-crèches, par la Paje versée aux familles).",
        CIRCULAIRE_2020,
    ),
    Terme(
        "ALSH",
        "accueil de loisirs sans hébergement",
        "Accueil collectif des enfants et des jeunes hors du temps scolaire (mercredis, vacances, périscolaire), "
        "soutenu par la Caf et, dans une CTG, par un bonus territoire.",
        CIRCULAIRE_2020,
    ),
    Terme(
        "LAEP",
        "lieu d'accueil enfants-parents",
        "Lieu d'écoute et d'échange où les enfants de moins de 6 ans viennent avec un parent : une action de "
        "soutien à la parentalité.",
        CIRCULAIRE_2020,
    ),
    Terme(
        "RPE",
        "relais petite enfance (anciennement RAM, relais d'assistants maternels)",
        "Service d'information des familles sur les modes d'accueil et d'accompagnement des assistants maternels et "
        "gardes à domicile ; obligatoire dans les communes de plus de 10 000 habitants depuis le 1er janvier 2026.",
        LOI_SPPE,
    ),
    Terme(
        "SPPE",
        "service public de la petite enfance",
        "Depuis le 1er janvier 2025, les communes sont autorités organisatrices de l'accueil du jeune enfant : "
        "recensement des besoins et information des familles pour toutes ; planification et qualité de l'offre "
        "au-delà de 3 500 habitants ; schéma pluriannuel et relais petite enfance au-delà de 10 000 habitants (sauf "
        "si la CTG couvre le contenu du schéma). Quand la compétence est transférée à l'intercommunalité, les seuils "
        "se lisent sur la population des communes qui l'ont transférée.",
        f"{LOI_SPPE} ; L.214-2 III ; décret n° 2025-253, article D.214-10-1",
    ),
    Terme(
        "Taux de couverture",
        "taux de couverture global en modes d'accueil",
        "Capacité d'accueil théorique pour 100 enfants de moins de 3 ans : places en EAJE, chez les assistants "
        "maternels actifs, en garde à domicile et enfants de 2 ans scolarisés. Il compte des places, pas des "
        "enfants, et peut dépasser 100.",
        "Cnaf, Observatoire national de la petite enfance (Onape) ; data.caf.fr, jeu « txcouv_pe »",
    ),
    Terme(
        "Allocataires à bas revenus",
        "",
        "Allocataires dont le revenu par unité de consommation est inférieur à 60 % du revenu médian (un seuil par "
        "année : 1 097 € par mois au 31 décembre 2019), hors personnes de 65 ans et plus et étudiants qui ne "
        "perçoivent qu'une aide au logement.",
        "Cnaf, data.caf.fr, jeu « Bas_revenu »",
    ),
    Terme(
        "@ctes",
        "aide au contrôle de légalité dématérialisé",
        "Identifiant de la transmission d'un acte à la préfecture : département sur 3 chiffres, SIREN de l'émetteur, "
        "date de la décision, numéro de l'acte et code de sa nature (CC pour les contrats, conventions et avenants), "
        "par exemple 059-200068500-20211221-D2021_12_10_01-CC.",
        CONVENTION,
    ),
    Terme(
        "Comité de pilotage",
        "",
        "Instance de la CTG, animée par la Caf avec le chef de projet de la collectivité, qui réunit les "
        "signataires au moins chaque semestre : suivi du plan d'actions, validation du diagnostic partagé, "
        "évaluation.",
        f"{CONVENTION}, article 6 et annexe 2",
    ),
    Terme(
        "Diagnostic partagé",
        "",
        "État des lieux des besoins et de l'offre du territoire, établi ensemble par la Caf et la collectivité à "
        "partir du diagnostic type de la Caf, validé en comité de pilotage (annexe 1).",
        f"{CONVENTION}, article 4 et annexe 1",
    ),
    Terme(
        "Fiche action",
        "",
        "Une action du plan : objectif, pilote, partenaires, calendrier, budget et indicateurs chiffrés et datés, "
        "suivie jusqu'à l'évaluation.",
        f"{CONVENTION}, articles 4 et 9",
    ),
    Terme(
        "Avenant",
        "",
        "Acte signé par les parties qui modifie un terme de la convention ; une modification sans avenant entraîne "
        "la résiliation de plein droit par la Caf.",
        f"{CONVENTION}, articles 10 et 12",
    ),
]

TERMES.sort(key=lambda t: cle_alphabetique(t.lu))
