"""Import of an open-data file (data.caf.fr, Insee, ``iris_pop``) into ``Fichier`` and ``Observation`` rows.

``importer_fichier`` reads and checks the whole file first and collects every problem with its file, line and
column (encoding, separator, header, numbers, dates, territory codes, duplicates). Only a clean file is written,
in one transaction: one ``Fichier`` (provenance, SHA-256, periods, bilan) and its observations.

Rules:

- an empty cell is a blank of the source (Caf statistical secrecy): stored as ``None``, never 0;
- commune ``99999`` (abroad), ``XXXXX`` or ``59XXX`` (not located), an empty commune code (allocataires the Caf
  could not place), the placeholder rows ``XX`` / ``XXX`` (communes outside any EPCI) are left out and counted;
  a well-formed code unknown to the territories app is an error, unless ``ignorer_inconnus``
  (``--ignorer-inconnus``): then it is left out and counted;
- the arrondissements municipaux of Paris, Lyon and Marseille (which the territories app does not hold) are
  summed into their city (``_regrouper``): counts and amounts added, a blank in any arrondissement makes the
  city's value unknown, rates computed again from their numerator and denominator when the file has both, else
  not given; the city's own row, when the file has one, wins; a city whose arrondissements are not all in the
  file gets nothing from them (never a partial sum);
- an Insee IRIS file is summed by commune, and the sums rounded to the unit at the end (never each IRIS);
- the same file (same dataset and SHA-256) imported again changes nothing; a new file of the same
  dataset/territory/period updates those observations; a new vintage adds rows beside the old ones;
- observations left identical by a newer file now point at it (the newest file that carries them); a
  demonstration file never replaces the values of a real one;
- once a real import is committed, ``signaux.observations_importees`` is sent with its bilan.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import hashlib
import itertools
import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from django.conf import settings
from django.db import IntegrityError, connections, router, transaction
from django.utils import timezone
from tqdm import tqdm

from ctg import horloge
from ctg.saisie import ErreursBornees, probleme_nombre, taille_lisible
from ctg.territoires.models import Commune, Departement, Epci

from .formats import ANNEE, NOM_FICHIER, EnteteNonReconnue, Plan, annee_du_nom, reconnaitre
from .jeux import JEUX, RATIOS, additive, grandeur
from .models import CODE_FRANCE, Fichier, Niveau, Observation
from .signaux import observations_importees

LOT = 1000
MAX_CODES = 50  # unknown codes listed in the bilan
TAILLE_BLOC = 1 << 20  # bytes read at a time
LONGUEUR_LIGNE_MAX = 1_000_000  # characters of one line: an Insee "dossier complet" line has about 30,000
LONGUEUR_NOMBRE_MAX = 40  # characters of a number as written (with its spaces of thousands)
SEPARATEURS = {";": "« ; »", ",": "« , »", "\t": "tabulation", "|": "« | »"}

RE_COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
RE_EPCI = re.compile(r"^\d{9}$")
RE_DEPARTEMENT = re.compile(r"^(\d{2}|2[AB]|97\d)$")
RE_FICTIF = re.compile(r"^(X+|Z+)$")
RE_COMMUNE_MASQUEE = re.compile(r"^(\d{2,3}|2[AB])X+$")  # a commune hidden within its département: 59XXX
RE_NOMBRE = re.compile(r"^[-+]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][-+]?[0-9]+)?$")
RE_ESPACES = re.compile(r"[ \u00a0\u202f]")
# The three cities published by arrondissement municipal: city code -> its arrondissements.
VILLES = {
    "75056": frozenset(f"751{n:02d}" for n in range(1, 21)),
    "69123": frozenset(f"6938{n}" for n in range(1, 10)),
    "13055": frozenset(f"132{n:02d}" for n in range(1, 17)),
}
NOMS_VILLES = {"75056": "Paris", "69123": "Lyon", "13055": "Marseille"}
VILLE_DE = {arrondissement: ville for ville, arrondissements in VILLES.items() for arrondissement in arrondissements}
ARRONDISSEMENTS = frozenset(VILLE_DE)

# Why a row is left out, and how the bilan says it.
ETRANGER = "etranger"
NON_LOCALISE = "non_localise"
SANS_CODE = "sans code commune"
FICTIF = "fictif"
ARRONDISSEMENT = "arrondissement"
INCONNU = "inconnu"
ECARTS = {
    ETRANGER: "résidents à l'étranger (code 99999)",
    NON_LOCALISE: "commune non localisée (code XXXXX ou 59XXX)",
    SANS_CODE: "sans code commune (allocataires non rattachés à une commune)",
    FICTIF: "ligne fictive « XX » (hors EPCI ou non répartie)",
    ARRONDISSEMENT: (
        "arrondissements municipaux de Paris, Lyon et Marseille non regroupés (la ligne de la ville est dans le "
        "fichier, ou des arrondissements manquent, ou rien ne s'additionne)"
    ),
    INCONNU: "codes absents du référentiel des territoires (--ignorer-inconnus)",
}
_OK = "ok"
_INVALIDE = "invalide"


@dataclass(frozen=True)
class Erreur:
    """One problem of the file, where it is: line (1 = header), column as written in the header, value read."""

    fichier: str
    message: str
    ligne: int | None = None
    colonne: str | None = None
    valeur: str | None = None

    def __str__(self) -> str:
        lieu = self.fichier
        if self.ligne:
            lieu += f", ligne {self.ligne}"
        if self.colonne:
            lieu += f", colonne « {self.colonne} »"
        texte = f"{lieu} : {self.message}"
        if self.valeur is not None:
            texte += f" : « {self.valeur} »"
        return texte


class ErreurImport(Exception):
    """The file cannot be imported; ``erreurs`` lists the problems found (the first ``CTG_IMPORT_ERREURS_MAX``),
    ``total`` counts them all. Nothing was written."""

    def __init__(self, erreurs: list[Erreur] | ErreursBornees[Erreur]):
        if isinstance(erreurs, ErreursBornees):
            self.erreurs = list(erreurs.gardees)
            self.total = erreurs.total
            self.non_listees: Counter = Counter(erreurs.non_gardees)
        else:
            self.erreurs = list(erreurs)
            self.total = len(self.erreurs)
            self.non_listees = Counter()
        super().__init__("\n".join(self.lignes()))

    def lignes(self, maximum: int = 200) -> list[str]:
        """The errors as French lines, the first ``maximum`` in full, then a count of the others by column."""
        lignes = [str(e) for e in self.erreurs[:maximum]]
        reste = self.total - len(lignes)
        if reste > 0:
            par_colonne = Counter(e.colonne or "—" for e in self.erreurs[maximum:])
            for colonne, n in self.non_listees.items():
                par_colonne[colonne or "—"] += n
            detail = ", ".join(f"{c} : {n}" for c, n in par_colonne.most_common())
            lignes.append(f"… et {reste} autre(s) erreur(s) (par colonne : {detail})")
        return lignes


@dataclass
class Bilan:
    """What an import did (or would do, in simulation); stored in ``Fichier.bilan``."""

    fichier: str
    empreinte: str = ""
    dataset: str = ""
    jeu: str = ""
    niveau: str = ""
    encodage: str = ""
    separateur: str = ""
    par_libelles: bool = False
    lignes: int = 0
    periodes: list[str] = field(default_factory=list)
    variables: list[str] = field(default_factory=list)
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    conserves: int = 0  # real observations a demonstration file did not replace
    ecartes: dict[str, int] = field(default_factory=dict)
    codes_inconnus: list[str] = field(default_factory=list)  # left out with ignorer_inconnus
    cellules_secretes: int = 0
    # Paris, Lyon, Marseille: city code -> rows of its arrondissements summed into it
    arrondissements: dict[str, int] = field(default_factory=dict)
    par_iris: bool = False  # an Insee IRIS file, summed by commune
    colonnes_ignorees: list[str] = field(default_factory=list)
    avertissements: list[str] = field(default_factory=list)
    simulation: bool = False
    demonstration: bool = False
    deja_importe: bool = False
    fichier_id: int | None = None
    importe_le: str = ""

    @property
    def lignes_ecartees(self) -> int:
        return sum(self.ecartes.values())

    @property
    def changements(self) -> int:
        return self.crees + self.modifies

    def as_dict(self) -> dict:
        return {
            "dataset": self.dataset,
            "jeu": self.jeu,
            "niveau": self.niveau,
            "encodage": self.encodage,
            "separateur": self.separateur,
            "par_libelles": self.par_libelles,
            "lignes": self.lignes,
            "periodes": self.periodes,
            "variables": self.variables,
            "crees": self.crees,
            "modifies": self.modifies,
            "inchanges": self.inchanges,
            "conserves": self.conserves,
            "ecartes": self.ecartes,
            "codes_inconnus": self.codes_inconnus[:MAX_CODES],
            "cellules_secretes": self.cellules_secretes,
            "arrondissements": self.arrondissements,
            "par_iris": self.par_iris,
            "colonnes_ignorees": self.colonnes_ignorees,
            "avertissements": self.avertissements,
            "demonstration": self.demonstration,
        }

    def resume(self) -> list[str]:
        """The bilan in French, one line per fact, for the commands."""
        if self.deja_importe:
            return [
                f"Fichier déjà importé le {self.importe_le} (même jeu {self.dataset} et même empreinte SHA-256) : "
                "rien n'a changé."
            ]
        jeu = JEUX[self.jeu]
        lignes = [
            f"Jeu de données : {self.dataset} — {jeu.titre} ; niveau {Niveau(self.niveau).label}",
            f"Format : {'en-tête par libellés' if self.par_libelles else 'en-tête par noms de colonnes'}, "
            f"encodage {self.encodage}, séparateur {SEPARATEURS.get(self.separateur, self.separateur)}",
            f"Période(s) : {', '.join(self.periodes) or '—'} ; lignes lues : {self.lignes}",
            f"Observations : {self.crees} créée(s), {self.modifies} modifiée(s), {self.inchanges} inchangée(s)",
        ]
        if self.par_iris:
            communes = self.crees + self.modifies + self.inchanges + self.conserves
            lignes.append(
                f"Fichier par IRIS : {self.lignes} IRIS regroupés en {communes} commune(s) (sommes arrondies à "
                "l'unité une fois la commune entière additionnée)"
            )
        if self.arrondissements:
            detail = " ; ".join(
                f"{NOMS_VILLES[ville]} ({ville}) : {n}" for ville, n in sorted(self.arrondissements.items())
            )
            lignes.append(f"Lignes d'arrondissements municipaux additionnées dans leur ville : {detail}")
        if self.conserves:
            lignes.append(
                f"Observations réelles conservées (un fichier de démonstration ne les remplace pas) : {self.conserves}"
            )
        if self.ecartes:
            detail = " ; ".join(f"{ECARTS[k]} : {n}" for k, n in self.ecartes.items())
            lignes.append(f"Lignes écartées : {self.lignes_ecartees} ({detail})")
            if self.codes_inconnus:
                reste = len(self.codes_inconnus) - MAX_CODES
                lignes.append(
                    "Codes absents du référentiel : "
                    + ", ".join(self.codes_inconnus[:MAX_CODES])
                    + (f" … et {reste} autre(s)" if reste > 0 else "")
                )
        else:
            lignes.append("Lignes écartées : 0")
        lignes.append(
            f"Cellules vides (secret statistique, enregistrées comme absentes, jamais 0) : {self.cellules_secretes}"
        )
        if self.colonnes_ignorees:
            lignes.append(f"Colonnes ignorées : {', '.join(self.colonnes_ignorees)}")
        lignes.extend(f"Attention : {a}" for a in self.avertissements)
        if self.demonstration:
            lignes.append("Données de démonstration : chiffres fictifs, signalés comme tels partout.")
        return lignes


# ---------------------------------------------------------------------------------------------------------------
# Reading


def separateur(premiere_ligne: str) -> str:
    comptes = {s: premiere_ligne.count(s) for s in SEPARATEURS}
    meilleur = max(comptes, key=lambda s: comptes[s])
    return meilleur if comptes[meilleur] else ";"


class NombreIllisible(ValueError):
    """A cell that is not a number as the files write them; the message says why, in French."""


def nombre(texte: str) -> int | float:
    """A number of a cell: integer, or decimal with a comma or a point; spaces of thousands allowed.

    Raise ``NombreIllisible`` (a ``ValueError``) otherwise (no NaN, no infinity, no thousands separator other than
    spaces, no number longer than ``LONGUEUR_NOMBRE_MAX`` characters). The domain of the variable (no negative
    count, bounded magnitudes, nothing infinite) is checked by ``ctg.saisie.probleme_nombre``."""
    if len(texte) > LONGUEUR_NOMBRE_MAX:
        raise NombreIllisible(f"nombre trop long ({len(texte)} caractères, {LONGUEUR_NOMBRE_MAX} au plus)")
    if texte.isascii() and texte.isdigit():
        return int(texte)
    propre = RE_ESPACES.sub("", texte)
    if not RE_NOMBRE.match(propre):
        raise NombreIllisible("valeur non numérique")
    if re.fullmatch(r"[-+]?[0-9]+", propre):
        return int(propre)
    return float(propre.replace(",", "."))


RE_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})(?:-(\d{2}))?(?:T.*)?$")
RE_DATE_FR = re.compile(r"^(\d{2})/(\d{2})/(\d{4})$")
RE_DATE_COMPACTE = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")


def periode_annee(texte: str) -> tuple[str, int]:
    """``annee`` of the childcare files: ``2023``, or a date ``2023-01-01`` (``txcouv_pe_nat``) → ("2023", 2023)."""
    m = re.match(r"^(\d{4})(?:$|-\d{2}(?:-\d{2})?(?:T.*)?$)", texte)
    if not m:
        raise ValueError("année invalide (AAAA attendu)")
    annee = int(m.group(1))
    if not 1900 <= annee <= 2100:
        raise ValueError("année impossible")
    if len(texte) > 4:
        _date(texte)
    return str(annee), annee


def _date(texte: str) -> tuple[int, int]:
    for motif, ordre in ((RE_DATE_ISO, (0, 1, 2)), (RE_DATE_FR, (2, 1, 0)), (RE_DATE_COMPACTE, (0, 1, 2))):
        m = motif.match(texte)
        if m:
            parties = m.groups()
            annee, mois, jour = (parties[i] for i in ordre)
            try:
                datetime.date(int(annee), int(mois), int(jour or 1))
            except ValueError as exc:
                raise ValueError("date impossible") from exc
            if not 1900 <= int(annee) <= 2100:
                raise ValueError("date impossible")
            return int(annee), int(mois)
    raise ValueError("date invalide (AAAA-MM-JJ attendu)")


def periode_mois(texte: str) -> tuple[str, int]:
    """``dtreffre`` (a reference date, ``2022-12-31``) → ("2022-12", 2022); also 31/12/2022, 202212, 2022-12."""
    annee, mois = _date(texte)
    return f"{annee:04d}-{mois:02d}", annee


def taille_max() -> int:
    """The largest file ``import_donnees`` reads, in bytes (``CTG_IMPORT_TAILLE_MAX``)."""
    return settings.CTG_IMPORT_TAILLE_MAX


def lignes_max() -> int:
    """The most data rows a file may have (``CTG_IMPORT_LIGNES_MAX``)."""
    return settings.CTG_IMPORT_LIGNES_MAX


@dataclass
class _Examen:
    """What a first pass over the bytes of a file tells: checksum, encoding, lines, emptiness."""

    empreinte: str
    encodage: str  # Python codec
    nom_encodage: str  # as the bilan says it
    sauts: int  # line feeds, for the progress bar
    vide: bool


RE_C1 = re.compile(rb"[\x80-\x9f]")
RE_INDEFINIS_CP1252 = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")
RE_NON_BLANC = re.compile(rb"\S")


class _Encodage:
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
    """Decode a text held in memory by the rules of ``_Encodage``. Return (text, encoding name)."""
    encodage = _Encodage()
    encodage.lire(octets)
    codec, nom_encodage = encodage.conclure()
    return octets.decode(codec), nom_encodage


def _examiner(chemin: Path, nom: str) -> _Examen:
    """Read the file once, a block at a time (never whole): its size against ``taille_max``, SHA-256, encoding
    (``_Encodage``), number of lines.

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
        encodage = _Encodage()
        with chemin.open("rb") as fichier:
            while bloc := fichier.read(TAILLE_BLOC):
                empreinte.update(bloc)
                encodage.lire(bloc)
        codec, nom_encodage = encodage.conclure()
    except OSError as exc:
        raise ErreurImport([Erreur(nom, f"fichier illisible ({exc.strerror or exc})")]) from exc
    except ValueError as exc:
        raise ErreurImport([Erreur(nom, str(exc))]) from exc
    return _Examen(empreinte.hexdigest(), codec, nom_encodage, encodage.sauts, vide=not encodage.non_blanc)


