"""The file formats CTG reads, and how a file is recognised from its header.

A format is recognised from the header of the file, never from its name (the name only gives the
vintage of the files that carry it nowhere else: ``Bas_revenu_Com_2019.csv``, ``BasrevenuCom2014.csv``).
Each header cell is matched, after normalisation (case, accents, punctuation, spaces, small words, plurals
and the usual abbreviations: see ``normaliser``), against the column names of each format and against the table of
known French labels of data.caf.fr exports "with labels" (``LIBELLES_IDENTIFIANTS``, ``LIBELLES_VALEURS``).
The format whose required columns are all present wins; between formats of the same dataset at several
levels (the labels of the value columns do not name the level), the finest level whose code column is
present wins. Some formats take any subset of their value columns (``s_ben_com_f`` extracts made with
``select=``, the vintages of ``Bas_revenu_Com``): their code and period columns are required, and at least one
known value column. Insee census files are recognised by their year-prefixed columns and ``CODGEO`` (commune
files) or ``IRIS`` and ``COM`` (IRIS files, summed by commune on import).

The variables are stored under the names of ``jeux.py``: the source column, lower-case, without the level
suffix (``_com``, ``_epci``, ``_dep``, ``_nat``) of data.caf.fr and without the census prefix (``P21_``).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

from ctg import horloge

from .jeux import ENFANTS, JEUX
from .models import Niveau

# ---------------------------------------------------------------------------------------------------------------
# Normalisation of header cells

MOTS_VIDES = {"de", "du", "des", "la", "le", "les", "l", "d", "a", "au", "aux", "en", "et", "un", "une", "par"}
SYNONYMES = {
    "couv": "couverture",
    "nb": "nombre",
    "nbre": "nombre",
    "n": "numero",
    "no": "numero",
    "num": "numero",
    "pl": "place",
    "prescol": "prescolarisation",
}


def normaliser(texte: str) -> str:
    """The comparison key of a header cell: ``"Taux de couv. EAJE – ensemble"`` → ``"taux couverture eaje ensemble"``.

    Lower-case, without accents, punctuation and repeated spaces; small words (de, la, à…) dropped; the final
    « s » of the plural dropped; usual abbreviations spelt out (couv → couverture, nb → nombre, n° → numero).
    """
    texte = texte.replace("\ufeff", "").replace("œ", "oe").replace("Œ", "OE").replace("æ", "ae")
    texte = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii").lower()
    mots = []
    for mot in re.findall(r"[a-z0-9]+", texte):
        mot = SYNONYMES.get(mot, mot)
        if mot in MOTS_VIDES:
            continue
        if len(mot) > 3 and mot.endswith("s") and not mot.endswith("ss"):
            mot = mot[:-1]
        mots.append(mot)
    return " ".join(mots)


# ---------------------------------------------------------------------------------------------------------------
# Known labels of the data.caf.fr exports "with labels"
#
# Observed in real exports: the labels of the ``txcouv_pe_*`` files ("Date référence", "Numéro Département",
# "Nom Département", "Nom commune", "Taux de couv EAJE PSU", "Taux de couv hors EAJE PSU", "Taux de couv EAJE -
# ensemble", "Taux de couv préscolarisation", "Taux de couv assistante(s) maternelle(s)", "Taux de couv salariée à
# domicile", "Taux de couv accueil individuel - ensemble", "Taux de couv global"). The others follow the same
# style, and the French labels of ``jeux.py`` are accepted too; a label missing here can be added to this table.

LIBELLES_IDENTIFIANTS = {
    "annee": ["Année", "Date référence", "Date de référence", "Année de référence", "Rentrée de référence"],
    "dtreffre": ["Date référence", "Date de référence", "Date", "Mois de référence"],
    "numcom": ["Numéro commune", "Code commune", "Code INSEE", "Code INSEE commune", "Code géographique"],
    "numcomdo": [
        "Numéro commune",
        "Code commune",
        "Code INSEE",
        "Code INSEE commune",
        "Numéro commune de domicile",
        "Commune de domicile",
    ],
    "numepci": ["Numéro EPCI", "Code EPCI", "SIREN EPCI", "Numéro SIREN EPCI", "SIREN"],
    "numdep": ["Numéro Département", "Code département"],
    "codes_insee": ["Code Insee", "Codes Insee"],
    "com": ["Code commune"],
    "codgeo": ["Code géographique"],
}

LIBELLES_VALEURS = {
    "txcouv_pe": {
        "txcouv_psu_col": ["Taux de couv EAJE PSU", "Taux de couv accueil collectif PSU"],
        "txcouv_hors_psu_col": [
            "Taux de couv hors EAJE PSU",
            "Taux de couv EAJE hors PSU",
            "Taux de couv accueil collectif hors PSU",
        ],
        "txcouv_eaje": ["Taux de couv EAJE - ensemble", "Taux de couv EAJE ensemble", "Taux de couv EAJE"],
        "txcouv_prescol": ["Taux de couv préscolarisation", "Taux de couv scolarisation à 2 ans"],
        "txcouv_am_ind": [
            "Taux de couv assistante maternelle",
            "Taux de couv assistantes maternelles",
            "Taux de couv assistant maternel",
        ],
        "txcouv_gad_ind": [
            "Taux de couv salariée à domicile",
            "Taux de couv salarié à domicile",
            "Taux de couv garde à domicile",
        ],
        "txcouv_ind": ["Taux de couv accueil individuel - ensemble", "Taux de couv accueil individuel"],
        "txcouv": ["Taux de couv global", "Taux de couverture globale"],
    },
    "nbpla_pe": {
        "pl_psu_col": ["Nb places EAJE PSU", "Places EAJE PSU", "Nb places accueil collectif PSU"],
        "pl_hors_psu_col": ["Nb places hors EAJE PSU", "Nb places EAJE hors PSU", "Places hors EAJE PSU"],
        "pl_prescol": ["Nb places préscolarisation", "Places préscolarisation", "Nb places scolarisation à 2 ans"],
        "pl_am_ind": ["Nb places assistante maternelle", "Nb places assistantes maternelles"],
        "pl_gad_ind": ["Nb places salariée à domicile", "Nb places garde à domicile"],
        "tot_offre": ["Offre totale", "Total offre", "Nb places total", "Nb places offre totale"],
    },
    "s_ben_com_f": {
        "indfoy_ndur": ["Nb foyers allocataires", "Foyers allocataires"],
        "indnbp_ndur": ["Nb personnes couvertes", "Personnes couvertes"],
        "indfoy_af": ["Nb foyers AF", "Foyers bénéficiaires AF"],
        "indfoy_cf": ["Nb foyers CF", "Foyers bénéficiaires CF"],
        "indfoy_asf": ["Nb foyers ASF", "Foyers bénéficiaires ASF"],
        "indfoy_ab": ["Nb foyers AB", "Nb foyers Paje AB", "Foyers bénéficiaires AB"],
        "indfoy_cmg": ["Nb foyers CMG", "Foyers bénéficiaires CMG"],
        "indfoy_ndurpaje": ["Nb foyers Paje", "Foyers bénéficiaires Paje"],
        "indfoy_apl": ["Nb foyers APL", "Foyers bénéficiaires APL"],
        "indfoy_als": ["Nb foyers ALS", "Foyers bénéficiaires ALS"],
        "indfoy_alf": ["Nb foyers ALF", "Foyers bénéficiaires ALF"],
        "indfoy_ndural": ["Nb foyers AL", "Nb foyers aides au logement", "Foyers bénéficiaires AL"],
        "indfoy_rsa": ["Nb foyers RSA", "Foyers bénéficiaires RSA"],
        "indfoy_ppa": ["Nb foyers PPA", "Nb foyers prime d'activité", "Foyers bénéficiaires PPA"],
        "indmtt_rsa": ["Montant RSA", "Montant du RSA"],
        "indmtt_ppa": ["Montant PPA", "Montant prime d'activité"],
    },
}

# Identification columns the importer does not need (names, codes of the enclosing territories): never
# reported as unknown.
COLONNES_CONNUES_IGNOREES = {
    normaliser(c)
    for c in [
        "nomcom",
        "nomepci",
        "nomdep",
        "numepci",
        "numdep",
        "numregi",
        "nomregi",
        "national",
        "communes",
        "libgeo",
        "Nom commune",
        "Nom EPCI",
        "Nom Département",
        "Numéro EPCI",
        "Numéro Département",
        "Numéro région",
        "Nom région",
        "National",
        "Libellé géographique",
    ]
}

# ---------------------------------------------------------------------------------------------------------------
# Formats

SUFFIXES = {Niveau.COMMUNE: "com", Niveau.EPCI: "epci", Niveau.DEPARTEMENT: "dep", Niveau.FRANCE: "nat"}
CODES = {Niveau.COMMUNE: "numcom", Niveau.EPCI: "numepci", Niveau.DEPARTEMENT: "numdep", Niveau.FRANCE: None}
FINESSE = {Niveau.COMMUNE: 3, Niveau.EPCI: 2, Niveau.DEPARTEMENT: 1, Niveau.FRANCE: 0}

ANNEE = "annee"  # the period is a year (``annee`` column), periode "AAAA"
MOIS = "mois"  # the period is a reference date (``dtreffre``), periode "AAAA-MM"
NOM_FICHIER = "nom_fichier"  # the year is in the file name
FIXE = "fixe"  # one vintage for the whole format
PREFIXE = "prefixe"  # the census year is the prefix of each column (P21_ → 2021)

RE_INSEE = re.compile(r"^([PCD])(\d{2})_([A-Z0-9_]+)$", re.IGNORECASE)


@dataclass(frozen=True, eq=False)
class Format:
    id: str
    jeu: str
    niveau: str
    colonne_code: str | None
    colonne_periode: str | None
    periode: str
    variables: dict[str, str]  # source column (lower-case) -> variable name, all required (see facultatives)
    extra: re.Pattern | None = None  # other value columns kept when present (group 1 = variable name)
    # Other spellings of a column, lower-case, as the different vintages of the source write it -> source column.
    alias: dict[str, str] = field(default_factory=dict)
    # The value columns are optional: any subset is read, with at least one known value column (a ``variables``
    # column or an ``extra`` one); a variable absent from the header stays absent from the observations.
    facultatives: bool = False
    separateurs: tuple[str, ...] = (";",)  # data.caf.fr exports are separated by ";"
    millesime: int | None = None  # vintage of a FIXE format
    libelles: dict[str, str] = field(default_factory=dict)  # normalised label -> source column
    opendatasoft: bool = False  # downloadable from data.caf.fr's Opendatasoft API

    @property
    def identifiants(self) -> list[str]:
        """The period and code columns, always required."""
        return [c for c in (self.colonne_periode, self.colonne_code) if c]

    @property
    def colonnes(self) -> list[str]:
        """Every column the format names: identification, then values."""
        return self.identifiants + list(self.variables)

    @property
    def requises(self) -> list[str]:
        return self.identifiants if self.facultatives else self.colonnes

    @property
    def table(self) -> dict[str, str]:
        """Normalised key (of a column name, of another spelling or of a known label) -> source column."""
        table = dict(self.libelles)
        for autre, colonne in self.alias.items():
            table.setdefault(normaliser(autre), colonne)
        for colonne in self.colonnes:
            table[normaliser(colonne)] = colonne
        return table


def _libelles(jeu: str, variables: dict[str, str], colonnes_id: list[str]) -> dict[str, str]:
    table = {}
    for colonne in colonnes_id:
        for libelle in LIBELLES_IDENTIFIANTS.get(colonne, []):
            table[normaliser(libelle)] = colonne
    etiquettes = JEUX[jeu].variables
    for colonne, variable in variables.items():
        for libelle in [*LIBELLES_VALEURS.get(jeu, {}).get(variable, []), etiquettes.get(variable, "")]:
            if libelle:
                table.setdefault(normaliser(libelle), colonne)
                table.setdefault(normaliser("Nombre de " + libelle), colonne)
    return table


def _format_caf(jeu: str, prefixe: str, niveau: str, variables: list[str], extra: str) -> Format:
    suffixe = SUFFIXES[niveau]
    colonnes = {f"{v}_{suffixe}": v for v in variables}
    return Format(
        id=f"{prefixe}_{suffixe}",
        jeu=jeu,
        niveau=niveau,
        colonne_code=CODES[niveau],
        colonne_periode="annee",
        periode=ANNEE,
        variables=colonnes,
        extra=re.compile(rf"^({extra})_{suffixe}$"),
        libelles=_libelles(jeu, colonnes, ["annee", CODES[niveau]] if CODES[niveau] else ["annee"]),
        opendatasoft=True,
    )


def _construire() -> dict[str, Format]:
    formats = []
    txcouv = list(JEUX["txcouv_pe"].variables)
    nbpla = list(JEUX["nbpla_pe"].variables)
    for niveau in (Niveau.COMMUNE, Niveau.EPCI, Niveau.DEPARTEMENT, Niveau.FRANCE):
        # The numerators and the denominator of the rates (``jeux.RATIOS``) are kept when a file carries them.
        formats.append(
            _format_caf(
                "txcouv_pe", "txcouv_pe", niveau, txcouv, rf"txcouv(?:_[a-z0-9_]+)?|(?:pl|tot)_[a-z0-9_]+|{ENFANTS}"
            )
        )
    for niveau in (Niveau.COMMUNE, Niveau.EPCI, Niveau.DEPARTEMENT):
        formats.append(_format_caf("nbpla_pe", "nbpla_pe", niveau, nbpla, r"(?:pl|tot)_[a-z0-9_]+"))

    # Real exports are often ``select=`` extracts (``dtreffre;numcomdo;nomcom;indfoy_rsa;indmtt_rsa``): any subset
    # of the value columns.
    s_ben = {v: v for v in JEUX["s_ben_com_f"].variables}
    formats.append(
        Format(
            id="s_ben_com_f",
            jeu="s_ben_com_f",
            niveau=Niveau.COMMUNE,
            colonne_code="numcomdo",
            colonne_periode="dtreffre",
            periode=MOIS,
            variables=s_ben,
            extra=re.compile(r"^(ind(?:foy|nbp|mtt|ben)_[a-z0-9_]+)$"),
            libelles=_libelles("s_ben_com_f", s_ben, ["dtreffre", "numcomdo"]),
            opendatasoft=True,
            facultatives=True,
        )
    )
    # ``Bas_revenu_Com_AAAA.csv`` (``BasrevenuCom2014.csv``…): ``Communes;Codes_Insee;NB_allocataires_ress;
    # NB_pers_couv_ress;ALL_bas_revenu;Pers_bas_revenu``; the 2009 file says ``NB_allocataires`` (in another
    # order), the oldest ones lack ``NB_pers_couv_ress``: any subset of the value columns.
    bas_revenu = {v: v for v in JEUX["bas_revenu"].variables}
    formats.append(
        Format(
            id="bas_revenu",
            jeu="bas_revenu",
            niveau=Niveau.COMMUNE,
            colonne_code="codes_insee",
            colonne_periode=None,
            periode=NOM_FICHIER,
            variables=bas_revenu,
            alias={"code_insee": "codes_insee", "codgeo": "codes_insee", "nb_allocataires": "nb_allocataires_ress"},
            libelles=_libelles("bas_revenu", bas_revenu, ["codes_insee"]),
            facultatives=True,
        )
    )
    iris = {v: v for v in JEUX["iris_pop"].variables}
    formats.append(
        Format(
            id="iris_pop",
            jeu="iris_pop",
            niveau=Niveau.COMMUNE,
            colonne_code="com",
            colonne_periode=None,
            periode=FIXE,
            variables=iris,
            separateurs=(";", ","),
            millesime=2021,
            libelles=_libelles("iris_pop", iris, ["com"]),
        )
    )
    for jeu in ("insee_pop", "insee_fam"):
        formats.append(
            Format(
                id=jeu,
                jeu=jeu,
                niveau=Niveau.COMMUNE,
                colonne_code="codgeo",
                colonne_periode=None,
                periode=PREFIXE,
                variables={},
                separateurs=(";", ","),
            )
        )
    return {f.id: f for f in formats}


FORMATS: dict[str, Format] = _construire()

# data.caf.fr also publishes the older years of the childcare files as "…_hist" datasets, in the same format.
HISTORIQUES = {
    f"{fid}_hist": fid for fid, f in FORMATS.items() if f.jeu in ("txcouv_pe", "nbpla_pe") and f.niveau != Niveau.FRANCE
}
DATASETS_OPENDATASOFT = sorted([fid for fid, f in FORMATS.items() if f.opendatasoft] + list(HISTORIQUES))


def identifiants_connus() -> list[str]:
    return sorted({*FORMATS, *HISTORIQUES, *JEUX})


def formats_pour(dataset: str | None) -> list[Format]:
    """The formats a ``--dataset`` allows: a file format id (``txcouv_pe_epci``, ``txcouv_pe_epci_hist``),
    or a dataset id of ``jeux.py`` (``txcouv_pe``: any of its levels); every format when ``None``."""
    if dataset is None:
        return list(FORMATS.values())
    if dataset in FORMATS:
        return [FORMATS[dataset]]
    if dataset in HISTORIQUES:
        return [FORMATS[HISTORIQUES[dataset]]]
    return [f for f in FORMATS.values() if f.jeu == dataset]


# ---------------------------------------------------------------------------------------------------------------
# Recognition


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
