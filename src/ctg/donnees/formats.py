"""The file formats CTG reads: their columns, the French labels of data.caf.fr exports "with labels"
(``LIBELLES_IDENTIFIANTS``, ``LIBELLES_VALEURS``), and the normalisation of header cells (``normaliser``: case,
accents, punctuation, spaces, small words, plurals and the usual abbreviations). How a file is recognised from its
header is in ``ctg.donnees.reconnaissance``.

The variables are stored under the names of ``jeux.py``: the source column, lower-case, without the level
suffix (``_com``, ``_epci``, ``_dep``, ``_nat``) of data.caf.fr and without the census prefix (``P21_``).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

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
