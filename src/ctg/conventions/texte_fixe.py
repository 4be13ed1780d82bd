"""The fixed text of the convention — its préambule and articles 1 to 9, the same for every CTG the Caf signs — kept
as Markdown files in ``textes/`` (a jurist edits them without touching code), read into the blocks of the document
model (``ctg.documents``) by markdown-it-py.

What the files may hold: headings (``#`` a section of the convention: ``Titre`` level 1), paragraphs, bulleted
lists nested down to three levels, the light emphasis of ``enrichi`` (``**gras**``, ``*italique*``), a footnote
written where its call goes (``^[texte de la note]``), and HTML comments (``<!-- … -->``, notes for the editors,
never printed). Anything else is refused when the file is read, so that a mistyped file never prints silently
wrong. The parts that depend on the convention (its parties, its domains, its dates) stay in
``ctg.conventions.document``."""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from ctg.documents import ElementListe, Liste, Paragraphe, Titre
from ctg.documents.modele import Inline, Note, enrichi

DOSSIER = Path(__file__).parent / "textes"
RE_NOTE = re.compile(r"\^\[([^\]]+)\]")
# What a line may hold: text, its line breaks, the emphasis ``enrichi`` reads (links, images, code: refused).
EN_LIGNE_ADMIS = {"text", "softbreak", "em_open", "em_close", "strong_open", "strong_close"}


class TexteIllisible(ValueError):
    """A file of ``textes/`` holds something the convention's document cannot print."""


def _en_ligne(contenu: str) -> str | list[Inline]:
    """A paragraph's or an item's text: one line (a line break of the file is a space), its footnotes as notes."""
    texte = " ".join(contenu.split("\n"))
    if "^[" not in texte:
        return texte
    fragments: list[Inline] = []
    position = 0
    for m in RE_NOTE.finditer(texte):
        if m.start() > position:
            fragments += enrichi(texte[position : m.start()])
        fragments.append(Note(m.group(1)))
        position = m.end()
    if position < len(texte):
        fragments += enrichi(texte[position:])
    return fragments


class _Lecteur:
    def __init__(self, nom: str, jetons: list[Token]):
        self.nom, self.jetons, self.i = nom, jetons, 0

    def refuser(self, jeton: Token):
        ligne = jeton.map[0] + 1 if jeton.map else "?"
        raise TexteIllisible(f"{self.nom}, ligne {ligne} : « {jeton.type} » n'est pas pris en charge.")

    def suivant(self) -> Token:
        jeton = self.jetons[self.i]
        self.i += 1
        return jeton

    def texte(self) -> str:
        """The inline content of the block just opened, and its closing token skipped."""
        contenu = self.suivant()
        if contenu.type != "inline":
            self.refuser(contenu)
        for enfant in contenu.children or []:
            if enfant.type not in EN_LIGNE_ADMIS:
                enfant.map = contenu.map
                self.refuser(enfant)
        self.suivant()
        return contenu.content

    def liste(self) -> Liste:
        elements: list[ElementListe] = []
        while (jeton := self.suivant()).type != "bullet_list_close":
            if jeton.type != "list_item_open":
                self.refuser(jeton)
            texte, sous_liste = None, None
            while (dedans := self.suivant()).type != "list_item_close":
                if dedans.type == "paragraph_open" and texte is None:
                    texte = self.texte()
                elif dedans.type == "bullet_list_open" and sous_liste is None:
                    sous_liste = self.liste()
                else:
                    self.refuser(dedans)
            elements.append(ElementListe(_en_ligne(texte or ""), sous_liste))
        return Liste(elements)

    def blocs(self) -> list:
        blocs: list = []
        while self.i < len(self.jetons):
            jeton = self.suivant()
            if jeton.type == "heading_open" and jeton.tag in ("h1", "h2", "h3"):
                blocs.append(Titre(" ".join(self.texte().split("\n")), niveau=int(jeton.tag[1])))
            elif jeton.type == "paragraph_open":
                blocs.append(Paragraphe(_en_ligne(self.texte())))
            elif jeton.type == "bullet_list_open":
                blocs.append(self.liste())
            elif jeton.type == "html_block" and jeton.content.lstrip().startswith("<!--"):
                continue  # a note for the editors
            else:
                self.refuser(jeton)
        return blocs


@functools.cache
def _lus(nom: str) -> tuple:
    source = (DOSSIER / f"{nom}.md").read_text(encoding="utf-8")
    analyseur = MarkdownIt("commonmark").enable("table")
    return tuple(_Lecteur(f"textes/{nom}.md", analyseur.parse(source)).blocs())


def blocs(nom: str) -> list:
    """The blocks of ``textes/<nom>.md`` (read once per process; each document gets its own copy)."""
    return copy.deepcopy(list(_lus(nom)))
