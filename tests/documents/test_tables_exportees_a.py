"""Every table shown on the pages of the comité, the plan's follow-up, the conventions' lists and the rgpd pages
exports to CSV and XLSX: a template holding a ``<table class="tableau…">`` links its exports (``{% liens_export %}``),
unless it is an entry grid (a form), listed below with its reason."""

import re
from pathlib import Path

import pytest

import ctg

RACINE = Path(ctg.__file__).parent
GABARITS = [
    "gouvernance/templates/gouvernance/decisions.html",
    "gouvernance/templates/gouvernance/initiatives.html",
    "gouvernance/templates/gouvernance/presences.html",
    "gouvernance/templates/gouvernance/reunion.html",
    "plan/templates/plan/bord.html",
    "plan/templates/plan/fiche.html",
    "plan/templates/plan/besoins.html",
    "plan/templates/plan/revues.html",
    "plan/templates/plan/revue.html",
    "conventions/templates/conventions/liste.html",
    "conventions/templates/conventions/communication/liste.html",
    "rgpd/templates/rgpd/echanges/liste.html",
    "rgpd/templates/rgpd/personnes/telechargements.html",
]
EXEMPTES = {
    "gouvernance/templates/gouvernance/presences.html": "grille de saisie des présences (formulaire)",
}
TABLEAU = re.compile(r"<table\b[^>]*\bclass=\"(?:[^\"]*\s)?tableau[\s\"]")


@pytest.mark.parametrize("gabarit", GABARITS)
def test_chaque_tableau_affiche_s_exporte(gabarit):
    texte = (RACINE / gabarit).read_text(encoding="utf-8")
    tableaux = len(TABLEAU.findall(texte))
    assert tableaux, f"{gabarit} : aucun tableau (liste à mettre à jour)"
    if gabarit in EXEMPTES:
        assert "<form" in texte, f"{gabarit} exempté comme formulaire mais n'en contient pas"
        return
    liens = texte.count("{% liens_export ")
    assert liens >= tableaux, f"{gabarit} : {tableaux} tableau(x) affiché(s), {liens} lien(s) d'export"
