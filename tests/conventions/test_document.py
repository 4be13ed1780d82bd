"""The convention document against the seed: the real CTG Caf du Nord × CA de Cambrai (December 2021)."""

import re
import unicodedata
from datetime import date
from io import BytesIO
from pathlib import Path

import docx
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from docx.oxml.ns import qn
from pypdf import PdfReader

from ctg.comptes.models import caf_du_departement
from ctg.conventions.cycle import creer_convention
from ctg.conventions.document import (
    avec_article,
    blocs_convention,
    cle_alphabetique,
    editer_convention,
    nom_complet_epci,
    rendre_convention,
)
from ctg.conventions.models import Signataire
from ctg.documents.rendu_pdf import compter_pages_pdf
from ctg.territoires.models import Departement, Epci

CTES = "059-200068500-20211221-D2021_12_10_01-CC"
# A copy of shared/seed/convention-ctg-caf-nord-ca-cambrai-2021.txt (the act as published, OCR text), kept in the
# repository so that the test runs anywhere.
SEED = Path(__file__).resolve().parents[1] / "documents/donnees/convention-ctg-caf-nord-ca-cambrai-2021.txt"

# The préfecture's stamp and the page header, repeated on each page of the seed: not body text.
TAMPON = re.compile(r"^(Envoyé en préfecture le .*|Reçu en préfecture le .*|Affiché le.*|ID: \S+)$")
# Bullet and checkbox glyphs at the start of a line ("x" is the seed's ticked box).
PUCE = re.compile(r"^(?:[-■□☐☒•]|x(?= ))\s*")
SECTION = re.compile(r"^(Préambule$|ARTICLE \d+|En autant d'exemplaires|ANNEXE \d)")

# The seed's OCR errors, corrected in the document (see ctg.conventions.document).
CORRECTIONS = {
    "Εt": "Et",  # Greek capital epsilon
    "chaque personnel,": "chaque personne,",
    "la Ctq;": "la Ctg;",
    "au sérvice du": "au service du",
    "mises en eouvre": "mises en œuvre",
}


def remplissages(pages: int) -> dict[str, str]:
    """The seed's model placeholders and the values the Cambrai data gives them."""
    return {
        "jusqu'au 31 décembre (N+4 au maximum)": "jusqu'au 31 décembre 2026",
        "comporte XX pages": f"comporte {pages} pages",
        "les XX annexes": "les 4 annexes",
        "dont relève la Caf.": "dont relève la Caf (Tribunal administratif de Lille).",
        "Communauté d'Agglomération de CAMBRAI": "Communauté d'Agglomération de Cambrai",
    }


def lignes_normalisees(texte: str) -> list[str]:
    """Body lines without stamp, page header, emphasis marks, footnote calls, bullets; whitespace collapsed."""
    lignes = []
    for brute in texte.replace("\f", "\n").split("\n"):
        ligne = re.sub(r"\s+", " ", brute).strip()
        if not ligne or TAMPON.match(ligne) or re.fullmatch(r"[- ]+", ligne):
            continue
        while PUCE.match(ligne):  # "- x Diagnostic type…": a bullet, then a ticked box
            ligne = PUCE.sub("", ligne, count=1)
        ligne = ligne.replace("*", "")
        lignes.append(ligne)
    return lignes


def sans_notes(lignes: list[str]) -> list[str]:
    """Footnotes sit at the bottom of a page in the seed, after their block in the text: compared apart."""
    return [re.sub(r"(?<=\S)[¹²³]", "", ligne) for ligne in lignes if not re.match(r"^[¹²³] ", ligne)]


def sections(lignes: list[str]) -> dict[str, str]:
    """The text of each part: "début" (title, parties, visas), "Préambule", "ARTICLE 1"…, "En autant…",
    "ANNEXE 1"…, each as one string."""
    resultat: dict[str, list[str]] = {"début": []}
    cle = "début"
    for ligne in lignes:
        m = SECTION.match(ligne)
        if m:
            cle = m.group(1)
            resultat[cle] = []
        resultat[cle].append(ligne)
    return {k: " ".join(v) for k, v in resultat.items()}


def texte_seed(pages: int) -> str:
    texte = SEED.read_text(encoding="utf-8")
    for avant, apres in {**CORRECTIONS, **remplissages(pages)}.items():
        assert avant in texte, avant
        texte = texte.replace(avant, apres)
    return texte


