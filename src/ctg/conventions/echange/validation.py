"""Checking a description against the format and the rules of a convention before anything is written: every error
with its place in the file (``[2].signataires[0].nom``), in French.

The shape of the file (types, keys, choices, texts, dates, numbers) is pydantic's (``schema``); here, what the values
read name: the Caf's département, the EPCI, the communes and the convention a description updates, and what the
elements of a list say together (an order, a number or a commune twice, a quality for its party). The rules of the
convention itself follow (``regles``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from ctg.comptes.models import Organisation
from ctg.territoires.models import Commune, Departement, Epci

from ..models import Convention, Domaine, Partie, Qualite, Statut
from . import schema
from .commun import VERSION
from .schema import INVALIDE


class _Absent:
    def __repr__(self):
        return "ABSENT"


ABSENT: Any = _Absent()

QUALITES_PAR_PARTIE = {
    Partie.CAF: {Qualite.PRESIDENT_CA, Qualite.DIRECTEUR_GENERAL, Qualite.AUTRE},
    Partie.COLLECTIVITE: {Qualite.PRESIDENT_EPCI, Qualite.AUTRE},
}

# Where each field of Convention sits in the file, for the messages of ``erreurs_convention``.
CHEMINS_CHAMPS = {
    "ctes_identifiant": "ctes.identifiant",
    "envoye_prefecture_le": "ctes.envoye_prefecture_le",
    "recu_prefecture_le": "ctes.recu_prefecture_le",
    "affiche_le": "ctes.affiche_le",
    "deliberation_instance": "deliberation.instance",
    "deliberation_date": "deliberation.date",
    "deliberation_numero": "deliberation.numero",
    "chef_projet_nom": "chef_projet.nom",
    "chef_projet_fonction": "chef_projet.fonction",
}

# Convention fields given at the root of a description, and those of its sub-objects (prefixed with the key).
CHAMPS_RACINE = (
    "titre",
    "date_debut",
    "date_fin",
    "statut",
    "date_signature",
    "annexe1",
    "diagnostic_valide_le",
    "objectifs_identifies_le",
)
SOUS_OBJETS = {
    "deliberation": ("instance", "date", "numero"),
    "chef_projet": ("nom", "fonction"),
    "ctes": ("envoye_prefecture_le", "recu_prefecture_le", "affiche_le"),
}


def _joindre(parent: str, cle: str | int) -> str:
    if isinstance(cle, int):
        return f"{parent}[{cle}]"
    return f"{parent}.{cle}" if parent else cle


def _place(racine: str, place: tuple) -> str:
    for cle in place:
        racine = _joindre(racine, cle)
    return racine or "convention"


def _objet(valeur) -> dict:
    """The values of a sub-object read (nothing when it is absent or wrong)."""
    return valeur if isinstance(valeur, dict) else {}


@dataclass
class _Plan:
    """One description, checked: what to write, and where."""

    racine: str
    champs: dict[str, Any] = field(default_factory=dict)  # Convention fields given by the file
    departement: Departement | None = None
    caf_nom: Any = ABSENT
    caf_tribunal: Any = ABSENT
    epci: Epci | None = None
    visas: list[str] | None = None
    signataires: list[dict] | None = None
    avenants: list[dict] | None = None
    adhesions: list[dict] | None = None
    resiliation: Any = ABSENT  # ABSENT, None (no termination) or a dict of Resiliation fields
    existante: Convention | None = None
    effective: Convention | None = None  # the convention as it would be, unsaved, for the checks
    statut: str = Statut.BROUILLON  # the status the file gives (or the current one)
    invalides: set[str] = field(default_factory=set)  # what the file gives but wrongly: rules on it are skipped
    lue: bool = False  # a description (an object), whatever its errors: the rules of a convention apply to it


class _Lecteur:
    """Reads one description (its shape by ``schema``), then finds what it names, collecting every error with its
    place in the file."""

    def __init__(self, racine: str = ""):
        self.racine = racine
        self.erreurs: list[str] = []
        self.lecture: schema.Lecture | None = None

    def erreur(self, place: tuple, message: str) -> None:
        self.lecture.erreur(place, message)

    def analyser(self, donnees) -> _Plan:
        plan = _Plan(self.racine)
        self.lecture = schema.lire(donnees)
        valeurs = self.lecture.valeurs
        if isinstance(valeurs, dict):
            plan.lue = True
            self._entete(valeurs)
            self._caf(valeurs, plan)
            self._epci(valeurs, plan)
            self._champs(valeurs, plan)
            self._convention_visee(plan)
            self._visas(valeurs, plan)
            self._signataires(valeurs, plan)
            self._avenants(valeurs, plan)
            self._adhesions(valeurs, plan)
            self._resiliation(valeurs, plan)
        self.erreurs = [f"{_place(self.racine, place)} : {message}" for place, message in self.lecture.triees()]
        return plan

    def _entete(self, valeurs):
        version = valeurs.get("version")
        if isinstance(version, int) and version != VERSION:
            self.erreur(
                ("version",),
                f"version {version} non prise en charge : ce programme lit la version {VERSION} du format.",
            )

    def _caf(self, valeurs, plan):
        caf = _objet(valeurs.get("caf"))
        code = caf.get("departement")
        if isinstance(code, str):
            plan.departement = Departement.objects.filter(code=code.strip()).first()
            if plan.departement is None:
                self.erreur(
                    ("caf", "departement"),
                    f"département « {code} » inconnu : code du COG attendu, entre guillemets (01, 59, 2A, 971).",
                )
        plan.caf_nom = caf.get("nom", ABSENT)
        plan.caf_tribunal = caf.get("tribunal_administratif", ABSENT)

    def _epci(self, valeurs, plan):
        siren = _objet(valeurs.get("epci")).get("siren")
        if isinstance(siren, str):
            plan.epci = Epci.objects.filter(code=siren).first()
            if plan.epci is None:
                self.erreur(("epci", "siren"), f"aucun EPCI de SIREN « {siren} » dans le découpage administratif.")

    @staticmethod
    def _garder(plan, champ, valeur):
        if valeur is INVALIDE:
            plan.invalides.add(champ)
        elif valeur is not ABSENT:
            plan.champs[champ] = valeur

    def _champs(self, valeurs, plan):
        for champ in CHAMPS_RACINE:
            self._garder(plan, champ, valeurs.get(champ, ABSENT))
        domaines = valeurs.get("domaines", ABSENT)
        if isinstance(domaines, list):
            for i, code in enumerate(domaines):
                if code in domaines[:i]:
                    self.erreur(("domaines", i), f"domaine « {code} » en double.")
                    domaines = INVALIDE
        self._garder(plan, "domaines", domaines)
        for cle, champs in SOUS_OBJETS.items():
            objet = _objet(valeurs.get(cle))
            for champ in champs:
                nom = champ if cle == "ctes" else f"{cle}_{champ}"
                self._garder(plan, nom, objet.get(champ, ABSENT))
        identifiant = _objet(valeurs.get("ctes")).get("identifiant", ABSENT)
        if isinstance(identifiant, str):
            identifiant = identifiant.strip() or None
        self._garder(plan, "ctes_identifiant", identifiant)

    def _visas(self, valeurs, plan):
        visas = valeurs.get("visas", ABSENT)
        if isinstance(visas, list):
            plan.visas = visas
        elif visas is INVALIDE:
            plan.invalides.add("visas")

    def _liste(self, valeurs, cle, plan) -> list | None:
        """The elements read of a list of the description (a wrong one as an empty object), or None."""
        liste = valeurs.get(cle, ABSENT)
        if liste is INVALIDE:
            plan.invalides.add(cle)
        return [_objet(element) for element in liste] if isinstance(liste, list) else None

    def _complete(self, plan, cle, lus):
        if self.lecture.en_erreur(cle):
            plan.invalides.add(cle)
        else:
            setattr(plan, cle, lus)

    def _signataires(self, valeurs, plan):
        signataires = self._liste(valeurs, "signataires", plan)
        if signataires is None:
            return
        lus, ordres, rangs = [], {}, {}
        for i, s in enumerate(signataires):
            ici = ("signataires", i)
            lu = {c: s.get(c, ABSENT) for c in ("partie", "civilite", "prenom", "nom", "qualite", "qualite_autre")}
            if lu["qualite_autre"] is ABSENT:
                lu["qualite_autre"] = ""
            partie, ordre = lu["partie"], s.get("ordre", ABSENT)
            if isinstance(partie, str):
                rangs[partie] = rangs.get(partie, 0) + 1
                if ordre is ABSENT:
                    ordre = rangs[partie]
                if isinstance(ordre, int):
                    if (partie, ordre) in ordres:
                        self.erreur(
                            (*ici, "ordre"),
                            f"l'ordre {ordre} est déjà celui de {ordres[(partie, ordre)]} (même partie « {partie} »).",
                        )
                    else:
                        ordres[(partie, ordre)] = _place(self.racine, ici)
                if isinstance(lu["qualite"], str) and lu["qualite"] not in QUALITES_PAR_PARTIE[partie]:
                    self.erreur(
                        (*ici, "qualite"),
                        f"« {lu['qualite']} » ({Qualite(lu['qualite']).label}) n'est pas une qualité de signataire "
                        f"de la partie « {partie} » ; possibles : "
                        + ", ".join(sorted(QUALITES_PAR_PARTIE[partie]))
                        + ".",
                    )
            if lu["qualite"] == Qualite.AUTRE and lu["qualite_autre"] == "":
                self.erreur((*ici, "qualite_autre"), "à préciser quand la qualité est « autre ».")
            lu["ordre"] = ordre
            lus.append(lu)
        self._complete(plan, "signataires", lus)

    def _avenants(self, valeurs, plan):
        avenants = self._liste(valeurs, "avenants", plan)
        if avenants is None:
            return
        lus, numeros = [], {}
        for i, a in enumerate(avenants):
            chemin = _place(self.racine, ("avenants", i))
            numero = a.get("numero", ABSENT)
            if isinstance(numero, int):
                if numero in numeros:
                    self.erreur(
                        ("avenants", i, "numero"), f"avenant n° {numero} en double (déjà en {numeros[numero]})."
                    )
                else:
                    numeros[numero] = chemin
            lu = {c: a.get(c, ABSENT) for c in ("numero", "date", "objet", "signataires", "ctes_identifiant")}
            lus.append({"chemin": chemin, **lu, "modifications": _modifications(a.get("modifications"))})
        self._complete(plan, "avenants", lus)

    def _adhesions(self, valeurs, plan):
        adhesions = self._liste(valeurs, "adhesions", plan)
        if adhesions is None:
            return
        lus, vues = [], {}
        membres = {c.code: c for c in plan.epci.communes.all()} if plan.epci else {}
        if plan.existante is not None:  # a commune that has left the EPCI keeps its adhesion to the convention
            membres.update({a.commune_id: a.commune for a in plan.existante.adhesions.select_related("commune")})
        codes = [a.get("commune") for a in adhesions if isinstance(a.get("commune"), str)]
        autres = {
            c.code: c for c in Commune.objects.select_related("epci").filter(code__in=codes) if c.code not in membres
        }
        for i, a in enumerate(adhesions):
            ici = ("adhesions", i, "commune")
            code, commune = a.get("commune"), None
            if isinstance(code, str):
                if code in vues:
                    self.erreur(ici, f"commune « {code} » en double (déjà en {vues[code]}).")
                vues.setdefault(code, _place(self.racine, ici[:2]))
                if code in membres:
                    commune = membres[code]
                elif code in autres:
                    commune = autres[code]
                    if plan.epci:
                        ailleurs = (
                            f"elle est membre de {commune.epci} ({commune.epci_id})"
                            if commune.epci
                            else "elle n'est membre d'aucun EPCI"
                        )
                        self.erreur(
                            ici,
                            f"la commune {commune.nom} ({code}) n'est pas membre de {plan.epci.nom} "
                            f"({plan.epci.code}) : {ailleurs}.",
                        )
                else:
                    self.erreur(ici, f"aucune commune de code INSEE « {code} ».")
            lu = {c: a.get(c, ABSENT) for c in ("statut", "date_deliberation", "ancienne_commune_cej", "commentaire")}
            maire = _objet(a.get("maire"))
            lu.update({f"maire_{c}": maire.get(c, ABSENT) for c in ("civilite", "prenom", "nom")})
            lus.append({"commune": commune, **lu, "chemin": _place(self.racine, ici[:2])})
        self._complete(plan, "adhesions", lus)

    def _resiliation(self, valeurs, plan):
        if "resiliation" not in valeurs:
            return
        lue = valeurs["resiliation"]
        if lue is None:
            plan.resiliation = None
        elif not isinstance(lue, dict) or self.lecture.en_erreur("resiliation"):
            plan.resiliation = INVALIDE
        else:
            plan.resiliation = {"date_effet": ABSENT, "motif": "", **lue}

    # -- the convention a description updates --

    def _convention_visee(self, plan):
        """Which convention the description updates, if it exists: by @ctes identifier, else Caf+EPCI+start."""
        ctes = plan.champs.get("ctes_identifiant")
        debut = plan.champs.get("date_debut")
        if ctes:
            plan.existante = Convention.objects.select_related("caf", "epci").filter(ctes_identifiant=ctes).first()
        if plan.existante is None and plan.departement and plan.epci and debut:
            candidate = (
                Convention.objects.select_related("caf", "epci")
                .filter(caf__type=Organisation.Type.CAF, caf__departement=plan.departement, epci=plan.epci)
                .filter(date_debut=debut)
                .first()
            )
            if candidate and ctes and candidate.ctes_identifiant and candidate.ctes_identifiant != ctes:
                self.erreur(
                    ("ctes", "identifiant"),
                    f"une convention de la {candidate.caf} avec {candidate.epci} commençant le {debut:%d/%m/%Y} "
                    f"existe déjà (n° {candidate.pk}), avec l'identifiant @ctes « {candidate.ctes_identifiant} » "
                    "et non celui-ci.",
                )
                return
            plan.existante = candidate
        existante = plan.existante
        if existante is None:
            return
        if plan.departement and existante.caf.departement_id != plan.departement.code:
            self.erreur(
                ("caf", "departement"),
                f"la convention d'identifiant @ctes « {existante.ctes_identifiant} » (n° {existante.pk}) est celle de "
                f"la {existante.caf} : un fichier ne peut pas changer la Caf d'une convention.",
            )
        if plan.epci and existante.epci_id != plan.epci.code:
            self.erreur(
                ("epci", "siren"),
                f"la convention d'identifiant @ctes « {existante.ctes_identifiant} » (n° {existante.pk}) est celle de "
                f"{existante.epci} ({existante.epci_id}) : un fichier ne peut pas changer l'EPCI d'une convention.",
            )


def _modifications(lues) -> dict:
    """An avenant's changes of the contract terms, as stored (``Avenant.modifications``: dates as AAAA-MM-JJ,
    domains in their order)."""
    valeurs = {}
    for champ, valeur in _objet(lues).items():
        if valeur is INVALIDE or valeur is None:
            continue
        if champ == "date_fin":
            valeur = valeur.isoformat() if isinstance(valeur, date) else valeur
        elif champ == "domaines":
            valeur = [d for d in Domaine.values if d in valeur]
        valeurs[champ] = valeur
    return valeurs
