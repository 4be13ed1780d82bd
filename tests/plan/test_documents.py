"""Documents and exports: the plan in 10 pages at most (refused beyond, naming the part to shorten), one fiche on
one page, the table as XLSX and CSV (``;``, BOM), the evaluation report, ``ctg plan_render``."""

import csv
import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from ctg.documents.rendu_pdf import compter_pages_pdf
from ctg.plan.documents import PlanTropLong, pages_plan, rendre_fiche, rendre_plan
from ctg.plan.models import FicheAction

from ..lecture import texte_docx
from .conftest import fiche_de_test

pytestmark = pytest.mark.django_db


def test_plan_de_demonstration_tient_en_dix_pages(demo, client, comptes):
    pdf = rendre_plan(demo, "pdf", date(2026, 11, 28))
    pages = compter_pages_pdf(pdf)
    assert 3 <= pages <= 10
    client.force_login(comptes["lecture"])
    reponse = client.get(f"/plan/conventions/{demo.pk}/plan.pdf")
    assert reponse.status_code == 200 and reponse.content[:4] == b"%PDF"
    assert reponse["Content-Disposition"] == 'attachment; filename="plan-actions-200068500.pdf"'
    docx = client.get(f"/plan/conventions/{demo.pk}/plan.docx")
    assert docx.status_code == 200
    titres = list(FicheAction.objects.filter(convention=demo).values_list("titre", flat=True))
    texte = texte_docx(docx.content)
    assert titres and all(" ".join(titre.split()) in texte for titre in titres)
    assert "Budget prévu" in texte and "Réalisé" in texte  # planned and actual, action by action and in total
    assert client.get(f"/plan/conventions/{demo.pk}/plan.txt").status_code == 404


def test_plan_trop_long_refuse_en_nommant_la_partie(convention, client, comptes, tmp_path):
    fiche_de_test(convention, "Action courte")
    fiche_de_test(convention, "Action bavarde", description="Un long développement sans fin. " * 2500)
    with pytest.raises(PlanTropLong) as erreur:
        rendre_plan(convention, "pdf")
    message = str(erreur.value)
    assert "au-delà des 10 pages prévues par l'annexe 2" in message
    assert "Raccourcissez d'abord : « Fiche n° 2 — Action bavarde »" in message
    client.force_login(comptes["lecture"])
    reponse = client.get(f"/plan/conventions/{convention.pk}/plan.docx", follow=True)
    assert "Action bavarde" in reponse.content.decode() and reponse.redirect_chain[-1][0].endswith(f"/{convention.pk}/")
    with pytest.raises(CommandError, match="Action bavarde"):
        call_command("plan_render", str(convention.pk), "--format", "pdf", "--output", str(tmp_path / "plan.pdf"))


def test_une_fiche_sur_une_page(demo, client, comptes):
    for fiche in FicheAction.objects.filter(numero__in=[2, 3, 12]):
        assert compter_pages_pdf(rendre_fiche(fiche, "pdf")) == 1, fiche
    fiche = FicheAction.objects.get(numero=3)
    client.force_login(comptes["membre.copil"])
    reponse = client.get(f"/plan/conventions/{demo.pk}/actions/{fiche.pk}/fiche.docx")
    assert reponse.status_code == 200 and " ".join(fiche.titre.split()) in texte_docx(reponse.content)
    assert 'filename="fiche-action-3.docx"' in reponse["Content-Disposition"]


def test_tableau_csv_et_xlsx(demo, client, comptes):
    client.force_login(comptes["lecture"])
    csv_brut = client.get(f"/plan/conventions/{demo.pk}/plan.csv").content
    assert csv_brut.startswith("\ufeff".encode())
    lignes = list(csv.reader(io.StringIO(csv_brut.decode("utf-8-sig")), delimiter=";"))
    entetes = lignes[0]
    assert {"Structure pilote", "Partenaires", "Budget total (€)", "Début", "Fin"} <= set(entetes)
    assert len(lignes) == 13
    premiere = dict(zip(entetes, lignes[1], strict=True))
    assert premiere["Budget total (€)"] == "275000,00" and premiere["dont fonds propres (€)"] == "80000,00"
    assert premiere["Budget réalisé (€)"] == "244700,00"  # the actual amounts known (2024), the 2025 one to come
    assert premiere["Début"] == "01/09/2023" and premiere["Statut"] == "Terminée"
    assert (
        "Places d'accueil créées : 0 → 12 au 30/09/2025 ; 12 (15/09/2025)"
        in premiere["Indicateurs (initiale → cible à la date ; dernière valeur)"]
    )
    filtre = client.get(f"/plan/conventions/{demo.pk}/plan.csv", {"statut": "en_retard"}).content.decode("utf-8-sig")
    assert len(filtre.strip().splitlines()) == 2

    classeur = load_workbook(io.BytesIO(client.get(f"/plan/conventions/{demo.pk}/plan.xlsx").content))
    assert classeur.sheetnames == ["Actions", "Indicateurs", "Financements"]
    actions = classeur["Actions"]
    assert "DÉMONSTRATION" in actions["A2"].value.upper()
    assert [c.value for c in actions[4]][:3] == ["N°", "Action", "Statut"]
    assert actions.max_row == 4 + 12
    assert [c.value for c in classeur["Financements"][4]][-2:] == ["Montant (€)", "Réalisé (€)"]
    indicateurs = classeur["Indicateurs"]
    assert indicateurs.max_row - 4 == sum(f.indicateurs.count() for f in FicheAction.objects.all())


def test_commande_plan_render(demo, tmp_path, capsys):
    for format_, debut in (
        ("pdf", b"%PDF"),
        ("docx", b"PK\x03\x04"),
        ("xlsx", b"PK\x03\x04"),
        ("csv", b"\xef\xbb\xbf"),
    ):
        sortie = tmp_path / f"plan.{format_}"
        call_command("plan_render", "059-200068500-20211221-D2021_12_10_01-CC", format=format_, output=str(sortie))
        assert sortie.read_bytes()[:4].startswith(debut)
    assert "page(s) sur 10 au plus" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Aucune convention"):
        call_command("plan_render", "999", output=str(tmp_path / "x.pdf"))


def test_nombre_de_pages_du_plan_de_demonstration(demo):
    assert pages_plan(demo, date(2026, 11, 28)) <= 10


def test_une_fiche_longue_tient_encore_sur_une_page(convention):
    fiche = fiche_de_test(convention, "Action détaillée", description="Une phrase de la description. " * 400)
    assert compter_pages_pdf(rendre_fiche(fiche, "pdf")) == 1
    fiche.refresh_from_db()
    assert fiche.description.startswith("Une phrase") and len(fiche.description) > 10000  # the record is untouched
