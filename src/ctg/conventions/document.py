"""The convention document, built from a :class:`~ctg.conventions.models.Convention` record.

The layout and the wording are those of the reference convention (Caf du Nord × CA de Cambrai, December 2021,
``shared/seed/convention-ctg-caf-nord-ca-cambrai-2021.txt``): title, parties, visas, préambule, articles 1 to 14,
signature page and annexes 1 to 4. Everything that varies from one convention to another comes from the data:
the Caf and its signatories, the collectivité (its legal form from the EPCI type) and its signatories, the visas,
the délibération, the domains covered, the dates, the tribunal administratif, the project lead and the member
communes. A missing value is written "à compléter", never guessed.

Fixed text is the seed's, word for word, except for these obvious OCR errors of the seed (corrected here):

- préambule: "le développement de chaque personnel, dès sa naissance" → "chaque personne";
- parties: "Εt" written with a Greek capital epsilon → "Et";
- article 1: "à la date d'effet de la Ctq" → "Ctg";
- article 4: "au sérvice du Schéma départemental" → "service";
- article 7: "Si elles sont mises en eouvre" → "œuvre".

The placeholders of the model text are filled in: article 10's "jusqu'au 31 décembre (N+4 au maximum)" becomes the
real end date, and the signature page's "XX pages … XX annexes" the real counts (pages of the PDF edition).

Public API: :func:`blocs_convention`, :func:`document_convention`, :func:`editer_convention`,
:func:`rendre_convention`.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from datetime import date

from ctg.documents.modele import (
    BlocSignatures,
    CaseACocher,
    Document,
    ElementListe,
    Fragment,
    GarderEnsemble,
    GroupeSignatures,
    Liste,
    Note,
    Paragraphe,
    SautDePage,
    Signature,
    Tableau,
    Titre,
    enrichi,
)
from ctg.formats import cle_alphabetique, date_en_lettres

from .communication import logos_des_parties
from .models import QUALITES_GENREES, Annexe1, Convention, Instance, Qualite

A_COMPLETER = "à compléter"
NOMBRE_ANNEXES = 4
FORMATS = ("txt", "docx", "pdf")
PASSES_MAXIMUM = 3

# --- Small formatting helpers -----------------------------------------------------------------------


def _texte(texte: str) -> list[Fragment]:
    """Data as one plain fragment (never read as markup)."""
    return [Fragment(texte)]


def _ou_a_completer(valeur, entre_crochets: bool = False) -> str:
    if valeur in (None, ""):
        return f"[{A_COMPLETER}]" if entre_crochets else A_COMPLETER
    return str(valeur)


def date_numerique(jour: date | None) -> str:
    """10/12/2021; "[à compléter]" when unknown."""
    return f"{jour:%d/%m/%Y}" if jour else f"[{A_COMPLETER}]"


# --- The collectivité's name ------------------------------------------------------------------------

FORMES_EPCI = {
    "CA": ("CA ", "Communauté d'Agglomération"),
    "CC": ("CC ", "Communauté de Communes"),
    "CU": ("CU ", "Communauté Urbaine"),
}
# "CA Haut-Bugey Agglomération", "CU Angers Loire Métropole": the rest of the name is the EPCI's own full name.
RE_NOM_PROPRE = re.compile(r"\b(Agglo|Agglomération|Métropole|Communauté)\b", re.IGNORECASE)


def nom_complet_epci(epci) -> str:
    """The collectivité's name in full, from the EPCI's type and its short COG name.

    "CA de Cambrai" → "Communauté d'Agglomération de Cambrai", "CC du Pays de Gex" → "Communauté de Communes du
    Pays de Gex", "CU d'Arras" → "Communauté Urbaine d'Arras"; "CA Haut-Bugey Agglomération" → "Haut-Bugey
    Agglomération"; a Métropole keeps its name ("Bordeaux Métropole", "Métropole de Lyon").
    """
    nom = epci.nom.strip()
    forme = FORMES_EPCI.get(epci.type)
    if forme and nom.startswith(forme[0]):
        reste = nom[len(forme[0]) :].strip()
        if RE_NOM_PROPRE.search(reste):
            return reste
        return f"{forme[1]} {reste}"
    return nom


def avec_article(nom: str) -> str:
    """The name with its article, at the start of a sentence: "La Communauté de Communes …", "L'Eurométropole de
    Strasbourg", "Bordeaux Métropole" (no article)."""
    if re.match(r"(Communauté|Métropole)\b", nom):
        return "La " + nom
    if re.match(r"(Eurométropole|Agglomération)\b", nom):
        return "L'" + nom
    return nom


# --- Signatories ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Personne:
    """A signatory as the text needs it (a real one, or a placeholder when the record lacks it)."""

    en_ligne: str  # "la présidente de son conseil d'administration, Madame Lydie LIBRIZZI"
    qualite_signature: str  # "La Présidente du conseil d'administration,"
    nom_signature: str  # "Lydie LIBRIZZI"
    feminin: bool | None  # None when unknown


