"""Article 14 of the convention (« obligation de discrétion et de confidentialité ») applied to working documents.

A working document is a document whose content the parties have not approved yet: the shared diagnostic before
the comité validates it, the action plan while it is prepared or revised, the minutes of a meeting before they are
approved. While it is one, it is marked on screen (the banner ``documents/bandeau_confidentiel.html``, through the
``{% bandeau_confidentiel objet %}`` tag) and in its PDF/DOCX/text editions (``Document.confidentiel``: the mention
``MENTION_CONFIDENTIELLE`` in the header of every page, a diagonal watermark in the PDF); every download of such an
edition is logged by :func:`journaliser_telechargement` (who, when, which document, which convention), a log the
convention's editors read.

The states are named here by their stored values (this app is below the ones that define them, see the floors of
pyproject.toml); ``tests/documents/test_confidentiel.py`` checks that each is a state of its model.
"""

from __future__ import annotations

from ctg import horloge

from .modele import MENTION_CONFIDENTIELLE

# model label -> the states in which its document is a working document
ETATS_DE_TRAVAIL: dict[str, set[str]] = {
    "diagnostic.diagnosticconvention": {"brouillon", "soumis"},
    "plan.plan": {"en_preparation", "en_revision"},
    "gouvernance.reunion": {"planifiee", "tenue", "annulee"},  # minutes not approved yet
}

__all__ = ["ETATS_DE_TRAVAIL", "MENTION_CONFIDENTIELLE", "est_document_de_travail", "journaliser_telechargement"]


def est_document_de_travail(objet) -> bool:
    """Whether ``objet`` (a diagnostic of a convention, a plan, a meeting) is, in its current state, a working
    document. Anything else (None, a convention, a fiche) is not."""
    if objet is None or not hasattr(objet, "_meta"):
        return False
    etats = ETATS_DE_TRAVAIL.get(objet._meta.label_lower)
    return etats is not None and getattr(objet, "statut", None) in etats


def journaliser_telechargement(request, convention, objet, document: str, format: str):
    """Called by every download view of a document that may be a working document: if ``objet`` (the diagnostic,
    the plan, the meeting) is one, record that the user of ``request`` downloads ``document`` (its title) of
    ``convention`` in ``format`` and return the log row; else record nothing (None)."""
    from .models import TelechargementConfidentiel

    if not est_document_de_travail(objet):
        return None
    return TelechargementConfidentiel.objects.create(
        convention=convention,
        user=request.user,
        document=document[:300],
        format=format[:10],
        telecharge_le=horloge.maintenant(),
    )


def telechargements(convention):
    """The log of ``convention``'s confidential downloads, the latest first."""
    from .models import TelechargementConfidentiel

    return TelechargementConfidentiel.objects.filter(convention=convention).select_related("user")
