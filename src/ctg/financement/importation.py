"""Import of the communes' actual funding from a spreadsheet (XLSX) or a CSV as French Excel writes it.

One line per structure, year and document (budget prévisionnel or compte de résultat). The import is transactional:
every line is checked first, every error is reported with its line and column, and nothing is written if there is
one. It is idempotent (a line already there with the same amounts is "inchangée") and reports created, updated and
unchanged counts. ``essai=True`` checks and counts without writing.

Only the convention's own structures are recognised. Each written line records who imported it (``saisi_par`` and
the audit trail: the page's user, or the person a command names) and bumps its version, so that a funding form
opened before the import is refused rather than silently overwriting it.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db import transaction

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
    """A euro amount as people type it: 12 345,67 — 12345.67 — 12 345,67 € — or a spreadsheet number."""
    if isinstance(valeur, bool):
        raise ValueError
    if isinstance(valeur, int):
        return Decimal(valeur)
    if isinstance(valeur, float):
        valeur = repr(valeur)  # the shortest text of the spreadsheet's number, never float arithmetic
    texte = str(valeur or "").strip().replace("€", "").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    if not texte:
        raise ValueError
    if "," in texte and "." in texte:
        texte = texte.replace(".", "").replace(",", ".")
    else:
        texte = texte.replace(",", ".")
    try:
        montant = Decimal(texte)
    except InvalidOperation as exc:
        raise ValueError from exc
    if not montant.is_finite() or montant < 0 or montant != montant.quantize(Decimal("0.01")):
        raise ValueError
    return montant.quantize(Decimal("0.01"))


@dataclass
class ResultatImport:
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    ignorees: int = 0
    erreurs: list[str] = field(default_factory=list)
    essai: bool = False

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


def lire_lignes(nom: str, contenu: bytes) -> list[tuple[int, list]]:
    """(line number, cells) of a CSV or XLSX file, header included."""
    if nom.lower().endswith(".xlsx"):
        from openpyxl import load_workbook

        try:
            classeur = load_workbook(io.BytesIO(contenu), read_only=True, data_only=True)
        except Exception as exc:  # noqa: BLE001 - any unreadable workbook
            raise ValueError("Classeur XLSX illisible.") from exc
        feuille = classeur.worksheets[0]
        lignes = [(i, list(ligne)) for i, ligne in enumerate(feuille.iter_rows(values_only=True), 1)]
        classeur.close()
        return lignes
    if not nom.lower().endswith(".csv"):
        raise ValueError("Format non reconnu : envoyez un fichier .csv ou .xlsx.")
    for encodage in ("utf-8-sig", "cp1252"):
        try:
            texte = contenu.decode(encodage)
            break
        except UnicodeDecodeError:
            continue
    premiere = texte.splitlines()[0] if texte else ""
    separateur = ";" if premiere.count(";") >= premiere.count(",") else ","
    return [(i, ligne) for i, ligne in enumerate(csv.reader(io.StringIO(texte), delimiter=separateur), 1)]


def importer(convention, nom: str, contenu: bytes, par=None, essai: bool = False) -> ResultatImport:
    resultat = ResultatImport(essai=essai)
    if len(contenu) > TAILLE_MAX:
        resultat.erreurs.append("Fichier trop volumineux (5 Mo au plus).")
        return resultat
    try:
        lignes = lire_lignes(nom, contenu)
    except ValueError as exc:
        resultat.erreurs.append(str(exc))
        return resultat
    # the header: the first line that names the required columns (an XLSX export has a title above it)
    entete_index, colonnes = None, {}
    for position, (_, cellules) in enumerate(lignes[:10]):
        trouvees = {}
        for j, cellule in enumerate(cellules):
            champ = COLONNES.get(normaliser(cellule))
            if champ and champ not in trouvees:
                trouvees[champ] = j
        if set(OBLIGATOIRES) <= set(trouvees):
            entete_index, colonnes = position, trouvees
            break
    if entete_index is None:
        resultat.erreurs.append(
            "Ligne 1 : en-têtes attendus introuvables. Colonnes obligatoires : "
            + ", ".join(f"« {v} »" for v in OBLIGATOIRES.values())
            + ", et « Structure » ou « Référence de la structure »."
        )
        return resultat
    if "structure" not in colonnes and "reference" not in colonnes:
        resultat.erreurs.append(
            f"Ligne {lignes[entete_index][0]} : il faut une colonne « Structure » ou « Référence de la structure »."
        )
        return resultat
    entetes = lignes[entete_index][1]
    structures = list(convention.structures.select_related("commune"))
    par_nom = {normaliser(s.nom): s for s in structures}
    par_reference = {s.reference.strip().lower(): s for s in structures if s.reference.strip()}
    annees = range(convention.date_debut.year - 5, convention.date_fin.year + 2)
    a_ecrire, vues = [], {}

    for numero, cellules in lignes[entete_index + 1 :]:
        if not any(str(c).strip() for c in cellules if c is not None):
            continue

        def cellule(champ, cellules=cellules):
            j = colonnes.get(champ)
            return cellules[j] if j is not None and j < len(cellules) else None

        def erreur(champ, message, numero=numero):
            j = colonnes[champ]
            resultat.erreurs.append(f"Ligne {numero}, colonne {lettre(j)} « {entetes[j]} » : {message}")

        if all(str(cellule(champ) or "").strip() == "" for champ in ("montant_commune", "montant_autres")):
            resultat.ignorees += 1  # a template line left blank
            continue
        erreurs_avant = len(resultat.erreurs)
        annee = cellule("annee")
        try:
            annee = int(str(annee).strip().split(".")[0]) if isinstance(annee, str | int | float) else None
        except ValueError:
            annee = None
        if annee is None or annee not in annees:
            erreur(
                "annee", f"année invalide « {cellule('annee') or ''} » (attendue entre {annees[0]} et {annees[-1]})."
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
            erreur(champ, f"structure inconnue sur le territoire de la convention « {nom_structure or reference} ».")
        code = str(cellule("commune") or "").strip()
        if structure and code and "commune" in colonnes and code.zfill(5) != structure.commune_id:
            erreur(
                "commune",
                f"la structure « {structure.nom} » est à {structure.commune.nom} ({structure.commune_id}), "
                f"pas à « {code} ».",
            )
        document = DOCUMENTS.get(normaliser(cellule("document")))
        if document is None:
            erreur(
                "document",
                f"document inconnu « {cellule('document') or ''} » (budget prévisionnel ou compte de résultat).",
            )
        montants = {}
        for champ in ("montant_commune", "montant_autres"):
            valeur = cellule(champ)
            if champ == "montant_autres" and (valeur is None or str(valeur).strip() == ""):
                montants[champ] = Decimal("0")
                continue
            try:
                montants[champ] = lire_montant(valeur)
            except ValueError:
                erreur(
                    champ,
                    f"montant illisible « {'' if valeur is None else valeur} » (un montant positif en euros, "
                    "au centime).",
                )
        if len(resultat.erreurs) == erreurs_avant:
            cle = (structure.pk, annee, document)
            if cle in vues:
                resultat.erreurs.append(
                    f"Ligne {numero} : même structure, année et document qu'à la ligne {vues[cle]}."
                )
                continue
            vues[cle] = numero
            commentaire = str(cellule("commentaire") or "").strip()[:300]
            a_ecrire.append((structure, annee, document, montants, commentaire))

    if resultat.erreurs:
        return resultat
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
    return resultat


def _enregistrer(ligne: FinancementReel, par) -> None:
    if par is not None:
        ligne._history_user = par  # the importer, in a page or in a command run for a named person
    ligne.save()
