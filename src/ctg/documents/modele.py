"""A small, format-neutral document model: a document is a list of blocks.

Every document the product produces (convention, diagnostic, action plan, minutes of a comité de pilotage…)
is first built as a :class:`Document` made of the blocks below, then handed to one of the renderers:

- ``ctg.documents.rendu_texte.rendre_texte`` — plain text, UTF-8;
- ``ctg.documents.rendu_docx.rendre_docx`` — an editable Word document (python-docx);
- ``ctg.documents.rendu_pdf.rendre_pdf`` — a PDF laid out by WeasyPrint from HTML and CSS.

The blocks say *what* the content is (a heading, a list, a table…), never how it looks: each renderer
decides the look of its format. Inline text is a list of :class:`Fragment` (a run of text, bold and/or
italic) and :class:`Note` (a footnote). :func:`enrichi` turns a string with a light markup
(``**gras**``, ``*italique*``) into fragments, so long legal texts stay readable in the source.

Example::

    Document(
        titre="Compte rendu",
        entete="Comité de pilotage du 12/03/2025",
        blocs=[
            Titre("Compte rendu", niveau=0),
            Paragraphe(enrichi("Le comité **valide** le diagnostic.")),
            Liste([ElementListe(enrichi("premier point")), ElementListe(enrichi("second point"))]),
            Tableau(["Commune", "Maire"], [["Awoingt", "à compléter"]]),
        ],
    )
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# --- Inline content --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fragment:
    """A run of text with its emphasis."""

    texte: str
    gras: bool = False
    italique: bool = False


@dataclass(frozen=True)
class Note:
    """A footnote, placed where its call appears; renderers number the notes in order (1, 2, 3…)."""

    texte: str


Inline = Fragment | Note

_MARQUES = re.compile(r"\*\*(?P<gras>.+?)\*\*|\*(?P<italique>[^*]+?)\*")


def enrichi(texte: str) -> list[Inline]:
    """Fragments from a string with a light markup: ``**bold**`` and ``*italic*`` (not nested).

    ``enrichi("La Ctg **couvre** les *domaines*")`` gives ``[Fragment("La Ctg "), Fragment("couvre", gras=True),
    Fragment(" les "), Fragment("domaines", italique=True)]``.
    """
    fragments: list[Inline] = []
    position = 0
    for m in _MARQUES.finditer(texte):
        if m.start() > position:
            fragments.append(Fragment(texte[position : m.start()]))
        if m["gras"] is not None:
            fragments.append(Fragment(m["gras"], gras=True))
        else:
            fragments.append(Fragment(m["italique"], italique=True))
        position = m.end()
    if position < len(texte):
        fragments.append(Fragment(texte[position:]))
    return fragments


def texte_brut(fragments: list[Inline]) -> str:
    """The text of fragments without emphasis nor footnotes."""
    return "".join(f.texte for f in fragments if isinstance(f, Fragment))


_ESPACE_AVANT = re.compile(r" (?=[;:!?»])")
_ESPACE_APRES = re.compile(r"(?<=«) ")
INSECABLE = "\u00a0"


def espaces_insecables(texte: str) -> str:
    """French typography for laid-out formats: the space before ``; : ! ? »`` and after ``«`` becomes a no-break
    space, so that a line never starts with "»" or ";". The plain-text rendering keeps ordinary spaces."""
    return _ESPACE_APRES.sub(INSECABLE, _ESPACE_AVANT.sub(INSECABLE, texte))


def _inline(contenu: str | list[Inline]) -> list[Inline]:
    return enrichi(contenu) if isinstance(contenu, str) else list(contenu)


# --- Blocks ----------------------------------------------------------------------------------------


@dataclass
class Titre:
    """A heading. ``niveau`` 0 is the document's title, 1 to 3 the section levels."""

    texte: str
    niveau: int = 1


