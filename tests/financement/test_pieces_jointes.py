"""The attachment of a Caf verification: checked by its content (web pages, SVG and scripts refused whatever their
name or declared type), limited in size while it streams in, kept as a file of the storage under a generated name,
and sent back only to the convention's members, as a download that no browser renders."""

import io
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.client import ClientHandler
from django.urls import reverse

from ctg.financement.forms import TYPES_PIECE, VerificationForm
from ctg.financement.models import Verification
from ctg.televersement import type_du_contenu

from .conftest import plat

pytestmark = pytest.mark.django_db
EN_COURS = "2026-06-15"  # a day in the life of the demo convention: the Caf may record verifications
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
PAGE_PIEGEE = b"<html><body><script>fetch('/conventions/1/export.json')</script></body></html>"
SVG_PIEGEE = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


@pytest.fixture(autouse=True)
def stockage(settings, tmp_path):
    """The default storage in a folder of the test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    return tmp_path


def verification_postee(**fichier):
    return {
        "annee": "2025",
        "conclusion": "conforme",
        "documents": "Compte de résultat 2025 de la crèche",
        **({"fichier": SimpleUploadedFile(**fichier)} if fichier else {}),
    }


def poster(client, demo, donnees):
    return client.post(f"/financement/conventions/{demo.pk}/communes/59122/verifications/", donnees, follow=True)


def url_document(demo, verification):
    return f"/financement/conventions/{demo.pk}/verifications/{verification.pk}/document/"


def contenu_de(reponse) -> bytes:
    return b"".join(reponse.streaming_content) if reponse.streaming else reponse.content


# --- the stored XSS of the audit ---------------------------------------------------------------------------------


@pytest.mark.date(EN_COURS)
def test_une_page_web_jointe_est_refusee_avec_un_message_clair(client, demo, comptes, stockage):
    client.force_login(comptes["demo"])
    reponse = poster(
        client, demo, verification_postee(name="rapport-œ.html", content=PAGE_PIEGEE, content_type="text/html")
    )
    assert (
        "« rapport-œ.html » est une page web (HTML) : ce type de fichier est refusé, car il pourrait exécuter du "
        "code dans le navigateur de celui qui l&#x27;ouvre." in plat(reponse.content.decode())
    )
    assert not Verification.objects.filter(annee=2025).exists()
    assert not any(stockage.rglob("*.*"))


@pytest.mark.parametrize(
    ("nom", "contenu", "type_declare"),
    [
        ("rapport.pdf", PAGE_PIEGEE, "application/pdf"),  # a page renamed
        ("rapport.pdf", b"\n  <!DOCTYPE html><p>x</p>", "application/octet-stream"),
        ("schema.png", SVG_PIEGEE, "image/png"),  # an SVG renamed
        ("schema.svg", SVG_PIEGEE, "image/svg+xml"),
        ("compte.pdf", PDF, "text/html"),  # a PDF declared as a page by the browser: the declaration is refused too
        ("outil.js", b"alert(1)", "text/javascript"),
        ("tableau.csv", b"commune;montant\n<script>alert(1)</script>;1\n", "text/csv"),
    ],
)
def test_pages_svg_et_scripts_refuses_quels_que_soient_leur_nom_et_leur_type_declare(nom, contenu, type_declare):
    form = VerificationForm(
        verification_postee(),
        {"fichier": SimpleUploadedFile(nom, contenu, content_type=type_declare)},
    )
    assert not form.is_valid()
    assert form.errors["fichier"][0].startswith(f"« {nom} »")
    assert "Joignez un fichier PDF, PNG, JPEG, Word (DOCX), Excel (XLSX)" in form.errors["fichier"][0]


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("Compte de résultat")
    sortie = io.BytesIO()
    document.save(sortie)
    return sortie.getvalue()


def _xlsx() -> bytes:
    from openpyxl import Workbook

    sortie = io.BytesIO()
    Workbook().save(sortie)
    return sortie.getvalue()


def _opendocument(type_mime: str) -> bytes:
    sortie = io.BytesIO()
    with zipfile.ZipFile(sortie, "w") as archive:
        archive.writestr(zipfile.ZipInfo("mimetype"), type_mime)
        archive.writestr("content.xml", "<office:document-content/>")
    return sortie.getvalue()


@pytest.mark.parametrize(
    ("nom", "contenu", "type_attendu"),
    [
        ("compte.pdf", PDF, "application/pdf"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png"),
        ("scan.JPG", b"\xff\xd8\xff\xe0\0\x10JFIF\0" + b"\0" * 64, "image/jpeg"),
        ("budget.docx", _docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("budget.xlsx", _xlsx(), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (
            "budget.odt",
            _opendocument("application/vnd.oasis.opendocument.text"),
            "application/vnd.oasis.opendocument.text",
        ),
        (
            "budget.ods",
            _opendocument("application/vnd.oasis.opendocument.spreadsheet"),
            "application/vnd.oasis.opendocument.spreadsheet",
        ),
        ("budget.csv", "Structure;Montant\nCrèche « Les Petits Pas » ;12 000 €\n".encode(), "text/csv"),
        ("budget.csv", "Structure;Montant\nCrèche;12 000\n".encode("cp1252"), "text/csv"),
    ],
)
def test_les_types_utiles_a_une_verification_sont_reconnus_par_leur_contenu(nom, contenu, type_attendu):
    fichier = SimpleUploadedFile(nom, contenu, content_type="application/octet-stream")
    assert type_du_contenu(fichier, TYPES_PIECE).mime == type_attendu


@pytest.mark.parametrize(
    ("nom", "contenu", "message"),
    [
        (
            "archive.zip",
            b"PK\x03\x04" + b"\0" * 64,
            "« archive.zip » est un fichier ZIP : ce type n'est pas accepté ici.",
        ),
        ("compte.pdf", b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "Le nom « compte.pdf » ne correspond pas à son contenu, qui"),
        ("notes.txt", b"du texte", "Le contenu de « notes.txt » n'est pas reconnu."),
        ("binaire.csv", b"a;b\n\x00\x01\x02;3\n", "Le contenu de « binaire.csv » n'est pas reconnu."),
    ],
)
def test_un_type_non_accepte_est_refuse_en_disant_quoi_faire(nom, contenu, message):
    form = VerificationForm(verification_postee(), {"fichier": SimpleUploadedFile(nom, contenu)})
    assert not form.is_valid()
    assert form.errors["fichier"][0].startswith(message)
    assert "Joignez un fichier" in form.errors["fichier"][0] or "renommez-le en .png" in form.errors["fichier"][0]


def test_le_formulaire_dit_les_types_acceptes_et_la_taille(settings):
    settings.CTG_TELEVERSEMENT_MAX_OCTETS = 10 * 1024 * 1024
    champ = VerificationForm()["fichier"]
    assert champ.help_text == (
        "PDF, PNG, JPEG, Word (DOCX), Excel (XLSX), texte OpenDocument (ODT), tableur OpenDocument (ODS) ou CSV, "
        "10 Mo au plus ; pages web, images SVG et scripts refusés"
    )
    assert 'accept=".pdf,.png,.jpg,.jpeg,.docx,.xlsx,.odt,.ods,.csv"' in str(champ)


# --- stored as a file, sent as a download ------------------------------------------------------------------------


@pytest.mark.date(EN_COURS)
def test_la_piece_est_un_fichier_du_stockage_sous_un_nom_genere(client, demo, comptes, stockage):
    client.force_login(comptes["demo"])
    poster(
        client,
        demo,
        verification_postee(name="../../CR 2025 «final».pdf", content=PDF, content_type="application/octet-stream"),
    )
    verification = Verification.objects.get(annee=2025)
    assert verification.fichier_nom == "CR 2025 «final».pdf"  # shown as given, without the folders
    assert verification.fichier_type == "application/pdf"  # the content's type, not the declared one
    assert re.fullmatch(rf"verifications/{demo.pk}/[0-9a-f]{{32}}\.pdf", verification.fichier.name)
    assert (stockage / verification.fichier.name).read_bytes() == PDF
    with connection.cursor() as curseur:  # the database holds the file's name only
        curseur.execute(f"SELECT fichier FROM {Verification._meta.db_table} WHERE id = %s", [verification.pk])
        assert curseur.fetchone()[0] == verification.fichier.name
    # the history keeps the name of the file of each version
    assert verification.historique.get().fichier == verification.fichier.name
    # no URL serves the storage's folder
    for url in (f"/{verification.fichier.name}", f"/media/{verification.fichier.name}", "/static/../fichiers/x"):
        assert client.get(url).status_code == 404, url


@pytest.mark.date(EN_COURS)
def test_la_piece_est_envoyee_en_telechargement_jamais_affichee(client, demo, comptes):
    client.force_login(comptes["demo"])
    poster(client, demo, verification_postee(name="compte-œ.pdf", content=PDF, content_type="application/pdf"))
    verification = Verification.objects.get(annee=2025)
    client.force_login(comptes["lecture"])
    reponse = client.get(url_document(demo, verification))
    assert reponse.status_code == 200 and contenu_de(reponse) == PDF
    assert reponse["Content-Type"] == "application/pdf"
    assert (
        reponse["Content-Disposition"] == "attachment; filename=\"compte-oe.pdf\"; filename*=utf-8''compte-%C5%93.pdf"
    )
    assert reponse["X-Content-Type-Options"] == "nosniff"


def test_une_page_deja_enregistree_n_est_jamais_servie_comme_page(client, demo, comptes):
    """A page attached before the content was checked (an existing row) goes out as an opaque download."""
    verification = Verification.objects.create(
        convention=demo,
        commune_id="59122",
        annee=2025,
        conclusion="conforme",
        documents="Rapport",
        fichier_nom="rapport-œ.html",
        fichier_type="text/html",
        fichier=ContentFile(PAGE_PIEGEE, name="rapport.html"),
        verifie_par=comptes["demo"],
    )
    client.force_login(comptes["lecture"])
    reponse = client.get(url_document(demo, verification))
    assert reponse.status_code == 200 and contenu_de(reponse) == PAGE_PIEGEE
    assert reponse["Content-Type"] == "application/octet-stream"
    assert reponse["Content-Disposition"].startswith('attachment; filename="rapport-oe.html";')
    assert reponse["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in reponse["Content-Security-Policy"]


def _verification_avec_piece(demo, comptes):
    return Verification.objects.create(
        convention=demo,
        commune_id="59122",
        annee=2025,
        conclusion="conforme",
        documents="Compte",
        fichier_nom="compte.pdf",
        fichier_type="application/pdf",
        fichier=ContentFile(PDF, name="compte.pdf"),
        verifie_par=comptes["demo"],
    )


def test_sans_role_sur_la_convention_la_piece_est_introuvable(client, demo, comptes, django_user_model):
    verification = _verification_avec_piece(demo, comptes)
    client.force_login(django_user_model.objects.create_user("sans.role", password="x"))
    assert client.get(url_document(demo, verification)).status_code == 404


def test_sans_connexion_la_piece_demande_de_se_connecter(client, demo, comptes):
    verification = _verification_avec_piece(demo, comptes)
    reponse = client.get(url_document(demo, verification))
    assert reponse.status_code == 302 and reponse["Location"].startswith(reverse("login") + "?next=")


def test_une_piece_absente_du_disque_est_introuvable(client, demo, comptes, stockage):
    verification = _verification_avec_piece(demo, comptes)
    (stockage / verification.fichier.name).unlink()
    client.force_login(comptes["lecture"])
    assert client.get(url_document(demo, verification)).status_code == 404


# --- size: limited while the upload streams in -------------------------------------------------------------------


@pytest.mark.date(EN_COURS)
def test_une_piece_trop_volumineuse_est_refusee_avec_la_limite(client, demo, comptes, settings, stockage):
    settings.CTG_TELEVERSEMENT_MAX_OCTETS = 1024 * 1024
    client.force_login(comptes["demo"])
    trop = PDF + b"0" * (1024 * 1024)
    reponse = poster(client, demo, verification_postee(name="compte.pdf", content=trop, content_type="application/pdf"))
    assert "Pièce jointe : Fichier trop volumineux (1 Mo au plus)" in plat(reponse.content.decode())
    assert not Verification.objects.filter(annee=2025).exists()
    assert not any(stockage.rglob("*.*"))


class CorpsEnFlux:
    """A multipart body made as it is read (the fields, ``taille`` bytes of file, the end): never held whole. Counts
    what the server reads."""

    def __init__(self, debut: bytes, taille: int, fin: bytes):
        self.debut, self.taille, self.fin = debut, taille, fin
        self.longueur = len(debut) + taille + len(fin)
        self.lus = 0

    def read(self, size=-1):
        reste = self.longueur - self.lus
        n = reste if size is None or size < 0 else min(size, reste)
        morceaux, position, fin_lecture = [], self.lus, self.lus + n
        while position < fin_lecture:
            if position < len(self.debut):
                bout = self.debut[position : min(fin_lecture, len(self.debut))]
            elif position < len(self.debut) + self.taille:
                bout = b"0" * (min(fin_lecture, len(self.debut) + self.taille) - position)
            else:
                depart = position - len(self.debut) - self.taille
                bout = self.fin[depart : depart + fin_lecture - position]
            morceaux.append(bout)
            position += len(bout)
        self.lus = fin_lecture
        return b"".join(morceaux)

    def readline(self, size=-1):  # the multipart parser does not read by lines
        raise AssertionError("lecture par ligne inattendue")


def envoyer_en_flux(client, page: str, url: str, champs: dict, taille: int):
    """POST ``champs`` then a file of ``taille`` bytes to ``url`` as the form of ``page`` does in a browser (its CSRF
    token first), from a body made as it is read; returns the response, the body (what was read of it) and the peak
    of memory."""
    client.get(page)  # the form, and its CSRF cookie
    champs = {"csrfmiddlewaretoken": client.cookies["csrftoken"].value, **champs}
    frontiere = "----ctg-essai-en-flux"
    debut = "".join(
        f'--{frontiere}\r\nContent-Disposition: form-data; name="{nom}"\r\n\r\n{valeur}\r\n'
        for nom, valeur in champs.items()
    ) + (
        f'--{frontiere}\r\nContent-Disposition: form-data; name="fichier"; filename="enorme.pdf"\r\n'
        "Content-Type: application/pdf\r\n\r\n"
    )
    corps = CorpsEnFlux(debut.encode(), taille, f"\r\n--{frontiere}--\r\n".encode())
    environ = client._base_environ(
        PATH_INFO=url,
        REQUEST_METHOD="POST",
        CONTENT_TYPE=f"multipart/form-data; boundary={frontiere}",
        CONTENT_LENGTH=str(corps.longueur),
        **{"wsgi.input": corps},
    )
    tracemalloc.start()
    try:
        reponse = ClientHandler(enforce_csrf_checks=True)(environ)
        _, pic = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    client.cookies.update(reponse.cookies)
    return reponse, corps, pic


@pytest.mark.date(EN_COURS)
def test_un_envoi_de_200_mo_n_est_pas_lu_au_dela_de_la_limite(client, demo, comptes, settings, stockage):
    settings.CTG_TELEVERSEMENT_MAX_OCTETS = limite = 10 * 1024 * 1024
    client.force_login(comptes["demo"])
    url = f"/financement/conventions/{demo.pk}/communes/59122/"
    reponse, corps, pic = envoyer_en_flux(client, url, f"{url}verifications/", verification_postee(), 200 * 1024 * 1024)
    assert corps.lus < limite + 1024 * 1024  # stopped at the limit: 190 MB never read
    assert pic < 40 * 1024 * 1024  # the server never held the file whole
    assert reponse.status_code == 302
    contenu = plat(client.get(reponse["Location"]).content.decode())
    assert "Vérification non enregistrée — Pièce jointe : Fichier trop volumineux (10 Mo au plus)" in contenu
    assert not Verification.objects.filter(annee=2025).exists()
    assert not any(Path(stockage).rglob("*.*"))


@pytest.mark.date(EN_COURS)
def test_un_import_de_200_mo_n_est_pas_lu_au_dela_de_la_limite(client, demo, comptes, settings):
    settings.CTG_TELEVERSEMENT_MAX_OCTETS = limite = 10 * 1024 * 1024
    client.force_login(comptes["demo"])
    url = f"/financement/conventions/{demo.pk}/import/"
    reponse, corps, pic = envoyer_en_flux(client, url, url, {}, 200 * 1024 * 1024)
    assert corps.lus < limite + 1024 * 1024 and pic < 40 * 1024 * 1024
    assert reponse.status_code == 200
    assert "Fichier trop volumineux (5 Mo au plus)" in plat(reponse.content.decode())


class FichierQuiNeDoitPasEtreLu(SimpleUploadedFile):
    def read(self, *args, **kwargs):
        raise AssertionError("le fichier n'aurait pas dû être lu")

    chunks = read


def test_un_import_trop_volumineux_est_refuse_sans_etre_lu():
    from ctg.financement.forms import ImportForm

    trop = FichierQuiNeDoitPasEtreLu("financements.csv", b"0" * (5 * 1024 * 1024 + 1), content_type="text/csv")
    form = ImportForm({}, {"fichier": trop})
    assert not form.is_valid()
    assert form.errors["fichier"] == [
        "Fichier trop volumineux (5 Mo au plus) : envoyez un fichier plus léger, ou en plusieurs parties."
    ]