def pages_annoncees(texte: str) -> int:
    return int(re.search(r"Cette convention comporte (\d+) pages", re.sub(r"\s+", " ", texte)).group(1))


_EDITIONS = {}


@pytest.fixture
def edition_txt(convention_cambrai):
    """The TXT edition of the Cambrai convention, rendered once for the module (the data never changes)."""
    if "txt" not in _EDITIONS:
        _EDITIONS["txt"] = editer_convention(convention_cambrai, "txt")
    return _EDITIONS["txt"]


# --- The plain text against the seed ----------------------------------------------------------------


def test_txt_en_utf8_avec_l_identifiant_et_les_xx_remplaces(edition_txt):
    texte = edition_txt.contenu.decode("utf-8")
    assert texte.startswith(f"ID: {CTES}\n")
    assert "XX" not in texte
    assert f"Cette convention comporte {edition_txt.pages} pages paraphées par les parties et les 4 annexes" in texte
    assert 8 <= edition_txt.pages <= 20


SECTIONS_SEED = ["début", "Préambule", *[f"ARTICLE {n}" for n in range(1, 15)], "En autant d'exemplaires"]
SECTIONS_SEED += [f"ANNEXE {n}" for n in range(1, 5)]


@pytest.mark.parametrize("cle", SECTIONS_SEED)
def test_chaque_partie_du_seed_a_le_meme_texte(edition_txt, cle):
    seed = sections(sans_notes(lignes_normalisees(texte_seed(edition_txt.pages))))
    rendu = sections(sans_notes(lignes_normalisees(edition_txt.contenu.decode("utf-8"))))
    assert list(seed) == list(rendu)  # same parts, same order
    if cle in {"ANNEXE 3", "ANNEXE 4"}:
        # The seed stops where the délibération and the table of communes were attached: the document goes on.
        assert rendu[cle].startswith(seed[cle])
    else:
        assert rendu[cle] == seed[cle]


def test_chaque_paragraphe_du_seed_apparait_dans_l_ordre(edition_txt):
    seed = sans_notes(lignes_normalisees(texte_seed(edition_txt.pages)))
    rendu = "\n".join(sans_notes(lignes_normalisees(edition_txt.contenu.decode("utf-8"))))
    position = 0
    for ligne in seed:  # a seed line may be part of a paragraph the préfecture's page break cut in two
        trouve = rendu.find(ligne, position)
        assert trouve >= 0, f"absent ou déplacé : {ligne!r}"
        position = trouve + len(ligne)


def test_les_notes_de_bas_de_page_du_seed(edition_txt):
    rendu = lignes_normalisees(edition_txt.contenu.decode("utf-8"))
    notes_seed = [ligne for ligne in lignes_normalisees(texte_seed(edition_txt.pages)) if re.match(r"^[¹²] ", ligne)]
    assert len(notes_seed) == 2
    for note in notes_seed:
        assert note in rendu
    assert any(ligne.endswith("nouvelles modalités de financement.¹") for ligne in rendu)
    assert any("financements bonifiés de N-1² à ce titre" in ligne for ligne in rendu)


def test_parties_et_dates_de_cambrai(edition_txt):
    texte = edition_txt.contenu.decode("utf-8")
    assert (
        "La Caisse d'allocations familiales du Nord représentée par la présidente de son conseil d'administration, "
        "Madame Lydie LIBRIZZI, et par son Directeur général, Monsieur Luc GRARD, dûment autorisés à signer la "
        "présente convention ;"
    ) in texte
    assert (
        "La Communauté d'Agglomération de Cambrai, représentée par son Président, Monsieur François-Xavier VILLAIN, "
        "dûment autorisé à signer la présente convention par délibération du conseil communautaire."
    ) in texte
    assert "conseil communautaire, en date du 10/12/2021 figurant en annexe 3 de la présente convention ;" in texte
    assert "à compter du 1/01/2022 jusqu'au 31 décembre 2026." in texte
    assert "☒ Délibération du conseil communautaire n° D2021_12_10_01 en date du 10/12/2021" in texte
    assert "☒ Diagnostic type établi par la Caf" in texte and "☐ Diagnostic partagé" in texte


