import re
from io import BytesIO

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.shared import Mm
from pypdf import PdfReader

from ctg.documents import Document, Paragraphe, rendre, rendre_docx, rendre_pdf, rendre_texte
from ctg.documents.rendu_pdf import compter_pages_pdf, mettre_en_page, rendre_html

from .conftest import ENTETE

# --- Plain text -------------------------------------------------------------------------------------


def test_texte_utf8_avec_entete_listes_cases_et_notes(document_essai):
    texte = rendre_texte(document_essai).decode("utf-8")
    lignes = texte.split("\n")
    assert lignes[0] == ENTETE
    assert "Un paragraphe gras et italique avec <balise> & esperluette." in lignes
    assert "- premier point avec une note.¹" in lignes
    assert "- second point :" in lignes
    assert "  - sous-point A ;" in lignes  # nested one level deeper
    assert "  Suite du second point, en retrait." in lignes
    assert ["1. un", "2. deux"] == lignes[lignes.index("1. un") : lignes.index("1. un") + 2]
    assert "1. encore un" in lignes  # each numbered list starts again at 1
    assert "☒ case cochée" in lignes and "☐ case vide" in lignes
    assert "¹ Texte de la première note." in lignes
    assert "² Texte de la seconde note." in lignes
    assert texte.count("\f") == 1  # the page break


def test_texte_tableau_et_signatures_en_colonnes_alignees(document_essai):
    lignes = rendre_texte(document_essai).decode("utf-8").split("\n")
    entete = next(ligne for ligne in lignes if ligne.startswith("Commune "))
    assert re.fullmatch(r"Commune\s+Maire\s+Date", entete)
    premiere = lignes[lignes.index(entete) + 2]
    assert premiere.startswith("Commune 01")
    assert premiere.index("à compléter") == entete.index("Maire")  # columns line up
    assert sum(1 for ligne in lignes if ligne.startswith("Commune ") and "à compléter" in ligne) == 60
    parties = next(ligne for ligne in lignes if ligne.startswith("La Caf de l'Ain"))
    assert parties.split()[-2:] == ["La", "Collectivité"]
    noms = next(ligne for ligne in lignes if ligne.startswith("Anne DUPONT"))
    assert re.fullmatch(r"Anne DUPONT\s+Paul MARTIN\s+Julie DURAND", noms)


# --- DOCX -------------------------------------------------------------------------------------------


@pytest.fixture
def docx_essai(document_essai):
    return docx.Document(BytesIO(rendre_docx(document_essai)))


def test_docx_a4_entete_et_pied_de_page_avec_champs(docx_essai):
    section = docx_essai.sections[0]
    assert abs(section.page_width - Mm(210)) < Mm(1) and abs(section.page_height - Mm(297)) < Mm(1)
    assert section.header.paragraphs[0].text == ENTETE
    pied = section.footer.paragraphs[0]
    instructions = [i.text.strip() for i in pied._p.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]
    assert pied.text == "Page 1 / 1"  # provisional values, recomputed by the word processor


def test_docx_vrais_titres_listes_et_styles(docx_essai):
    paragraphes = docx_essai.paragraphs
    styles = {p.text: p.style.name for p in paragraphes}
    assert styles["DOCUMENT D'ESSAI"] == "Title"
    assert styles["Première partie"] == "Heading 1"
    assert styles["Sous-partie"] == "Heading 2"
    assert styles["premier point avec une note."] == "List Bullet"
    assert styles["sous-point A\u00a0;"] == "List Bullet 2"  # French no-break space before ";"
    assert styles["un"] == styles["encore un"] == "List Number"
    num_ids = {
        p.text: p._p.pPr.numPr.numId.val for p in paragraphes if p.text in {"un", "deux", "encore un", "encore deux"}
    }
    assert num_ids["un"] == num_ids["deux"] != num_ids["encore un"]  # the second numbered list restarts at 1
    gras = next(p for p in paragraphes if p.text.startswith("Un paragraphe"))
    assert [(r.text, r.bold, r.italic) for r in gras.runs][:3] == [
        ("Un paragraphe ", None, None),
        ("gras", True, None),
        (" et ", None, None),
    ]
    annexe = next(p for p in paragraphes if p.text == "ANNEXE")
    assert annexe.paragraph_format.page_break_before