def _personne(signataire) -> _Personne:
    designation = f"{signataire.civilite} {signataire.prenom} {signataire.nom.upper()}".strip()
    nom = f"{signataire.prenom} {signataire.nom.upper()}".strip()
    feminin = signataire.feminin
    if signataire.qualite in QUALITES_GENREES:
        formes = QUALITES_GENREES[signataire.qualite]
        return _Personne(f"{formes['en_ligne'][feminin]}, {designation}", formes["signature"][feminin], nom, feminin)
    autre = signataire.qualite_autre.strip()
    en_ligne = f"{designation}, {autre}" if autre else designation
    signature = (autre[:1].upper() + autre[1:] + ",") if autre else ""
    return _Personne(en_ligne, signature, nom, feminin)


def _manquant(en_ligne: str, signature: str) -> _Personne:
    return _Personne(f"{en_ligne}, [{A_COMPLETER}]", signature, A_COMPLETER, None)


ORDRE_TEXTE = {Qualite.PRESIDENT_CA: 0, Qualite.DIRECTEUR_GENERAL: 1}  # the parties' paragraph of the seed
ORDRE_SIGNATURE = {Qualite.DIRECTEUR_GENERAL: 0, Qualite.PRESIDENT_CA: 1}  # its signature block


def _signataires(convention: Convention, partie: str, ordre: dict) -> list[_Personne]:
    signataires = [s for s in convention.signataires.all() if s.partie == partie]
    signataires.sort(key=lambda s: (ordre.get(s.qualite, 9), s.ordre, s.pk))
    if signataires:
        return [_personne(s) for s in signataires]
    if partie == "caf":
        manquants = [
            _manquant(
                "le président ou la présidente de son conseil d'administration",
                "Le Président ou la Présidente du conseil d'administration,",
            ),
            _manquant(
                "son Directeur général ou sa Directrice générale", "Le Directeur général ou la Directrice générale,"
            ),
        ]
        return manquants if ordre is ORDRE_TEXTE else manquants[::-1]
    return [_manquant("son Président ou sa Présidente", "Le Président ou la Présidente,")]


def _par(personnes: list[_Personne]) -> str:
    """ "par A" / "par A, et par B" / "par A, par B, et par C" (the seed's "…, et par son Directeur général")."""
    morceaux = [f"par {p.en_ligne}" for p in personnes]
    if len(morceaux) == 1:
        return morceaux[0]
    return ", ".join(morceaux[:-1]) + ", et " + morceaux[-1]


def _autorise(personnes: list[_Personne]) -> str:
    if any(p.feminin is None for p in personnes):
        return "autorisés" if len(personnes) > 1 else "autorisé(e)"
    pluriel = "s" if len(personnes) > 1 else ""
    return ("autorisée" if all(p.feminin for p in personnes) else "autorisé") + pluriel


# --- Blocks -----------------------------------------------------------------------------------------


def _liste(*elements) -> Liste:
    """A list from strings (with the light markup) or (string, [sub-items]) pairs."""
    items = []
    for element in elements:
        if isinstance(element, tuple):
            texte, sous = element
            items.append(ElementListe(texte, _liste(*sous)))
        else:
            items.append(element if isinstance(element, ElementListe) else ElementListe(element))
    return Liste(items)


def _p(*textes: str) -> list[Paragraphe]:
    return [Paragraphe(t) for t in textes]


def _parties(convention: Convention) -> list:
    caf = convention.caf
    personnes_caf = _signataires(convention, "caf", ORDRE_TEXTE)
    personnes_collectivite = _signataires(convention, "collectivite", ORDRE_TEXTE)
    instance = convention.get_deliberation_instance_display()
    ligne_caf = (
        f"La {caf.nom_long} représentée {_par(personnes_caf)}, dûment {_autorise(personnes_caf)} à signer la "
        "présente convention ;"
    )
    ligne_collectivite = (
        f"{avec_article(nom_complet_epci(convention.epci))}, représentée {_par(personnes_collectivite)}, dûment "
        f"{_autorise(personnes_collectivite)} à signer la présente convention par délibération du {instance}."
    )
    return [
        Titre(convention.titre.upper(), niveau=0),
        Paragraphe("Entre"),
        Liste([ElementListe(_texte(ligne_caf))]),
        Paragraphe("Ci-après dénommée « la Caf »;"),
        Paragraphe("Et"),
        Liste([ElementListe(_texte(ligne_collectivite))]),
        Paragraphe("Ci-après dénommée « la Collectivité » ;"),
    ]


def _visas(convention: Convention) -> list:
    blocs = [Paragraphe(_texte(visa.texte)) for visa in convention.visas.all()]
    instance = convention.get_deliberation_instance_display()
    blocs += [
        Paragraphe("Vu la délibération du"),
        CaseACocher(
            _texte(
                f"{instance}, en date du {date_numerique(convention.deliberation_date)} figurant en annexe 3 de la "
                "présente convention ;"
            ),
            cochee=True,
        ),
        Paragraphe("Il est convenu et arrêté ce qui suit :"),
    ]
    return blocs


