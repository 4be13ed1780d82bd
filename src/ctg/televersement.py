"""Files going in and out of CTG: uploads checked by size while they stream and by content, and every download
sent the same safe way.

Uploads. ``LimiteDeTaille`` comes first in ``FILE_UPLOAD_HANDLERS``: it counts the bytes of each uploaded file as
they arrive and stops reading the request once one passes ``CTG_TELEVERSEMENT_MAX_OCTETS`` (nothing beyond the
limit is read into memory or onto disk). ``fichiers_recus(request)`` gives the request's files with a
``FichierTropVolumineux`` in place of such a file, so that a form's ``ChampFichier`` says so next to the field. A
``ChampFichier`` also checks the type by the content (``filetype``, and a small check for CSV text), never by the
name or the type the browser declares: web pages, SVG images and scripts are refused whatever they are called.

Downloads. ``reponse_fichier(contenu, nom, type_mime)`` is the one way a view sends a file: always as an attachment
(a plain ASCII ``filename`` and the exact name in ``filename*``, RFC 6266), with ``X-Content-Type-Options: nosniff``,
a sandboxing Content-Security-Policy, and never as HTML, SVG, XML or script.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import quote

import filetype
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.http import FileResponse, HttpResponse
from django.utils.datastructures import MultiValueDict
from django.utils.http import content_disposition_header

from ctg.documents.echappement import une_ligne

MO = 1024 * 1024
TAILLE_ENTETE = 8192  # what ``filetype`` reads to recognise a type


def taille_max() -> int:
    """The site's limit for one uploaded file, in bytes (``CTG_TELEVERSEMENT_MAX_MO``)."""
    return settings.CTG_TELEVERSEMENT_MAX_OCTETS


def en_mo(octets: int) -> str:
    valeur = octets / MO
    return f"{valeur:.0f}" if valeur == int(valeur) else f"{valeur:.1f}".replace(".", ",")


def message_trop_volumineux(limite: int) -> str:
    return (
        f"Fichier trop volumineux ({en_mo(limite)} Mo au plus) : "
        "envoyez un fichier plus léger, ou en plusieurs parties."
    )


# --- uploads: size, while the request streams in ------------------------------------------------------------------

ATTRIBUT_REFUS = "_ctg_fichiers_trop_volumineux"


class FichierTropVolumineux(UploadedFile):
    """Stands for a file whose upload was stopped at the site's limit: nothing of it is kept."""

    def __init__(self, nom: str, limite: int):
        super().__init__(file=None, name=nom, content_type="application/octet-stream", size=limite + 1)
        self.limite = limite

    def chunks(self, chunk_size=None):
        raise ValueError("Fichier non conservé : il dépassait la taille autorisée.")


class LimiteDeTaille(FileUploadHandler):
    """First upload handler: passes each chunk on to Django's own handlers (memory, then a temporary file) until a
    file passes the site's limit; then it stops the upload there. Whatever was received of that file is dropped
    and the request remembers it, so that ``fichiers_recus`` can tell the form.

    A request not much larger than the limit is drained (the rest is read and thrown away, a few megabytes) so that
    the browser surely receives the page that explains the refusal; beyond ``2 × limit`` the server stops reading
    at once (the connection is then closed by the server)."""

    taille_requete = 0  # the whole request's Content-Length

    def receive_data_chunk(self, raw_data, start):
        limite = taille_max()
        if start + len(raw_data) > limite:
            refus = getattr(self.request, ATTRIBUT_REFUS, None)
            if refus is None:
                refus = {}
                setattr(self.request, ATTRIBUT_REFUS, refus)
            refus[self.field_name] = FichierTropVolumineux(self.file_name or "", limite)
            raise StopUpload(connection_reset=(self.taille_requete or 0) > 2 * limite)
        return raw_data

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.taille_requete = content_length

    def file_complete(self, file_size):
        return None  # the next handlers build the file


def fichiers_recus(request) -> MultiValueDict:
    """``request.FILES``, with a ``FichierTropVolumineux`` for each file stopped at the site's limit."""
    fichiers = request.FILES.copy()
    for champ, refuse in getattr(request, ATTRIBUT_REFUS, {}).items():
        fichiers.setlist(champ, [refuse])
    return fichiers


# --- uploads: type, from the content -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TypeAccepte:
    mime: str
    libelle: str
    extensions: tuple[str, ...]