class LigneTropLongue(Exception):
    def __init__(self, numero: int):
        self.numero = numero


class _Lignes:
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


def _message_csv(exc: csv.Error) -> str:
    texte = str(exc)
    for anglais, francais in MESSAGES_CSV.items():
        if texte.startswith(anglais):
            return francais
    if "expected after" in texte:
        return "caractère inattendu après un guillemet fermant : guillemet mal placé dans une valeur ?"
    return f"ligne CSV illisible ({texte})"


class _Territoires:
    """The codes of the territories app, loaded once per level, and the classification of a code read."""

    def __init__(self):
        self._connus: dict[str, set[str]] = {}

    def connus(self, niveau: str) -> set[str]:
        if niveau not in self._connus:
            model = {Niveau.COMMUNE: Commune, Niveau.EPCI: Epci, Niveau.DEPARTEMENT: Departement}[niveau]
            self._connus[niveau] = set(model.objects.values_list("code", flat=True))
        return self._connus[niveau]

    def classer(self, niveau: str, brut: str) -> tuple[str, str]:
        code = brut.strip().upper()
        if niveau == Niveau.COMMUNE:
            if not code:
                return SANS_CODE, code
            if code == "99999":
                return ETRANGER, code
            if set(code) == {"X"} or (len(code) == 5 and RE_COMMUNE_MASQUEE.match(code)):
                return NON_LOCALISE, code
            if len(code) == 4 and code.isdigit():  # leading zero lost by a spreadsheet
                code = "0" + code
            if not RE_COMMUNE.match(code):
                return _INVALIDE, "code commune à 5 caractères attendu (code Insee)"
            if code in self.connus(niveau):
                return _OK, code
            return (ARRONDISSEMENT if code in ARRONDISSEMENTS else INCONNU), code
        if niveau == Niveau.EPCI:
            if RE_FICTIF.match(code):
                return FICTIF, code
            if not RE_EPCI.match(code):
                return _INVALIDE, "SIREN d'EPCI à 9 chiffres attendu"
            return (_OK if code in self.connus(niveau) else INCONNU), code
        if RE_FICTIF.match(code):
            return FICTIF, code
        if len(code) == 1 and code.isdigit():
            code = "0" + code
        if not RE_DEPARTEMENT.match(code):
            return _INVALIDE, "code de département attendu (01 à 95, 2A, 2B, 971 à 976)"
        return (_OK if code in self.connus(niveau) else INCONNU), code


