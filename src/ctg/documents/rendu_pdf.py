"""PDF rendering of a :class:`~ctg.documents.modele.Document`: HTML and CSS laid out by WeasyPrint.

The page is A4 with the margins of ``templates/documents/document.css``; the document's header text is printed at
the top of every page and "Page X / Y" at the bottom (CSS paged media: ``@page`` margin boxes and the ``page`` /
``pages`` counters); footnotes are real footnotes at the bottom of their page (``float: footnote``).

Counting pages: :func:`mettre_en_page` returns WeasyPrint's laid-out document, whose ``pages`` can be counted
before writing the PDF (cheaper than writing and reading it back); :func:`compter_pages_pdf` counts the pages of
PDF bytes with pypdf.
"""

from __future__ import annotations

import base64
from html import escape
from io import BytesIO

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .modele import (
    BlocSignatures,
    CaseACocher,
    Document,
    Fragment,
    GarderEnsemble,
    Image,
    Inline,
    Liste,
    Note,
    Paragraphe,
    SautDePage,
    Tableau,
    Titre,
    espaces_insecables,
)

RETRAIT_MM = 6.35  # one list level, as in the DOCX rendering


def chaine_css(texte: str) -> str:
    """A CSS string literal (with its quotes) holding ``texte``, safe inside a ``<style>`` element."""
    echappe = texte.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\A ").replace("<", "\\3C ")
    return f'"{echappe}"'


class _Html:
    """HTML of the blocks; ``typo`` is applied to every text (French no-break spaces for a French document)."""

    def __init__(self, typo):
        self.t = typo

    def texte(self, texte: str) -> str:
        return escape(self.t(texte))

    def inline(self, fragments: list[Inline]) -> str:
        morceaux = []
        for f in fragments:
            if isinstance(f, Note):
                morceaux.append(f'<span class="note">{self.texte(f.texte)}</span>')
            elif isinstance(f, Fragment):
                html = self.texte(f.texte)
                if f.italique:
                    html = f"<em>{html}</em>"
                if f.gras:
                    html = f"<strong>{html}</strong>"
                morceaux.append(html)
        return "".join(morceaux)

    def liste(self, liste: Liste) -> str:
        balise = "ol" if liste.numerotee else "ul"
        elements = []
        for element in liste.elements:
            sous = self.liste(element.sous_liste) if element.sous_liste else ""
            elements.append(f"<li>{self.inline(element.fragments)}{sous}</li>")
        return f"<{balise}>{''.join(elements)}</{balise}>"

    def tableau(self, bloc: Tableau) -> str:
        largeurs = bloc.largeurs or [1] * len(bloc.entetes)
        total = sum(largeurs)
        colonnes = "".join(f'<col style="width: {100 * w / total:.2f}%">' for w in largeurs)
        entetes = "".join(f"<th>{self.texte(t)}</th>" for t in bloc.entetes)
        lignes = "".join(
            "<tr>" + "".join(f"<td>{self.texte(c)}</td>" for c in ligne) + "</tr>" for ligne in bloc.lignes
        )
        return (
            f'<table class="tableau"><colgroup>{colonnes}</colgroup><thead><tr>{entetes}</tr></thead>'
            f"<tbody>{lignes}</tbody></table>"
        )

    def signatures(self, bloc: BlocSignatures) -> str:
        titres, qualites, noms = [], [], []
        for groupe in bloc.groupes:
            n = max(len(groupe.signatures), 1)
            titres.append(f'<td colspan="{n}">{self.texte(groupe.titre)}</td>')
            for signature in groupe.signatures or [None]:
                qualites.append(f"<td>{self.texte(signature.qualite) if signature else ''}</td>")
                noms.append(f"<td>{self.texte(signature.nom) if signature else ''}</td>")
        vides = "<td></td>" * len(noms)
        return (
            '<table class="signatures">'
            f'<tr class="parties">{"".join(titres)}</tr><tr>{"".join(qualites)}</tr>'
            f'<tr class="place">{vides}</tr><tr>{"".join(noms)}</tr></table>'
        )

    def bloc(self, bloc) -> str:
        if isinstance(bloc, SautDePage):
            return '<div class="saut-de-page"></div>'
        if isinstance(bloc, GarderEnsemble):
            return '<div class="ensemble">' + "".join(self.bloc(b) for b in bloc.blocs) + "</div>"
        if isinstance(bloc, Titre):
            niveau = min(max(bloc.niveau, 0), 3) + 1
            return f"<h{niveau}>{self.texte(bloc.texte)}</h{niveau}>"
        if isinstance(bloc, Paragraphe):
            classe = f' class="{bloc.alignement}"' if bloc.alignement in {"gauche", "centre", "droite"} else ""
            style = f' style="margin-left: {RETRAIT_MM * bloc.retrait:.2f}mm"' if bloc.retrait else ""
            return f"<p{classe}{style}>{self.inline(bloc.fragments)}</p>"
        if isinstance(bloc, CaseACocher):
            glyphe = "☒" if bloc.cochee else "☐"
            return f'<p class="case"><span class="case-glyphe">{glyphe}</span>{self.inline(bloc.fragments)}</p>'
        if isinstance(bloc, Liste):
            return self.liste(bloc)
        if isinstance(bloc, Tableau):
            return self.tableau(bloc)
        if isinstance(bloc, BlocSignatures):
            return self.signatures(bloc)
        if isinstance(bloc, Image):
            mime = "image/svg+xml" if bloc.format == "svg" else "image/png"
            donnees = base64.b64encode(bloc.contenu).decode("ascii")
            alt = escape(bloc.texte_alternatif or bloc.legende)
            return (
                f'<figure style="width: {bloc.largeur_cm:.1f}cm"><img src="data:{mime};base64,{donnees}" alt="{alt}" '
                f'style="width: 100%"><figcaption>{self.texte(bloc.legende)}</figcaption></figure>'
            )
        raise TypeError(f"Bloc inconnu : {bloc!r}")  # pragma: no cover


def rendre_html(document: Document, css: str = "") -> str:
    """The document as a standalone HTML page styled for print; ``css`` is appended to the base stylesheet."""
    html = _Html(espaces_insecables if document.langue == "fr" else str)
    return render_to_string(
        "documents/document.html",
        {
            "langue": document.langue,
            "titre": document.titre,
            "auteur": document.auteur,
            "entete_css": mark_safe(chaine_css(document.entete)),  # escaped by chaine_css
            "css_supplementaire": mark_safe(css),  # CSS written by the calling code
            "corps": mark_safe("\n".join(html.bloc(b) for b in document.blocs)),  # every text escaped by _Html
        },
    )


def mettre_en_page(document: Document, css: str = ""):
    """WeasyPrint's laid-out document (``.pages`` lists the pages; ``.write_pdf()`` writes it)."""
    from weasyprint import HTML

    return HTML(string=rendre_html(document, css)).render()


def rendre_pdf(document: Document, css: str = "") -> bytes:
    """The document as PDF bytes."""
    return mettre_en_page(document, css).write_pdf()


def compter_pages_pdf(pdf: bytes) -> int:
    """The number of pages of a PDF file given as bytes (needs pypdf, a development dependency for now)."""
    try:
        from pypdf import PdfReader
    except ImportError as exc:  # pragma: no cover
        raise RuntimeError("Compter les pages d'un PDF demande le paquet pypdf (pip install pypdf).") from exc

    return len(PdfReader(BytesIO(pdf)).pages)