def test_annexe_4_toutes_les_communes_par_ordre_alphabetique(convention_cambrai, edition_txt):
    texte = edition_txt.contenu.decode("utf-8")
    annexe = texte[texte.index("ANNEXE 4") :]
    lignes = [re.fullmatch(r"(.+?)\s{3,}à compléter\s{3,}à compléter", ligne) for ligne in annexe.split("\n")]
    noms = [m.group(1) for m in lignes if m]
    attendus = sorted(convention_cambrai.epci.communes.values_list("nom", flat=True), key=cle_alphabetique)
    assert len(noms) == 55
    assert noms == attendus
    assert (noms[0], noms[-1]) == ("Abancourt", "Wambaix")


# --- DOCX -------------------------------------------------------------------------------------------


def test_docx_articles_tableau_et_pages(convention_cambrai):
    edition = editer_convention(convention_cambrai, "docx")
    document = docx.Document(BytesIO(edition.contenu))
    paragraphes = [p for p in document.paragraphs if p.text.strip()]
    titres = [p.text for p in paragraphes if p.style.name == "Heading 1"]
    for n in range(1, 15):
        assert any(t.startswith(f"ARTICLE {n} ") for t in titres), n
    assert [t for t in titres if t.startswith("ANNEXE")] == [
        "ANNEXE 1 - DIAGNOSTIC TERRITORIAL A DATE DE LA SIGNATURE",
        "ANNEXE 2 – MODALITES DE PILOTAGE STRATEGIQUE ET OPERATIONNEL ET SUIVI DE LA CTG",
        "ANNEXE 3 - DECISION DU CONSEIL",
        "ANNEXE 4 – LISTE ET ADHESION DES COMMUNES CONSTITUANT LA COLLECTIVITE SIGNATAIRE DE LA CTG",
    ]
    assert paragraphes[0].style.name == "Title" and paragraphes[0].text == "CONVENTION TERRITORIALE GLOBALE"
    assert any(p.style.name == "List Bullet 2" for p in paragraphes)  # nested lists are real lists

    tableau = next(t for t in document.tables if t.rows[0].cells[0].text.startswith("Liste alphabétique"))
    assert len(tableau.rows) == 56  # header + 55 communes
    assert [c.text for c in tableau.rows[0].cells] == [
        "Liste alphabétique des communes de la collectivité",
        "Nom du ou de la Maire",
        "Date de la délibération du conseil municipal",
    ]
    assert all(r.cells[1].text == r.cells[2].text == "à compléter" for r in tableau.rows[1:])
    assert tableau.rows[1].cells[0].text == "Abancourt" and tableau.rows[-1].cells[0].text == "Wambaix"

    texte = " ".join(p.text for p in paragraphes)
    assert f"Cette convention comporte {edition.pages} pages" in texte  # the page count of the PDF edition
    section = document.sections[0]
    assert section.header.paragraphs[0].text == f"ID: {CTES}"
    assert [i.text.strip() for i in section.footer._element.iter(qn("w:instrText"))] == ["PAGE", "NUMPAGES"]


# --- PDF --------------------------------------------------------------------------------------------


def test_pdf_nombre_de_pages_annonce_exact_a4_et_identifiant_sur_chaque_page(convention_cambrai):
    edition = editer_convention(convention_cambrai, "pdf")
    lecteur = PdfReader(BytesIO(edition.contenu))
    total = compter_pages_pdf(edition.contenu)
    assert total == edition.pages == len(lecteur.pages)
    textes = [page.extract_text() for page in lecteur.pages]
    assert pages_annoncees(" ".join(textes)) == total
    assert edition.passes <= 3
    for numero, (page, texte) in enumerate(zip(lecteur.pages, textes, strict=True), 1):
        assert round(float(page.mediabox.width)) == 595 and round(float(page.mediabox.height)) == 842  # A4
        assert f"ID: {CTES}" in texte
        assert f"Page {numero} / {total}" in texte
    # Each annexe starts a page; the footnotes are printed on the page of their call.
    for n in range(1, 5):
        assert sum(t.lstrip().startswith(f"ANNEXE {n} ") for t in textes) == 1
    for appel, note in (("financement.1", "La poursuite de ce concours"), ("N-12", "Le montant de référence")):
        page = next(t for t in textes if appel in t.replace("\n", ""))
        assert note in page


def test_txt_et_docx_annoncent_les_pages_de_l_edition_pdf(convention_cambrai):
    pdf = rendre_convention(convention_cambrai, "pdf")
    txt = rendre_convention(convention_cambrai, "txt").decode("utf-8")
    document = docx.Document(BytesIO(rendre_convention(convention_cambrai, "docx")))
    assert pages_annoncees(txt) == compter_pages_pdf(pdf)
    assert pages_annoncees(" ".join(p.text for p in document.paragraphs)) == compter_pages_pdf(pdf)


