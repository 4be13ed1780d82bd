"""The archive file: a ZIP holding ``manifeste.json``, one JSON file per model and the uploaded files.

Writing is reproducible (entries sorted, fixed dates). Reading checks everything before anything is used: the
manifest is there and of this format, every part is listed with its size and SHA-256 and nothing else is there,
no name leaves the archive (``..``, absolute paths, backslashes), and sizes are capped against ZIP bombs (the
sizes declared by the manifest and by the ZIP must agree, and no entry is read beyond them)."""

import hashlib
import json
import re
import zipfile
from dataclasses import dataclass
from importlib import metadata

from django.db import connections

from ctg import horloge

FORMAT = "ctg-sauvegarde"
VERSION_FORMAT = 1
MANIFESTE = "manifeste.json"
MAX_MANIFESTE = 20 * 1024 * 1024
MAX_PARTIE = 1024 * 1024 * 1024
MAX_TOTAL = 4 * 1024 * 1024 * 1024
MAX_PARTIES = 100_000
# A JSON file of repeated keys compresses well, never by a thousand
MAX_RATIO = 1000
_NOM_PARTIE = re.compile(r"^(donnees|references)/[A-Za-z0-9_]+\.[A-Za-z0-9_]+\.json$|^fichiers/[^\\:]+$")
_DATE_ZIP = (1980, 1, 1, 0, 0, 0)


class ArchiveRefusee(Exception):
    """The archive cannot be restored; the message says why, in French."""