PDF = TypeAccepte("application/pdf", "PDF", ("pdf",))
PNG = TypeAccepte("image/png", "PNG", ("png",))
JPEG = TypeAccepte("image/jpeg", "JPEG", ("jpg", "jpeg"))
DOCX = TypeAccepte("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word (DOCX)", ("docx",))
XLSX = TypeAccepte("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel (XLSX)", ("xlsx",))
ODT = TypeAccepte("application/vnd.oasis.opendocument.text", "texte OpenDocument (ODT)", ("odt",))
ODS = TypeAccepte("application/vnd.oasis.opendocument.spreadsheet", "tableur OpenDocument (ODS)", ("ods",))
CSV = TypeAccepte("text/csv", "CSV", ("csv",))

# What a browser may run or render as a page: never accepted, never sent with its own type.
EXTENSIONS_ACTIVES = {
    "htm": "une page web (HTML)",
    "html": "une page web (HTML)",
    "xhtml": "une page web (XHTML)",
    "shtml": "une page web (HTML)",
    "mht": "une page web archivée",
    "mhtml": "une page web archivée",
    "svg": "une image SVG, qui peut contenir un script",
    "svgz": "une image SVG, qui peut contenir un script",
    "xml": "un document XML, qui peut contenir un script",
    "xsl": "une feuille XSL",
    "xslt": "une feuille XSL",
    "js": "un script",
    "mjs": "un script",
    "vbs": "un script",
    "ps1": "un script",
    "sh": "un script",
    "bat": "un script",
    "cmd": "un script",
    "php": "un script",
    "py": "un script",
    "hta": "un programme",
    "exe": "un programme",
    "msi": "un programme",
    "swf": "une animation Flash",
}
TYPES_ACTIFS = {
    "text/html",
    "application/xhtml+xml",
    "image/svg+xml",
    "text/xml",
    "application/xml",
    "text/xsl",
    "application/xslt+xml",
    "text/javascript",
    "application/javascript",
    "application/x-javascript",
    "text/ecmascript",
    "application/ecmascript",
    "application/x-shockwave-flash",
    "multipart/x-mixed-replace",
    "message/rfc822",
}
TYPES_CONNUS = (PDF, PNG, JPEG, DOCX, XLSX, ODT, ODS, CSV)


def extension_du_type(type_mime: str) -> str:
    """The usual extension of one of the types above ("" for another one)."""
    return next((t.extensions[0] for t in TYPES_CONNUS if t.mime == type_mime), "")


BALISE = re.compile(rb"<\s*[a-zA-Z!?/]")
CONTROLES_TEXTE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def type_actif(type_mime: str) -> bool:
    """A type a browser renders as a page or runs: HTML, SVG, any XML, scripts."""
    base = (type_mime or "").split(";")[0].strip().lower()
    return base in TYPES_ACTIFS or base.endswith(("+xml", "/xml")) or "script" in base


def liste_des_types(types: tuple[TypeAccepte, ...]) -> str:
    libelles = [t.libelle for t in types]
    return ", ".join(libelles[:-1]) + f" ou {libelles[-1]}" if len(libelles) > 1 else libelles[0]


def _extension(nom: str) -> str:
    return PurePosixPath(nom).suffix.lower().lstrip(".")


def _texte_csv(fichier) -> bool:
    """Plain text (UTF-8, else Windows-1252) without control characters nor markup, read chunk by chunk."""
    for encodage in ("utf-8-sig", "cp1252"):
        decodeur = codecs.getincrementaldecoder(encodage)()
        reste = b""
        try:
            fichier.seek(0)
            for morceau in fichier.chunks():
                if BALISE.search(reste + morceau):
                    return False
                reste = morceau[-16:]
                if CONTROLES_TEXTE.search(decodeur.decode(morceau)):
                    return False
            decodeur.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        finally:
            fichier.seek(0)
        return True
    return False


def type_du_contenu(fichier, types: tuple[TypeAccepte, ...]) -> TypeAccepte:
    """The type of an uploaded file as its content shows it, if it is one of ``types`` and the file's name ends as
    that type does; else a ``ValidationError`` in French that says what is wrong and what to do. Refused whatever
    the name or the declared type: HTML, SVG, XML and scripts."""
    nom = fichier.name or ""
    extension = _extension(nom)
    acceptes = f"Joignez un fichier {liste_des_types(types)}."
    if extension in EXTENSIONS_ACTIVES or type_actif(getattr(fichier, "content_type", "") or ""):
        nature = EXTENSIONS_ACTIVES.get(extension, "une page web, une image SVG ou un script")
        raise ValidationError(
            f"« {nom} » est {nature} : ce type de fichier est refusé, car il pourrait exécuter du code dans le "
            f"navigateur de celui qui l'ouvre. {acceptes}",
            code="type_actif",
        )
    fichier.seek(0)
    entete = fichier.read(TAILLE_ENTETE)
    fichier.seek(0)
    detecte = filetype.guess(entete)
    if detecte is None:
        if CSV in types and extension in CSV.extensions and _texte_csv(fichier):
            return CSV
        if BALISE.search(entete.lstrip(b"\xef\xbb\xbf \t\r\n")[:1024]):
            raise ValidationError(
                f"« {nom} » contient du balisage (page web, SVG, XML ou script) : ce type de fichier est refusé. "
                f"{acceptes}",
                code="type_actif",
            )
        raise ValidationError(f"Le contenu de « {nom} » n'est pas reconnu. {acceptes}", code="type_inconnu")
    trouve = next((t for t in types if t.mime == detecte.mime), None)
    if trouve is None:
        raise ValidationError(
            f"« {nom} » est un fichier {detecte.extension.upper()} : ce type n'est pas accepté ici. {acceptes}",
            code="type_refuse",
        )
    if extension not in trouve.extensions:
        raise ValidationError(
            f"Le nom « {nom} » ne correspond pas à son contenu, qui est un fichier {trouve.libelle} : renommez-le "
            f"en .{trouve.extensions[0]} ou joignez le bon fichier.",
            code="extension",
        )
    return trouve


