"""Reading back what the product produces, to check documents by their content rather than by their signature:
the text of a PDF (pypdf) and of a DOCX (python-docx, paragraphs then table rows), flattened to single spaces."""

import io

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
