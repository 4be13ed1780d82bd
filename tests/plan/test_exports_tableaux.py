"""The plan's tables (dashboard budget and targets of the year, map of needs, reviews, a bilan's evaluations and
effects) export to CSV and XLSX with the columns of their pages, the demonstration warning kept."""

import html
from datetime import date

import pytest

from ctg.plan import cycle
from ctg.plan.regles import fiches_suivies

from ..exports import entetes_de_la_page, lire_export

pytestmark = pytest.mark.django_db

# page → (its tables: table id → export address), addresses relative to /plan/conventions/<pk>/
PAGES = {
    "tableau-de-bord/": {"budget": "tableau-de-bord/budget", "cibles": "tableau-de-bord/cibles"},
    "besoins/": {"besoins-par-commune": "besoins/communes", "besoins": "besoins"},
    "revues/": {"revues": "revues"},
    "revues/{bilan}/": {"evaluations": "revues/{bilan}/evaluations", "effets": "revues/{bilan}/effets"},
}


@pytest.fixture
def bilan(demo, comptes):
    suivi = fiches_suivies(demo)[0]
    evaluation = {
        "fiche": suivi.fiche,
        "progression": 40,
        "statut": "en_cours",
        "commentaire": "",
        "decision": "maintenir",
    }
    return cycle.enregistrer_revue(
        demo, comptes["chef.projet"], date=date(2025, 6, 30), type="bilan", evaluations=[evaluation]
    )


@pytest.mark.date("2026-11-28")
@pytest.mark.parametrize("page", list(PAGES))
def test_exports_avec_les_colonnes_de_la_page(client, demo, comptes, bilan, django_user_model, page):
    base = f"/plan/conventions/{demo.pk}/"
    client.force_login(comptes["lecture"])
    contenu = html.unescape(client.get(base + page.format(bilan=bilan.pk)).content.decode())
    for identifiant, export in PAGES[page].items():
        adresse = base + export.format(bilan=bilan.pk)
        entetes = entetes_de_la_page(contenu, identifiant)
        assert f'href="{adresse}.xlsx"' in contenu
        for format in ("csv", "xlsx"):
            lues, lignes, avertissement = lire_export(client.get(f"{adresse}.{format}").content, format)
            assert lues == [e for e in entetes if e != "Documents"]  # the reviews' PDF/DOCX links stay on the page
            assert lignes and lignes[0][0].splitlines()[0] in contenu, identifiant
            assert format == "csv" or avertissement.startswith("Plan de démonstration")
    client.force_login(django_user_model.objects.create_user("exterieur"))
    assert client.get(f"{base}{export.format(bilan=bilan.pk)}.csv").status_code == 404
