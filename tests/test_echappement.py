"""The escaping functions of ``ctg.documents.echappement``, one per output format, fed hostile strings."""

from datetime import date
from decimal import Decimal
from email.header import decode_header, make_header

import pytest
import tinycss2

from ctg.documents.echappement import (
    LONGUEUR_MAX_EN_TETE,
    cellule_relue,
    cellule_tableur,
    chaine_css,
    en_tete_courriel,
    parametre_ics,
    texte_ics,
    texte_xml,
)

# --- E-mail headers ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "hostile",
    [
        "Comité\r\nBcc: intrus@example.net",
        "Comité\nBcc: intrus@example.net",
        "Comité\rBcc: intrus@example.net",
        "Comité\x00\x0c\x0b\tBcc: intrus@example.net",
        "Comité\u2028\u2029\x85Bcc: intrus@example.net",
    ],
)
def test_en_tete_courriel_tient_sur_une_ligne(hostile):
    ligne = en_tete_courriel(hostile)
    assert ligne == "Comité Bcc: intrus@example.net"


def test_en_tete_courriel_resserre_les_espaces_et_garde_le_texte():
    assert en_tete_courriel("  Convocation :\r\n\r\n  Comité de pilotage — CA de Cambrai  ") == (
        "Convocation : Comité de pilotage — CA de Cambrai"
    )


def test_en_tete_courriel_est_borne():
    ligne = en_tete_courriel("mot " * 500)
    assert len(ligne) == LONGUEUR_MAX_EN_TETE and ligne.endswith("…")
    assert len(en_tete_courriel("x" * 50, longueur_max=20)) == 20


def test_en_tete_courriel_accepte_par_django():
    from django.core.mail import EmailMessage

    message = EmailMessage(subject=en_tete_courriel("Comité\r\nBcc: intrus@example.net\x00"), to=["a@example.org"])
    envoye = message.message()  # would raise BadHeaderError with the raw text
    assert str(make_header(decode_header(envoye["Subject"]))) == "Comité Bcc: intrus@example.net"
    assert envoye["Bcc"] is None and message.recipients() == ["a@example.org"]


# --- CSS strings --------------------------------------------------------------------------------------------------


def _jetons(css: str):
    return [j for j in tinycss2.parse_component_value_list(css) if j.type != "whitespace"]


@pytest.mark.parametrize(
    "hostile",
    [
        "\r}} html { background: url(http://127.0.0.1:8000/) }",
        "\n}} html { background: url(http://127.0.0.1:8000/) }",
        "\x0c}} html { background: url(http://127.0.0.1:8000/) }",
        '"; } html { background: url(http://127.0.0.1:8000/) } x { content: "',
        "'; } html { background: url(http://127.0.0.1:8000/) }",
        '\\"} html { background: url(http://127.0.0.1:8000/) }',
        "</style><img src=http://127.0.0.1:8000/>",
        "a\x00b\x1bc\x7fd\x85e",
    ],
)
def test_chaine_css_reste_une_seule_chaine(hostile):
    litteral = chaine_css(hostile)
    (jeton,) = _jetons(litteral)  # one token: a well-formed string, nothing after it
    assert jeton.type == "string"
    assert jeton.value == hostile.replace("\x00", "\ufffd")  # read back as written
    assert "<" not in litteral and ">" not in litteral
    assert not any(ord(c) < 0x20 or 0x7F <= ord(c) <= 0x9F for c in litteral)


def test_chaine_css_ecrit_les_echappements_hexadecimaux():
    assert chaine_css("a\rb\nc\x0cd") == '"a\\d b\\a c\\c d"'
    assert chaine_css("\\ \" ' < >") == '"\\\\ \\" \\\' \\3c  \\3e "'
    assert chaine_css("Comité de pilotage — 08/12/2026") == '"Comité de pilotage — 08/12/2026"'


# --- iCalendar ---------------------------------------------------------------------------------------------------


def test_texte_ics_garde_les_lignes_et_retire_les_caracteres_de_controle():
    assert texte_ics("Ordre du jour :\r\n1. Bilan\r2. Suite\n3. Fin") == "Ordre du jour :\n1. Bilan\n2. Suite\n3. Fin"
    assert texte_ics("Salle\x0c\x00 du\x1b conseil") == "Salle du conseil"


def test_parametre_ics_tient_sur_une_ligne():
    assert parametre_ics("Anne Test\r\nATTENDEE;CN=Intrus:mailto:intrus@example.net") == (
        "Anne Test ATTENDEE;CN=Intrus:mailto:intrus@example.net"
    )


# --- Spreadsheet cells -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "formule",
    ['=HYPERLINK("http://x")', "+1+1", "-2+3+cmd|' /C calc'!A0", "@SUM(A1:A2)", "\t=1", "\r=1", "＝1+1"],
)
def test_cellule_tableur_neutralise_les_formules(formule):
    assert cellule_tableur(formule) == "'" + formule


@pytest.mark.parametrize("valeur", [-55, -1.5, Decimal("-12.30"), 0, None, True, date(2026, 1, 1)])
def test_cellule_tableur_laisse_les_nombres_et_les_dates(valeur):
    assert cellule_tableur(valeur) is valeur


def test_cellule_tableur_laisse_le_texte_ordinaire():
    assert cellule_tableur("Relais petite enfance — 2 = 1 + 1") == "Relais petite enfance — 2 = 1 + 1"
    assert cellule_tableur("") == ""


def test_cellule_tableur_retire_les_caracteres_qu_un_classeur_refuse():
    assert cellule_tableur("Ti\x00tre\x0c") == "Titre"
    assert cellule_tableur("\x00=1") == "'=1"  # neutralised after the cleaning


@pytest.mark.parametrize("texte", ['=HYPERLINK("http://x")', "- versement partiel", "@x", "texte", "'cité'", ""])
def test_cellule_relue_rend_le_texte_ecrit(texte):
    assert cellule_relue(cellule_tableur(texte)) == texte


# --- XML (DOCX) ---------------------------------------------------------------------------------------------------


def test_texte_xml_retire_ce_que_xml_ne_peut_pas_contenir():
    assert texte_xml("Salle\x00 du\x0c conseil\x1b\ufffe") == "Salle du conseil"
    assert texte_xml("ligne 1\nligne 2\tcolonne\r") == "ligne 1\nligne 2\tcolonne\r"