class _Relues:
    """The lines of a ``_Lignes`` whose first one was already read (for the header), for the CSV reader."""

    def __init__(self, lignes: _Lignes, premiere: str, suite: Iterator[str]):
        self.lignes, self._iterateur = lignes, itertools.chain([premiere] if premiere else [], suite)

    @property
    def fin_sans_saut(self) -> bool:
        return self.lignes.fin_sans_saut

    @property
    def numero(self) -> int:
        return self.lignes.numero

    def __iter__(self) -> Iterator[str]:
        return self._iterateur


@dataclass
class _Lu:
    """A file read and checked: its plan and the observations it gives, keyed by (code, periode)."""

    plan: Plan
    observations: dict[tuple[str, str], tuple[int, dict]]  # (code, periode) -> (annee, valeurs)
    lignes: int
    ecartes: Counter
    cellules_secretes: int
    inconnus: set[str] = field(default_factory=set)
    regroupes: Counter = field(default_factory=Counter)  # city -> arrondissement rows summed into it
    avertissements: list[str] = field(default_factory=list)


def _additionner(somme: dict, valeurs: dict) -> None:
    """Add ``valeurs`` into ``somme``, variable by variable; a blank (``None``) on either side makes the sum
    unknown: never a partial sum."""
    for variable, valeur in valeurs.items():
        if variable not in somme:
            somme[variable] = valeur
        else:
            avant = somme[variable]
            somme[variable] = None if avant is None or valeur is None else avant + valeur