def test_docx_vraies_notes_de_bas_de_page(docx_essai):
    partie = next(r.target_part for r in docx_essai.part.rels.values() if r.reltype.endswith("/footnotes"))
    notes = parse_xml(partie.blob).findall(qn("w:footnote"))  # python-docx reads it back as a generic part
    textes = ["".join(t.text for t in n.iter(qn("w:t"))).strip() for n in notes if int(n.get(qn("w:id"))) > 0]
    assert textes == ["Texte de la première note.", "Texte de la seconde note."]
    appels = list(docx_essai.element.body.iter(qn("w:footnoteReference")))
    assert [a.get(qn("w:id")) for a in appels] == ["1", "2"]


def test_docx_vrai_tableau_avec_entete_repetee(docx_essai):
    tableau, signatures = docx_essai.tables
    assert [c.text for c in tableau.rows[0].cells] == ["Commune", "Maire", "Date"]
    assert len(tableau.rows) == 61
    assert tableau.rows[0]._tr.trPr.find(qn("w:tblHeader")) is not None
    assert [c.text for c in tableau.rows[60].cells] == ["Commune 60", "à compléter", "à compléter"]
    textes = [c.text for rangee in signatures.rows for c in rangee.cells]
    assert "La Caf de l'Ain" in textes and "Julie DURAND" in textes


def test_docx_proprietes_du_document(docx_essai):
    assert docx_essai.core_properties.title == "Document d'essai"
    assert docx_essai.core_properties.language == "fr-FR"


# --- PDF --------------------------------------------------------------------------------------------


def test_pdf_a4_entete_et_numeros_de_page_sur_chaque_page(document_essai):
    pdf = rendre_pdf(document_essai)
    assert pdf.startswith(b"%PDF-")
    lecteur = PdfReader(BytesIO(pdf))
    total = compter_pages_pdf(pdf)
    assert total == len(lecteur.pages) >= 2
    for numero, page in enumerate(lecteur.pages, 1):
        assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842
        texte = page.extract_text()
        assert ENTETE in texte
        assert f"Page {numero} / {total}" in texte


def test_pdf_notes_sur_la_page_de_leur_appel(document_essai):
    premiere = PdfReader(BytesIO(rendre_pdf(document_essai))).pages[0].extract_text()
    assert "Texte de la première note." in premiere
    assert "Texte de la seconde note." in premiere


def test_pdf_mise_en_page_compte_les_pages_sans_ecrire(document_essai):
    mise_en_page = mettre_en_page(document_essai)
    assert compter_pages_pdf(mise_en_page.write_pdf()) == len(mise_en_page.pages)


def test_html_echappe_le_texte_et_l_entete():
    html = rendre_html(Document("t", [Paragraphe("<script>alert(1)</script> & co")], entete='a "b" </style>'))
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; co" in html
    assert "<script>" not in html
    assert "</style>" not in html.split("<style>")[1].split("</style>")[0]


def test_rendre_selon_le_format(document_essai):
    assert rendre(document_essai, "txt").startswith(ENTETE.encode())
    assert rendre(document_essai, "docx")[:2] == b"PK"
    assert rendre(document_essai, "pdf")[:5] == b"%PDF-"
    with pytest.raises(ValueError, match="Format « odt » inconnu"):
        rendre(document_essai, "odt")


# --- Page count kept in the cache -------------------------------------------------------------------


def test_le_nombre_de_pages_d_un_meme_texte_est_mis_en_page_une_fois(monkeypatch):
    import uuid

    from ctg.documents import rendu_pdf

    mises_en_page = []
    original = rendu_pdf._mettre_en_page_html

    def compter(html):
        mises_en_page.append(html)
        return original(html)

    monkeypatch.setattr(rendu_pdf, "_mettre_en_page_html", compter)
    marque = uuid.uuid4().hex  # a text never laid out before in this session
    court = Document(titre="Essai", blocs=[Paragraphe(f"Texte {marque}.")])
    long = Document(titre="Essai", blocs=[Paragraphe(f"Texte {marque} {i}.") for i in range(150)])

    assert rendu_pdf.compter_pages(court) == 1
    assert rendu_pdf.compter_pages(court) == 1
    assert len(mises_en_page) == 1  # the second count read the cache
    pages_long = rendu_pdf.compter_pages(long)
    assert pages_long > 1 and len(mises_en_page) == 2  # another text is laid out anew
    # A PDF written from the same text leaves its count in the cache: counting it after lays out nothing.
    plus_long = Document(titre="Essai", blocs=[Paragraphe(f"Autre {marque} {i}.") for i in range(300)])
    pdf = rendu_pdf.rendre_pdf(plus_long)
    assert rendu_pdf.compter_pages(plus_long) == compter_pages_pdf(pdf) and len(mises_en_page) == 3
