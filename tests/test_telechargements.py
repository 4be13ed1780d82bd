"""Every file CTG sends goes out one way (``ctg.televersement.reponse_fichier``): as a download, under a name every
browser reads (an ASCII ``filename`` and the exact one in ``filename*``), never rendered nor sniffed as a page."""

import io
import re
from pathlib import Path

import pytest
from django.utils.http import parse_header_parameters

import ctg
from ctg.televersement import entete_piece_jointe, nom_ascii, reponse_fichier


def parametres(entete: str) -> tuple[str, dict]:
    return parse_header_parameters(entete)


def test_un_nom_hors_latin_1_a_un_repli_ascii_et_le_nom_exact():
    reponse = reponse_fichier(b"<script>alert(1)</script>", "rapport-œ.html", "text/html")
    assert reponse["Content-Disposition"] == (
        "attachment; filename=\"rapport-oe.html\"; filename*=utf-8''rapport-%C5%93.html"
    )
    disposition, valeurs = parametres(reponse["Content-Disposition"])
    assert disposition == "attachment" and valeurs["filename"] == "rapport-œ.html"  # filename* wins when read
    assert reponse["Content-Type"] == "application/octet-stream"
    assert reponse["X-Content-Type-Options"] == "nosniff"
    assert reponse["Content-Security-Policy"] == "default-src 'none'; sandbox"


@pytest.mark.parametrize(
    "nom",
    [
        'compte "définitif".pdf',
        "compte\r\nContent-Type: text/html\r\n\r\n<script>.pdf",
        'a"\nb\\c;d.pdf',
        "rapport\u2028final\x00.pdf",
    ],
)
def test_guillemets_et_sauts_de_ligne_ne_sortent_pas_du_parametre(nom):
    entete = entete_piece_jointe(nom)
    assert not re.search(r"[\x00-\x1f\x7f]", entete)
    assert entete.count('"') == 2  # the quoted ASCII name, nothing else in quotes
    repli = re.match(r'attachment; filename="([^"]*)"(; filename\*=utf-8\'\'[A-Za-z0-9%._~-]+)?$', entete)
    assert repli is not None, entete
    assert re.fullmatch(r"[A-Za-z0-9 ._()+,-]+", repli.group(1))
    _, valeurs = parametres(entete)
    assert "\n" not in valeurs["filename"] and "\r" not in valeurs["filename"]
    assert valeurs["filename"].endswith(".pdf")


def test_un_nom_ascii_simple_reste_tel_quel():
    assert entete_piece_jointe("plan-actions-200068500.pdf") == 'attachment; filename="plan-actions-200068500.pdf"'


@pytest.mark.parametrize(
    ("nom", "repli"),
    [
        ("Compte de résultat 2025 — Crèche.pdf", "Compte de resultat 2025 _ Creche.pdf"),
        ("отчёт.pdf", "fichier.pdf"),
        ("../../etc/passwd", "passwd"),
        (".htaccess", "htaccess"),
        ("", "fichier"),
    ],
)
def test_le_repli_ascii(nom, repli):
    assert nom_ascii(nom) == repli


@pytest.mark.parametrize(
    "type_mime",
    [
        "text/html",
        "TEXT/HTML; charset=utf-8",
        "image/svg+xml",
        "application/xhtml+xml",
        "text/xml",
        "application/xml",
        "application/javascript",
        "text/javascript",
        "",
    ],
)
def test_jamais_servi_comme_page_ni_comme_script(type_mime):
    assert reponse_fichier(b"x", "x.bin", type_mime)["Content-Type"] == "application/octet-stream"


@pytest.mark.parametrize(
    "type_mime",
    [
        "application/pdf",
        "text/csv; charset=utf-8",
        "text/calendar; charset=utf-8",
        "application/json; charset=utf-8",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ],
)
def test_les_types_des_documents_du_produit_sont_gardes(type_mime):
    assert reponse_fichier(b"x", "x", type_mime)["Content-Type"] == type_mime


def test_un_fichier_ouvert_est_envoye_au_fil_de_la_lecture():
    reponse = reponse_fichier(io.BytesIO(b"%PDF-1.4"), "compte.pdf", "application/pdf")
    assert reponse.streaming and b"".join(reponse.streaming_content) == b"%PDF-1.4"
    assert reponse["Content-Disposition"] == 'attachment; filename="compte.pdf"'
    assert reponse["Content-Type"] == "application/pdf"


def test_aucune_vue_n_ecrit_content_disposition_a_la_main():
    """One helper for every download: a header written by hand forgets the fallback or the escaping."""
    racine = Path(ctg.__file__).parent
    fautifs = [
        str(fichier.relative_to(racine))
        for fichier in racine.rglob("*.py")
        if fichier.name != "televersement.py" and "Content-Disposition" in fichier.read_text(encoding="utf-8")
    ]
    assert fautifs == []
