from datetime import date

import pytest

from ctg.conventions.regles import (
    IdentifiantCtesInvalide,
    ajouter_mois,
    analyser_ctes,
    calculer_resiliation,
    erreurs_ctes,
    fin_deuxieme_annee,
    fin_maximale,
    semestres,
)


@pytest.mark.parametrize(
    ("depart", "mois", "attendu"),
    [
        (date(2022, 3, 15), 1, date(2022, 4, 15)),  # same day number of the next month
        (date(2024, 1, 31), 1, date(2024, 2, 29)),  # leap year: the last day of February
        (date(2023, 1, 31), 1, date(2023, 2, 28)),
        (date(2022, 3, 31), 1, date(2022, 4, 30)),  # April has no 31st
        (date(2022, 8, 31), 6, date(2023, 2, 28)),  # six months: same rule
        (date(2023, 8, 31), 6, date(2024, 2, 29)),
        (date(2022, 12, 31), 1, date(2023, 1, 31)),
        (date(2026, 12, 31), -6, date(2026, 6, 30)),
    ],
)
def test_computation_civile_des_mois(depart, mois, attendu):
    assert ajouter_mois(depart, mois) == attendu


def test_n_plus_4_et_fin_de_deuxieme_annee():
    assert fin_maximale(date(2022, 1, 1)) == date(2026, 12, 31)  # the seed: from 1/1/2022 to 31/12/2026
    assert fin_maximale(date(2024, 7, 1)) == date(2028, 12, 31)
    assert fin_deuxieme_annee(date(2022, 1, 1)) == date(2023, 12, 31)
    assert fin_deuxieme_annee(date(2024, 3, 1)) == date(2026, 2, 28)
    assert fin_deuxieme_annee(date(2024, 2, 29)) == date(2026, 2, 28)  # 29/02/2026 does not exist: end of February


def test_semestres_calendaires():
    assert semestres(date(2022, 1, 1), date(2026, 12, 31))[0] == (date(2022, 1, 1), date(2022, 6, 30))
    assert len(semestres(date(2022, 1, 1), date(2026, 12, 31))) == 10
    assert semestres(date(2022, 9, 1), date(2023, 2, 1)) == [
        (date(2022, 7, 1), date(2022, 12, 31)),
        (date(2023, 1, 1), date(2023, 6, 30)),
    ]


def test_identifiant_ctes_du_seed():
    identifiant = analyser_ctes("059-200068500-20211221-D2021_12_10_01-CC")
    assert identifiant.departement == "059" and identifiant.code_departement == "59"
    assert identifiant.siren == "200068500"
    assert identifiant.date == date(2021, 12, 21)
    assert identifiant.numero == "D2021_12_10_01"
    assert identifiant.nature == "CC" and identifiant.nature_libelle == "contrats, conventions et avenants"
    assert str(identifiant) == "059-200068500-20211221-D2021_12_10_01-CC"
    assert analyser_ctes("02A-200073013-20240105-2024_3-DE").code_departement == "2A"
    assert analyser_ctes("971-200018653-20240105-12-AR").code_departement == "971"


@pytest.mark.parametrize(
    ("texte", "message"),
    [
        ("059-200068500-20211221-D2021_12_10_01", "mal formé"),
        ("59-200068500-20211221-D1-CC", "mal formé"),
        ("059-20006850-20211221-D1-CC", "mal formé"),
        ("059-200068500-20210230-D1-CC", "Date « 20210230 » impossible"),
        ("059-200068500-20211221-D1-XX", "Nature d'acte « XX » inconnue"),
    ],
)
def test_identifiant_ctes_invalide(texte, message):
    with pytest.raises(IdentifiantCtesInvalide, match=message):
        analyser_ctes(texte)


def test_identifiant_ctes_doit_venir_de_la_collectivite():
    assert erreurs_ctes("059-200068500-20211221-D1-CC", "200068500", "59") == []
    erreurs = erreurs_ctes("062-200033579-20211221-D1-CC", "200068500", "59")
    assert any("SIREN" in e for e in erreurs) and any("département" in e for e in erreurs)


@pytest.mark.parametrize(
    ("mode", "envoi", "effet"),
    [
        ("mise_en_demeure", date(2024, 1, 31), date(2024, 2, 29)),
        ("infraction", date(2023, 5, 31), date(2023, 6, 30)),
        ("sans_avenant", date(2024, 3, 12), date(2024, 3, 12)),
        ("denonciation", date(2024, 8, 31), date(2025, 2, 28)),
        ("denonciation", date(2026, 9, 1), date(2026, 12, 31)),  # the convention's own end comes first
    ],
)
def test_dates_de_resiliation(mode, envoi, effet):
    calcul = calculer_resiliation(mode, envoi, date(2026, 12, 31))
    assert calcul.date_effet == effet
    assert f"{effet:%d/%m/%Y}" in calcul.explication


def test_mode_de_resiliation_inconnu():
    with pytest.raises(ValueError, match="inconnu"):
        calculer_resiliation("amiable", date(2024, 1, 1))
