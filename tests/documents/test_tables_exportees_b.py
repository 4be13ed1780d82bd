"""Every table shown on the financing, territories, diagnostic, open data and portfolio pages has its "Exporter :
XLSX · CSV" links in its own template, unless it is a form (an entry grid is not a table to export)."""

from pathlib import Path

import ctg

RACINE = Path(ctg.__file__).parent
APPLICATIONS = ["financement", "territoires", "diagnostic", "donnees", "portefeuille"]
EXEMPTES = {
    "financement/cej_form.html": "formulaire : les lignes d'un Cej se saisissent dans un tableau",
    "financement/financement_saisie.html": "formulaire : la liste des financements saisis de la commune, à modifier",
}


def gabarits():
    for app in APPLICATIONS:
        dossier = RACINE / app / "templates"
        for chemin in sorted(dossier.rglob("*.html")):
            yield chemin.relative_to(dossier).as_posix(), chemin.read_text(encoding="utf-8")


def test_chaque_tableau_a_ses_liens_d_export():
    sans_export = [nom for nom, texte in gabarits() if '<table class="tableau' in texte and "liens_export" not in texte]
    assert sorted(sans_export) == sorted(EXEMPTES), "tableau sans {% liens_export %} ni exemption motivée"


def test_les_exemptions_sont_des_formulaires():
    textes = dict(gabarits())
    for nom in EXEMPTES:
        assert "<form" in textes[nom] and '<table class="tableau' in textes[nom], nom