def _preambule(convention: Convention) -> list:
    domaines = ", ".join(convention.domaines_libelles) or f"[{A_COMPLETER}]"
    return [
        Titre("Préambule"),
        *_p(
            # Seed: "chaque personnel, dès sa naissance" (OCR error) → "chaque personne".
            "Les Caf sont nées de la volonté d'apporter une aide à toutes les familles, dans leur diversité. Qu'elle "
            "prenne la forme de prestations monétaires ou d'aides permettant de développer des services, "
            "l'investissement des Caf témoigne d'un engagement de la collectivité, dans une visée universelle, pour "
            "accompagner le développement de chaque personne, dès sa naissance, par une présence et un soutien dans "
            "son parcours de vie, accentuant, s'il le faut, son aide lorsque la famille est dans la difficulté.",
            "La branche Famille est ainsi présente auprès de chacun tout au long de la vie, auprès de chaque parent, "
            "femme ou homme, en fonction de sa situation, en équité : conciliation vie familiale/vie professionnelle, "
            "accueil des enfants et des jeunes, lutte contre la pauvreté sont les domaines prioritaires de "
            "l'intervention des Caf, qui prend la forme d'une offre globale de service.",
            "Dédiée initialement à la famille, la branche s'est vue progressivement confier des missions pour le "
            "compte de l'Etat (cf article 2).",
            "Pour accompagner le développement de celles-ci, les Caf collaborent depuis l'origine avec leurs "
            "partenaires de terrain, au premier rang desquels les collectivités locales. Les communes (et leur "
            "regroupement) sont en effet particulièrement investies dans le champ des politiques familiales et "
            "sociales, au titre de leur clause de compétence générale leur permettant de répondre aux besoins du "
            "quotidien des citoyens.",
            "Les territoires se caractérisent par une grande diversité de situations d'habitants, et par de "
            "nombreuses évolutions qui modifient profondément la vie des familles. Leurs attentes évoluent, et la "
            "réponse à celles-ci passent par la volonté des acteurs locaux. A ce titre, la Caf entend poursuivre son "
            "soutien aux collectivités locales qui s'engagent dans un projet de territoire qui leur est destiné.",
            "Dans ce cadre, la Convention territoriale globale (Ctg) est une démarche partenariale qui a pour objectif "
            "d'élaborer le projet de territoire pour le maintien et le développement des services aux familles, et "
            "la mise en place de toute action favorable aux allocataires dans leur ensemble. Elle s'appuie sur un "
            "diagnostic partagé avec les partenaires concernés pour définir les priorités et les moyens dans le cadre "
            "d'un plan d'actions adapté.",
            "Véritable démarche d'investissement social et territorial, la Ctg favorise ainsi le développement et "
            "l'adaptation des équipements et services aux familles, l'accès aux droits et l'optimisation des "
            "interventions des différents acteurs.",
            "La Ctg s'appuie sur le document de diagnostic et de programmation que constitue le Schéma départemental "
            "des services aux familles (Sdsf) signé par le Préfet, et tous les partenaires départementaux de "
            "l'action sociale.",
        ),
        Paragraphe(
            [
                *enrichi("La Ctg **couvre les domaines d'intervention suivants** : "),
                Fragment(f"{domaines}, "),
                *enrichi("*qui correspondent aux missions de la Caf.*"),
            ]
        ),
        Paragraphe("La Ctg s'appuie sur les principes suivants, avec un objectif général de simplification :"),
        _liste(
            "chaque commune a ses compétences propres en matière d'action sociale, et bénéficie éventuellement d'un "
            "Cej (Contrat enfance jeunesse) avec la Caf. Le Cej est en cours de remplacement par un nouveau dispositif "
            "lié à la Psu (Prestation de service unique): le bonus Ctg, qui sera mobilisable si le territoire est "
            "couvert par une Ctg;",
            "pour éviter de négocier et signer une Ctg par commune, la Caf s'organise pour que la présente convention "
            "permette le recours au bonus sur chaque territoire;",
            "il est donc prévu que chaque commune de la collectivité signe son adhésion à la présente Ctg, tout en "
            "conservant sa propre compétence pour que les opérateurs de son territoire puissent bénéficier du bonus "
            "en fin de Cej, ou pour de nouveaux projets (annexe 4);",
            (
                "la Ctg permet donc de simplifier le partenariat entre la Caf et les collectivités locales, pour les "
                "raisons suivantes :",
                [
                    "une seule convention, un seul diagnostic territorial pour partager une meilleure visibilité de "
                    "l'offre de service existante, et des besoins restant à développer ;",
                    "le diagnostic partagé, à terme, permet d'analyser les attentes des habitants, des usagers, du "
                    "point de vue des bassins d'activités et de vie, des flux de circulation.",
                ],
            ),
        ),
        *_p(
            "A la date de signature, le diagnostic partagé du territoire n'a pas encore pu être réalisé : un "
            "diagnostic territorial type est alors livré par la Caf, fondé sur ses bases de données (annexe 1) ;",
            "La première action de la Ctg consistera donc à animer un diagnostic partagé, avec les données fournies "
            "par la Caf et ses partenaires.",
            "Ce diagnostic permet de :",
        ),
        _liste(
            (
                "faire un état synthétique de l'offre de service sur le territoire, dans les domaines suivants :",
                [
                    "cartographie des bénéficiaires de prestations sociales ;",
                    "cartographie de l'offre d'accueil Caf, physique et numérique ;",
                    "couverture en matière d'équipements et services sociaux financés par la Caf.",
                ],
            ),
            "définir les besoins des usagers non satisfaits en matière de petite enfance, jeunesse, parentalité, "
            "logement, animation de la vie sociale, insertion sociale, handicap.",
        ),
        *_p(
            "Le diagnostic sera validé au plus tard à la fin de la deuxième année de la convention et, selon la "
            "planification des travaux, peut-être déjà en cours, ou même finalisé, au moment de la signature de la "
            "Ctg.",
            "Dans la perspective d'intervenir en cohérence avec les orientations générales déclinées dans le présent "
            "préambule, au plus près des besoins du territoire, les signataires concluent une Ctg pour définir et "
            "renforcer leurs actions sur les champs d'intervention partagés, au service des usagers.",
        ),
    ]


