"""How a file is recognised from its header, never from its name (the name only gives the vintage of the files
that carry it nowhere else: ``Bas_revenu_Com_2019.csv``, ``BasrevenuCom2014.csv``).

Each header cell is matched, after normalisation (``formats.normaliser``), against the column names of each format
and against the table of known French labels of data.caf.fr exports "with labels". The format whose required
columns are all present wins; between formats of the same dataset at several levels (the labels of the value columns
do not name the level), the finest level whose code column is present wins. Some formats take any subset of their
value columns (``s_ben_com_f`` extracts made with ``select=``, the vintages of ``Bas_revenu_Com``): their code and
period columns are required, and at least one known value column. Insee census files are recognised by their
year-prefixed columns and ``CODGEO`` (commune files) or ``IRIS`` and ``COM`` (IRIS files, summed by commune on
import).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from ctg import horloge

from .formats import (
    COLONNES_CONNUES_IGNOREES,
    FINESSE,
    FIXE,
    FORMATS,
    HISTORIQUES,
    LIBELLES_IDENTIFIANTS,
    LIBELLES_VALEURS,
    PREFIXE,
    RE_INSEE,
    Format,
    formats_pour,
    identifiants_connus,
    normaliser,
)


@dataclass
class Plan:
    """How to read a recognised file: which column holds what, and which variables each row gives."""

    format: Format
    dataset: str  # the full id recorded on the Fichier (``txcouv_pe_epci``, ``txcouv_pe_epci_hist``…)
    index_code: int | None
    index_periode: int | None
    # One group per period a row gives: (fixed period or None when read from the period column,
    # [(column index, variable name, column as written in the header)]).
    groupes: list[tuple[str | None, list[tuple[int, str, str]]]]
    colonnes_ignorees: list[str]
    par_libelles: bool = False
    avertissements: list[str] = field(default_factory=list)
    # An Insee IRIS file: the index of its ``IRIS`` column; its rows are summed by commune (``COM``, the code
    # column), the sums rounded to the unit at the end.
    index_iris: int | None = None

    @property
    def variables(self) -> list[str]:
        vues: dict[str, None] = {}
        for _periode, colonnes in self.groupes:
            for _i, variable, _c in colonnes:
                vues[variable] = None
        return list(vues)


class EnteteNonReconnue(Exception):
    """The header matches no format (or several): ``problemes`` says why, in French, with close matches."""

    def __init__(self, problemes: list[tuple[str | None, str]]):
        self.problemes = problemes  # (column or None, message)
        super().__init__("; ".join(m for _c, m in problemes))


def _cle_brute(cellule: str) -> str:
    return cellule.replace("\ufeff", "").strip().strip('"').strip().lower()


def _associer(fmt: Format, entete: list[str]) -> tuple[dict[str, int], bool, list[str]]:
    """Map the columns of ``fmt`` found in the header to their indexes; say whether labels were used, and the
    duplicates. Another spelling of a column (``fmt.alias``) is its name, not a label."""
    table = fmt.table
    colonnes = set(fmt.colonnes)
    trouvees: dict[str, int] = {}
    doublons: list[str] = []
    par_libelles = False
    for i, cellule in enumerate(entete):
        brute = _cle_brute(cellule)
        if brute in colonnes:
            colonne = brute
        elif brute in fmt.alias:
            colonne = brute = fmt.alias[brute]
        else:
            colonne = table.get(normaliser(cellule))
        if colonne is None:
            continue
        if colonne in trouvees:
            doublons.append(cellule)
            continue
        trouvees[colonne] = i
        if colonne != brute:
            par_libelles = True
    return trouvees, par_libelles, doublons


def _valeurs(fmt: Format, entete: list[str], colonnes: dict[str, int]) -> tuple[list[tuple[int, str, str]], list[str]]:
    """The value columns of a header matched to ``fmt``: (index, variable, column as written), the known ones in
    the order of ``fmt.variables``, then the further ones ``fmt.extra`` keeps; and the other columns, ignored."""
    utilisees = set(colonnes.values())
    valeurs = [
        (colonnes[c], v, entete[colonnes[c]].replace("\ufeff", "").strip())
        for c, v in fmt.variables.items()
        if c in colonnes
    ]
    ignorees = []
    for i, cellule in enumerate(entete):
        if i in utilisees:
            continue
        m = fmt.extra.match(_cle_brute(cellule)) if fmt.extra else None
        if m and m.group(1) not in {v for _i, v, _c in valeurs}:
            valeurs.append((i, m.group(1), cellule.replace("\ufeff", "").strip()))
        elif cellule.strip():
            ignorees.append(cellule.replace("\ufeff", "").strip())
    return valeurs, ignorees


def _annee_insee(deux_chiffres: str, annee_courante: int) -> int:
    n = int(deux_chiffres)
    return 2000 + n if 2000 + n <= annee_courante + 1 else 1900 + n


def _plan_insee(
    fmt: Format, dataset: str, entete: list[str], index_code: int, annee_courante: int, index_iris: int | None
) -> Plan:
    prefere = "C" if fmt.jeu == "insee_fam" else "P"
    par_annee: dict[int, dict[str, tuple[int, str, str]]] = {}
    ignorees = []
    avertissements = []
    for i, cellule in enumerate(entete):
        if i in (index_code, index_iris):
            continue
        nom = cellule.replace("\ufeff", "").strip().strip('"')
        m = RE_INSEE.match(nom)
        if not m:
            ignorees.append(nom)
            continue
        lettre, annee, variable = m.group(1).upper(), _annee_insee(m.group(2), annee_courante), m.group(3).lower()
        colonnes = par_annee.setdefault(annee, {})
        if variable in colonnes:
            ancienne = colonnes[variable]
            garder_nouvelle = lettre == prefere and ancienne[2][0].upper() != prefere
            perdue = ancienne[2] if garder_nouvelle else nom
            if garder_nouvelle:
                colonnes[variable] = (i, variable, nom)
            ignorees.append(perdue)
            avertissements.append(f"colonne {perdue} ignorée : même variable « {variable} » qu'une autre colonne")
            continue
        colonnes[variable] = (i, variable, nom)
    groupes = [(str(a), list(par_annee[a].values())) for a in sorted(par_annee, reverse=True)]
    return Plan(fmt, dataset, index_code, None, groupes, ignorees, avertissements=avertissements, index_iris=index_iris)


def _insee(entete: list[str], dataset: str | None, annee_courante: int) -> Plan | None:
    """The plan of an Insee census file: a commune file (``CODGEO;P21_POP;…``, base-cc-…) or an IRIS file
    (``IRIS;COM;TYP_IRIS;LAB_IRIS;P20_POP;…``, base-ic-…, summed by commune); ``None`` for another file."""
    cles = [_cle_brute(c) for c in entete]
    index_iris = None
    if "codgeo" in cles:
        index_code = cles.index("codgeo")
    elif "iris" in cles and "com" in cles:
        index_code, index_iris = cles.index("com"), cles.index("iris")
    else:
        return None
    variables = set()
    for cellule in entete:
        m = RE_INSEE.match(cellule.replace("\ufeff", "").strip().strip('"'))
        if m:
            variables.add(m.group(3).lower())
    if not variables:
        return None
    if dataset in ("insee_pop", "insee_fam"):
        jeu = dataset
    elif any(v.startswith(("men", "fam", "coupaenf", "ne24f", "coup")) for v in variables):
        jeu = "insee_fam"
    elif any(v.startswith("pop") for v in variables):
        jeu = "insee_pop"
    else:
        raise EnteteNonReconnue(
            [
                (
                    None,
                    "fichier Insee sans colonne de population ni de famille : précisez --dataset insee_pop "
                    "ou --dataset insee_fam",
                )
            ]
        )
    return _plan_insee(FORMATS[jeu], jeu, entete, index_code, annee_courante, index_iris)


def _proches(cellule: str, formats: list[Format]) -> list[str]:
    """Known column names or labels of ``formats`` close to ``cellule``, as they are written, closest first."""
    ecrits: dict[str, str] = {}
    for fmt in formats:
        for colonne in fmt.requises:
            ecrits.setdefault(normaliser(colonne), colonne)
            for libelle in LIBELLES_IDENTIFIANTS.get(colonne, []):
                ecrits.setdefault(normaliser(libelle), f"{libelle} ({colonne})")
        for colonne, variable in fmt.variables.items():
            for libelle in LIBELLES_VALEURS.get(fmt.jeu, {}).get(variable, []):
                ecrits.setdefault(normaliser(libelle), f"{libelle} ({colonne})")
    proches: dict[str, str] = {}  # one proposal per column
    for cle in difflib.get_close_matches(normaliser(cellule), list(ecrits), n=6, cutoff=0.7):
        colonne = ecrits[cle].rsplit("(", 1)[-1].rstrip(")")
        proches.setdefault(colonne, ecrits[cle])
    return list(proches.values())[:3]


def _motif_lisible(motif: re.Pattern) -> str:
    """``^(ind(?:foy|nbp)_[a-z0-9_]+)$`` → ``indfoy_*, indnbp_*``: the further columns a format keeps, for a user."""
    m = re.match(r"^\^\((\w+)\(\?:([\w|]+)\)_\[a-z0-9_\]\+\)\$$", motif.pattern)
    if not m:
        return "colonnes de même forme"
    return ", ".join(f"{m.group(1)}{suite}_*" for suite in m.group(2).split("|"))


def _diagnostic(entete: list[str], candidats: list[Format], force: bool) -> list[tuple[str | None, str]]:
    """Why no format matched: the missing columns of the closest format (the one with most value columns
    found), and, for each unknown cell, the close names or labels."""
    cellules = [c.replace("\ufeff", "").strip() for c in entete]
    problemes: list[tuple[str | None, str]] = []
    if len(cellules) == 1 and any(s in cellules[0] for s in ",\t|"):
        problemes.append((None, "une seule colonne lue : le séparateur attendu est « ; »"))
    classement = []
    for fmt in candidats:
        if fmt.periode == PREFIXE:
            continue
        trouvees, _l, _d = _associer(fmt, entete)
        valeurs = sum(1 for c in fmt.variables if c in trouvees)
        classement.append(((valeurs / len(fmt.variables), len(trouvees) / len(fmt.colonnes)), fmt, trouvees))
    classement.sort(key=lambda t: t[0], reverse=True)
    # Without any known value column, the identification columns, written as the format writes them, still name
    # the format when they name only one dataset (``dtreffre`` and ``numcomdo``: s_ben_com_f).
    brutes = {_cle_brute(c) for c in entete}
    complets = [t for t in classement if all(c in brutes for c in t[1].identifiants)]
    if classement and (classement[0][0][0] > 0 or force):
        _score, meilleur, trouvees = classement[0]
    elif complets and len({f.jeu for _s, f, _t in complets}) == 1:
        _score, meilleur, trouvees = complets[0]
    else:
        meilleur = None
    if meilleur is not None:
        manquantes = [c for c in meilleur.requises if c not in trouvees]
        if manquantes:
            probleme = f"colonne(s) manquante(s) {', '.join(manquantes)}"
        else:  # a format whose value columns are optional, without any of them
            probleme = f"aucune colonne de valeurs connue (au moins une de : {', '.join(meilleur.variables)}"
            probleme += f" ; ou {_motif_lisible(meilleur.extra)})" if meilleur.extra else ")"
        problemes.append((None, f"en-tête non reconnu comme {meilleur.id} : {probleme}"))
        proches_de, utilisees = [meilleur], set(trouvees.values())
    else:
        connus = (
            ", ".join(sorted({*FORMATS} - {"insee_pop", "insee_fam"}))
            + ", insee_pop / insee_fam (CODGEO, ou IRIS et COM)"
        )
        problemes.append(
            (
                None,
                f"en-tête non reconnu (colonnes lues : {', '.join(cellules[:12])}"
                f"{'…' if len(cellules) > 12 else ''}) ; formats connus : {connus}",
            )
        )
        proches_de = [f for f in candidats if f.periode != PREFIXE]
        connues = {cle for f in proches_de for cle in f.table}
        utilisees = {i for i, cellule in enumerate(cellules) if normaliser(cellule) in connues}
    for i, cellule in enumerate(cellules):
        if i in utilisees or not cellule or normaliser(cellule) in COLONNES_CONNUES_IGNOREES:
            continue
        proches = _proches(cellule, proches_de)
        if proches:
            problemes.append((cellule, "colonne inconnue ; proche de : " + " ; ".join(f"« {p} »" for p in proches)))
    return problemes


def reconnaitre(entete: list[str], dataset: str | None = None, annee_courante: int | None = None) -> Plan:
    """The reading plan of a file from its header; ``dataset`` restricts the formats tried (``--dataset``).

    Raise ``EnteteNonReconnue`` when no format matches, or when formats of different datasets match equally.
    """
    annee_courante = annee_courante or horloge.aujourd_hui().year
    candidats = formats_pour(dataset)
    if not candidats:
        raise EnteteNonReconnue(
            [(None, f"jeu de données « {dataset} » inconnu ; identifiants connus : {', '.join(identifiants_connus())}")]
        )
    complet = dataset if dataset in FORMATS or dataset in HISTORIQUES else None

    if any(f.periode == PREFIXE for f in candidats):
        plan = _insee(entete, dataset if dataset in ("insee_pop", "insee_fam") else None, annee_courante)
        if plan is not None and plan.format in candidats:
            return plan
        if all(f.periode == PREFIXE for f in candidats):
            raise EnteteNonReconnue(
                [
                    (
                        None,
                        "fichier Insee attendu : colonne CODGEO (fichier communal) ou colonnes IRIS et COM (fichier "
                        "par IRIS), et colonnes du recensement préfixées par leur millésime (P21_POP, C21_MEN…)",
                    )
                ]
            )

    trouves = []
    for fmt in candidats:
        if fmt.periode == PREFIXE:
            continue
        colonnes, par_libelles, doublons = _associer(fmt, entete)
        if not all(c in colonnes for c in fmt.requises):
            continue
        if fmt.facultatives and not _valeurs(fmt, entete, colonnes)[0]:
            continue  # the identification columns alone do not make a file
        trouves.append((fmt, colonnes, par_libelles, doublons))
    if not trouves:
        raise EnteteNonReconnue(_diagnostic(entete, candidats, force=dataset is not None))
    finesse_max = max(FINESSE[f.niveau] for f, *_ in trouves)
    trouves = [t for t in trouves if FINESSE[t[0].niveau] == finesse_max]
    jeux = {f.jeu for f, *_ in trouves}
    if len(trouves) > 1:
        raise EnteteNonReconnue(
            [
                (
                    None,
                    f"en-tête ambigu : il correspond à {', '.join(f.id for f, *_ in trouves)} "
                    f"({', '.join(sorted(jeux))}) ; précisez --dataset",
                )
            ]
        )
    fmt, colonnes, par_libelles, doublons = trouves[0]
    if doublons:
        raise EnteteNonReconnue([(c, "colonne en double dans l'en-tête") for c in doublons])

    valeurs, ignorees = _valeurs(fmt, entete, colonnes)
    periode_fixe = str(fmt.millesime) if fmt.periode == FIXE else None
    return Plan(
        format=fmt,
        dataset=complet or fmt.id,
        index_code=colonnes.get(fmt.colonne_code) if fmt.colonne_code else None,
        index_periode=colonnes.get(fmt.colonne_periode) if fmt.colonne_periode else None,
        groupes=[(periode_fixe, valeurs)],
        colonnes_ignorees=ignorees,
        par_libelles=par_libelles,
    )


RE_ANNEE_NOM = re.compile(r"(?<!\d)(19\d{2}|20\d{2})(?!\d)")


def annee_du_nom(nom: str) -> int | None:
    """The vintage a file name gives (``Bas_revenu_Com_2019.csv`` → 2019): the last year it contains."""
    annees = RE_ANNEE_NOM.findall(nom)
    return int(annees[-1]) if annees else None