def en_json(donnees) -> bytes:
    """The one JSON writing of the archive: UTF-8, sorted keys, one level of indentation per line, final newline."""
    return (json.dumps(donnees, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def sha256(contenu: bytes) -> str:
    return hashlib.sha256(contenu).hexdigest()


def empreinte_donnees(parties: dict[str, bytes]) -> str:
    """The fingerprint of an archive's content: the same for the re-export of a restored archive."""
    lignes = "".join(f"{nom}\t{sha256(contenu)}\n" for nom, contenu in sorted(parties.items()))
    return sha256(lignes.encode("utf-8"))


def version_produit() -> str:
    try:
        return metadata.version("ctg")
    except metadata.PackageNotFoundError:  # pragma: no cover - always installed
        return "inconnue"


def ecrire(sortie, parties: dict[str, bytes], conventions: list[dict], using: str = "default") -> dict:
    """Write the ZIP (a path or a binary file) of ``parties``; return its manifest."""
    manifeste = {
        "format": FORMAT,
        "version_format": VERSION_FORMAT,
        "version_produit": version_produit(),
        "creee_le": horloge.maintenant().isoformat(timespec="seconds"),
        "moteur_source": connections[using].vendor,
        "conventions": conventions,
        "empreinte_donnees": empreinte_donnees(parties),
        "parties": {nom: {"sha256": sha256(contenu), "taille": len(contenu)} for nom, contenu in parties.items()},
    }
    with zipfile.ZipFile(sortie, "w", compression=zipfile.ZIP_DEFLATED) as zip_:
        for nom, contenu in [(MANIFESTE, en_json(manifeste)), *sorted(parties.items())]:
            info = zipfile.ZipInfo(nom, date_time=_DATE_ZIP)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o640 << 16
            zip_.writestr(info, contenu)
    return manifeste


@dataclass
class Archive:
    manifeste: dict
    parties: dict[str, bytes]

    def json(self, nom: str):
        return json.loads(self.parties[nom].decode("utf-8"))


def nom_sur(nom: str) -> bool:
    """A part's name that stays inside the archive and inside the folder it names."""
    morceaux = nom.split("/")
    return (
        bool(_NOM_PARTIE.match(nom))
        and not nom.startswith("/")
        and all(m not in ("", ".", "..") and not m.startswith("~") for m in morceaux)
        and "\x00" not in nom
    )


def lire(source) -> Archive:
    """Read and check the archive (a path or a binary file); ``ArchiveRefusee`` at the first problem."""
    try:
        with zipfile.ZipFile(source) as zip_:
            return _lire(zip_)
    except ArchiveRefusee:
        raise
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, OSError, ValueError, KeyError) as exc:
        raise ArchiveRefusee(f"Archive illisible, tronquée ou abîmée ({exc}) : rien n'est restauré.") from exc


def _lire_entree(zip_, info: zipfile.ZipInfo, maximum: int) -> bytes:
    if info.file_size > maximum:
        raise ArchiveRefusee(f"« {info.filename} » est trop grand ({info.file_size} octets) : archive refusée.")
    if info.compress_size and info.file_size / info.compress_size > MAX_RATIO and info.file_size > 1024 * 1024:
        raise ArchiveRefusee(f"« {info.filename} » est anormalement compressé (bombe ZIP ?) : archive refusée.")
    with zip_.open(info) as entree:
        contenu = entree.read(maximum + 1)
    if len(contenu) != info.file_size:
        raise ArchiveRefusee(f"« {info.filename} » n'a pas la taille annoncée : archive tronquée ou modifiée.")
    return contenu


def _lire(zip_: zipfile.ZipFile) -> Archive:
    infos = zip_.infolist()
    if len(infos) > MAX_PARTIES + 1:
        raise ArchiveRefusee(f"L'archive compte {len(infos)} éléments, plus que les {MAX_PARTIES} permis.")
    noms = [info.filename for info in infos]
    if len(set(noms)) != len(noms):
        raise ArchiveRefusee("L'archive contient deux fois le même nom de fichier : elle est refusée.")
    dangereux = sorted(n for n in noms if n != MANIFESTE and not nom_sur(n))
    if dangereux:
        raise ArchiveRefusee(
            f"Nom de fichier refusé dans l'archive : « {dangereux[0]} » (chemin hors de l'archive ou inattendu)."
        )
    if MANIFESTE not in noms:
        raise ArchiveRefusee(
            f"Ce fichier n'est pas une sauvegarde CTG : il n'y a pas de « {MANIFESTE} ». Rien n'est restauré."
        )
    par_nom = {info.filename: info for info in infos}
    try:
        manifeste = json.loads(_lire_entree(zip_, par_nom[MANIFESTE], MAX_MANIFESTE).decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ArchiveRefusee(f"Le manifeste de l'archive n'est pas du JSON lisible ({exc}).") from exc
    if not isinstance(manifeste, dict) or manifeste.get("format") != FORMAT:
        raise ArchiveRefusee(f"Ce fichier n'est pas une sauvegarde CTG (format attendu : « {FORMAT} »).")
    if manifeste.get("version_format") != VERSION_FORMAT:
        raise ArchiveRefusee(
            f"Version de format {manifeste.get('version_format')!r} inconnue de cette version du produit "
            f"(elle lit la version {VERSION_FORMAT}) : mettez le produit à jour."
        )
    annoncees = manifeste.get("parties")
    if not isinstance(annoncees, dict):
        raise ArchiveRefusee("Le manifeste ne liste pas les parties de l'archive : archive refusée.")
    presentes = set(noms) - {MANIFESTE}
    if manquantes := sorted(set(annoncees) - presentes):
        raise ArchiveRefusee(f"Partie manquante dans l'archive : « {manquantes[0]} » ({len(manquantes)} en tout).")
    if en_trop := sorted(presentes - set(annoncees)):
        raise ArchiveRefusee(f"Partie inattendue dans l'archive : « {en_trop[0]} » (absente du manifeste).")
    total = sum(par_nom[nom].file_size for nom in presentes)
    if total > MAX_TOTAL:
        raise ArchiveRefusee(f"L'archive décompressée ferait {total} octets, plus que les {MAX_TOTAL} permis.")
    parties = {}
    for nom in sorted(presentes):
        attendu = annoncees[nom]
        if not isinstance(attendu, dict) or par_nom[nom].file_size != attendu.get("taille"):
            raise ArchiveRefusee(f"« {nom} » n'a pas la taille annoncée par le manifeste : archive modifiée.")
        contenu = _lire_entree(zip_, par_nom[nom], MAX_PARTIE)
        if sha256(contenu) != attendu.get("sha256"):
            raise ArchiveRefusee(
                f"L'empreinte SHA-256 de « {nom} » ne correspond pas au manifeste : archive modifiée ou abîmée. "
                "Rien n'est restauré."
            )
        parties[nom] = contenu
    if manifeste.get("empreinte_donnees") != empreinte_donnees(parties):
        raise ArchiveRefusee("L'empreinte des données ne correspond pas au manifeste : archive modifiée.")
    return Archive(manifeste=manifeste, parties=parties)
