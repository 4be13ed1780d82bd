"""Reading an open-data file, streamed and bounded: encoding, separator, header, every row checked, the
arrondissements and IRIS regrouped into communes."""

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
from tqdm import tqdm

from ctg import horloge
from ctg.saisie import ErreursBornees, probleme_nombre, taille_lisible
from ctg.territoires.models import Commune, Departement, Epci

from ..formats import ANNEE, NOM_FICHIER, EnteteNonReconnue, Plan, annee_du_nom, reconnaitre
from ..jeux import RATIOS, additive, grandeur
from ..models import CODE_FRANCE, Fichier, Niveau
from .bilan import (
    _INVALIDE,
    _OK,
    ARRONDISSEMENT,
    ARRONDISSEMENTS,
    ECARTS,
    ETRANGER,
    FICTIF,
    INCONNU,
    LONGUEUR_LIGNE_MAX,
    LONGUEUR_NOMBRE_MAX,
    NOMS_VILLES,
    NON_LOCALISE,
    RE_COMMUNE,
    RE_COMMUNE_MASQUEE,
    RE_DEPARTEMENT,
    RE_EPCI,
    RE_ESPACES,
    RE_FICTIF,
    RE_NOMBRE,
    SANS_CODE,
    SEPARATEURS,
    TAILLE_BLOC,
    VILLE_DE,
    VILLES,
    Bilan,
    Erreur,
    ErreurImport,
    _deja_importe,
)

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