def _arrondi(valeur: int | float | None) -> int | None:
    """A census sum rounded to the unit, halves up (the sums are never negative)."""
    return valeur if valeur is None or isinstance(valeur, int) else math.floor(valeur + 0.5)


def _regrouper(
    jeu: str,
    arrondissements: dict[tuple[str, str], tuple[int, dict, int]],
    observations: dict[tuple[str, str], tuple[int, dict]],
    ecartes: Counter,
) -> tuple[Counter, list[str]]:
    """Sum the arrondissements municipaux of Paris, Lyon and Marseille into their city, period by period.

    ``arrondissements``: (arrondissement, period) -> (year, values, rows read). Counts and amounts
    (``jeux.additive``) are added, a blank in any arrondissement making the city's value unknown; a rate is
    computed again from its numerator and denominator (``jeux.RATIOS``) when the file has both, else the city
    gets no rate. The city's own row, when the file has one, wins; a city whose arrondissements are not all in
    the file gets nothing from them. The rows not summed are counted in ``ecartes``. Return the rows summed by
    city, and the warnings for the bilan."""
    par_ville: dict[tuple[str, str], list[tuple[str, int, dict, int]]] = {}
    for (code, periode), (annee, valeurs, lignes) in arrondissements.items():
        par_ville.setdefault((VILLE_DE[code], periode), []).append((code, annee, valeurs, lignes))
    regroupes: Counter = Counter()
    incompletes: dict[str, dict[str, list[str]]] = {}  # city -> period -> missing arrondissements
    sans_taux: dict[str, tuple[set[str], set[str]]] = {}  # city -> (periods, rates)
    for (ville, periode), parts in sorted(par_ville.items()):
        lignes = sum(n for _c, _a, _v, n in parts)
        if (ville, periode) in observations:  # the city's own row wins
            ecartes[ARRONDISSEMENT] += lignes
            continue
        manquants = sorted(VILLES[ville] - {code for code, *_ in parts})
        if manquants:
            incompletes.setdefault(ville, {})[periode] = manquants
            ecartes[ARRONDISSEMENT] += lignes
            continue
        variables = list(dict.fromkeys(v for _c, _a, part, _n in parts for v in part))
        valeurs: dict = {}
        for _c, _a, part, _n in parts:
            _additionner(valeurs, {v: x for v, x in part.items() if additive(jeu, v)})
        taux_manquants = set()
        for variable in variables:
            if additive(jeu, variable):
                continue
            numerateur, denominateur, facteur = RATIOS.get(variable, (None, None, 0))
            if numerateur in valeurs and denominateur in valeurs:
                n, d = valeurs[numerateur], valeurs[denominateur]
                valeurs[variable] = None if n is None or d is None or d == 0 else round(facteur * n / d, 1)
            else:
                taux_manquants.add(variable)
        if taux_manquants:
            periodes, taux = sans_taux.setdefault(ville, (set(), set()))
            periodes.add(periode)
            taux.update(taux_manquants)
        if not valeurs:
            ecartes[ARRONDISSEMENT] += lignes
            continue
        # the order of the variables as the file gives them
        observations[(ville, periode)] = (parts[0][1], {v: valeurs[v] for v in variables if v in valeurs})
        regroupes[ville] += lignes
    avertissements = []
    for ville, periodes in incompletes.items():
        detail = " ; ".join(
            f"{periode} : manque {', '.join(m[:5])}{' …' if len(m) > 5 else ''} ({len(m)} sur {len(VILLES[ville])})"
            for periode, m in sorted(periodes.items())
        )
        avertissements.append(
            f"{NOMS_VILLES[ville]} ({ville}) : arrondissements municipaux incomplets, aucun chiffre de la ville tiré "
            f"de leur somme, qui serait partielle ({detail})"
        )
    for ville, (periodes, taux) in sans_taux.items():
        avertissements.append(
            f"{NOMS_VILLES[ville]} ({ville}), {', '.join(sorted(periodes))} : pas de taux tiré des arrondissements "
            f"({', '.join(sorted(taux))}) : un taux ne s'additionne ni ne se moyenne, et le fichier n'a pas son "
            "numérateur et son dénominateur"
        )
    return regroupes, avertissements


