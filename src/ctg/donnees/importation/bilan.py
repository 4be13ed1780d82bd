"""What an import did or found: its errors (``Erreur``, ``ErreurImport``) and its ``Bilan``."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from django.utils import timezone

from ctg.saisie import ErreursBornees

from ..jeux import JEUX
from ..models import Fichier, Niveau

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


def _deja_importe(bilan: Bilan, fichier: Fichier) -> None:
    bilan.deja_importe = True
    bilan.fichier_id = fichier.pk
    bilan.importe_le = f"{timezone.localtime(fichier.importe_le):%d/%m/%Y à %H:%M}"
