"""The plan's tables (dashboard budget and targets of the year, map of needs, reviews, a bilan's evaluations and
effects, a fiche's budget and its indicators' yearly targets and values) export to CSV and XLSX with the columns of
their pages, the demonstration warning kept."""

import html
from datetime import date

import pytest

from ctg.plan import cycle, tableaux
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


# --- A fiche's tables: its budget, each indicator's yearly targets and values ------------------------------------


def _fr(nombre) -> str:
    """A number as the CSV writes it (decimal comma)."""
    return str(nombre).replace(".", ",")


def _suivi_complet(demo):
    """A demo fiche with a budget (an actual amount known), yearly targets and values entered by hand."""
    return next(
        s
        for s in fiches_suivies(demo)
        if any(x.montant_realise is not None for x in s.fiche.financements.all())
        and any(m.trajectoire and any(p.origine == "saisie" for p in m.points) for m in s.mesures)
    )


@pytest.mark.date("2026-11-28")
def test_budget_d_une_fiche_prevu_realise_et_total(demo):
    suivi = _suivi_complet(demo)
    tableau = tableaux.budget_fiche(suivi)
    contenu = tableau.contenu("csv")
    assert (
        contenu.startswith("\ufeff".encode())
        and b"Financeur;Ann\xc3\xa9e;Nature;Pr\xc3\xa9vu;R\xc3\xa9alis\xc3\xa9\r\n" in contenu
    )
    entetes, lignes, _ = lire_export(contenu, "csv")
    premier = suivi.fiche.financements.all()[0]
    assert lignes[0] == [
        premier.financeur,
        str(premier.annee),
        premier.get_nature_display(),
        _fr(premier.montant),
        "" if premier.montant_realise is None else _fr(premier.montant_realise),
    ]
    assert lignes[-1][:4] == ["Total", "", "", _fr(suivi.budget)]
    assert len(lignes) == len(suivi.fiche.financements.all()) + 1
    entetes_xlsx, lignes_xlsx, avertissement = lire_export(tableau.contenu("xlsx"), "xlsx")
    assert entetes_xlsx == entetes and lignes_xlsx[0][0] == premier.financeur
    assert avertissement.startswith("Plan de démonstration")


@pytest.mark.date("2026-11-28")
def test_cibles_et_valeurs_d_un_indicateur(demo):
    suivi = _suivi_complet(demo)
    mesure = next(m for m in suivi.mesures if m.trajectoire and any(p.origine == "saisie" for p in m.points))
    entetes, lignes, _ = lire_export(tableaux.cibles_indicateur(suivi, mesure).contenu("csv"), "csv")
    assert entetes == ["Année", "Cible de l'année", "Valeur de l'année", "État"]
    annee = mesure.trajectoire[0]
    attendu_valeur = "" if annee.valeur is None else _fr(annee.valeur)
    assert lignes[0][:3] == [str(annee.annee), _fr(annee.cible), attendu_valeur]
    assert lignes[0][3] == tableaux.etat_cible(annee) and len(lignes) == len(mesure.trajectoire)

    entetes, lignes, _ = lire_export(tableaux.valeurs_indicateur(suivi, mesure).contenu("csv"), "csv")
    assert entetes == ["Période", "Valeur", "Origine"]
    saisie = next(p for p in mesure.points if p.origine == "saisie")
    ligne = lignes[mesure.points.index(saisie)]
    assert ligne[:2] == [saisie.periode, _fr(saisie.valeur)]
    assert ligne[2].startswith("saisie") and len(lignes) == len(mesure.points)


@pytest.mark.date("2026-11-28")
def test_la_page_d_une_fiche_lie_les_exports_de_ses_tableaux(client, demo, comptes, django_user_model):
    suivi = _suivi_complet(demo)
    fiche = suivi.fiche
    base = f"/plan/conventions/{demo.pk}/actions/{fiche.pk}/"
    client.force_login(comptes["chef.projet"])  # an editor: the values table has its (hidden) deletion column
    contenu = html.unescape(client.get(base).content.decode())
    tables = {"budget-fiche": "budget"}
    for m in suivi.mesures:
        if m.trajectoire:
            tables[f"cibles-{m.indicateur.pk}"] = f"indicateurs/{m.indicateur.pk}/cibles"
        if m.points:
            tables[f"valeurs-{m.indicateur.pk}"] = f"indicateurs/{m.indicateur.pk}/valeurs"
    assert len(tables) >= 3
    for identifiant, export in tables.items():
        assert f'href="{base}{export}.xlsx"' in contenu and f'href="{base}{export}.csv"' in contenu, identifiant
    identifiant, export = next((i, e) for i, e in tables.items() if i.startswith("valeurs-"))
    lues, lignes, _ = lire_export(client.get(f"{base}{export}.csv").content, "csv")
    assert lues == entetes_de_la_page(contenu, identifiant) and lignes[0][0] in contenu
    lues, _, _ = lire_export(client.get(f"{base}budget.xlsx").content, "xlsx")
    assert lues == entetes_de_la_page(contenu, "budget-fiche")
    assert client.get(f"{base}indicateurs/999999/valeurs.csv").status_code == 404
    client.force_login(django_user_model.objects.create_user("exterieur"))
    assert client.get(f"{base}budget.csv").status_code == 404