def _lire(
    lignes_fichier: _Lignes | _Relues,
    nom: str,
    plan: Plan,
    sep: str,
    erreurs: ErreursBornees[Erreur],
    ignorer_inconnus: bool,
    periode_nom: tuple[str, int] | None,
    progression: bool,
    total: int = 0,
) -> _Lu:
    """Read the rows one at a time (the file is never held whole), check each, keep the observations."""
    fmt = plan.format
    niveau = fmt.niveau
    territoires = _Territoires()
    classes: dict[str, tuple[str, str]] = {}
    periodes_lues: dict[str, tuple[str, int] | str] = {}
    lire_periode = periode_annee if fmt.periode == ANNEE else periode_mois
    observations: dict[tuple[str, str], tuple[int, dict]] = {}
    # Paris, Lyon, Marseille: (arrondissement, period) -> (year, values, rows), summed into the city at the end
    arrondissements: dict[tuple[str, str], tuple[int, dict, int]] = {}
    premieres_lignes: dict[tuple[str, str], int] = {}
    index_iris = plan.index_iris  # an IRIS file: its rows are summed by commune
    lignes_iris: dict[str, int] = {}  # IRIS code -> its line
    ecartes: Counter = Counter()
    inconnus: set[str] = set()
    secretes = 0
    lignes = 0
    entete_code = plan.index_code
    maximum = lignes_max()
    grandeurs = {v: grandeur(fmt.jeu, v) for _p, colonnes in plan.groupes for _i, v, _c in colonnes}
    reader = csv.reader(lignes_fichier, delimiter=sep, strict=True)
    try:
        entete = next(reader)
    except (StopIteration, csv.Error):
        return _Lu(plan, {}, 0, ecartes, 0)
    largeur = len(entete)
    nom_code = entete[entete_code].replace("\ufeff", "").strip() if entete_code is not None else None
    nom_periode = entete[plan.index_periode].strip() if plan.index_periode is not None else None
    nom_iris = entete[index_iris].replace("\ufeff", "").strip() if index_iris is not None else None
    barre = tqdm(total=max(total - 1, 0), desc="Lecture", unit=" lignes", disable=not progression, leave=False)
    derniere = 1  # the line of the last row of data
    try:
        for row in reader:
            barre.update(1)
            numero = reader.line_num
            if not row or (len(row) == 1 and not row[0].strip()):
                continue
            derniere = numero
            lignes += 1
            if lignes > maximum:
                erreurs.ajouter(
                    Erreur(
                        nom,
                        f"plus de {maximum} lignes de données (CTG_IMPORT_LIGNES_MAX) : lecture arrêtée ; découpez "
                        "le fichier, par exemple par année ou par département",
                        numero,
                    )
                )
                break
            if len(row) != largeur:
                erreurs.ajouter(
                    Erreur(nom, f"{len(row)} champ(s) au lieu de {largeur} (ligne tronquée ou mal séparée ?)", numero)
                )
                continue
            # Territory
            arrondissement = False  # of Paris, Lyon or Marseille: summed into the city at the end
            if entete_code is None:
                code = CODE_FRANCE
            else:
                brut = row[entete_code].strip()
                classe = classes.get(brut)
                if classe is None:
                    classe = classes[brut] = territoires.classer(niveau, brut)
                statut, code = classe
                if statut == ARRONDISSEMENT:
                    arrondissement = True
                elif statut != _OK:
                    if statut == _INVALIDE:
                        erreurs.ajouter(Erreur(nom, f"code invalide, {code}", numero, nom_code, brut), nom_code)
                    elif statut == INCONNU and not ignorer_inconnus:
                        erreurs.ajouter(
                            Erreur(
                                nom,
                                f"code inconnu du référentiel des territoires ({Niveau(niveau).label}) ; "
                                "--ignorer-inconnus l'écarte sans erreur",
                                numero,
                                nom_code,
                                brut,
                            ),
                            nom_code,
                        )
                    else:
                        ecartes[statut] += 1
                        if statut == INCONNU:
                            inconnus.add(code)
                    continue
            if index_iris is not None:
                iris = row[index_iris].strip()
                if iris in lignes_iris:
                    erreurs.ajouter(
                        Erreur(nom, f"IRIS en double (déjà en ligne {lignes_iris[iris]})", numero, nom_iris, iris),
                        nom_iris,
                    )
                    continue
                if iris:
                    lignes_iris[iris] = numero
            # Values, one observation per period the row gives
            for rang, (periode_fixe, colonnes) in enumerate(plan.groupes):
                une = 1 if rang == 0 else 0  # the row, counted once whatever the number of periods it gives
                if periode_fixe is not None:
                    periode, annee = periode_fixe, int(periode_fixe[:4])
                elif periode_nom is not None:
                    periode, annee = periode_nom
                else:
                    brut_periode = row[plan.index_periode].strip()
                    lue = periodes_lues.get(brut_periode)
                    if lue is None:
                        try:
                            lue = lire_periode(brut_periode)
                        except ValueError as exc:
                            lue = str(exc)
                        periodes_lues[brut_periode] = lue
                    if isinstance(lue, str):
                        erreurs.ajouter(Erreur(nom, lue, numero, nom_periode, brut_periode), nom_periode)
                        break
                    periode, annee = lue
                valeurs = {}
                for index, variable, colonne in colonnes:
                    cellule = row[index].strip()
                    if not cellule:
                        valeurs[variable] = None
                        secretes += 1
                        continue
                    try:
                        valeur = nombre(cellule)
                    except NombreIllisible as exc:
                        erreurs.ajouter(Erreur(nom, str(exc), numero, colonne, _extrait(cellule)), colonne)
                        continue
                    probleme = probleme_nombre(valeur, grandeurs[variable])
                    if probleme:
                        erreurs.ajouter(Erreur(nom, probleme, numero, colonne, _extrait(cellule)), colonne)
                        continue
                    valeurs[variable] = valeur
                cle = (code, periode)
                if index_iris is not None:  # summed by commune (or arrondissement)
                    if arrondissement:
                        deja = arrondissements.get(cle)
                        if deja is None:
                            arrondissements[cle] = (annee, valeurs, une)
                        else:
                            _additionner(deja[1], valeurs)
                            arrondissements[cle] = (annee, deja[1], deja[2] + une)
                    elif cle in observations:
                        _additionner(observations[cle][1], valeurs)
                    else:
                        observations[cle] = (annee, valeurs)
                    continue
                if cle in premieres_lignes:
                    erreurs.ajouter(
                        Erreur(
                            nom,
                            f"territoire {code} en double pour la période {periode} (déjà en ligne "
                            f"{premieres_lignes[cle]})",
                            numero,
                            nom_code,
                            row[entete_code].strip() if entete_code is not None else CODE_FRANCE,
                        ),
                        nom_code,
                    )
                    continue
                premieres_lignes[cle] = numero
                if arrondissement:
                    arrondissements[cle] = (annee, valeurs, une)
                else:
                    observations[cle] = (annee, valeurs)
        else:
            if lignes_fichier.fin_sans_saut and derniere == lignes_fichier.numero and lignes:
                erreurs.ajouter(
                    Erreur(
                        nom,
                        "la dernière ligne ne finit pas par un retour à la ligne : le fichier semble tronqué (sa "
                        "dernière valeur est peut-être coupée) ; s'il est complet, ajoutez un retour à la ligne "
                        "à la fin",
                        derniere,
                    )
                )
    except csv.Error as exc:
        erreurs.ajouter(Erreur(nom, _message_csv(exc), reader.line_num))
    finally:
        barre.close()
    regroupes, avertissements = _regrouper(fmt.jeu, arrondissements, observations, ecartes)
    if index_iris is not None:  # the commune's sum rounded once it is whole, never each IRIS
        for _annee, valeurs in observations.values():
            for variable, valeur in valeurs.items():
                valeurs[variable] = _arrondi(valeur)
    return _Lu(plan, observations, lignes, ecartes, secretes, inconnus, regroupes, avertissements)