def _articles_1_a_9() -> list:
    return [
        Titre("ARTICLE 1 - OBJET DE LA CTG"),
        *_p(
            "Elle vise à définir le projet stratégique global du territoire à l'égard des familles, ainsi que ses "
            "modalités de mise en œuvre.",
            "Ce projet est établi à partir du diagnostic partagé tenant compte de l'ensemble des problématiques du "
            "territoire.",
            "La Ctg a pour objectifs :",
        ),
        _liste(
            "identifier les besoins prioritaires sur le territoire ;",
            "définir les champs d'intervention à privilégier au regard de l'écart offre/besoin ;",
            "pérenniser et optimiser l'offre des services existante sur l'ensemble du territoire, et au sein de "
            "chaque commune.",
        ),
        Paragraphe(
            "Dans un souci de maintien de l'offre existante, la signature de **la Ctg comporte un double engagement** :"
        ),
        _liste(
            # Seed: "à la date d'effet de la Ctq" (OCR error) → "Ctg".
            "de la Caf, pour maintenir, a minima, sur chaque territoire de compétence communal, les montants de "
            "financements précédemment versés aux équipements en matière de Cej; ces derniers sont ceux existant dans "
            "le cadre des conventions avec la Caf, en cours de validité à la date d'effet de la Ctg;",
            ElementListe(
                [
                    *enrichi(
                        "de chaque commune du territoire de la Collectivité, pour maintenir, a minima, les crédits "
                        "dédiés aux services aux familles dans la cadre du Cej, avant passage aux nouvelles modalités "
                        "de financement."
                    ),
                    Note(
                        "La poursuite de ce concours financier est une condition nécessaire au versement du bonus "
                        "territoire Ctg, vérifié par la Caf via les budgets et compte de résultat des structures."
                    ),
                ]
            ),
            "développer des actions nouvelles permettant de répondre à des besoins non satisfaits par les services "
            "existants.",
        ),
        Titre("ARTICLE 2 – LES CHAMPS D'INTERVENTION DE LA CAF"),
        Paragraphe(
            "Les interventions de la Caf, en matière d'optimisation de l'existant et de développement d'offres "
            "nouvelles, *concernent les missions suivantes* :"
        ),
        _liste(
            "aider les familles à concilier vie familiale, vie professionnelle et vie sociale;",
            "faciliter la relation parentale, favoriser le développement de l'enfant et soutenir les jeunes ;",
            "accompagner les familles pour améliorer leur cadre de vie et leurs conditions de logement;",
            "créer les conditions favorables à l'autonomie, à l'insertion sociale et professionnelle.",
        ),
        Titre("ARTICLE 3 – LES CHAMPS D'INTERVENTION DE LA COLLECTIVITE"),
        *_p(
            "La Collectivité contribue activement au diagnostic partagé, qui permettra à la Caf, à terme, de mieux "
            "accompagner les communes composant son territoire, dans la réalisation des projets sociaux de leur "
            "compétence.",
            "Ces besoins répondent :",
        ),
        _liste(
            "aux champs d'intervention de la Caf cités ci-dessus ;",
            "à des activités complémentaires, repérées ensemble, au cours du diagnostic, et compatibles avec les "
            "missions de la Caf;",
            "à des champs d'intervention d'éventuels d'autres signataires.",
        ),
        Titre("ARTICLE 4 – LES OBJECTIFS PARTAGES AU REGARD DES BESOINS"),
        *_p(
            "Les signataires s'engagent à ce que les *objectifs précis et les projets* conjoints soient identifiés "
            "précisément au plus tard à l'issue de la *deuxième année* de conventionnement, *sur la base du "
            "diagnostic partagé*.",
            "Champs parmi lesquels pourront figurer les enjeux suivants :",
        ),
        _liste(
            (
                "aider les familles à concilier vie familiale, vie professionnelle et vie sociale :",
                [
                    "poursuivre la structuration d'une offre diversifiée en direction de la petite enfance ;",
                    "poursuivre la structuration d'une offre diversifiée en direction des enfants.",
                ],
            ),
            (
                "faciliter la relation parentale, favoriser le développement de l'enfant et soutenir les jeunes :",
                [
                    "Compenser les charges familiales et accompagner les parents dans leur rôle ;",
                    "Contribuer à l'égalité des chances en matière de réussite scolaire et renforcer le lien entre "
                    "les familles et l'école ;",
                    "Faciliter l'autonomie des jeunes, élément de passage à l'âge adulte.",
                ],
            ),
            (
                "accompagner les familles pour améliorer leur cadre de vie et leurs conditions de logement :",
                [
                    "favoriser, pour les familles, des conditions de logement et un cadre de vie de qualité ;",
                    "faciliter l'intégration des usagers dans la vie collective et citoyenne.",
                ],
            ),
            (
                "créer les conditions favorables à l'autonomie, à l'insertion sociale et professionnelle :",
                [
                    "soutenir les personnes et les familles confrontées au handicap;",
                    "aider les familles confrontées à des évènements ou des difficultés fragilisant la vie familiale ;",
                    "accompagner le parcours d'insertion et le retour (et maintien) dans l'emploi des personnes et "
                    "des familles en situation de pauvreté.",
                ],
            ),
        ),
        # Seed: "au sérvice du Schéma" (OCR error) → "service".
        Paragraphe(
            "La Caf et la Collectivité s'engagent ainsi à signer, et à mettre à disposition de chaque commune, une "
            "cartographie des besoins à moyen-long terme, au service du Schéma départemental des services aux "
            "familles."
        ),
        Titre("ARTICLE 5 - ENGAGEMENTS DES PARTENAIRES"),
        *_p(
            "La Caf et la Collectivité s'engagent à mettre en œuvre les moyens nécessaires pour atteindre les "
            "objectifs qu'elles se sont assigné.",
            "La présente convention est conclue dans le cadre des orientations de la Convention d'objectifs et de "
            "gestion signée entre l'Etat et la Cnaf. Elle est mise en œuvre dans le respect des dispositifs et des "
            "outils relevant des compétences propres de chacune des parties, lesquelles restent libres de s'engager "
            "avec leurs partenaires habituels ou d'engager toute action ou toute intervention qu'elles jugeront "
            "nécessaire et utile.",
            "La Ctg matérialise également l'engagement conjoint de la Caf et de la Collectivité à poursuivre leurs "
            "appuis financiers des projets aux services aux familles du territoire.",
        ),
        Paragraphe(
            [
                *enrichi(
                    "La Caf s'engage, à l'issue des contrats enfance & jeunesse (Cej), signés avec des communes du "
                    "territoire, à conserver sur ces communes le montant des financements bonifiés de N-1"
                ),
                Note(
                    "Le montant de référence est celui comptabilisé dans les comptes de la Caf en N-1 (charges à payer)"
                ),
                *enrichi(
                    " à ce titre, et à les répartir directement entre les structures soutenues par chaque commune, "
                    "sous la forme d'un « bonus territoire Caf »."
                ),
            ]
        ),
        *_p(
            "En contrepartie: comme le prévoit la réglementation de ce bonus Ctg, chaque commune, qui était "
            "signataire d'un Cej, doit s'engager a minima à pérenniser ses financements petite enfance et jeunesse "
            "tels que prévus dans le Cej.",
            "Ces engagements pourront évoluer en fonction de l'évolution des compétences détenues.",
        ),
        Titre("ARTICLE 6 - MODALITES DE COLLABORATION"),
        *_p(
            "Les parties s'engagent à mobiliser des moyens humains (personnels qualifiés et en quantité) et matériels "
            "(données, statistiques, etc...) nécessaires à la réalisation des obligations définies dans la présente "
            "convention.",
            "Les parties décident de mettre en place un comité de pilotage.",
            "Ce comité est composé, à parité, de représentants de la Caf et de la Collectivité.",
            "Les instances et modalités de gouvernance seront potentiellement amenées à évoluer dans le courant de la "
            "convention au regard de l'évolution de la dynamique projet.",
            "Les parties conviennent d'un commun accord que des personnes ressources en fonction des thématiques "
            "repérées pourront participer à ce comité de pilotage à titre consultatif.",
            "Cette instance :",
        ),
        _liste(
            "anime et valide le diagnostic initial ;",
            "assure le suivi de la réalisation des objectifs et l'évaluation de la convention ;",
            "contribue à renforcer la coordination entre les partenaires ;",
            "porte une attention particulière aux initiatives et aux actions innovantes du territoire.",
        ),
        *_p(
            "Le comité de pilotage est animé par la Caf en étroite collaboration avec le pilote désigné par la "
            "Collectivité.",
            "Le secrétariat permanent est assuré par la Collectivité, avec l'appui de la Caf.",
            "Le pilotage opérationnel, la collaboration technique et le suivi de la mise en œuvre de la Ctg "
            "reposeront, a minima, sur un comité de pilotage *semestriel* (annexe 2).",
        ),
        Titre("ARTICLE 7 – ECHANGES DE DONNEES"),
        *_p(
            "Les parties s'engagent réciproquement à se communiquer toutes les informations utiles dans le cadre de "
            "l'exécution de la présente convention.",
            "Toutefois, en cas de projet d'échanges de données à caractère personnel, les demandes par l'une des "
            "parties feront obligatoirement l'objet d'une étude d'opportunité, de faisabilité, et de conformité au "
            "Rgpd par l'autre partie, en la qualité de responsable de traitement de cette dernière. Ces demandes "
            "seront soumises pour étude et avis préalable au délégué à la protection des données de la partie qui "
            "détient les données personnelles demandées. Ce délégué pourra être amené à formuler des recommandations "
            "spécifiques à chaque échange de données.",
            # Seed: "mises en eouvre" (OCR error) → "œuvre".
            "Si elles sont mises en œuvre, ces transmissions (ou mises à disposition) de données personnelles "
            "respecteront strictement le Règlement général sur la Protection des données (Rgpd), la loi n° 78-17 du "
            "6 janvier 1978 modifiée relative à l'informatique, aux fichiers et aux libertés ainsi que les décisions, "
            "avis ou préconisations de la Commission nationale de l'informatique et des libertés (Cnil). La présente "
            "convention ne se substitue en rien à la nécessité, pour les responsables de traitement concernés, "
            "d'ajouter le traitement de données personnelles ainsi créé à la liste des traitements qu'il doit tenir "
            "au titre de l'article 30 du Rgpd.",
        ),
        Titre("ARTICLE 8 - COMMUNICATION"),
        *_p(
            "Les parties décideront et réaliseront, **d'un commun accord**, les actions de communication relatives à "
            "la présente convention.",
            "Les supports communs feront apparaître les logos de chacune des parties.",
            "Dans le cadre des actions de communication respectives couvrant le champ de la présente convention, "
            "chaque partie s'engage à mentionner la coopération de l'autre partie et à valoriser ce partenariat.",
        ),
        Titre("ARTICLE 9 - EVALUATION"),
        *_p(
            "Une évaluation des actions sera conduite au fur et à mesure de l'avancée de la mise en œuvre de la Ctg "
            "lors des revues du plan d'actions.",
            "A l'issue de la présente convention, un bilan sera effectué intégrant une évaluation de ses effets. Cette "
            "évaluation devra permettre d'adapter les objectifs en fonction des évolutions constatées.",
        ),
    ]