# --- Another convention: other Caf, other EPCI type, other genders ------------------------------------


@pytest.fixture
def convention_ain(db):
    """A CC in the Ain, with a female présidente, a male président of the Caf board and a female directrice."""
    epci = Epci.objects.get(nom="CC de la Dombes")
    caf = caf_du_departement(Departement.objects.get(code="01"))
    convention = creer_convention(
        caf,
        epci,
        date(2025, 1, 1),
        deliberation_date=date(2024, 12, 12),
        deliberation_numero="DEL-2024-45",
        domaines=["petite_enfance", "jeunesse", "parentalite"],
    )
    Signataire.objects.bulk_create(
        [
            Signataire(
                convention=convention,
                partie="caf",
                ordre=1,
                civilite="Monsieur",
                prenom="Paul",
                nom="Martin",
                qualite="president_ca",
            ),
            Signataire(
                convention=convention,
                partie="caf",
                ordre=2,
                civilite="Madame",
                prenom="Anne",
                nom="Dupont",
                qualite="directeur_general",
            ),
            Signataire(
                convention=convention,
                partie="collectivite",
                ordre=1,
                civilite="Madame",
                prenom="Julie",
                nom="Durand",
                qualite="president_epci",
            ),
        ]
    )
    return convention


def test_autre_caf_autre_epci_accords_au_feminin(convention_ain):
    texte = re.sub(r"[ \t]+", " ", rendre_convention(convention_ain, "txt").decode("utf-8"))
    assert (
        "La Caisse d'allocations familiales de l'Ain représentée par le président de son conseil d'administration, "
        "Monsieur Paul MARTIN, et par sa Directrice générale, Madame Anne DUPONT, dûment autorisés à signer la "
        "présente convention ;"
    ) in texte
    assert (
        "La Communauté de Communes de la Dombes, représentée par sa Présidente, Madame Julie DURAND, dûment "
        "autorisée à signer la présente convention par délibération du conseil communautaire."
    ) in texte
    assert "La Caf de l'Ain La Collectivité" in texte
    assert "La Directrice générale, Le Président du conseil d'administration, La Présidente," in texte
    assert "Anne DUPONT Paul MARTIN Julie DURAND" in texte
    assert "couvre les domaines d'intervention suivants : petite enfance, jeunesse, parentalité, qui" in texte
    assert "à compter du 1/01/2025 jusqu'au 31 décembre 2029." in texte
    assert "Vu la délibération du conseil d'administration de la Caf de l'Ain en date du [à compléter]" in texte
    assert "conseil communautaire, en date du 12/12/2024 figurant en annexe 3" in texte
    assert "n° DEL-2024-45 en date du 12/12/2024" in texte
    assert "dont relève la Caf." in texte  # no tribunal recorded for this Caf: nothing invented
    assert "désigné par la Collectivité : Communauté de Communes de la Dombes" in texte
    assert "- Fonction : à compléter" in texte and "- Nom : à compléter" in texte
    assert texte.startswith("ID: à compléter\n")
    for propre_a_cambrai in ("Cambrai", "CAMBRAI", "Nord", "Lille", "059-", "LIBRIZZI", "GRARD", "VILLAIN", "Fanton"):
        assert propre_a_cambrai not in texte, propre_a_cambrai
    communes = convention_ain.epci.communes.count()
    assert texte.count("à compléter à compléter\n") == communes


def test_signataires_manquants_a_completer(db):
    epci = Epci.objects.get(nom="CC de la Dombes")
    convention = creer_convention(caf_du_departement(Departement.objects.get(code="01")), epci, date(2025, 1, 1))
    texte = re.sub(r"[ \t]+", " ", rendre_convention(convention, "txt").decode("utf-8"))
    assert (
        "représentée par le président ou la présidente de son conseil d'administration, [à compléter], et par son "
        "Directeur général ou sa Directrice générale, [à compléter], dûment autorisés à signer"
    ) in texte
    assert "représentée par son Président ou sa Présidente, [à compléter], dûment autorisé(e)" in texte
    assert "en date du [à compléter] figurant en annexe 3" in texte
    assert "n° [à compléter] en date du [à compléter]" in texte


