"""PDF rendering of a :class:`~ctg.documents.modele.Document`: HTML and CSS laid out by WeasyPrint.

The page is A4 with the margins of ``templates/documents/document.css``; the document's header text is printed at
the top of every page and "Page X / Y" at the bottom (CSS paged media: ``@page`` margin boxes and the ``page`` /
``pages`` counters); footnotes are real footnotes at the bottom of their page (``float: footnote``).

Counting pages: :func:`mettre_en_page` returns WeasyPrint's laid-out document, whose ``pages`` can be counted
before writing the PDF (cheaper than writing and reading it back); :func:`compter_pages` gives the count alone and
keeps it in Django's cache under the checksum of the HTML laid out (the same HTML always has the same pages: a page
that states the length of its PDF edition lays it out once, not at every visit); :func:`compter_pages_pdf` counts
the pages of PDF bytes with pypdf.

Fetching: WeasyPrint loads images and stylesheets through :class:`RessourcesStatiques`, which serves only the
product's own static files and ``data:`` URIs (the charts) and refuses anything else — no request ever leaves the
server while a PDF is rendered, whatever the text of the document. User text reaches the CSS only through
:func:`~ctg.documents.echappement.chaine_css`.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import mimetypes
from functools import cache
from html import escape
from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.cache import cache as cache_django
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from .echappement import chaine_css
from .modele import (
    MENTION_CONFIDENTIELLE,
    BlocSignatures,
    CaseACocher,
    Document,
    Fragment,
    GarderEnsemble,
    Image,
    Inline,
    Liste,
    Logo,
    Note,
    Paragraphe,
    SautDePage,
    Tableau,
    Titre,
    espaces_insecables,
)

RETRAIT_MM = 6.35  # one list level, as in the DOCX rendering

journal = logging.getLogger(__name__)


class RessourceRefusee(ValueError):
    """A document asked for a resource that is not one of the product's static files."""


def _racines_statiques() -> list[Path]:
    """The folders static files are served from: ``STATIC_ROOT`` and every folder the staticfiles finders read."""
    racines = [Path(settings.STATIC_ROOT)] if settings.STATIC_ROOT else []
    for finder in finders.get_finders():
        for stockage in getattr(finder, "storages", {}).values():
            if getattr(stockage, "location", None):
                racines.append(Path(stockage.location))
    return [racine.resolve() for racine in racines]


def fichier_statique(url: str) -> Path | None:
    """The static file ``url`` designates, or ``None`` when it designates anything else.

    Accepted: a ``file:`` URL of a file inside ``STATIC_ROOT`` or a folder of the staticfiles finders (a relative
    URL in a document resolves against ``STATIC_ROOT``, see :func:`mettre_en_page`), or ``file:`` + ``STATIC_URL``
    + a name the finders know (what ``{% static %}`` writes). Everything else — another scheme, another host, a
    path outside those folders, ``..`` — is refused.
    """
    morceaux = urlsplit(url)
    if morceaux.scheme.lower() != "file" or morceaux.netloc not in ("", "localhost"):
        return None
    chemin = Path(url2pathname(unquote(morceaux.path)))
    if not chemin.is_absolute():
        return None
    candidats = [chemin]
    prefixe = urlsplit(settings.STATIC_URL or "").path
    if prefixe.startswith("/") and morceaux.path.startswith(prefixe):
        nom = unquote(morceaux.path.removeprefix(prefixe))
        trouve = finders.find(nom) if nom and ".." not in Path(nom).parts else None
        if trouve:
            candidats.append(Path(trouve))
    racines = _racines_statiques()
    for candidat in candidats:
        reel = candidat.resolve()
        if reel.is_file() and any(reel.is_relative_to(racine) for racine in racines):
            return reel
    return None


@cache
def _classe_recuperateur():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class RessourcesStatiques(URLFetcher):
        """WeasyPrint's URL fetcher for every document: ``data:`` URIs and the product's static files only."""

        def __init__(self):
            super().__init__(allowed_protocols={"data"}, allow_redirects=False, fail_on_errors=False)

        def fetch(self, url, headers=None):
            if url[:5].lower() == "data:":
                return super().fetch(url, headers)
            chemin = fichier_statique(url)
            if chemin is None:
                journal.warning("Ressource refusée pendant le rendu d'un PDF : %.200r", url)
                raise RessourceRefusee(f"Seuls les fichiers statiques du produit sont chargés, pas « {url[:200]} ».")
            type_mime = mimetypes.guess_type(chemin.name)[0] or "application/octet-stream"
            return URLFetcherResponse(chemin.as_uri(), chemin.read_bytes(), {"Content-Type": type_mime})

    return RessourcesStatiques


