"""Word rendering of a :class:`~ctg.documents.modele.Document` with python-docx.

The result is meant to be edited in Word or LibreOffice, so it uses the word processor's own structures rather
than look-alikes: headings are the built-in "Title" and "Heading 1–3" styles (they feed the navigation pane and
a table of contents), lists are real lists ("List Bullet", "List Number" styles, numbering restarted for each
numbered list), tables are real tables with a header row repeated on each page, footnotes are real footnotes.
The page is A4 portrait; the header text is in the page header of every page, and the footer says
"Page X / Y" with the PAGE and NUMPAGES fields, computed by the word processor.
"""

from __future__ import annotations

from io import BytesIO

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import XmlPart
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Cm, Mm, Pt, RGBColor

from .echappement import texte_xml
from .modele import (
    MENTION_CONFIDENTIELLE,
    BlocSignatures,
    CaseACocher,
    Document,
    Fragment,
    GarderEnsemble,
    Image,
    Inline,
    Liste,
    Note,
    Paragraphe,
    SautDePage,
    Tableau,
    Titre,
    espaces_insecables,
)

POLICE = "Arial"  # LibreOffice substitutes the metric-compatible Liberation Sans
TAILLE = Pt(10)
TAILLE_TABLEAU = Pt(9)
MARGE = Cm(2)
LARGEUR_UTILE = Mm(210) - 2 * MARGE
RETRAIT_LISTE = Cm(0.635)  # the indent of each level of the template's list styles (360 twips)
NOIR = RGBColor(0, 0, 0)
GRIS = RGBColor(0x55, 0x55, 0x55)
ALIGNEMENTS = {
    None: WD_ALIGN_PARAGRAPH.JUSTIFY,
    "gauche": WD_ALIGN_PARAGRAPH.LEFT,
    "centre": WD_ALIGN_PARAGRAPH.CENTER,
    "droite": WD_ALIGN_PARAGRAPH.RIGHT,
}
STYLES_LISTE = {
    False: ["List Bullet", "List Bullet 2", "List Bullet 3"],
    True: ["List Number", "List Number 2", "List Number 3"],
}

NOTES_VIDES = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr><w:spacing w:after="0" w:line="240" w:lineRule="auto"/>'
    "</w:pPr><w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr><w:spacing w:after="0" w:line="240" '
    'w:lineRule="auto"/></w:pPr><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>'
    "</w:footnotes>"
)


# --- Styles and page --------------------------------------------------------------------------------


def _police_sans_theme(rpr) -> None:
    """Make a run-properties element use POLICE instead of the theme's fonts."""
    rfonts = rpr.find(qn("w:rFonts"))
    if rfonts is None:
        rfonts = OxmlElement("w:rFonts")
        rpr.insert(0, rfonts)
    for attribut in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attribut), None)
    for attribut in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        rfonts.set(qn(attribut), POLICE)


def _preparer_styles(document, langue: str) -> None:
    styles = document.styles
    defauts = styles.element.find(qn("w:docDefaults"))
    rpr = defauts.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _police_sans_theme(rpr)
    lang = rpr.find(qn("w:lang"))
    code = {"fr": "fr-FR"}.get(langue, langue)
    for attribut in ("w:val", "w:eastAsia"):
        lang.set(qn(attribut), code)

    normal = styles["Normal"]
    normal.font.name = POLICE
    normal.font.size = TAILLE
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    normal.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY

    titre = styles["Title"]
    ppr = titre.element.get_or_add_pPr()
    bordure = ppr.find(qn("w:pBdr"))
    if bordure is not None:
        ppr.remove(bordure)
    for nom, taille, gras, italique, avant, apres in (
        ("Title", 16, True, False, 6, 18),
        ("Heading 1", 11.5, True, False, 16, 8),
        ("Heading 2", 10.5, True, False, 10, 4),
        ("Heading 3", 10, True, True, 8, 4),
    ):
        style = styles[nom]
        _police_sans_theme(style.element.get_or_add_rPr())
        style.font.size = Pt(taille)
        style.font.bold = gras
        style.font.italic = italique
        style.font.color.rgb = NOIR
        style.paragraph_format.space_before = Pt(avant)
        style.paragraph_format.space_after = Pt(apres)
        style.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.CENTER if nom == "Title" else WD_ALIGN_PARAGRAPH.LEFT
        style.paragraph_format.keep_with_next = True
    for noms in STYLES_LISTE.values():
        for nom in noms:
            styles[nom].paragraph_format.space_after = Pt(3)
    for nom in ("Header", "Footer"):
        styles[nom].font.size = Pt(8)
        styles[nom].font.color.rgb = GRIS

    note = styles.add_style("Footnote Text", WD_STYLE_TYPE.PARAGRAPH)
    note.element.name_val = "footnote text"
    note.base_style = normal
    note.font.size = Pt(8)
    note.paragraph_format.space_after = Pt(0)
    note.paragraph_format.alignment = WD_ALIGN_PARAGRAPH.LEFT
    appel = styles.add_style("Footnote Reference", WD_STYLE_TYPE.CHARACTER)
    appel.element.name_val = "footnote reference"
    appel.font.superscript = True


