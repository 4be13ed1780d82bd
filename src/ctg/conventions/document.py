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
    Paragraphe,
    SautDePage,
    Signature,
    Tableau,
    Titre,
    enrichi,
)
from ctg.formats import cle_alphabetique, date_en_lettres

from . import texte_fixe
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
    """The préambule (``textes/preambule-*.md``) around the domains the convention covers."""
    domaines = ", ".join(convention.domaines_libelles) or f"[{A_COMPLETER}]"
    return [
        *texte_fixe.blocs("preambule-debut"),
        Paragraphe(
            [
                *enrichi("La Ctg **couvre les domaines d'intervention suivants** : "),
                Fragment(f"{domaines}, "),
                *enrichi("*qui correspondent aux missions de la Caf.*"),
            ]
        ),
        *texte_fixe.blocs("preambule-fin"),
    ]


def _articles_1_a_9() -> list:
    return texte_fixe.blocs("articles-1-a-9")


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