def _extrait(cellule: str) -> str:
    return cellule if len(cellule) <= 60 else cellule[:57] + "…"


def _sha256(octets: bytes) -> str:
    return hashlib.sha256(octets).hexdigest()


def lire_fichier(
    chemin: Path | str,
    dataset: str | None = None,
    ignorer_inconnus: bool = False,
    millesime: int | None = None,
    progression: bool = False,
    sauf_deja_importe: bool = False,
) -> tuple[_Lu | None, Bilan]:
    """Read and check a file; raise ``ErreurImport`` listing every problem. Writes nothing.

    With ``sauf_deja_importe``, a file already imported (same dataset and SHA-256) is not read past its header:
    the result is ``(None, bilan)`` with ``bilan.deja_importe``."""
    chemin = Path(chemin)
    nom = chemin.name
    bilan = Bilan(fichier=nom)
    examen = _examiner(chemin, nom)
    bilan.empreinte, bilan.encodage = examen.empreinte, examen.nom_encodage
    if examen.vide:
        raise ErreurImport([Erreur(nom, "fichier vide (l'en-tête est attendu en ligne 1)")])
    try:
        with chemin.open(encoding=examen.encodage, newline="") as fichier:
            return _lire_texte(
                fichier, nom, bilan, examen, dataset, ignorer_inconnus, millesime, progression, sauf_deja_importe
            )
    except OSError as exc:
        raise ErreurImport([Erreur(nom, f"fichier illisible ({exc.strerror or exc})")]) from exc
    except LigneTropLongue as exc:
        raise ErreurImport(
            [
                Erreur(
                    nom,
                    f"ligne de plus de {LONGUEUR_LIGNE_MAX} caractères : ce n'est pas un fichier CSV de données "
                    "(retours à la ligne absents ?)",
                    exc.numero,
                )
            ]
        ) from exc