def _articles_10_a_14(convention: Convention) -> list:
    debut = convention.date_debut
    fin = convention.date_fin
    tribunal = (convention.caf.tribunal_administratif or "").strip()
    recours = "Tout litige résultant de l'exécution de la présente convention est du ressort du Tribunal administratif "
    recours += f"dont relève la Caf ({tribunal})." if tribunal else "dont relève la Caf."
    return [
        Titre("ARTICLE 10 - DUREE DE LA CONVENTION"),
        # Seed: "à compter du 1/01/2022 jusqu'au 31 décembre (N+4 au maximum)": the model's end date is filled in.
        Paragraphe(
            _texte(
                f"La présente convention est conclue à compter du {debut.day}/{debut.month:02d}/{debut.year} "
                f"jusqu'au {date_en_lettres(fin)}."
            )
        ),
        Paragraphe("La présente convention ne peut être reconduite que par accord explicite."),
        Titre("ARTICLE 11 – EXECUTION FORMELLE DE LA CONVENTION"),
        *_p(
            "La présente convention sera complétée de précisions ultérieures.",
            "Si l'une quelconque des stipulations de la présente convention est nulle, au regard d'une règle de droit "
            "en vigueur ou d'une décision judiciaire devenue définitive, elle sera réputée non écrite, mais les autres "
            "stipulations garderont toute leur force et leur portée.",
            "En cas de différences existantes entre l'un quelconque des titres des clauses et l'une quelconque des "
            "clauses, le contenu de la clause prévaudra sur le titre.",
        ),
        Titre("ARTICLE 12 - LA FIN DE LA CONVENTION"),
        Titre("Résiliation de plein droit avec mise en demeure", niveau=2),
        *_p(
            "En cas de non-respect par l'une des parties de l'une de ses obligations résultant de la présente "
            "convention, celle-ci pourra être résiliée de plein droit par l'une ou l'autre partie, à l'expiration "
            "d'un délai d'un mois suivant l'envoi d'une lettre recommandée avec avis de réception valant mise en "
            "demeure de se conformer aux obligations contractuelles et restée infructueuse.",
            "Les infractions par l'une ou l'autre des parties aux lois et règlements en vigueur entraîneront la "
            "résiliation de plein droit de la présente convention par la Caf, à l'expiration d'un délai d'un mois "
            "suivant l'envoi d'une lettre recommandée avec avis de réception valant mise en demeure de se conformer "
            "aux obligations légales ou réglementaires en vigueur et restée infructueuse.",
        ),
        Titre("Résiliation de plein droit sans mise en demeure", niveau=2),
        Paragraphe(
            "La présente convention sera résiliée de plein droit par la Caf, sans qu'il soit besoin de procéder à une "
            "mise en demeure ou de remplir toutes formalités judiciaires, en cas de modification d'un des termes de "
            "la présente convention sans la signature d'un avenant."
        ),
        Titre("Résiliation par consentement mutuel", niveau=2),
        Paragraphe(
            "La présente convention peut être dénoncée par l'une ou l'autre des parties moyennant un délai de "
            "prévenance de 6 mois."
        ),
        Titre("Effets de la résiliation", niveau=2),
        *_p(
            "La résiliation de la présente convention entraînera l'arrêt immédiat des engagements des parties.",
            "La résiliation interviendra sans préjudice de tous autres droits et de tous dommages et intérêts.",
        ),
        Titre("ARTICLE 13 - LES RECOURS"),
        Titre("Recours contentieux", niveau=2),
        Paragraphe(_texte(recours)),
        Titre("ARTICLE 14 - CONFIDENTIALITE"),
        Paragraphe(
            "Les parties sont tenues, ainsi que l'ensemble de leur personnel, au secret professionnel, à l'obligation "
            "de discrétion et à l'obligation de confidentialité pour tout ce qui concerne les faits, informations, "
            "études et décisions dont elles auront eu connaissance durant l'exécution de la présente convention et "
            "après son expiration."
        ),
    ]


