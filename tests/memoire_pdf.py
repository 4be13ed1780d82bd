"""The PDF layouts of the session, kept by the checksum of their HTML: a document laid out again from the same HTML
(the plan of the demo at the same date by a function, then by its page, then by ``ctg plan_render``; the convention
edition counted, then written) is WeasyPrint's same layout, and the PDF written from it the same bytes.

WeasyPrint is given the HTML and nothing else (its resources are the product's static files, fixed for the
session): the same HTML always lays out the same pages, so a test reading a kept layout checks what a new one would
show. Each first layout of an HTML runs as in the product (its resources fetched, a refused resource logged); the
side effect of ``_mettre_en_page_html`` — the page count kept in Django's cache — happens at every call, kept or
not. ``CTG_TESTS_SANS_MEMOIRE_PDF=1`` turns it off, to compare.
"""

from __future__ import annotations

import os
from collections import OrderedDict

ACTIVE = os.environ.get("CTG_TESTS_SANS_MEMOIRE_PDF", "") not in ("1", "true", "oui")
TAILLE = 24  # layouts kept (the least recently used leaves first): a few MB each

_MISES_EN_PAGE: OrderedDict[str, object] = OrderedDict()


class _MiseEnPageGardee:
    """WeasyPrint's laid-out document, whose PDF (written without arguments) is written once."""

    def __init__(self, mise_en_page):
        self._mise_en_page = mise_en_page
        self._pdf: bytes | None = None

    @property
    def pages(self):
        return self._mise_en_page.pages

    def write_pdf(self, *args, **kwargs):
        if args or kwargs:
            return self._mise_en_page.write_pdf(*args, **kwargs)
        if self._pdf is None:
            self._pdf = self._mise_en_page.write_pdf()
        return self._pdf

    def __getattr__(self, nom):
        return getattr(self._mise_en_page, nom)


def installer() -> None:
    """Wrap ``ctg.documents.rendu_pdf._mettre_en_page_html`` (a test replacing it still sees every call)."""
    if not ACTIVE:
        return
    from django.core.cache import cache

    from ctg.documents import rendu_pdf

    original = rendu_pdf._mettre_en_page_html

    def mettre_en_page_html(html: str):
        cle = rendu_pdf._cle_pages(html)
        gardee = _MISES_EN_PAGE.get(cle)
        if gardee is None:
            gardee = _MiseEnPageGardee(original(html))
            _MISES_EN_PAGE[cle] = gardee
            if len(_MISES_EN_PAGE) > TAILLE:
                _MISES_EN_PAGE.popitem(last=False)
        else:
            _MISES_EN_PAGE.move_to_end(cle)
            cache.set(cle, len(gardee.pages), rendu_pdf.DUREE_CACHE_PAGES)
        return gardee

    rendu_pdf._mettre_en_page_html = mettre_en_page_html