def _champ(paragraphe, instruction: str, valeur: str) -> None:
    """A Word field (PAGE, NUMPAGES…) with a provisional value the word processor recomputes."""
    for type_, texte in (("begin", None), (None, instruction), ("separate", None), (None, valeur), ("end", None)):
        run = paragraphe.add_run()
        if type_:
            car = OxmlElement("w:fldChar")
            car.set(qn("w:fldCharType"), type_)
            run._r.append(car)
        elif texte == instruction:
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = f" {instruction} "
            run._r.append(instr)
        else:
            run.text = texte


def _mettre_en_page(document, entete: str, confidentiel: bool = False) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = MARGE
    section.top_margin = section.bottom_margin = MARGE
    section.header_distance = section.footer_distance = Cm(1)
    if entete:
        paragraphe = section.header.paragraphs[0]
        paragraphe.text = texte_xml(entete)
        paragraphe.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    if confidentiel:  # article 14: on every page, above the usual header text
        paragraphe = section.header.paragraphs[0]
        mention = paragraphe.insert_paragraph_before() if entete else paragraphe
        run = mention.add_run(MENTION_CONFIDENTIELLE)
        run.bold = True
        run.font.color.rgb = RGBColor(0xAA, 0, 0)
        mention.alignment = WD_ALIGN_PARAGRAPH.LEFT
    pied = section.footer.paragraphs[0]
    pied.alignment = WD_ALIGN_PARAGRAPH.CENTER
    pied.add_run("Page ")
    _champ(pied, "PAGE", "1")
    pied.add_run(" / ")
    _champ(pied, "NUMPAGES", "1")


# --- Blocks -----------------------------------------------------------------------------------------