def _signatures(convention: Convention, pages: int | None, annexes: int) -> list:
    caf = [Signature(p.qualite_signature, p.nom_signature) for p in _signataires(convention, "caf", ORDRE_SIGNATURE)]
    collectivite = [
        Signature(p.qualite_signature, p.nom_signature)
        for p in _signataires(convention, "collectivite", ORDRE_SIGNATURE)
    ]
    return [
        GarderEnsemble(
            [
                Paragraphe("En autant d'exemplaires originaux que de signataires."),
                Paragraphe(
                    _texte(
                        f"Cette convention comporte {_ou_a_completer(pages, entre_crochets=True)} pages paraphées par "
                        f"les parties et les {annexes} annexes énumérées dans le sommaire."
                    )
                ),
                BlocSignatures(
                    [
                        GroupeSignatures(f"La {convention.caf.nom}", caf),
                        GroupeSignatures("La Collectivité", collectivite),
                    ]
                ),
            ]
        )
    ]


def _annexe1(convention: Convention) -> list:
    choix = list(Annexe1.choices)
    return [
        SautDePage(),
        Titre("ANNEXE 1 - DIAGNOSTIC TERRITORIAL A DATE DE LA SIGNATURE"),
        Paragraphe("(Cocher la case adaptée)", alignement="gauche"),
        *[
            # The last item of the list ends with a full stop, as in the seed.
            CaseACocher(_texte(libelle + ("." if i == len(choix) - 1 else "")), cochee=convention.annexe1 == valeur)
            for i, (valeur, libelle) in enumerate(choix)
        ],
    ]