def recuperateur():
    """A new WeasyPrint URL fetcher that serves only the static files and ``data:`` URIs (see
    :func:`fichier_statique`); give it as ``url_fetcher`` to every ``HTML(...)`` or ``CSS(...)``."""
    return _classe_recuperateur()()


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


def _logos(logos: list[Logo]) -> str:
    """The parties' logos side by side at the top of the first page."""
    if not logos:
        return ""
    images = "".join(
        f'<img src="data:image/{"jpeg" if logo.format == "jpeg" else "png"};base64,'
        f'{base64.b64encode(logo.contenu).decode("ascii")}" alt="{escape(logo.texte_alternatif)}">'
        for logo in logos
    )
    return f'<div class="logos">{images}</div>'


def rendre_html(document: Document, css: str = "") -> str:
    """The document as a standalone HTML page styled for print; ``css`` is appended to the base stylesheet."""
    html = _Html(espaces_insecables if document.langue == "fr" else str)
    corps = "\n".join(html.bloc(b) for b in document.blocs)
    if document.confidentiel:  # fixed: repeated on every page by WeasyPrint
        filigrane = escape(MENTION_CONFIDENTIELLE.split(" — ")[0])
        corps = f'<div class="filigrane" aria-hidden="true">{filigrane}</div>{corps}'
    return render_to_string(
        "documents/document.html",
        {
            "langue": document.langue,
            "titre": document.titre,
            "auteur": document.auteur,
            "entete_css": mark_safe(chaine_css(document.entete)),  # nosec B308 B703 -- escaped by chaine_css
            "css_supplementaire": mark_safe(css),  # nosec B308 B703 -- constant CSS of the calling code
            "confidentiel_css": mark_safe(chaine_css(MENTION_CONFIDENTIELLE)) if document.confidentiel else "",  # nosec B308 B703 -- escaped by chaine_css
            "corps": mark_safe(_logos(document.logos) + corps),  # nosec B308 B703 -- every text escaped by _Html
        },
    )


# How long a page count stays in the cache: the static files it depends on (stylesheet, fonts) change only with a
# new version of the product, which restarts the server.
DUREE_CACHE_PAGES = 24 * 3600


def _base_statique() -> str | None:
    return Path(settings.STATIC_ROOT).resolve().as_uri() + "/" if settings.STATIC_ROOT else None


def _cle_pages(html: str) -> str:
    empreinte = hashlib.sha256(f"{_base_statique()}\n{html}".encode()).hexdigest()
    return f"ctg:pages-pdf:{empreinte}"


def _mettre_en_page_html(html: str):
    from weasyprint import HTML

    mise_en_page = HTML(string=html, base_url=_base_statique(), url_fetcher=recuperateur()).render()
    cache_django.set(_cle_pages(html), len(mise_en_page.pages), DUREE_CACHE_PAGES)
    return mise_en_page


def mettre_en_page(document: Document, css: str = ""):
    """WeasyPrint's laid-out document (``.pages`` lists the pages; ``.write_pdf()`` writes it)."""
    return _mettre_en_page_html(rendre_html(document, css))


def compter_pages(document: Document, css: str = "") -> int:
    """The page count of the document's PDF edition: laid out once for a given HTML, then read from the cache."""
    html = rendre_html(document, css)
    pages = cache_django.get(_cle_pages(html))
    return pages if pages is not None else len(_mettre_en_page_html(html).pages)


def rendre_pdf(document: Document, css: str = "") -> bytes:
    """The document as PDF bytes."""
    return mettre_en_page(document, css).write_pdf()


def compter_pages_pdf(pdf: bytes) -> int:
    """The number of pages of a PDF file given as bytes."""
    from pypdf import PdfReader

    return len(PdfReader(BytesIO(pdf)).pages)