class _Rendu:
    def __init__(self, document, typo):
        self.doc = document
        self.t = typo  # applied to every text (French no-break spaces for a French document)
        self.saut_de_page = False
        self.dernier = None  # the last paragraph added to the body
        self.notes = None  # the footnotes part's root element, created with the first note
        self.numero_note = 0

    # Inline content and footnotes

    def _partie_notes(self):
        if self.notes is None:
            partie = XmlPart(
                PackURI("/word/footnotes.xml"), CT.WML_FOOTNOTES, parse_xml(NOTES_VIDES), self.doc.part.package
            )
            self.doc.part.relate_to(partie, RT.FOOTNOTES)
            self.notes = partie.element
        return self.notes

    def _note(self, paragraphe, texte: str) -> None:
        self.numero_note += 1
        numero = self.numero_note
        note = parse_xml(
            f'<w:footnote {nsdecls("w")} w:id="{numero}"><w:p><w:pPr><w:pStyle w:val="FootnoteText"/></w:pPr>'
            '<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteRef/></w:r>'
            '<w:r><w:t xml:space="preserve"> </w:t></w:r></w:p></w:footnote>'
        )
        note.findall(qn("w:p"))[0].findall(qn("w:r"))[-1].find(qn("w:t")).text = " " + self.t(texte)
        self._partie_notes().append(note)
        appel = paragraphe.add_run()
        appel.style = self.doc.styles["footnote reference"]
        reference = OxmlElement("w:footnoteReference")
        reference.set(qn("w:id"), str(numero))
        appel._r.append(reference)

    def inline(self, paragraphe, fragments: list[Inline]) -> None:
        for f in fragments:
            if isinstance(f, Note):
                self._note(paragraphe, f.texte)
            elif isinstance(f, Fragment):
                run = paragraphe.add_run(self.t(f.texte))
                run.bold = f.gras or None
                run.italic = f.italique or None

    def paragraphe(self, style: str | None = None):
        paragraphe = self.dernier = self.doc.add_paragraph(style=style)
        if self.saut_de_page:
            paragraphe.paragraph_format.page_break_before = True
            self.saut_de_page = False
        return paragraphe

    # Blocks

    def bloc(self, bloc) -> None:
        if isinstance(bloc, SautDePage):
            self.saut_de_page = True
        elif isinstance(bloc, GarderEnsemble):
            self.ensemble(bloc)
        elif isinstance(bloc, Titre):
            style = "Title" if bloc.niveau == 0 else f"Heading {min(max(bloc.niveau, 1), 3)}"
            self.paragraphe(style).add_run(self.t(bloc.texte))
        elif isinstance(bloc, Paragraphe):
            paragraphe = self.paragraphe()
            if bloc.alignement in ALIGNEMENTS and bloc.alignement:
                paragraphe.alignment = ALIGNEMENTS[bloc.alignement]
            if bloc.retrait:
                paragraphe.paragraph_format.left_indent = RETRAIT_LISTE * bloc.retrait
            self.inline(paragraphe, bloc.fragments)
        elif isinstance(bloc, CaseACocher):
            paragraphe = self.paragraphe()
            paragraphe.paragraph_format.left_indent = RETRAIT_LISTE
            paragraphe.paragraph_format.first_line_indent = -RETRAIT_LISTE
            paragraphe.add_run(("☒" if bloc.cochee else "☐") + "\t")
            self.inline(paragraphe, bloc.fragments)
        elif isinstance(bloc, Liste):
            self.liste(bloc, 0)
        elif isinstance(bloc, Tableau):
            self.tableau(bloc)
        elif isinstance(bloc, BlocSignatures):
            self.signatures(bloc)
        elif isinstance(bloc, Image):
            self.image(bloc)
        else:  # pragma: no cover
            raise TypeError(f"Bloc inconnu : {bloc!r}")

    def image(self, bloc: Image) -> None:
        if bloc.format != "png":
            raise ValueError("Une figure DOCX doit être en PNG.")
        paragraphe = self.paragraphe()
        paragraphe.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraphe.paragraph_format.keep_with_next = True
        paragraphe.add_run().add_picture(BytesIO(bloc.contenu), width=Cm(bloc.largeur_cm))
        legende = self.paragraphe("Caption")
        legende.alignment = WD_ALIGN_PARAGRAPH.CENTER
        legende.add_run(self.t(bloc.legende))

    def _numerotation(self, style: str) -> int:
        """A new numbering instance for a numbered list, so that it starts again at 1."""
        numerotation = self.doc.part.numbering_part.element
        num_id = int(self.doc.styles[style].element.pPr.numPr.numId.val)
        abstrait = next(n for n in numerotation.num_lst if n.numId == num_id).abstractNumId.val
        nouvelle = numerotation.add_num(abstrait)
        nouvelle.add_lvlOverride(ilvl=0).add_startOverride(1)
        return nouvelle.numId

    def liste(self, liste: Liste, niveau: int) -> None:
        style = STYLES_LISTE[liste.numerotee][min(niveau, 2)]
        num_id = self._numerotation(style) if liste.numerotee else None
        for element in liste.elements:
            paragraphe = self.paragraphe(style)
            if num_id is not None:
                num_pr = paragraphe._p.get_or_add_pPr().get_or_add_numPr()
                num_pr.get_or_add_ilvl().val = 0
                num_pr.get_or_add_numId().val = num_id
            self.inline(paragraphe, element.fragments)
            if element.sous_liste:
                self.liste(element.sous_liste, niveau + 1)
        if niveau == 0 and liste.elements:
            self.dernier.paragraph_format.space_after = Pt(6)  # the list ends like a paragraph

    def _largeurs(self, relatives: list[float] | None, n: int) -> list[int]:
        relatives = relatives or [1] * n
        total = sum(relatives)
        return [int(LARGEUR_UTILE * r / total) for r in relatives]

    def _nouveau_tableau(self, lignes: int, largeurs: list[int], style: str | None):
        if self.saut_de_page:
            self.paragraphe()  # a table cannot start a page by itself: an empty paragraph carries the break
        tableau = self.doc.add_table(rows=lignes, cols=len(largeurs), style=style)
        tableau.alignment = WD_TABLE_ALIGNMENT.CENTER
        tableau.autofit = False
        for colonne, largeur in zip(tableau.columns, largeurs, strict=True):
            colonne.width = largeur
            for cellule in colonne.cells:
                cellule.width = largeur
        return tableau

    def _cellule(
        self, cellule, texte: str, gras: bool = False, alignement=WD_ALIGN_PARAGRAPH.LEFT, taille=TAILLE_TABLEAU
    ):
        paragraphe = cellule.paragraphs[0]
        paragraphe.alignment = alignement
        paragraphe.paragraph_format.space_after = Pt(0)
        paragraphe.paragraph_format.space_before = Pt(0)
        run = paragraphe.add_run(self.t(texte))
        run.bold = gras or None
        run.font.size = taille

    def tableau(self, bloc: Tableau) -> None:
        tableau = self._nouveau_tableau(
            1 + len(bloc.lignes), self._largeurs(bloc.largeurs, len(bloc.entetes)), "Table Grid"
        )
        for i, ligne in enumerate([bloc.entetes, *bloc.lignes]):
            rangee = tableau.rows[i]
            pr = rangee._tr.get_or_add_trPr()
            pr.append(OxmlElement("w:cantSplit"))
            if i == 0:
                pr.append(OxmlElement("w:tblHeader"))
            for cellule, texte in zip(rangee.cells, ligne, strict=True):
                self._cellule(cellule, texte, gras=i == 0)
                marges = cellule._tc.get_or_add_tcPr()
                if i == 0:
                    fond = OxmlElement("w:shd")
                    fond.set(qn("w:val"), "clear")
                    fond.set(qn("w:color"), "auto")
                    fond.set(qn("w:fill"), "E7E6E6")
                    marges.append(fond)

    def signatures(self, bloc: BlocSignatures) -> None:
        colonnes = [(g, s) for g in bloc.groupes for s in (g.signatures or [None])]
        tableau = self._nouveau_tableau(4, self._largeurs(None, len(colonnes)), None)
        debut = 0
        for groupe in bloc.groupes:
            n = max(len(groupe.signatures), 1)
            cellule = tableau.cell(0, debut)
            if n > 1:
                cellule = cellule.merge(tableau.cell(0, debut + n - 1))
            self._cellule(cellule, groupe.titre, gras=True, alignement=WD_ALIGN_PARAGRAPH.CENTER, taille=TAILLE)
            debut += n
        for j, (_, signature) in enumerate(colonnes):
            self._cellule(
                tableau.cell(1, j),
                signature.qualite if signature else "",
                alignement=WD_ALIGN_PARAGRAPH.CENTER,
                taille=TAILLE,
            )
            self._cellule(
                tableau.cell(3, j),
                signature.nom if signature else "",
                alignement=WD_ALIGN_PARAGRAPH.CENTER,
                taille=TAILLE,
            )
        tableau.rows[2].height = Cm(3)
        tableau.rows[0].height = Cm(1)
        for rangee in tableau.rows:
            rangee._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
            for cellule in rangee.cells:
                for paragraphe in cellule.paragraphs:
                    paragraphe.paragraph_format.keep_with_next = True

    def ensemble(self, bloc: GarderEnsemble) -> None:
        corps = self.doc.element.body
        anciens = set(corps)
        for b in bloc.blocs:
            self.bloc(b)
        nouveaux = [element for element in corps if element not in anciens]
        paragraphes = [p for element in nouveaux for p in element.iter(qn("w:p"))]
        for p in paragraphes[:-1]:
            p.get_or_add_pPr().keepNext_val = True