def _annexe2(convention: Convention) -> list:
    return [
        SautDePage(),
        Titre("ANNEXE 2 – MODALITES DE PILOTAGE STRATEGIQUE ET OPERATIONNEL ET SUIVI DE LA CTG"),
        Paragraphe(
            "Afin de gérer la Ctg en mode projet, les engagements suivants sont utilisables, en fonction du "
            "partenariat avec la Collectivité :"
        ),
        Liste(
            [
                ElementListe(
                    _texte(
                        "Un comité de pilotage, animé par la Caf, avec l'implication du chef de projet désigné par la "
                        f"Collectivité : {nom_complet_epci(convention.epci)}"
                    ),
                    Liste(
                        [
                            ElementListe(_texte(f"Fonction : {_ou_a_completer(convention.chef_projet_fonction)}")),
                            ElementListe(_texte(f"Nom : {_ou_a_completer(convention.chef_projet_nom)}")),
                        ]
                    ),
                )
            ]
        ),
        Paragraphe(
            "Composé, à parité, de représentants Caf et Collectivité, et d'autres cosignataires éventuels.", retrait=1
        ),
        Paragraphe("Ce comité initie, dynamise, et valide les travaux aux principales étapes, et en final.", retrait=1),
        _liste(
            (
                "Les deux animateurs du comité de pilotage, délégués par la Caf et la Collectivité, mobilisent les "
                "moyens humains et techniques nécessaires pour :",
                [
                    "réaliser le diagnostic, de façon pragmatique, formalisé en 20 pages maximum ;",
                    "définir le plan d'actions pour maintenir ou développer l'offre de service, avec des objectifs "
                    "concrets, échéancés, chiffrés, en 10 pages maximum.",
                ],
            )
        ),
        Paragraphe(
            "Les travaux devront impliquer les opérateurs gestionnaires, et donc par leur intermédiaire les usagers "
            "des services."
        ),
    ]


def _annexe3(convention: Convention) -> list:
    if convention.epci.type in {"METRO", "MET69"}:
        instances = [Instance.CONSEIL_METROPOLITAIN]
    else:
        instances = [Instance.CONSEIL_COMMUNAUTAIRE, Instance.BUREAU_COMMUNAUTAIRE]
    if convention.deliberation_instance not in instances:
        instances.append(Instance(convention.deliberation_instance))
    cases = []
    for instance in instances:
        texte = f"Délibération du {instance.label}"
        cochee = instance == convention.deliberation_instance
        if cochee:
            texte += (
                f" n° {_ou_a_completer(convention.deliberation_numero, entre_crochets=True)} en date du "
                f"{date_numerique(convention.deliberation_date)}"
            )
        cases.append(CaseACocher(_texte(texte), cochee=cochee))
    return [
        SautDePage(),
        Titre("ANNEXE 3 - DECISION DU CONSEIL"),
        Paragraphe("(Cocher la case adaptée)", alignement="gauche"),
        *cases,
    ]


