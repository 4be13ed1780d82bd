"""An open-data file read as a stream of bytes, then of lines, never whole: its size against the limits, checksum,
encoding (UTF-8 with or without BOM, Windows-1252, Latin-1), lines of bounded length, and the CSV reader's errors in
French."""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from django.conf import settings

from ctg.saisie import taille_lisible

from .bilan import LONGUEUR_LIGNE_MAX, TAILLE_BLOC, Erreur, ErreurImport


def taille_max() -> int:
    """The largest file ``import_donnees`` reads, in bytes (``CTG_IMPORT_TAILLE_MAX``)."""
    return settings.CTG_IMPORT_TAILLE_MAX


def lignes_max() -> int:
    """The most data rows a file may have (``CTG_IMPORT_LIGNES_MAX``)."""
    return settings.CTG_IMPORT_LIGNES_MAX


@dataclass
class Examen:
    """What a first pass over the bytes of a file tells: checksum, encoding, lines, emptiness."""

    empreinte: str
    encodage: str  # Python codec
    nom_encodage: str  # as the bilan says it
    sauts: int  # line feeds, for the progress bar
    vide: bool


RE_C1 = re.compile(rb"[\x80-\x9f]")
RE_INDEFINIS_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
RE_NON_BLANC = re.compile(rb"\S")


class Encodage:
    """The encoding of a file seen a block at a time: UTF-8 with or without BOM, else Windows-1252 when it has
    bytes 0x80–0x9F that encoding defines, else Latin-1. ``lire`` each block, then ``conclure``; both raise
    ``ValueError`` (French message) for what cannot be a text CSV in these encodings (UTF-16, binary)."""

    def __init__(self):
        self.utf8 = codecs.getincrementaldecoder("utf-8")()
        self.utf8_valide, self.bom, self.c1, self.indefinis, self.non_blanc = True, False, False, False, False
        self.lu = self.sauts = 0
        self.invalide = (0, 0)  # (byte, line) of the first byte that is not UTF-8

    def lire(self, bloc: bytes) -> None:
        if self.lu == 0:
            if bloc.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) or b"\x00" in bloc[:4096]:
                raise ValueError(
                    "encodage non pris en charge (UTF-16 ou fichier binaire) : enregistrez le fichier en UTF-8"
                )
            self.bom = bloc.startswith(codecs.BOM_UTF8)
        if self.utf8_valide:
            en_attente = len(self.utf8.getstate()[0])
            try:
                self.utf8.decode(bloc)
            except UnicodeDecodeError as exc:
                self.utf8_valide = False
                dans_bloc = max(exc.start - en_attente, 0)
                self.invalide = (self.lu + dans_bloc, self.sauts + bloc[:dans_bloc].count(b"\n") + 1)
        self.sauts += bloc.count(b"\n")
        self.c1 = self.c1 or bool(RE_C1.search(bloc))
        self.indefinis = self.indefinis or bool(RE_INDEFINIS_CP1252.search(bloc))
        texte = bloc.removeprefix(codecs.BOM_UTF8) if self.lu == 0 else bloc
        self.non_blanc = self.non_blanc or bool(RE_NON_BLANC.search(texte))
        self.lu += len(bloc)

    def conclure(self) -> tuple[str, str]:
        """(Python codec, name of the encoding as the bilan says it)."""
        if self.utf8_valide:
            try:
                self.utf8.decode(b"", final=True)
            except UnicodeDecodeError:
                self.utf8_valide, self.invalide = False, (self.lu - 1, self.sauts + 1)
        if self.bom and not self.utf8_valide:
            octet, ligne = self.invalide
            raise ValueError(
                f"le fichier se déclare UTF-8 (BOM) mais l'octet {octet} (ligne {ligne}) n'est pas de l'UTF-8"
            )
        if self.bom:
            return "utf-8-sig", "UTF-8 avec BOM"
        if self.utf8_valide:
            return "utf-8", "UTF-8"
        if self.c1 and not self.indefinis:
            return "cp1252", "Windows-1252"
        return "latin-1", "Latin-1 (ISO-8859-1)"


def decoder(octets: bytes) -> tuple[str, str]:
    """Decode a text held in memory by the rules of ``Encodage``. Return (text, encoding name)."""
    encodage = Encodage()
    encodage.lire(octets)
    codec, nom_encodage = encodage.conclure()
    return octets.decode(codec), nom_encodage


def examiner(chemin: Path, nom: str) -> Examen:
    """Read the file once, a block at a time (never whole): its size against ``taille_max``, SHA-256, encoding
    (``Encodage``), number of lines.

    Raise ``ErreurImport`` for a file too large, unreadable, UTF-16 or binary, or declaring UTF-8 wrongly."""
    try:
        taille = chemin.stat().st_size
        if taille > taille_max():
            raise ErreurImport(
                [
                    Erreur(
                        nom,
                        f"fichier trop volumineux : {taille_lisible(taille)}, {taille_lisible(taille_max())} au plus "
                        "(CTG_IMPORT_TAILLE_MAX) ; découpez-le, par exemple par année ou par département",
                    )
                ]
            )
        empreinte = hashlib.sha256()
        encodage = Encodage()
        with chemin.open("rb") as fichier:
            while bloc := fichier.read(TAILLE_BLOC):
                empreinte.update(bloc)
                encodage.lire(bloc)
        codec, nom_encodage = encodage.conclure()
    except OSError as exc:
        raise ErreurImport([Erreur(nom, f"fichier illisible ({exc.strerror or exc})")]) from exc
    except ValueError as exc:
        raise ErreurImport([Erreur(nom, str(exc))]) from exc
    return Examen(empreinte.hexdigest(), codec, nom_encodage, encodage.sauts, vide=not encodage.non_blanc)


class LigneTropLongue(Exception):
    def __init__(self, numero: int):
        self.numero = numero


class Lignes:
    """The physical lines of a text file opened with ``newline=""``, one at a time, each of at most ``maximum``
    characters (``LigneTropLongue`` otherwise: a file without line breaks is never read whole). Remembers whether
    the last line ended with a line break, and whether the text looks encoded twice (« Ã© »)."""

    def __init__(self, fichier: TextIO, maximum: int = LONGUEUR_LIGNE_MAX):
        self.fichier, self.maximum = fichier, maximum
        self.numero = 0
        self.fin_sans_saut = False
        self.double_encodage = False

    def __iter__(self) -> Iterator[str]:
        while ligne := self.fichier.readline(self.maximum + 1):
            self.numero += 1
            self.fin_sans_saut = ligne[-1] not in "\r\n"
            if len(ligne) > self.maximum and self.fin_sans_saut:
                raise LigneTropLongue(self.numero)
            if not self.double_encodage and ("Ã©" in ligne or "Ã¨" in ligne):
                self.double_encodage = True
            yield ligne


MESSAGES_CSV = {
    "unexpected end of data": "guillemet ouvert et jamais fermé avant la fin du fichier : le fichier semble tronqué",
    "line contains NUL": "caractère nul (U+0000) dans le fichier : fichier binaire ou abîmé ?",
    "field larger than field limit": "valeur de plus de 131 072 caractères : ce n'est pas un fichier de données",
    "new-line character seen in unquoted field": "retour à la ligne isolé dans une valeur sans guillemets",
}


def message_csv(exc: csv.Error) -> str:
    texte = str(exc)
    for anglais, francais in MESSAGES_CSV.items():
        if texte.startswith(anglais):
            return francais
    if "expected after" in texte:
        return "caractère inattendu après un guillemet fermant : guillemet mal placé dans une valeur ?"
    return f"ligne CSV illisible ({texte})"
