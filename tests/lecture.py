"""Reading back what the product produces, to check pages and documents by their content rather than by their
signature: the text of an HTML page (as a reader sees it), of a PDF (pypdf) and of a DOCX (python-docx, paragraphs then
table rows), flattened to single spaces."""

import io
from html.parser import HTMLParser

from docx import Document as Docx
from pypdf import PdfReader


def _aplatir(texte: str) -> str:
    return " ".join(texte.split())


def texte_pdf(contenu: bytes) -> str:
    return _aplatir("\n".join(page.extract_text() for page in PdfReader(io.BytesIO(contenu)).pages))


def texte_docx(contenu: bytes) -> str:
    document = Docx(io.BytesIO(contenu))
    morceaux = [p.text for p in document.paragraphs]
    for tableau in document.tables:
        for ligne in tableau.rows:
            morceaux.append(" | ".join(c.text for c in ligne.cells))
    return _aplatir("\n".join(morceaux))


class _Texte(HTMLParser):
    """The text of an HTML page as a reader sees it: entities decoded, scripts and styles left out."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.morceaux: list[str] = []
        self._ignore = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self._ignore += 1
        elif tag in ("br", "p", "li", "tr", "td", "th", "h1", "h2", "h3", "div", "title"):
            self.morceaux.append(" ")

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._ignore:
            self._ignore -= 1
        elif tag in ("p", "li", "tr", "td", "th", "h1", "h2", "h3", "div", "title"):
            self.morceaux.append(" ")

    def handle_data(self, data):
        if not self._ignore:
            self.morceaux.append(data)


def texte_html(contenu: bytes | str) -> str:
    """The text of an HTML page (entities decoded, narrow and non-breaking spaces read as spaces), flattened to
    single spaces: what the tests compare with the French the page shows, rather than its escaped markup."""
    lecteur = _Texte()
    lecteur.feed(contenu.decode() if isinstance(contenu, bytes) else contenu)
    return _aplatir(espaces_lus("".join(lecteur.morceaux)))


def espaces_lus(texte: str) -> str:
    """French numbers and punctuation use narrow and non-breaking spaces: read them as plain spaces."""
    return texte.replace("\u202f", " ").replace("\xa0", " ")