def _annexe4(convention: Convention) -> list:
    adhesions = {a.commune_id: a for a in convention.adhesions.all()}
    communes = {a.commune_id: a.commune for a in adhesions.values()}
    for commune in convention.epci.communes.all():
        communes.setdefault(commune.code, commune)
    lignes = []
    for code, commune in sorted(communes.items(), key=lambda item: cle_alphabetique(item[1].nom)):
        adhesion = adhesions.get(code)
        maire = adhesion.maire if adhesion else ""
        jour = adhesion.date_deliberation if adhesion else None
        lignes.append([commune.nom, maire or A_COMPLETER, f"{jour:%d/%m/%Y}" if jour else A_COMPLETER])
    return [
        SautDePage(),
        Titre("ANNEXE 4 – LISTE ET ADHESION DES COMMUNES CONSTITUANT LA COLLECTIVITE SIGNATAIRE DE LA CTG"),
        *_p(
            "La présente convention vise une simplification administrative dans les relations entre la Caf et les "
            "collectivités locales.",
            "Sans remettre en cause la compétence communale, la signature de chaque commune permettra le bénéfice, "
            "sur son propre territoire, du bonus Ctg, qui remplace progressivement le Cej, ou permet le soutien de "
            "nouveaux projets enfance/jeunesse.",
        ),
        Tableau(
            [
                "Liste alphabétique des communes de la collectivité",
                "Nom du ou de la Maire",
                "Date de la délibération du conseil municipal",
            ],
            lignes,
            largeurs=[4, 3.5, 2.5],
        ),
    ]


def blocs_convention(convention: Convention, pages: int | None, annexes: int = NOMBRE_ANNEXES) -> list:
    """The blocks of the convention, in the seed's order. ``pages``: the page count written on the signature page
    (``None``: "[à compléter]"); ``annexes``: the number of annexes written there."""
    return [
        *_parties(convention),
        *_visas(convention),
        *_preambule(convention),
        *_articles_1_a_9(),
        *_articles_10_a_14(convention),
        *_signatures(convention, pages, annexes),
        *_annexe1(convention),
        *_annexe2(convention),
        *_annexe3(convention),
        *_annexe4(convention),
    ]


def entete_convention(convention: Convention) -> str:
    """The text at the top of every page: the @ctes identifier, as the préfecture's stamp shows it."""
    return f"ID: {convention.ctes_identifiant or A_COMPLETER}"


def document_convention(convention: Convention, pages: int | None, annexes: int = NOMBRE_ANNEXES) -> Document:
    return Document(
        titre=f"{convention.titre} — {convention.caf.nom} × {nom_complet_epci(convention.epci)}",
        blocs=blocs_convention(convention, pages, annexes),
        entete=entete_convention(convention),
        auteur=convention.caf.nom,
        logos=logos_des_parties(convention),
    )


# --- Editions ---------------------------------------------------------------------------------------


@dataclass
class EditionConvention:
    """A rendered convention: its bytes, and the page count of its PDF edition (stated on its signature page)."""

    format: str
    contenu: bytes
    pages: int
    passes: int  # layouts of the PDF needed for the page count to be stable
    duree: float  # seconds


def _charger(convention: Convention) -> Convention:
    """The convention with what the document reads, fetched once."""
    from django.db.models import prefetch_related_objects

    prefetch_related_objects([convention], "visas", "signataires", "adhesions__commune")
    return convention


def paginer_convention(convention: Convention, annexes: int = NOMBRE_ANNEXES, pdf: bool = True):
    """Lay the PDF out until the page count it states is its real page count (at most 3 layouts).

    Returns ``(document, mise_en_page, pages, passes)``; ``mise_en_page`` is WeasyPrint's laid-out document when
    ``pdf`` (the PDF is to be written), else None: the count alone is read from the cache when the same text was
    laid out before (:func:`ctg.documents.rendu_pdf.compter_pages`).
    """
    from ctg.documents.rendu_pdf import compter_pages, mettre_en_page

    _charger(convention)
    # First guess: 11 pages of text and annexes 1 to 3, plus the pages of annexe 4's table (about 45 communes a page).
    annonce = 11 + len(convention.adhesions.all()) // 45
    for passe in range(1, PASSES_MAXIMUM + 1):
        document = document_convention(convention, annonce, annexes)
        mise_en_page = mettre_en_page(document) if pdf else None
        pages = len(mise_en_page.pages) if pdf else compter_pages(document)
        if pages == annonce or passe == PASSES_MAXIMUM:
            return document, mise_en_page, pages, passe
        annonce = pages
    raise AssertionError("unreachable")  # pragma: no cover


def editer_convention(convention: Convention, format: str) -> EditionConvention:
    """The convention in ``format`` (txt, docx, pdf); every format states the page count of the PDF edition."""
    if format not in FORMATS:
        raise ValueError(f"Format « {format} » inconnu : choisir parmi {', '.join(FORMATS)}.")
    debut = time.perf_counter()
    document, mise_en_page, pages, passes = paginer_convention(convention, pdf=format == "pdf")
    if format == "pdf":
        contenu = mise_en_page.write_pdf()
    elif format == "docx":
        from ctg.documents.rendu_docx import rendre_docx

        contenu = rendre_docx(document)
    else:
        from ctg.documents.rendu_texte import rendre_texte

        contenu = rendre_texte(document)
    return EditionConvention(format, contenu, pages, passes, time.perf_counter() - debut)


def rendre_convention(convention: Convention, format: str) -> bytes:
    """The convention as bytes in ``format``: ``txt`` (UTF-8), ``docx`` or ``pdf``."""
    return editer_convention(convention, format).contenu