def _lire_texte(
    fichier: TextIO,
    nom: str,
    bilan: Bilan,
    examen: _Examen,
    dataset: str | None,
    ignorer_inconnus: bool,
    millesime: int | None,
    progression: bool,
    sauf_deja_importe: bool,
) -> tuple[_Lu | None, Bilan]:
    lignes_fichier = _Lignes(fichier)
    iterateur = iter(lignes_fichier)
    premiere = next(iterateur, "")
    # the reader reads the header again (line 1), then the rest of the file as it comes
    lignes_fichier_relues = _Relues(lignes_fichier, premiere, iterateur)
    premiere = premiere.rstrip("\r\n")
    sep = separateur(premiere)
    bilan.separateur = sep
    try:
        entete = next(csv.reader([premiere], delimiter=sep))
    except csv.Error as exc:
        raise ErreurImport([Erreur(nom, f"en-tête illisible ({_message_csv(exc)})", 1)]) from exc
    try:
        plan = reconnaitre(entete, dataset, annee_courante=horloge.aujourd_hui().year)
    except EnteteNonReconnue as exc:
        raise ErreurImport([Erreur(nom, message, 1, colonne) for colonne, message in exc.problemes]) from exc
    fmt = plan.format
    bilan.dataset, bilan.jeu, bilan.niveau, bilan.par_libelles = plan.dataset, fmt.jeu, fmt.niveau, plan.par_libelles
    bilan.variables = plan.variables
    bilan.colonnes_ignorees = plan.colonnes_ignorees
    bilan.avertissements = list(plan.avertissements)
    if sauf_deja_importe:
        deja = Fichier.objects.filter(dataset=bilan.dataset, empreinte=bilan.empreinte, annule_le__isnull=True).first()
        if deja is not None:
            _deja_importe(bilan, deja)
            return None, bilan

    erreurs: ErreursBornees[Erreur] = ErreursBornees()
    if sep not in fmt.separateurs:
        attendu = " ou ".join(SEPARATEURS[s] for s in fmt.separateurs)
        erreurs.ajouter(
            Erreur(
                nom,
                f"séparateur {SEPARATEURS[sep]} : les fichiers {fmt.id} sont séparés par {attendu}"
                + (" (data.caf.fr : exporter avec delimiter=%3B)" if fmt.separateurs == (";",) else ""),
                1,
            )
        )
        raise ErreurImport(erreurs)
    periode_nom = None
    if fmt.periode == NOM_FICHIER:
        annee = millesime or annee_du_nom(nom)
        if annee is None:
            raise ErreurImport(
                [
                    Erreur(
                        nom,
                        "millésime introuvable : le nom du fichier doit contenir l'année (Bas_revenu_Com_AAAA.csv), "
                        "ou précisez --millesime AAAA",
                    )
                ]
            )
        periode_nom = (str(annee), annee)
    elif millesime and fmt.millesime:
        plan.groupes = [(str(millesime), colonnes) for _p, colonnes in plan.groupes]
    lu = _lire(lignes_fichier_relues, nom, plan, sep, erreurs, ignorer_inconnus, periode_nom, progression, examen.sauts)
    if lignes_fichier.double_encodage:
        bilan.avertissements.append("le texte contient « Ã© » : le fichier a sans doute été ré-encodé deux fois")
    if erreurs:
        raise ErreurImport(erreurs)
    if not lu.observations:
        raise ErreurImport([Erreur(nom, "aucune ligne de données à importer")])
    bilan.lignes = lu.lignes
    bilan.ecartes = {k: lu.ecartes[k] for k in ECARTS if lu.ecartes[k]}
    bilan.cellules_secretes = lu.cellules_secretes
    bilan.codes_inconnus = sorted(lu.inconnus)
    bilan.arrondissements = dict(sorted(lu.regroupes.items()))
    bilan.par_iris = plan.index_iris is not None
    bilan.avertissements.extend(lu.avertissements)
    bilan.periodes = sorted({p for _c, p in lu.observations})
    return lu, bilan


# ---------------------------------------------------------------------------------------------------------------
# Writing


