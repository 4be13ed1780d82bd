"""Import of the communes' actual funding from a spreadsheet (XLSX) or a CSV as French Excel writes it.

One line per structure, year and document (budget prévisionnel or compte de résultat). The import is transactional:
every line is checked first, every error is reported with its line and column, and nothing is written if there is
one. It is idempotent (a line already there with the same amounts is "inchangée") and reports created, updated and
unchanged counts. ``essai=True`` checks and counts without writing.

The work is bounded whatever the file: it is read a line at a time (an XLSX in openpyxl's read-only mode, after its
uncompressed size is checked), stops past ``CTG_FINANCEMENT_LIGNES_MAX`` lines (a sheet announcing millions of rows
stops there), and keeps the first ``CTG_IMPORT_ERREURS_MAX`` errors, the others counted. Amounts are bounded
(``ctg.saisie.MONTANT``) and the comment follows the rules of free text (``ctg.saisie``).

Only the convention's own structures are recognised. Each written line records who imported it (``saisi_par`` and
the audit trail: the page's user, or the person a command names) and bumps its version, so that a funding form
opened before the import is refused rather than silently overwriting it.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import BinaryIO

from django.conf import settings
from django.db import transaction

from ctg.documents.echappement import cellule_relue
from ctg.saisie import LIGNE, MONTANT, ErreursBornees, probleme_nombre, probleme_texte, taille_lisible

from .models import Document, FinancementReel

ENTETES = [
    "Année",
    "Commune (code Insee)",
    "Structure",
    "Référence de la structure",
    "Document",
    "Financement de la commune (€)",
    "Autres financeurs (€)",
    "Commentaire",
]
# normalised header -> field
COLONNES = {
    "annee": "annee",
    "exercice": "annee",
    "commune": "commune",
    "communecodeinsee": "commune",
    "codecommune": "commune",
    "codeinsee": "commune",
    "structure": "structure",
    "nomdelastructure": "structure",
    "referencedelastructure": "reference",
    "reference": "reference",
    "document": "document",
    "financementdelacommune": "montant_commune",
    "financementcommune": "montant_commune",
    "autresfinanceurs": "montant_autres",
    "commentaire": "commentaire",
}
OBLIGATOIRES = {"annee": "Année", "document": "Document", "montant_commune": "Financement de la commune (€)"}
DOCUMENTS = {
    "budget": Document.BUDGET,
    "budgetprevisionnel": Document.BUDGET,
    "bp": Document.BUDGET,
    "compte": Document.COMPTE,
    "comptederesultat": Document.COMPTE,
    "cr": Document.COMPTE,
}
TAILLE_MAX = 5 * 1024 * 1024
LONGUEUR_COMMENTAIRE = 300  # FinancementReel.commentaire


def lignes_max() -> int:
    """The most lines a funding file may have, header and blank lines included (``CTG_FINANCEMENT_LIGNES_MAX``):
    a convention has a few hundred structures, each a few years and two documents."""
    return settings.CTG_FINANCEMENT_LIGNES_MAX


def xlsx_decompresse_max() -> int:
    """The most bytes the parts of an XLSX may take once uncompressed (``CTG_FINANCEMENT_XLSX_MAX``)."""
    return settings.CTG_FINANCEMENT_XLSX_MAX


class FichierIllisible(ValueError):
    """The file cannot be read as a funding file; the message says why, in French, for the person importing."""


def normaliser(texte) -> str:
    texte = unicodedata.normalize("NFKD", str(texte or "")).encode("ascii", "ignore").decode().lower()
    texte = re.sub(r"\(.*?\)", "", texte)
    return re.sub(r"[^a-z0-9]", "", texte)


def lettre(indice: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    resultat = ""
    indice += 1
    while indice:
        indice, reste = divmod(indice - 1, 26)
        resultat = chr(65 + reste) + resultat
    return resultat


def lire_montant(valeur) -> Decimal:
    """A euro amount as people type it: 12 345,67 — 12345.67 — 12 345,67 € — or a spreadsheet number; at most
    ``MONTANT.maximum``, never negative, infinite nor with fractions of a cent (``ValueError`` otherwise)."""
    if isinstance(valeur, bool):
        raise ValueError
    if isinstance(valeur, int):
        montant = Decimal(valeur)
    else:
        if isinstance(valeur, float):
            valeur = repr(valeur)  # the shortest text of the spreadsheet's number, never float arithmetic
        texte = str(valeur or "").strip().replace("€", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
        if not texte or len(texte) > 40:
            raise ValueError
        if "," in texte and "." in texte:
            texte = texte.replace(".", "").replace(",", ".")
        else:
            texte = texte.replace(",", ".")
        try:
            montant = Decimal(texte)
        except InvalidOperation as exc:
            raise ValueError from exc
    if montant.is_finite() and montant < 0:
        raise ValueError
    probleme = probleme_nombre(montant, MONTANT)
    if probleme:
        raise ValueError(probleme)
    try:
        arrondi = montant.quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise ValueError from exc
    if montant != arrondi:
        raise ValueError
    return arrondi


@dataclass
class ResultatImport:
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    ignorees: int = 0
    erreurs: list[str] = field(default_factory=list)  # the first ones, then « … et N autres erreurs … »
    essai: bool = False
    nombre_erreurs: int = 0  # all of them, listed or not

    @property
    def bilan(self) -> str:
        def accord(nombre, singulier, pluriel):
            return f"{nombre} {singulier if nombre <= 1 else pluriel}"

        texte = ", ".join(
            [
                accord(self.crees, "ligne créée", "lignes créées"),
                accord(self.modifies, "modifiée", "modifiées"),
                accord(self.inchanges, "inchangée", "inchangées"),
            ]
        )
        if self.ignorees:
            texte += ", " + accord(self.ignorees, "ligne vide ignorée", "lignes vides ignorées")
        if self.essai:
            texte += " — essai : rien n'a été enregistré"
        return texte + "."


def _flux(contenu: bytes | BinaryIO) -> BinaryIO:
    if isinstance(contenu, bytes | bytearray | memoryview):
        return io.BytesIO(contenu)
    contenu.seek(0)
    return contenu


def _taille(flux: BinaryIO) -> int:
    position = flux.tell()
    flux.seek(0, io.SEEK_END)
    taille = flux.tell()
    flux.seek(position)
    return taille


def _verifier_xlsx(flux: BinaryIO) -> None:
    """Refuse an XLSX whose parts would take more than ``xlsx_decompresse_max`` once uncompressed (a "zip bomb":
    a few megabytes holding millions of rows), before openpyxl reads any of them."""
    try:
        with zipfile.ZipFile(flux) as archive:
            total = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise FichierIllisible("Classeur XLSX illisible.") from exc
    finally:
        flux.seek(0)
    if total > xlsx_decompresse_max():
        raise FichierIllisible(
            f"Classeur XLSX trop gros une fois décompressé ({taille_lisible(total)}, "
            f"{taille_lisible(xlsx_decompresse_max())} au plus) : gardez une seule feuille avec les lignes à "
            "importer, ou envoyez un CSV."
        )


def _lignes_xlsx(flux: BinaryIO) -> Iterator[list]:
    from openpyxl import load_workbook

    _verifier_xlsx(flux)
    try:
        classeur = load_workbook(flux, read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - any unreadable workbook
        raise FichierIllisible("Classeur XLSX illisible.") from exc
    try:
        feuille = classeur.worksheets[0]
        for ligne in feuille.iter_rows(values_only=True):  # streamed: the sheet is never held whole
            yield list(ligne)
    except FichierIllisible:
        raise
    except Exception as exc:  # noqa: BLE001 - a sheet broken further on
        raise FichierIllisible("Classeur XLSX illisible (feuille abîmée).") from exc
    finally:
        classeur.close()


def _encodage_csv(flux: BinaryIO) -> str:
    """UTF-8 (with or without BOM) when every byte of the file is, else Windows-1252; read a block at a time."""
    decodeur = codecs.getincrementaldecoder("utf-8")()
    try:
        while bloc := flux.read(1 << 20):
            decodeur.decode(bloc)
        decodeur.decode(b"", final=True)
        return "utf-8-sig"
    except UnicodeDecodeError:
        return "cp1252"
    finally:
        flux.seek(0)


def _lignes_csv(flux: BinaryIO) -> Iterator[list]:
    texte = io.TextIOWrapper(flux, encoding=_encodage_csv(flux), errors="replace", newline="")
    try:
        premiere = texte.readline(100_000)
        separateur = ";" if premiere.count(";") >= premiere.count(",") else ","
        lecteur = csv.reader(itertools.chain([premiere], texte), delimiter=separateur, strict=True)
        try:
            yield from lecteur
        except csv.Error as exc:
            cause = (
                "guillemet ouvert et jamais fermé : le fichier semble tronqué"
                if "unexpected end of data" in str(exc)
                else "caractère nul : ce n'est pas un fichier CSV"
                if "NUL" in str(exc)
                else "ligne CSV illisible (guillemet mal placé ?)"
            )
            raise FichierIllisible(f"Ligne {lecteur.line_num} : {cause}.") from exc
    finally:
        texte.detach()  # the caller's file stays open


def lire_lignes(nom: str, contenu: bytes | BinaryIO, maximum: int | None = None) -> Iterator[tuple[int, list]]:
    """(line number, cells) of a CSV or XLSX file, header included, one at a time; ``FichierIllisible`` for a file
    that cannot be read, or past ``maximum`` lines (``lignes_max``) — counted as the sheet gives them, the empty
    ones too. A cell the product's own export neutralised against formulas (``'=…``) reads as it was written."""
    maximum = lignes_max() if maximum is None else maximum
    if nom.lower().endswith(".xlsx"):
        lignes = _lignes_xlsx(_flux(contenu))
    elif nom.lower().endswith(".csv"):
        lignes = _lignes_csv(_flux(contenu))
    else:
        raise FichierIllisible("Format non reconnu : envoyez un fichier .csv ou .xlsx.")
    try:
        for numero, cellules in enumerate(lignes, 1):
            if numero > maximum:
                raise FichierIllisible(
                    f"Fichier trop long : plus de {maximum} lignes. Importez-le en plusieurs fois (par année, par "
                    "exemple), ou retirez les lignes vides sous le tableau."
                )
            yield numero, [cellule_relue(c) for c in cellules]
    finally:
        lignes.close()


def importer(convention, nom: str, contenu: bytes | BinaryIO, par=None, essai: bool = False) -> ResultatImport:
    """Check every line of the file (bytes, or a binary file open for reading), then write them all or nothing."""
    resultat = ResultatImport(essai=essai)
    erreurs: ErreursBornees[str] = ErreursBornees()
    flux = _flux(contenu)
    if _taille(flux) > TAILLE_MAX:
        resultat.erreurs.append(f"Fichier trop volumineux ({taille_lisible(TAILLE_MAX)} au plus).")
        resultat.nombre_erreurs = 1
        return resultat
    try:
        a_ecrire = _verifier(convention, nom, flux, resultat, erreurs)
    except FichierIllisible as exc:
        erreurs.ajouter(str(exc))
        a_ecrire = []
    resultat.erreurs = list(erreurs.gardees)
    if erreurs.reste:
        resultat.erreurs.append(erreurs.resume_reste(par="par colonne"))
    resultat.nombre_erreurs = erreurs.total
    if resultat.erreurs:
        return resultat
    _ecrire(a_ecrire, nom, resultat, par, essai)
    return resultat


def _verifier(convention, nom: str, flux: BinaryIO, resultat: ResultatImport, erreurs: ErreursBornees[str]) -> list:
    """Every line checked, its errors in ``erreurs``; the lines to write (nothing is written here)."""
    lignes = lire_lignes(nom, flux)
    # the header: the first line that names the required columns (an XLSX export has a title above it)
    premieres = list(itertools.islice(lignes, 10))
    entete_index, colonnes = None, {}
    for position, (_, cellules) in enumerate(premieres):
        trouvees = {}
        for j, cellule in enumerate(cellules):
            champ = COLONNES.get(normaliser(cellule))
            if champ and champ not in trouvees:
                trouvees[champ] = j
        if set(OBLIGATOIRES) <= set(trouvees):
            entete_index, colonnes = position, trouvees
            break
    if entete_index is None:
        lignes.close()
        erreurs.ajouter(
            "Ligne 1 : en-têtes attendus introuvables. Colonnes obligatoires : "
            + ", ".join(f"« {v} »" for v in OBLIGATOIRES.values())
            + ", et « Structure » ou « Référence de la structure »."
        )
        return []
    if "structure" not in colonnes and "reference" not in colonnes:
        lignes.close()
        erreurs.ajouter(
            f"Ligne {premieres[entete_index][0]} : il faut une colonne « Structure » ou « Référence de la structure »."
        )
        return []
    entetes = premieres[entete_index][1]
    structures = list(convention.structures.select_related("commune"))
    par_nom = {normaliser(s.nom): s for s in structures}
    par_reference = {s.reference.strip().lower(): s for s in structures if s.reference.strip()}
    annees = range(convention.date_debut.year - 5, convention.date_fin.year + 2)
    a_ecrire, vues = [], {}

    for numero, cellules in itertools.chain(premieres[entete_index + 1 :], lignes):
        if not any(str(c).strip() for c in cellules if c is not None):
            continue

        def cellule(champ, cellules=cellules):
            j = colonnes.get(champ)
            return cellules[j] if j is not None and j < len(cellules) else None

        def erreur(champ, message, numero=numero):
            j = colonnes[champ]
            erreurs.ajouter(f"Ligne {numero}, colonne {lettre(j)} « {entetes[j]} » : {message}", str(entetes[j]))

        if all(str(cellule(champ) or "").strip() == "" for champ in ("montant_commune", "montant_autres")):
            resultat.ignorees += 1  # a template line left blank
            continue
        erreurs_avant = erreurs.total
        annee = cellule("annee")
        try:
            annee = int(str(annee).strip().split(".")[0][:6]) if isinstance(annee, str | int | float) else None
        except (ValueError, OverflowError):
            annee = None
        if annee is None or annee not in annees:
            erreur(
                "annee",
                f"année invalide « {_extrait(cellule('annee'))} » (attendue entre {annees[0]} et {annees[-1]}).",
            )
        structure = None
        reference = str(cellule("reference") or "").strip().lower()
        nom_structure = str(cellule("structure") or "").strip()
        if reference and reference in par_reference:
            structure = par_reference[reference]
        elif nom_structure and normaliser(nom_structure) in par_nom:
            structure = par_nom[normaliser(nom_structure)]
        else:
            champ = "structure" if "structure" in colonnes else "reference"
            erreur(
                champ,
                f"structure inconnue sur le territoire de la convention « {_extrait(nom_structure or reference)} ».",
            )
        code = str(cellule("commune") or "").strip()
        if structure and code and "commune" in colonnes and code.zfill(5) != structure.commune_id:
            erreur(
                "commune",
                f"la structure « {structure.nom} » est à {structure.commune.nom} ({structure.commune_id}), "
                f"pas à « {_extrait(code)} ».",
            )
        document = DOCUMENTS.get(normaliser(cellule("document")))
        if document is None:
            erreur(
                "document",
                f"document inconnu « {_extrait(cellule('document'))} » (budget prévisionnel ou compte de résultat).",
            )
        montants = {}
        for champ in ("montant_commune", "montant_autres"):
            valeur = cellule(champ)
            if champ == "montant_autres" and (valeur is None or str(valeur).strip() == ""):
                montants[champ] = Decimal("0")
                continue
            try:
                montants[champ] = lire_montant(valeur)
            except ValueError as exc:
                if exc.args:  # outside the domain of an amount: says which bound
                    erreur(champ, f"montant « {_extrait(valeur)} » refusé : {exc.args[0]}.")
                else:
                    erreur(
                        champ,
                        f"montant illisible « {_extrait(valeur)} » (un montant positif en euros, au centime).",
                    )
        commentaire = str(cellule("commentaire") or "").strip()
        probleme = probleme_texte(commentaire, LIGNE, LONGUEUR_COMMENTAIRE)
        if probleme:
            erreur("commentaire", probleme + ".")
        if erreurs.total == erreurs_avant:
            cle = (structure.pk, annee, document)
            if cle in vues:
                erreurs.ajouter(f"Ligne {numero} : même structure, année et document qu'à la ligne {vues[cle]}.")
                continue
            vues[cle] = numero
            a_ecrire.append((structure, annee, document, montants, commentaire))
    return a_ecrire


def _extrait(valeur) -> str:
    """A cell as an error message quotes it: at most 60 characters."""
    texte = "" if valeur is None else str(valeur)
    return texte if len(texte) <= 60 else texte[:57] + "…"


def _ecrire(a_ecrire: list, nom: str, resultat: ResultatImport, par, essai: bool) -> None:
    with transaction.atomic():
        for structure, annee, document, montants, commentaire in a_ecrire:
            existant = (
                FinancementReel.objects.select_for_update()
                .filter(structure=structure, annee=annee, document=document)
                .first()
            )
            if existant is None:
                resultat.crees += 1
                if not essai:
                    ligne = FinancementReel(
                        structure=structure,
                        annee=annee,
                        document=document,
                        commentaire=commentaire,
                        origine=f"import {nom}",
                        saisi_par=par,
                        **montants,
                    )
                    _enregistrer(ligne, par)
            elif (existant.montant_commune, existant.montant_autres) == (
                montants["montant_commune"],
                montants["montant_autres"],
            ):
                resultat.inchanges += 1
            else:
                resultat.modifies += 1
                if not essai:
                    existant.montant_commune = montants["montant_commune"]
                    existant.montant_autres = montants["montant_autres"]
                    existant.commentaire = commentaire or existant.commentaire
                    existant.origine = f"import {nom}"
                    existant.saisi_par = par
                    existant.version += 1
                    _enregistrer(existant, par)


def _enregistrer(ligne: FinancementReel, par) -> None:
    if par is not None:
        ligne._history_user = par  # the importer, in a page or in a command run for a named person
    ligne.save()