class ChampFichier(forms.FileField):
    """An uploaded file checked without reading it whole: its size (``taille_max`` for this form, within the
    site's limit, which stopped the upload if it was passed) and, when ``types`` is given, its type by content. The
    type found is left on the file as ``type_detecte``."""

    def __init__(self, *, types: tuple[TypeAccepte, ...] = (), taille_max: int | None = None, **kwargs):
        self.types = types
        self._taille_max = taille_max
        super().__init__(**kwargs)

    @property
    def taille_max(self) -> int:
        limite = taille_max()
        return min(self._taille_max, limite) if self._taille_max else limite

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if self.types:  # the browser's file chooser offers these first; the server still checks the content
            attrs["accept"] = ",".join(f".{e}" for t in self.types for e in t.extensions)
        return attrs

    def to_python(self, data):
        if isinstance(data, FichierTropVolumineux):
            raise ValidationError(message_trop_volumineux(min(data.limite, self.taille_max)), code="taille")
        fichier = super().to_python(data)
        if fichier is None:
            return None
        if fichier.size > self.taille_max:
            raise ValidationError(message_trop_volumineux(self.taille_max), code="taille")
        if self.types:
            fichier.type_detecte = type_du_contenu(fichier, self.types)
        return fichier


# --- downloads ---------------------------------------------------------------------------------------------------

HORS_REPLI = re.compile(r"[^A-Za-z0-9 ._()+,-]+")
LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "’": "'"})


def nom_affichable(nom: str, longueur: int = 200) -> str:
    """A file name as given, without folders nor control characters (line breaks, tabulations…)."""
    nom = PurePosixPath(nom.replace("\\", "/")).name
    return une_ligne(nom)[:longueur] or "fichier"


def nom_ascii(nom: str) -> str:
    """The ASCII stand-in of a file name for the plain ``filename`` parameter: accents and ligatures spelled
    without them, anything else (quotes, backslashes, control characters, other scripts) as ``_``."""
    texte = unicodedata.normalize("NFKD", nom_affichable(nom).translate(LIGATURES))
    texte = "".join(c for c in texte if not unicodedata.combining(c))
    texte = HORS_REPLI.sub("_", texte).strip(" .")
    if not re.search(r"[A-Za-z0-9]", PurePosixPath(texte).stem):
        suffixe = PurePosixPath(texte).suffix
        texte = "fichier" + (suffixe if re.fullmatch(r"\.[A-Za-z0-9]+", suffixe) else "")
    return texte


def entete_piece_jointe(nom: str) -> str:
    """``Content-Disposition`` of a download: ``attachment`` with an ASCII ``filename`` every browser reads, and
    the exact name in ``filename*`` (UTF-8) when it differs."""
    exact, repli = nom_affichable(nom), nom_ascii(nom)
    entete = content_disposition_header(True, repli)
    if exact != repli:
        entete += f"; filename*=utf-8''{quote(exact, safe='')}"
    return entete


def type_sur(type_mime: str) -> str:
    """The type a download is sent with: its own, unless a browser would render or run it."""
    if not type_mime or type_actif(type_mime):
        return "application/octet-stream"
    return type_mime


def reponse_fichier(contenu, nom: str, type_mime: str) -> HttpResponse | FileResponse:
    """The response that sends a file (bytes, text, or an open file streamed as it is read) as a download."""
    if hasattr(contenu, "read"):
        reponse = FileResponse(contenu, content_type=type_sur(type_mime))
    else:
        reponse = HttpResponse(contenu, content_type=type_sur(type_mime))
    reponse["Content-Disposition"] = entete_piece_jointe(nom)
    reponse["X-Content-Type-Options"] = "nosniff"
    reponse["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return reponse
