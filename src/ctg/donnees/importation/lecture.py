"""Reading an open-data file, streamed and bounded: encoding, separator, header, every row checked, the
arrondissements and IRIS regrouped into communes."""

from __future__ import annotations

import csv
import hashlib
import itertools
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

from tqdm import tqdm

from ctg import horloge
from ctg.saisie import ErreursBornees, probleme_nombre
from ctg.territoires.models import Commune, Departement, Epci

from ..formats import ANNEE, NOM_FICHIER
from ..jeux import RATIOS, additive, grandeur
from ..models import CODE_FRANCE, Fichier, Niveau
from ..reconnaissance import EnteteNonReconnue, Plan, annee_du_nom, reconnaitre
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
    NOMS_VILLES,
    NON_LOCALISE,
    RE_COMMUNE,
    RE_COMMUNE_MASQUEE,
    RE_DEPARTEMENT,
    RE_EPCI,
    RE_FICTIF,
    SANS_CODE,
    SEPARATEURS,
    VILLE_DE,
    VILLES,
    Bilan,
    Erreur,
    ErreurImport,
    _deja_importe,
)
from .flux import Examen, Lignes, LigneTropLongue, examiner, lignes_max, message_csv
from .valeurs import NombreIllisible, nombre, periode_annee, periode_mois, separateur

# ---------------------------------------------------------------------------------------------------------------
# Reading


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
    """The lines of a ``Lignes`` whose first one was already read (for the header), for the CSV reader."""

    def __init__(self, lignes: Lignes, premiere: str, suite: Iterator[str]):
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
    lignes_fichier: Lignes | _Relues,
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
        erreurs.ajouter(Erreur(nom, message_csv(exc), reader.line_num))
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
    examen = examiner(chemin, nom)
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
    examen: Examen,
    dataset: str | None,
    ignorer_inconnus: bool,
    millesime: int | None,
    progression: bool,
    sauf_deja_importe: bool,
) -> tuple[_Lu | None, Bilan]:
    lignes_fichier = Lignes(fichier)
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
        raise ErreurImport([Erreur(nom, f"en-tête illisible ({message_csv(exc)})", 1)]) from exc
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
