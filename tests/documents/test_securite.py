"""Hostile text in documents: the PDF renderer fetches nothing but the product's static files, and no title becomes
a formula in a CSV or XLSX export."""

import csv
import io
from pathlib import Path
from urllib.request import urlopen

import docx
import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from openpyxl import load_workbook
from pypdf import PdfReader

from ctg.documents import Document, Image, Paragraphe, Tableau, Titre, rendre_docx, rendre_pdf
from ctg.documents.rendu_pdf import RessourceRefusee, fichier_statique, recuperateur, rendre_html
from ctg.documents.tableurs import classeur, csv_excel

from .espion import serveur_espion

CHARGE_CSS = "\r}} html { background: url(%s) }"


def test_l_espion_recoit_bien_les_requetes():
    with serveur_espion() as espion:
        urlopen(espion.url + "essai").read()  # noqa: S310 (a local test server)
    assert espion.requetes == ["/essai"]


@pytest.mark.parametrize("separateur", ["\r", "\n", "\x0c", "\r\n"])
def test_un_en_tete_hostile_ne_fait_rien_charger(separateur):
    with serveur_espion() as espion:
        entete = CHARGE_CSS.replace("\r", separateur) % espion.url
        pdf = rendre_pdf(Document("Essai", [Titre("Essai", 0), Paragraphe("Texte.")], entete=entete))
    assert pdf[:5] == b"%PDF-"
    assert espion.requetes == []


def test_le_rendu_ne_charge_aucune_url_externe_meme_ecrite_dans_le_css():
    with serveur_espion() as espion:
        css = (
            f"html {{ background: url({espion.url}fond.png) }} "
            f"@import url({espion.url}style.css); "
            f"h1 {{ list-style-image: url({espion.url.replace('127.0.0.1', 'localhost')}puce.png) }}"
        )
        pdf = rendre_pdf(Document("Essai", [Titre("Essai", 0)]), css=css)
    assert pdf[:5] == b"%PDF-"
    assert espion.requetes == []


def test_l_en_tete_hostile_reste_du_texte_dans_le_css():
    html = rendre_html(Document("Essai", [], entete=CHARGE_CSS % "http://127.0.0.1:9/"))
    style = html.split("<style>")[1].split("</style>")[0]
    assert 'content: "\\d }} html { background: url(http://127.0.0.1:9/) }";' in style


# --- The URL fetcher ----------------------------------------------------------------------------------------------


def _statique(nom: str) -> Path:
    chemin = finders.find(nom)
    assert chemin, f"fichier statique absent : {nom}"
    return Path(chemin)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8000/",
        "https://example.org/image.png",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "file://example.org/static/ctg/ctg.css",
        "file:///static/../etc/passwd",
        "file:///static/ctg/../../../../etc/passwd",
        "gopher://127.0.0.1:70/",
    ],
)
def test_le_recuperateur_refuse_tout_sauf_les_fichiers_statiques(url):
    assert fichier_statique(url) is None
    with pytest.raises(RessourceRefusee, match="Seuls les fichiers statiques du produit sont chargés"):
        recuperateur()(url)


def test_le_recuperateur_refuse_un_fichier_hors_des_statiques_par_un_lien(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("secret")
    assert fichier_statique(secret.as_uri()) is None
    racine = Path(settings.STATIC_ROOT)
    assert fichier_statique((racine / ".." / secret.name).as_uri()) is None


def test_le_recuperateur_sert_un_fichier_statique_par_son_chemin_et_par_static_url():
    chemin = _statique("ctg/ctg.css")
    reponse = recuperateur()(chemin.as_uri())
    assert reponse.read() == chemin.read_bytes() and reponse.content_type == "text/css"
    reponse = recuperateur()(f"file://{settings.STATIC_URL}vendor/leaflet/images/layers.png")
    assert reponse.read() == _statique("vendor/leaflet/images/layers.png").read_bytes()
    assert reponse.content_type == "image/png"


def test_le_recuperateur_sert_les_uri_data():
    reponse = recuperateur()("data:image/svg+xml;base64,PHN2Zy8+")
    assert reponse.read() == b"<svg/>"


# --- Spreadsheets -------------------------------------------------------------------------------------------------

FORMULE = '=HYPERLINK("http://x")'
ENTETES = ["Titre", "Montant (€)", "Écart"]
LIGNES = [[FORMULE, 1200.5, -55], ["@SUM(A1:A9)", -3, "-2+3"], ["Relais petite enfance", None, 0]]


def test_csv_n_ecrit_aucune_formule():
    contenu = csv_excel([*ENTETES[:2], "+Écart"], LIGNES).decode("utf-8-sig")
    lignes = list(csv.reader(io.StringIO(contenu), delimiter=";"))
    assert lignes[0] == ["Titre", "Montant (€)", "'+Écart"]
    assert lignes[1] == ["'" + FORMULE, "1200,5", "-55"]  # a negative number stays a number
    assert lignes[2] == ["'@SUM(A1:A9)", "-3", "'-2+3"]
    assert lignes[3] == ["Relais petite enfance", "", "0"]


def test_xlsx_n_ecrit_aucune_formule():
    feuille = load_workbook(io.BytesIO(classeur("=1+1", ENTETES, LIGNES, avertissement="-attention"))).active
    assert feuille["A1"].value == "'=1+1" and feuille["A2"].value == "'-attention"
    cellules = {c.coordinate: c for ligne in feuille.iter_rows() for c in ligne if c.value is not None}
    assert not any(c.data_type == "f" for c in cellules.values())
    titre = feuille.cell(row=5, column=1)
    assert titre.value == "'" + FORMULE and titre.data_type == "s"
    assert feuille.cell(row=5, column=3).value == -55 and feuille.cell(row=5, column=3).data_type == "n"
    assert feuille.cell(row=6, column=1).value == "'@SUM(A1:A9)"
    assert feuille.cell(row=6, column=3).value == "'-2+3" and feuille.cell(row=6, column=3).data_type == "s"


def test_xlsx_accepte_un_caractere_de_controle():
    feuille = load_workbook(io.BytesIO(classeur("Titre", ["A"], [["Salle\x0c du\x00 conseil"]]))).active
    assert feuille["A4"].value == "Salle du conseil"


# --- DOCX ---------------------------------------------------------------------------------------------------------


def test_docx_accepte_des_caracteres_de_controle():
    document = Document(
        "Titre\x0c",
        [Titre("Comité\x00", 0), Paragraphe("Salle\x0c du conseil"), Tableau(["Nom"], [["Anne\x1b Test"]])],
        entete="CTG\x0c — Comité",
        auteur="Caf\x0b",
    )
    fichier = docx.Document(io.BytesIO(rendre_docx(document)))
    assert [p.text for p in fichier.paragraphs][:2] == ["Comité", "Salle du conseil"]
    assert fichier.tables[0].cell(1, 0).text == "Anne Test"
    assert fichier.sections[0].header.paragraphs[0].text == "CTG — Comité"


def test_les_images_integrees_sont_toujours_rendues():
    from PIL import Image as ImagePil

    tampon = io.BytesIO()
    ImagePil.new("RGB", (4, 4), "red").save(tampon, "PNG")
    pdf = rendre_pdf(Document("Essai", [Image(tampon.getvalue(), "Carte", 5)]))
    (page,) = PdfReader(io.BytesIO(pdf)).pages
    assert len(page.images) == 1  # the data: URI went through the fetcher