def rendre_docx(document: Document) -> bytes:
    """The document as a .docx file (A4, header text on every page, "Page X / Y" footer)."""
    doc = docx.Document()
    _preparer_styles(doc, document.langue)
    _mettre_en_page(doc, document.entete, document.confidentiel)
    proprietes = doc.core_properties
    proprietes.title = texte_xml(document.titre)
    proprietes.author = texte_xml(document.auteur)
    proprietes.language = {"fr": "fr-FR"}.get(document.langue, document.langue)
    proprietes.comments = ""
    typo = espaces_insecables if document.langue == "fr" else str
    rendu = _Rendu(doc, lambda texte: texte_xml(typo(texte)))
    if document.logos:  # the parties' logos side by side at the top of the first page (article 8)
        paragraphe = rendu.paragraphe()
        paragraphe.alignment = WD_ALIGN_PARAGRAPH.CENTER
        for i, logo in enumerate(document.logos):
            if i:
                paragraphe.add_run("\t\t")
            paragraphe.add_run().add_picture(BytesIO(logo.contenu), height=Cm(1.8))
    for bloc in document.blocs:
        rendu.bloc(bloc)
    corps = doc.element.body
    if len(corps) >= 2 and corps[-2].tag == qn("w:tbl"):
        doc.add_paragraph()  # Word expects a paragraph after a final table
    sortie = BytesIO()
    doc.save(sortie)
    return sortie.getvalue()
