"""CSV and XLSX exports of the financing tables."""

import io
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from ctg.financement.importation import importer

pytestmark = pytest.mark.django_db


def telecharger(client, demo, format, **params):
    reponse = client.get(f"/financement/conventions/{demo.pk}/export.{format}", params)
    assert reponse.status_code == 200
    return reponse


def test_export_csv_du_bonus(client, demo, comptes):
    client.force_login(comptes["lecture"])
    reponse = telecharger(client, demo, "csv", tableau="bonus", annee=2025)
    assert reponse["Content-Disposition"] == 'attachment; filename="financement-200068500-bonus-2025.csv"'
    texte = reponse.content.decode("utf-8")
    assert texte.startswith("\ufeffCommune;Structure;Type;Gestionnaire;Statut;Bonus territoire dû (€)")
    ligne = next(ligne for ligne in texte.splitlines() if "Les Lucioles" in ligne)
    assert ";Éligible;125415,38;125415,38;0;" in ligne and "Places nouvelles : 8 places" in ligne
    iwuy = next(ligne for ligne in texte.splitlines() if "Les Mésanges" in ligne)
    assert ";Non éligible;0;44000,00;" in iwuy and "n'a pas encore adhéré" in iwuy


def test_export_xlsx_des_engagements_et_du_pluriannuel(client, demo, comptes):
    client.force_login(comptes["lecture"])
    classeur = load_workbook(io.BytesIO(telecharger(client, demo, "xlsx", tableau="engagements").content))
    lignes = list(classeur.active.iter_rows(values_only=True))
    assert lignes[0][0] == "Engagements des communes — CA de Cambrai" and "FICTIVES" in lignes[1][0]
    cambrai_2024 = next(ligne for ligne in lignes if ligne[0] == 2024 and ligne[1] == "Cambrai")
    assert cambrai_2024[3:8] == (273000, 262500, -10500, "comptes de résultat", "Inférieur à l'engagement")
    classeur = load_workbook(io.BytesIO(telecharger(client, demo, "xlsx", tableau="pluriannuel").content))
    lignes = list(classeur.active.iter_rows(values_only=True))
    entete = next(ligne for ligne in lignes if ligne and ligne[0] == "Commune")
    assert entete == ("Commune", "Structure", "Type", "Montant (€)", "2022", "2023", "2024", "2025", "2026")
    total = next(ligne for ligne in lignes if ligne[1] == "Total CA de Cambrai" and ligne[3].startswith("Bonus"))
    assert total[6] == pytest.approx(88615.38 + 55384.62 + 28800 + 18000 + 6000)
    engagements = next(ligne for ligne in lignes if ligne[1] == "Total CA de Cambrai" and ligne[3].startswith("Engag"))
    assert engagements[4:7] == (353000, 420000, 420000)  # Neuville's Cej runs until 2022


def test_le_modele_d_import_se_reimporte_tel_quel(client, demo, comptes):
    client.force_login(comptes["chef.projet"])
    contenu = telecharger(client, demo, "xlsx", tableau="modele", annee=2025).content
    resultat = importer(demo, "modele.xlsx", contenu)
    assert resultat.erreurs == [] and resultat.inchanges == 9 and resultat.ignorees == 1
    csv = telecharger(client, demo, "csv", tableau="modele", annee=2025).content
    assert importer(demo, "modele.csv", csv).inchanges == 9


def test_formats_et_tableaux_inconnus(client, demo, comptes):
    client.force_login(comptes["lecture"])
    assert client.get(f"/financement/conventions/{demo.pk}/export.pdf").status_code == 404
    assert client.get(f"/financement/conventions/{demo.pk}/export.csv", {"tableau": "x"}).status_code == 404


def test_les_montants_exportes_sont_des_decimaux(demo):
    from ctg.financement.exports import table_bonus

    _, lignes, demonstration = table_bonus(demo, 2025)
    assert demonstration and all(isinstance(ligne[5], Decimal) for ligne in lignes)