def test_blocs_sans_nombre_de_pages(convention_cambrai):
    from ctg.documents import Document
    from ctg.documents.rendu_texte import rendre_texte

    texte = rendre_texte(Document("t", blocs_convention(convention_cambrai, None, 4))).decode("utf-8")
    assert "Cette convention comporte [à compléter] pages paraphées par les parties et les 4 annexes" in texte


@pytest.mark.parametrize(
    ("nom", "type_", "complet", "en_debut_de_phrase"),
    [
        ("CA de Cambrai", "CA", "Communauté d'Agglomération de Cambrai", "La Communauté d'Agglomération de Cambrai"),
        (
            "CC du Pays de Gex",
            "CC",
            "Communauté de Communes du Pays de Gex",
            "La Communauté de Communes du Pays de Gex",
        ),
        ("CU d'Arras", "CU", "Communauté Urbaine d'Arras", "La Communauté Urbaine d'Arras"),
        ("CA Haut-Bugey Agglomération", "CA", "Haut-Bugey Agglomération", "Haut-Bugey Agglomération"),
        ("CU Angers Loire Métropole", "CU", "Angers Loire Métropole", "Angers Loire Métropole"),
        ("Bordeaux Métropole", "METRO", "Bordeaux Métropole", "Bordeaux Métropole"),
        ("Métropole de Lyon", "MET69", "Métropole de Lyon", "La Métropole de Lyon"),
        ("Eurométropole de Strasbourg", "METRO", "Eurométropole de Strasbourg", "L'Eurométropole de Strasbourg"),
    ],
)
def test_nom_de_la_collectivite_selon_le_type_d_epci(nom, type_, complet, en_debut_de_phrase):
    epci = Epci(nom=nom, type=type_)
    assert nom_complet_epci(epci) == complet
    assert avec_article(complet) == en_debut_de_phrase


def test_ordre_alphabetique_a_la_francaise():
    noms = ["Wambaix", "Éswars", "Escaudœuvres", "Les Rues-des-Vignes", "Lesdain", "estourmel"]
    assert sorted(noms, key=cle_alphabetique) == [
        "Escaudœuvres",
        "estourmel",
        "Éswars",
        "Les Rues-des-Vignes",
        "Lesdain",
        "Wambaix",
    ]


def test_format_inconnu(convention_cambrai):
    with pytest.raises(ValueError, match="Format « odt » inconnu"):
        rendre_convention(convention_cambrai, "odt")


# --- The command ------------------------------------------------------------------------------------


@pytest.mark.parametrize("format_", ["txt", "docx", "pdf"])
def test_commande_ecrit_le_fichier_et_annonce_les_pages(convention_cambrai, tmp_path, capsys, format_):
    sortie = tmp_path / f"convention.{format_}"
    call_command("convention_render", CTES, format=format_, output=str(sortie))
    contenu = sortie.read_bytes()
    assert contenu.startswith({"txt": f"ID: {CTES}".encode(), "docx": b"PK\x03\x04", "pdf": b"%PDF-"}[format_])
    message = capsys.readouterr().out
    assert str(sortie) in message
    pages = compter_pages_pdf(rendre_convention(convention_cambrai, "pdf"))
    assert f"{pages} pages" in message


def test_commande_par_numero_interne(convention_cambrai, tmp_path, capsys):
    sortie = tmp_path / "c.txt"
    call_command("convention_render", str(convention_cambrai.pk), format="txt", output=str(sortie))
    assert sortie.read_text(encoding="utf-8").startswith(f"ID: {CTES}")


def test_commande_convention_inconnue(db, tmp_path):
    sortie = tmp_path / "c.pdf"
    with pytest.raises(CommandError, match="Aucune convention d'identifiant @ctes ou de numéro « 999-inconnu »"):
        call_command("convention_render", "999-inconnu", format="pdf", output=str(sortie))
    assert not sortie.exists()


def test_commande_sortie_impossible(convention_cambrai, tmp_path):
    with pytest.raises(CommandError, match="le dossier .* n'existe pas"):
        call_command("convention_render", CTES, format="txt", output=str(tmp_path / "absent" / "c.txt"))
    with pytest.raises(CommandError, match="est un dossier"):
        call_command("convention_render", CTES, format="txt", output=str(tmp_path))


def test_aucun_caractere_de_controle_hors_saut_de_page(edition_txt):
    texte = edition_txt.contenu.decode("utf-8")
    assert {c for c in texte if unicodedata.category(c) == "Cc"} <= {"\n", "\f"}