def _mettre_a_jour(a_modifier: list[tuple[int, dict]], fichier: Fichier, barre: tqdm) -> None:
    """UPDATE the values and the file of existing observations, in batches of one ``executemany``.

    ``bulk_update`` builds one CASE per field and row: 35,000 rows took 9 s on SQLite, against well under a
    second this way. The JSON goes through the field's own adaptation, so PostgreSQL receives a jsonb."""
    connexion = connections[router.db_for_write(Observation)]
    nom = connexion.ops.quote_name
    champ = Observation._meta.get_field("valeurs")
    table, col_valeurs = nom(Observation._meta.db_table), nom(champ.column)
    col_fichier, col_cle = nom(Observation._meta.get_field("fichier").column), nom(Observation._meta.pk.column)
    # Bandit B608 accepted: the table and column names come from the model, quoted; the values are parameters.
    sql = f"UPDATE {table} SET {col_valeurs} = %s, {col_fichier} = %s WHERE {col_cle} = %s"  # nosec B608
    with connexion.cursor() as curseur:
        for debut in range(0, len(a_modifier), LOT):
            lot = a_modifier[debut : debut + LOT]
            curseur.executemany(sql, [(champ.get_db_prep_save(v, connexion), fichier.pk, pk) for pk, v in lot])
            barre.update(len(lot))


def _deja_importe(bilan: Bilan, fichier: Fichier) -> None:
    bilan.deja_importe = True
    bilan.fichier_id = fichier.pk
    bilan.importe_le = f"{timezone.localtime(fichier.importe_le):%d/%m/%Y à %H:%M}"


def importer_fichier(
    chemin: Path | str,
    dataset: str | None = None,
    simulation: bool = False,
    demonstration: bool = False,
    source_url: str = "",
    progression: bool = False,
    ignorer_inconnus: bool = False,
    millesime: int | None = None,
) -> Bilan:
    """Import one file; with ``simulation``, compute the bilan and write nothing. Raise ``ErreurImport``.

    Once a real import is committed, ``signaux.observations_importees`` is sent with ``bilan=`` its bilan (not
    for a simulation, a refused file, nor a file already imported: nothing changed).

    ``dataset`` forces the format (a file format id such as ``txcouv_pe_epci``, or a dataset id of ``jeux.py``);
    ``millesime`` gives the vintage of a file whose name does not carry it (``bas_revenu``) or replaces the
    fixed one (``iris_pop``); ``ignorer_inconnus`` leaves out (and counts) the codes the territories app lacks.
    """
    chemin = Path(chemin)
    lu, bilan = lire_fichier(chemin, dataset, ignorer_inconnus, millesime, progression, sauf_deja_importe=True)
    bilan.simulation, bilan.demonstration = simulation, demonstration
    if lu is None:
        return bilan

    jeu, niveau = lu.plan.format.jeu, lu.plan.format.niveau
    existants: dict[tuple[str, str], tuple[int, dict, bool]] = {}
    requete = Observation.objects.filter(dataset=jeu, niveau=niveau, periode__in=bilan.periodes).values_list(
        "id", "code", "periode", "valeurs", "fichier__demonstration"
    )
    for pk, code, periode, valeurs, demo in requete.iterator(chunk_size=5000):
        existants[(code, periode)] = (pk, valeurs, demo)

    a_creer: list[tuple[str, str, int, dict]] = []
    a_modifier: list[tuple[int, dict]] = []
    a_rattacher: list[int] = []
    for (code, periode), (annee, valeurs) in lu.observations.items():
        existant = existants.get((code, periode))
        if existant is None:
            a_creer.append((code, periode, annee, valeurs))
            continue
        pk, anciennes, ancienne_demo = existant
        protege = demonstration and not ancienne_demo
        if anciennes == valeurs:
            bilan.inchanges += 1
            if not protege:
                a_rattacher.append(pk)
        elif protege:
            bilan.conserves += 1
        else:
            a_modifier.append((pk, valeurs))
    bilan.crees, bilan.modifies = len(a_creer), len(a_modifier)
    if simulation:
        return bilan

    url = source_url.strip()
    if len(url) > Fichier._meta.get_field("source_url").max_length:
        bilan.avertissements.append(f"adresse de la source complète : {url}")
        url = url.split("?", 1)[0]
    jeu_def = JEUX[jeu]
    barre = tqdm(
        total=len(a_creer) + len(a_modifier) + len(a_rattacher),
        desc="Écriture",
        unit=" obs.",
        disable=not progression,
        leave=False,
    )
    try:
        with transaction.atomic():
            fichier = Fichier.objects.create(
                dataset=bilan.dataset,
                nom=chemin.name[:300],
                empreinte=bilan.empreinte,
                source_url=url,
                producteur=jeu_def.producteur,
                licence=jeu_def.licence,
                demonstration=demonstration,
                periodes=bilan.periodes,
                lignes=bilan.lignes,
                bilan=bilan.as_dict(),
            )
            for debut in range(0, len(a_creer), LOT):
                lot = a_creer[debut : debut + LOT]
                Observation.objects.bulk_create(
                    [
                        Observation(
                            fichier=fichier,
                            dataset=jeu,
                            niveau=niveau,
                            code=code,
                            periode=periode,
                            annee=annee,
                            valeurs=valeurs,
                        )
                        for code, periode, annee, valeurs in lot
                    ]
                )
                barre.update(len(lot))
            _mettre_a_jour(a_modifier, fichier, barre)
            for debut in range(0, len(a_rattacher), LOT):
                lot = a_rattacher[debut : debut + LOT]
                Observation.objects.filter(pk__in=lot).update(fichier=fichier)
                barre.update(len(lot))
            bilan.fichier_id = fichier.pk
            # Told once the import is committed (inside a caller's transaction: once that one is), never if it
            # is rolled back: the diagnostic computes again the figures that read the dataset.
            transaction.on_commit(lambda: observations_importees.send(sender=Fichier, bilan=bilan))
    except IntegrityError:  # the same file imported at the same moment by someone else
        deja = Fichier.objects.filter(dataset=bilan.dataset, empreinte=bilan.empreinte, annule_le__isnull=True).first()
        if deja is None:
            raise
        _deja_importe(bilan, deja)
        return bilan
    finally:
        barre.close()
    bilan.fichier_id = fichier.pk
    return bilan