@dataclass
class Paragraphe:
    """A paragraph of inline fragments (a plain string is read with :func:`enrichi`).

    ``alignement``: ``None`` (the format's default, justified for body text), ``"gauche"``, ``"centre"``,
    ``"droite"``. ``retrait``: indentation in list levels, to continue the text of a list item.
    """

    fragments: list[Inline] | str
    alignement: str | None = None
    retrait: int = 0

    def __post_init__(self):
        self.fragments = _inline(self.fragments)


@dataclass
class ElementListe:
    """One item of a list, with an optional nested list under it."""

    fragments: list[Inline] | str
    sous_liste: Liste | None = None

    def __post_init__(self):
        self.fragments = _inline(self.fragments)


@dataclass
class Liste:
    """A bulleted (or numbered) list; items may hold nested lists, down to three levels."""

    elements: list[ElementListe]
    numerotee: bool = False


@dataclass
class Tableau:
    """A table with a header row repeated on each page. ``largeurs``: relative column widths (any unit)."""

    entetes: list[str]
    lignes: list[list[str]]
    largeurs: list[float] | None = None

    def __post_init__(self):
        for ligne in self.lignes:
            if len(ligne) != len(self.entetes):
                raise ValueError(f"Ligne de {len(ligne)} cellules pour {len(self.entetes)} colonnes : {ligne!r}")


@dataclass
class CaseACocher:
    """A checkbox line, checked or not ("Cocher la case adaptée")."""

    fragments: list[Inline] | str
    cochee: bool = False

    def __post_init__(self):
        self.fragments = _inline(self.fragments)


@dataclass
class Signature:
    """One signatory: the capacity line ("Le Directeur général,") and the name ("Luc GRARD")."""

    qualite: str
    nom: str


@dataclass
class GroupeSignatures:
    """The signatories of one party, under the party's name ("La Caf du Nord")."""

    titre: str
    signatures: list[Signature]


@dataclass
class BlocSignatures:
    """The signature block: one column per signatory, grouped by party, with room to sign."""

    groupes: list[GroupeSignatures]


@dataclass
class SautDePage:
    """Start the next block on a new page (ignored in plain text except as a form feed)."""


@dataclass
class Image:
    """A figure (a map, a chart) as PNG or SVG bytes, with its caption; ``largeur_cm`` on the page."""

    contenu: bytes
    legende: str
    largeur_cm: float = 16.0
    format: str = "png"  # "png" or "svg"
    texte_alternatif: str = ""


@dataclass(frozen=True)
class Logo:
    """A party's logo (article 8 of the convention: joint documents carry the logo of each party), PNG or JPEG."""

    contenu: bytes
    format: str  # "png" or "jpeg"
    texte_alternatif: str


# The mention every working document carries while it is not approved (article 14 of the convention).
MENTION_CONFIDENTIELLE = "Document de travail confidentiel — article 14 de la convention"


@dataclass
class GarderEnsemble:
    """Blocks that should stay on the same page when the format allows it (PDF, DOCX)."""

    blocs: list[Bloc]


Bloc = Titre | Paragraphe | Liste | Tableau | CaseACocher | BlocSignatures | SautDePage | Image | GarderEnsemble


@dataclass
class Document:
    """A whole document: its title (metadata), the header text shown on every page, and its blocks."""

    titre: str
    blocs: list[Bloc] = field(default_factory=list)
    entete: str = ""
    langue: str = "fr"
    auteur: str = ""
    # The parties' logos, at the top of the first page (article 8; ``conventions.communication.logos_des_parties``).
    logos: list[Logo] = field(default_factory=list)
    # A working document (a draft, minutes before approval): the mention MENTION_CONFIDENTIELLE in the header of
    # every page, and a diagonal watermark in the PDF (article 14; ``ctg.documents.confidentialite``).
    confidentiel: bool = False


def parcourir(blocs: list[Bloc]):
    """Every block, with the blocks of :class:`GarderEnsemble` flattened, in order."""
    for bloc in blocs:
        if isinstance(bloc, GarderEnsemble):
            yield from parcourir(bloc.blocs)
        else:
            yield bloc
