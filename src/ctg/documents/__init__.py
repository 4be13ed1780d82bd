"""Documents shared by every app: a format-neutral document model and its renderers (text, DOCX, PDF).

Build a :class:`Document` from blocks (see :mod:`ctg.documents.modele`), then render it with
:func:`rendre_texte`, :func:`rendre_docx` or :func:`rendre_pdf` — or :func:`rendre` with a format name.
Templates and data of a given document live beside the app that owns it (``ctg.conventions.document`` for the
convention).
"""

from .modele import (
    MENTION_CONFIDENTIELLE,
    BlocSignatures,
    CaseACocher,
    Document,
    ElementListe,
    Fragment,
    GarderEnsemble,
    GroupeSignatures,
    Image,
    Liste,
    Logo,
    Note,
    Paragraphe,
    SautDePage,
    Signature,
    Tableau,
    Titre,
    enrichi,
    texte_brut,
)

FORMATS = {
    "txt": "text/plain; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
}


def rendre(document: Document, format: str) -> bytes:
    """The document in ``format`` (``txt``, ``docx`` or ``pdf``)."""
    if format == "txt":
        from .rendu_texte import rendre_texte

        return rendre_texte(document)
    if format == "docx":
        from .rendu_docx import rendre_docx

        return rendre_docx(document)
    if format == "pdf":
        from .rendu_pdf import rendre_pdf

        return rendre_pdf(document)
    raise ValueError(f"Format « {format} » inconnu : {', '.join(FORMATS)}.")


def rendre_texte(document: Document) -> bytes:
    from .rendu_texte import rendre_texte as rendu

    return rendu(document)


def rendre_docx(document: Document) -> bytes:
    from .rendu_docx import rendre_docx as rendu

    return rendu(document)


def rendre_pdf(document: Document, css: str = "") -> bytes:
    from .rendu_pdf import rendre_pdf as rendu

    return rendu(document, css)


__all__ = [
    "FORMATS",
    "MENTION_CONFIDENTIELLE",
    "Logo",
    "BlocSignatures",
    "CaseACocher",
    "Document",
    "ElementListe",
    "Fragment",
    "GarderEnsemble",
    "GroupeSignatures",
    "Image",
    "Liste",
    "Note",
    "Paragraphe",
    "SautDePage",
    "Signature",
    "Tableau",
    "Titre",
    "enrichi",
    "rendre",
    "rendre_docx",
    "rendre_pdf",
    "rendre_texte",
    "texte_brut",
]
