"""Checking a description against the format and the rules of a convention before anything is written: every error
with its place in the file (``[2].signataires[0].nom``), in French."""

from __future__ import annotations

import calendar
import difflib
import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError

from ctg import horloge, saisie
from ctg.comptes.models import Organisation
from ctg.formats import nom_du_mois
from ctg.territoires.models import Commune, Departement, Epci

from ..models import (
    CHAMPS_AVENANT,
    Adhesion,
    Annexe1,
    Avenant,
    Civilite,
    Convention,
    Domaine,
    Instance,
    ModeResiliation,
    Partie,
    Qualite,
    Resiliation,
    Signataire,
    Statut,
    StatutAdhesion,
    valeurs_des_modifications,
)
from ..regles import (
    REGLES_RESILIATION,
    IdentifiantCtesInvalide,
    analyser_ctes,
    calculer_resiliation,
    departement_siege,
    erreurs_convention,
    erreurs_ctes,
    fin_maximale,
)
from .commun import CHAMPS_SIGNATAIRE, FORMAT, VERSION, _type_json


class _Absent:
    def __repr__(self):
        return "ABSENT"


ABSENT: Any = _Absent()
INVALIDE: Any = object()

RE_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# The years a date of a convention may have: a year 0001 or 9999 is a typing or export error.
ANNEE_MIN, ANNEE_MAX = 1900, 2100
RE_SIREN = re.compile(r"[0-9]{9}")
RE_INSEE = re.compile(r"[0-9][0-9AB][0-9]{3}")

QUALITES_PAR_PARTIE = {
    Partie.CAF: {Qualite.PRESIDENT_CA, Qualite.DIRECTEUR_GENERAL, Qualite.AUTRE},
    Partie.COLLECTIVITE: {Qualite.PRESIDENT_EPCI, Qualite.AUTRE},
}

CLES_RACINE_REQUISES = ("format", "version", "caf", "epci", "date_debut")
CLES_RACINE_FACULTATIVES = (
    "note",
    "titre",
    "date_fin",
    "statut",
    "date_signature",
    "domaines",
    "ctes",
    "deliberation",
    "annexe1",
    "chef_projet",
    "diagnostic_valide_le",
    "objectifs_identifies_le",
    "visas",
    "signataires",
    "avenants",
    "adhesions",
    "resiliation",
)

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


def _longueur(modele, champ: str) -> int | None:
    return modele._meta.get_field(champ).max_length


def _joindre(parent: str, cle: str | int) -> str:
    if isinstance(cle, int):
        return f"{parent}[{cle}]"
    return f"{parent}.{cle}" if parent else cle


def _valeurs_possibles(choix) -> str:
    return ", ".join(f"« {v} »" if v == label else f"« {v} » ({label})" for v, label in choix.choices)


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


class _Lecteur:
    """Reads one description, collecting every error with its place in the file."""

    def __init__(self, racine: str = ""):
        self.racine = racine
        self.erreurs: list[str] = []

    def erreur(self, chemin: str, message: str) -> None:
        self.erreurs.append(f"{chemin or 'convention'} : {message}")

    # -- values --

    def objet(self, valeur, chemin: str, requises=(), facultatives=()) -> dict | None:
        if not isinstance(valeur, dict):
            self.erreur(chemin, f"un objet {{…}} est attendu, pas {_type_json(valeur)}.")
            return None
        permises = [*requises, *facultatives]
        for cle in valeur:
            if cle not in permises:
                proches = difflib.get_close_matches(cle, permises, n=1)
                conseil = (
                    f"Vouliez-vous dire « {proches[0]} » ?" if proches else f"Clés possibles : {', '.join(permises)}."
                )
                self.erreur(_joindre(chemin, cle), f"clé inconnue. {conseil}")
        for cle in requises:
            if cle not in valeur:
                self.erreur(_joindre(chemin, cle), "clé obligatoire absente.")
        return valeur

    def sous_objet(self, parent: dict | None, cle: str, chemin_parent: str, requises=(), facultatives=()):
        if parent is None or cle not in parent:
            return ABSENT
        valeur = self.objet(parent[cle], _joindre(chemin_parent, cle), requises, facultatives)
        return INVALIDE if valeur is None else valeur

    def texte(self, obj, cle, parent, **options):
        return self._verifier(obj, cle, parent, self.v_texte, **options)

    def date(self, obj, cle, parent, **options):
        return self._verifier(obj, cle, parent, self.v_date, **options)

    def choix(self, obj, cle, parent, choix, **options):
        return self._verifier(obj, cle, parent, self.v_choix, choix, **options)

    def entier(self, obj, cle, parent, **options):
        return self._verifier(obj, cle, parent, self.v_entier, **options)

    def booleen(self, obj, cle, parent):
        return self._verifier(obj, cle, parent, self.v_booleen)

    def liste(self, obj, cle, parent):
        return self._verifier(obj, cle, parent, self.v_liste)

    @staticmethod
    def _verifier(obj, cle, parent, verification, *args, **options):
        """ABSENT when ``obj`` has no ``cle``, else the checked value (INVALIDE after an error)."""
        if not isinstance(obj, dict) or cle not in obj:
            return ABSENT
        return verification(obj[cle], _joindre(parent, cle), *args, **options)

    def v_texte(self, valeur, chemin, *, max_length=None, non_vide=False, nul=False, nature=saisie.LIGNE):
        """A string following the rules of free text (``ctg.saisie``): its ``nature`` gives its maximum length
        (``max_length``, a column's, replaces it) and whether it may span lines; control characters refused."""
        if valeur is None and nul:
            return None
        if not isinstance(valeur, str):
            self.erreur(chemin, f"une chaîne de caractères est attendue, pas {_type_json(valeur)}.")
            return INVALIDE
        if non_vide and not valeur.strip():
            self.erreur(chemin, "ne doit pas être vide.")
            return INVALIDE
        probleme = saisie.probleme_texte(valeur, nature, max_length)
        if probleme:
            self.erreur(chemin, f"{probleme}.")
            return INVALIDE
        return valeur

    def v_date(self, valeur, chemin, *, nul=True):
        if valeur is None:
            if nul:
                return None
            self.erreur(chemin, "une date AAAA-MM-JJ est attendue, pas null.")
            return INVALIDE
        if not isinstance(valeur, str):
            self.erreur(chemin, f"une date AAAA-MM-JJ (entre guillemets) est attendue, pas {_type_json(valeur)}.")
            return INVALIDE
        m = RE_DATE.fullmatch(valeur)
        if not m:
            self.erreur(chemin, f"« {valeur} » n'est pas une date au format AAAA-MM-JJ (ex. 2025-01-01).")
            return INVALIDE
        annee, mois, jour = (int(x) for x in m.groups())
        if not 1 <= mois <= 12:
            self.erreur(chemin, f"date impossible « {valeur} » : le mois {mois} n'existe pas (1 à 12).")
            return INVALIDE
        if not ANNEE_MIN <= annee <= ANNEE_MAX:
            self.erreur(
                chemin, f"date hors des limites « {valeur} » : l'année doit être entre {ANNEE_MIN} et {ANNEE_MAX}."
            )
            return INVALIDE
        dernier = calendar.monthrange(annee, mois)[1]
        if not 1 <= jour <= dernier:
            self.erreur(chemin, f"date impossible « {valeur} » : {nom_du_mois(mois)} {annee} a {dernier} jours.")
            return INVALIDE
        return date(annee, mois, jour)

    def v_choix(self, valeur, chemin, choix, *, vide=False):
        if not isinstance(valeur, str):
            self.erreur(chemin, f"une chaîne de caractères est attendue, pas {_type_json(valeur)}.")
            return INVALIDE
        if vide and valeur == "":
            return ""
        if valeur not in choix.values:
            self.erreur(chemin, f"valeur « {valeur} » inconnue. Valeurs possibles : {_valeurs_possibles(choix)}.")
            return INVALIDE
        return valeur

    def v_entier(self, valeur, chemin, *, minimum=1, maximum=32767):
        if isinstance(valeur, bool) or not isinstance(valeur, int):
            self.erreur(chemin, f"un nombre entier est attendu, pas {_type_json(valeur)}.")
            return INVALIDE
        if not minimum <= valeur <= maximum:
            self.erreur(chemin, f"{valeur} hors des limites : entre {minimum} et {maximum}.")
            return INVALIDE
        return valeur

    def v_booleen(self, valeur, chemin):
        if not isinstance(valeur, bool):
            self.erreur(chemin, f"true ou false est attendu, pas {_type_json(valeur)}.")
            return INVALIDE
        return valeur

    def v_liste(self, valeur, chemin):
        if not isinstance(valeur, list):
            self.erreur(chemin, f"une liste [ … ] est attendue, pas {_type_json(valeur)}.")
            return INVALIDE
        return valeur

    # -- the description --

    def analyser(self, donnees) -> _Plan:
        plan = _Plan(self.racine)
        r = self.racine
        racine = self.objet(donnees, r, CLES_RACINE_REQUISES, CLES_RACINE_FACULTATIVES)
        if racine is None:
            return plan
        self._entete(racine, r)
        self._caf(racine, r, plan)
        self._epci(racine, r, plan)
        self._champs(racine, r, plan)
        self._convention_visee(plan)
        self._visas(racine, r, plan)
        self._signataires(racine, r, plan)
        self._avenants(racine, r, plan)
        self._adhesions(racine, r, plan)
        self._resiliation(racine, r, plan)
        self._regles(plan)
        return plan

    def _entete(self, racine, r):
        if "format" in racine and racine["format"] != FORMAT:
            self.erreur(_joindre(r, "format"), f"« {FORMAT} » est attendu, pas {_type_json(racine['format'])}.")
        version = self.entier(racine, "version", r, minimum=1, maximum=10**6)
        if version not in (ABSENT, INVALIDE) and version != VERSION:
            self.erreur(
                _joindre(r, "version"),
                f"version {version} non prise en charge : ce programme lit la version {VERSION} du format.",
            )
        self.texte(racine, "note", r, nature=saisie.TEXTE)

    def _caf(self, racine, r, plan):
        chemin = _joindre(r, "caf")
        caf = self.sous_objet(racine, "caf", r, ("departement",), ("nom", "tribunal_administratif"))
        if not isinstance(caf, dict):
            return
        code = self.texte(caf, "departement", chemin, non_vide=True)
        if isinstance(code, str):
            plan.departement = Departement.objects.filter(code=code.strip()).first()
            if plan.departement is None:
                self.erreur(
                    _joindre(chemin, "departement"),
                    f"département « {code} » inconnu : code du COG attendu, entre guillemets (01, 59, 2A, 971).",
                )
        plan.caf_nom = self.texte(caf, "nom", chemin, non_vide=True, max_length=_longueur(Organisation, "nom"))
        plan.caf_tribunal = self.texte(
            caf, "tribunal_administratif", chemin, max_length=_longueur(Organisation, "tribunal_administratif")
        )

    def _epci(self, racine, r, plan):
        chemin = _joindre(r, "epci")
        epci = self.sous_objet(racine, "epci", r, ("siren",), ("nom",))
        if not isinstance(epci, dict):
            return
        self.texte(epci, "nom", chemin, nature=saisie.NOM)
        siren = self.texte(epci, "siren", chemin)
        if not isinstance(siren, str):
            return
        if not RE_SIREN.fullmatch(siren):
            self.erreur(_joindre(chemin, "siren"), f"SIREN « {siren} » mal formé : 9 chiffres attendus.")
            return
        plan.epci = Epci.objects.filter(code=siren).first()
        if plan.epci is None:
            self.erreur(_joindre(chemin, "siren"), f"aucun EPCI de SIREN « {siren} » dans le découpage administratif.")

    def _garder(self, plan, champ, valeur):
        if valeur is INVALIDE:
            plan.invalides.add(champ)
        elif valeur is not ABSENT:
            plan.champs[champ] = valeur

    def _champs(self, racine, r, plan):
        g = self._garder
        g(plan, "titre", self.texte(racine, "titre", r, non_vide=True, max_length=_longueur(Convention, "titre")))
        g(plan, "date_debut", self.date(racine, "date_debut", r, nul=False))
        g(plan, "date_fin", self.date(racine, "date_fin", r, nul=False))
        g(plan, "statut", self.choix(racine, "statut", r, Statut))
        g(plan, "date_signature", self.date(racine, "date_signature", r))
        g(plan, "annexe1", self.choix(racine, "annexe1", r, Annexe1))
        g(plan, "diagnostic_valide_le", self.date(racine, "diagnostic_valide_le", r))
        g(plan, "objectifs_identifies_le", self.date(racine, "objectifs_identifies_le", r))

        domaines = self.liste(racine, "domaines", r)
        if domaines is INVALIDE:
            plan.invalides.add("domaines")
        if isinstance(domaines, list):
            chemin, valides, ok = _joindre(r, "domaines"), [], True
            if not domaines:
                self.erreur(chemin, "au moins un domaine est attendu.")
                ok = False
            for i, code in enumerate(domaines):
                valeur = self.v_choix(code, _joindre(chemin, i), Domaine)
                if valeur is INVALIDE:
                    ok = False
                elif valeur in valides:
                    self.erreur(_joindre(chemin, i), f"domaine « {valeur} » en double.")
                    ok = False
                else:
                    valides.append(valeur)
            if ok:
                plan.champs["domaines"] = valides
            else:
                plan.invalides.add("domaines")

        chemin = _joindre(r, "ctes")
        ctes = self.sous_objet(
            racine, "ctes", r, (), ("identifiant", "envoye_prefecture_le", "recu_prefecture_le", "affiche_le")
        )
        if isinstance(ctes, dict):
            identifiant = self.texte(
                ctes, "identifiant", chemin, nul=True, max_length=_longueur(Convention, "ctes_identifiant")
            )
            if isinstance(identifiant, str):
                identifiant = identifiant.strip() or None
            g(plan, "ctes_identifiant", identifiant)
            for cle in ("envoye_prefecture_le", "recu_prefecture_le", "affiche_le"):
                g(plan, cle, self.date(ctes, cle, chemin))

        chemin = _joindre(r, "deliberation")
        deliberation = self.sous_objet(racine, "deliberation", r, (), ("instance", "date", "numero"))
        if isinstance(deliberation, dict):
            g(plan, "deliberation_instance", self.choix(deliberation, "instance", chemin, Instance))
            g(plan, "deliberation_date", self.date(deliberation, "date", chemin))
            g(
                plan,
                "deliberation_numero",
                self.texte(deliberation, "numero", chemin, max_length=_longueur(Convention, "deliberation_numero")),
            )

        chemin = _joindre(r, "chef_projet")
        chef = self.sous_objet(racine, "chef_projet", r, (), ("nom", "fonction"))
        if isinstance(chef, dict):
            g(
                plan,
                "chef_projet_nom",
                self.texte(chef, "nom", chemin, max_length=_longueur(Convention, "chef_projet_nom")),
            )
            g(
                plan,
                "chef_projet_fonction",
                self.texte(chef, "fonction", chemin, max_length=_longueur(Convention, "chef_projet_fonction")),
            )

    def _visas(self, racine, r, plan):
        visas = self.liste(racine, "visas", r)
        if not isinstance(visas, list):
            if visas is INVALIDE:
                plan.invalides.add("visas")
            return
        chemin, textes = _joindre(r, "visas"), []
        for i, texte in enumerate(visas):
            if not isinstance(texte, str):
                self.erreur(_joindre(chemin, i), f"une chaîne de caractères est attendue, pas {_type_json(texte)}.")
            elif not texte.strip():
                self.erreur(_joindre(chemin, i), "visa vide.")
            elif self.v_texte(texte, _joindre(chemin, i), nature=saisie.VISA) is not INVALIDE:
                textes.append(texte)
        if len(textes) == len(visas):
            plan.visas = textes
        else:
            plan.invalides.add("visas")

    def _signataires(self, racine, r, plan):
        signataires = self.liste(racine, "signataires", r)
        if not isinstance(signataires, list):
            if signataires is INVALIDE:
                plan.invalides.add("signataires")
            return
        chemin_liste, lus, ordres, rangs = _joindre(r, "signataires"), [], {}, {}
        erreurs_avant = len(self.erreurs)
        for i, brut in enumerate(signataires):
            chemin = _joindre(chemin_liste, i)
            s = self.objet(brut, chemin, ("partie", "civilite", "prenom", "nom", "qualite"), ("ordre", "qualite_autre"))
            if s is None:
                continue
            partie = self.choix(s, "partie", chemin, Partie)
            ordre = self.entier(s, "ordre", chemin, minimum=0)
            lu = {
                "partie": partie,
                "civilite": self.choix(s, "civilite", chemin, Civilite),
                "prenom": self.texte(s, "prenom", chemin, non_vide=True, max_length=_longueur(Signataire, "prenom")),
                "nom": self.texte(s, "nom", chemin, non_vide=True, max_length=_longueur(Signataire, "nom")),
                "qualite": self.choix(s, "qualite", chemin, Qualite),
                "qualite_autre": self.texte(
                    s, "qualite_autre", chemin, max_length=_longueur(Signataire, "qualite_autre")
                ),
            }
            if lu["qualite_autre"] is ABSENT:
                lu["qualite_autre"] = ""
            if isinstance(partie, str):
                rangs[partie] = rangs.get(partie, 0) + 1
                if ordre is ABSENT:
                    ordre = rangs[partie]
                if isinstance(ordre, int):
                    if (partie, ordre) in ordres:
                        self.erreur(
                            _joindre(chemin, "ordre"),
                            f"l'ordre {ordre} est déjà celui de {ordres[(partie, ordre)]} (même partie « {partie} »).",
                        )
                    else:
                        ordres[(partie, ordre)] = chemin
                if isinstance(lu["qualite"], str) and lu["qualite"] not in QUALITES_PAR_PARTIE[partie]:
                    self.erreur(
                        _joindre(chemin, "qualite"),
                        f"« {lu['qualite']} » ({Qualite(lu['qualite']).label}) n'est pas une qualité de signataire "
                        f"de la partie « {partie} » ; possibles : "
                        + ", ".join(sorted(QUALITES_PAR_PARTIE[partie]))
                        + ".",
                    )
            if lu["qualite"] == Qualite.AUTRE and lu["qualite_autre"] == "":
                self.erreur(_joindre(chemin, "qualite_autre"), "à préciser quand la qualité est « autre ».")
            lu["ordre"] = ordre
            lus.append(lu)
        if len(self.erreurs) == erreurs_avant:
            plan.signataires = lus
        else:
            plan.invalides.add("signataires")

    def _avenants(self, racine, r, plan):
        avenants = self.liste(racine, "avenants", r)
        if not isinstance(avenants, list):
            if avenants is INVALIDE:
                plan.invalides.add("avenants")
            return
        chemin_liste, lus, numeros = _joindre(r, "avenants"), [], {}
        erreurs_avant = len(self.erreurs)
        for i, brut in enumerate(avenants):
            chemin = _joindre(chemin_liste, i)
            a = self.objet(
                brut, chemin, ("numero", "date", "objet"), ("signataires", "ctes_identifiant", "modifications")
            )
            if a is None:
                continue
            numero = self.entier(a, "numero", chemin)
            if isinstance(numero, int):
                if numero in numeros:
                    self.erreur(
                        _joindre(chemin, "numero"), f"avenant n° {numero} en double (déjà en {numeros[numero]})."
                    )
                else:
                    numeros[numero] = chemin
            lus.append(
                {
                    "chemin": chemin,
                    "numero": numero,
                    "date": self.date(a, "date", chemin, nul=True),
                    "objet": self.texte(a, "objet", chemin, non_vide=True, nature=saisie.TEXTE),
                    "modifications": self._modifications(a, chemin),
                    "signataires": self.texte(a, "signataires", chemin, nature=saisie.TEXTE),
                    "ctes_identifiant": self.texte(
                        a, "ctes_identifiant", chemin, max_length=_longueur(Avenant, "ctes_identifiant")
                    ),
                }
            )
        if len(self.erreurs) == erreurs_avant:
            plan.avenants = lus
        else:
            plan.invalides.add("avenants")

    def _modifications(self, avenant, chemin) -> dict:
        """An avenant's changes of the contract terms: {champ: valeur} among ``CHAMPS_AVENANT``."""
        if "modifications" not in avenant:
            return {}
        chemin = _joindre(chemin, "modifications")
        brut = avenant["modifications"]
        if not isinstance(brut, dict):
            self.erreur(chemin, "un objet {champ: nouvelle valeur} est attendu.")
            return {}
        valeurs = {}
        for champ, valeur in brut.items():
            ici = _joindre(chemin, champ)
            if champ not in CHAMPS_AVENANT:
                self.erreur(ici, f"un avenant ne modifie que : {', '.join(CHAMPS_AVENANT)}.")
            elif champ == "date_fin":
                lue = self.v_date(valeur, ici)
                if isinstance(lue, date):
                    valeurs[champ] = lue.isoformat()
            elif champ == "annexe1":
                lue = self.v_choix(valeur, ici, Annexe1)
                if isinstance(lue, str):
                    valeurs[champ] = lue
            elif champ == "domaines":
                if not isinstance(valeur, list) or not valeur:
                    self.erreur(ici, "une liste non vide de domaines est attendue.")
                else:
                    lus = [self.v_choix(d, _joindre(ici, i), Domaine) for i, d in enumerate(valeur)]
                    if all(isinstance(d, str) for d in lus):
                        valeurs[champ] = [d for d in Domaine.values if d in lus]
            else:
                lue = self.v_texte(valeur, ici, max_length=_longueur(Convention, champ), non_vide=champ == "titre")
                if isinstance(lue, str):
                    valeurs[champ] = lue
        return valeurs

    def _adhesions(self, racine, r, plan):
        adhesions = self.liste(racine, "adhesions", r)
        if not isinstance(adhesions, list):
            if adhesions is INVALIDE:
                plan.invalides.add("adhesions")
            return
        chemin_liste, lus, vues = _joindre(r, "adhesions"), [], {}
        erreurs_avant = len(self.erreurs)
        membres = {c.code: c for c in plan.epci.communes.all()} if plan.epci else {}
        if plan.existante is not None:  # a commune that has left the EPCI keeps its adhesion to the convention
            membres.update({a.commune_id: a.commune for a in plan.existante.adhesions.select_related("commune")})
        codes = [a.get("commune") for a in adhesions if isinstance(a, dict) and isinstance(a.get("commune"), str)]
        autres = {
            c.code: c for c in Commune.objects.select_related("epci").filter(code__in=codes) if c.code not in membres
        }
        for i, brut in enumerate(adhesions):
            chemin = _joindre(chemin_liste, i)
            a = self.objet(
                brut,
                chemin,
                ("commune",),
                ("nom", "statut", "maire", "date_deliberation", "ancienne_commune_cej", "commentaire"),
            )
            if a is None:
                continue
            self.texte(a, "nom", chemin, nature=saisie.NOM)
            code = self.texte(a, "commune", chemin)
            commune = None
            if isinstance(code, str):
                chemin_code = _joindre(chemin, "commune")
                if code in vues:
                    self.erreur(chemin_code, f"commune « {code} » en double (déjà en {vues[code]}).")
                vues.setdefault(code, chemin)
                if not RE_INSEE.fullmatch(code):
                    self.erreur(
                        chemin_code, f"code INSEE « {code} » mal formé : 5 caractères attendus (ex. 01027, 2A004)."
                    )
                elif code in membres:
                    commune = membres[code]
                elif code in autres:
                    commune = autres[code]
                    if plan.epci:
                        ailleurs = (
                            f"elle est membre de {commune.epci} ({commune.epci_id})"
                            if commune.epci
                            else ("elle n'est membre d'aucun EPCI")
                        )
                        self.erreur(
                            chemin_code,
                            f"la commune {commune.nom} ({code}) n'est pas membre de {plan.epci.nom} "
                            f"({plan.epci.code}) : {ailleurs}.",
                        )
                else:
                    self.erreur(chemin_code, f"aucune commune de code INSEE « {code} ».")
            lu = {
                "commune": commune,
                "statut": self.choix(a, "statut", chemin, StatutAdhesion),
                "date_deliberation": self.date(a, "date_deliberation", chemin),
                "ancienne_commune_cej": self.booleen(a, "ancienne_commune_cej", chemin),
                "commentaire": self.texte(a, "commentaire", chemin, nature=saisie.TEXTE),
                "chemin": chemin,
            }
            maire = self.sous_objet(a, "maire", chemin, (), ("civilite", "prenom", "nom"))
            chemin_maire = _joindre(chemin, "maire")
            lu["maire_civilite"] = self.choix(maire, "civilite", chemin_maire, Civilite, vide=True)
            lu["maire_prenom"] = self.texte(
                maire, "prenom", chemin_maire, max_length=_longueur(Adhesion, "maire_prenom")
            )
            lu["maire_nom"] = self.texte(maire, "nom", chemin_maire, max_length=_longueur(Adhesion, "maire_nom"))
            lus.append(lu)
        if len(self.erreurs) == erreurs_avant:
            plan.adhesions = lus
        else:
            plan.invalides.add("adhesions")

    def _resiliation(self, racine, r, plan):
        if "resiliation" not in racine:
            return
        if racine["resiliation"] is None:
            plan.resiliation = None
            return
        chemin = _joindre(r, "resiliation")
        brut = self.sous_objet(racine, "resiliation", r, ("mode", "date_envoi", "initiative"), ("date_effet", "motif"))
        if not isinstance(brut, dict):
            plan.resiliation = INVALIDE
            return
        lu = {
            "mode": self.choix(brut, "mode", chemin, ModeResiliation),
            "date_envoi": self.date(brut, "date_envoi", chemin, nul=False),
            "date_effet": self.date(brut, "date_effet", chemin, nul=False),
            "initiative": self.choix(brut, "initiative", chemin, Partie),
            "motif": self.texte(brut, "motif", chemin, nature=saisie.TEXTE),
        }
        if lu["motif"] is ABSENT:
            lu["motif"] = ""
        if any(v is INVALIDE or (v is ABSENT and k != "date_effet") for k, v in lu.items()):
            plan.resiliation = INVALIDE
        else:
            plan.resiliation = lu

    # -- checks against the database and the rules --

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
                    _joindre(plan.racine, "ctes.identifiant"),
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
                _joindre(plan.racine, "caf.departement"),
                f"la convention d'identifiant @ctes « {existante.ctes_identifiant} » (n° {existante.pk}) est celle de "
                f"la {existante.caf} : un fichier ne peut pas changer la Caf d'une convention.",
            )
        if plan.epci and existante.epci_id != plan.epci.code:
            self.erreur(
                _joindre(plan.racine, "epci.siren"),
                f"la convention d'identifiant @ctes « {existante.ctes_identifiant} » (n° {existante.pk}) est celle de "
                f"{existante.epci} ({existante.epci_id}) : un fichier ne peut pas changer l'EPCI d'une convention.",
            )

    def _regles(self, plan):
        """The rules on the convention as it would be once imported (file values over current or default ones)."""
        r, invalides = plan.racine, plan.invalides
        if plan.existante is not None:
            convention = Convention.objects.get(pk=plan.existante.pk)
        else:
            convention = Convention()
            if plan.epci:
                convention.epci = plan.epci
        for champ, valeur in plan.champs.items():
            if champ != "statut":
                setattr(convention, champ, valeur)
        plan.statut = plan.champs.get("statut", convention.statut)
        if plan.existante is None and "date_fin" not in plan.champs and convention.date_debut:
            convention.date_fin = fin_maximale(convention.date_debut)
        plan.effective = convention

        for champ, messages in erreurs_convention(convention).items():
            for message in messages:
                self.erreur(_joindre(r, CHEMINS_CHAMPS.get(champ, champ)), message)
        if convention.ctes_identifiant and not convention.epci_id:
            try:
                analyser_ctes(convention.ctes_identifiant)
            except IdentifiantCtesInvalide as exc:
                self.erreur(_joindre(r, "ctes.identifiant"), str(exc))

        statut, signature, aujourd_hui = plan.statut, convention.date_signature, horloge.aujourd_hui()
        libelle = f"« {Statut(statut).label.lower()} » (statut « {statut} »)"
        fin = convention.date_fin
        if signature and statut != Statut.BROUILLON and "date_signature" not in invalides and aujourd_hui < signature:
            if fin is None or signature <= fin:
                self.erreur(
                    _joindre(r, "date_signature"),
                    f"la signature ({signature:%d/%m/%Y}) est dans le futur : une convention est importée signée une "
                    "fois signée.",
                )
        self._termes_figes(plan, convention)
        if not invalides & {"statut", "date_signature"}:
            if statut != Statut.BROUILLON and signature is None:
                self.erreur(_joindre(r, "date_signature"), f"obligatoire pour une convention {libelle}.")
            if statut == Statut.BROUILLON and signature is not None:
                self.erreur(
                    _joindre(r, "date_signature"),
                    "une convention en brouillon n'est pas signée : date_signature doit être null, ou le statut "
                    "« signee », « en_vigueur »…",
                )
        if signature and convention.date_fin and not invalides & {"date_signature", "date_fin"}:
            if signature > convention.date_fin:
                self.erreur(
                    _joindre(r, "date_signature"),
                    f"la signature ({signature:%d/%m/%Y}) est postérieure à la fin de la convention "
                    f"({convention.date_fin:%d/%m/%Y}).",
                )

        if statut != Statut.BROUILLON and not invalides & {"statut", "signataires"}:
            if plan.signataires is not None:
                parties = {s["partie"] for s in plan.signataires}
            elif plan.existante is not None:
                parties = set(plan.existante.signataires.values_list("partie", flat=True))
            else:
                parties = set()
            manques = [
                nom
                for code, nom in ((Partie.CAF, "la Caf"), (Partie.COLLECTIVITE, "la collectivité"))
                if code not in parties
            ]
            if manques:
                self.erreur(
                    _joindre(r, "signataires"),
                    f"une convention {libelle} a au moins un signataire pour " + " et pour ".join(manques) + ".",
                )

        if plan.avenants and plan.epci:
            siege = departement_siege(plan.epci)
            for avenant in plan.avenants:
                if avenant["ctes_identifiant"] not in (ABSENT, ""):
                    for message in erreurs_ctes(avenant["ctes_identifiant"], plan.epci.code, siege):
                        self.erreur(_joindre(avenant["chemin"], "ctes_identifiant"), message)

        self._regles_resiliation(plan, convention)
        self._statut_coherent(plan, convention)

    # The status a file may give: the one its signature, dates and termination give today, or an earlier step on the
    # same path (a file exported some time ago); never one the convention has not reached.
    ORDRE_STATUTS = {Statut.BROUILLON: 0, Statut.SIGNEE: 1, Statut.EN_VIGUEUR: 2, Statut.EXPIREE: 3, Statut.RESILIEE: 3}

    def _statut_coherent(self, plan, convention):
        if plan.invalides & {"statut", "date_signature", "date_debut", "date_fin", "resiliation"}:
            return
        signature = convention.date_signature
        if "statut" not in plan.champs or signature is None or plan.statut == Statut.BROUILLON:
            return
        if signature > horloge.aujourd_hui() or (convention.date_fin and signature > convention.date_fin):
            return  # already refused
        jour = horloge.aujourd_hui()
        if isinstance(plan.resiliation, dict):
            effet = plan.resiliation["date_effet"]
        elif plan.resiliation is ABSENT and plan.existante is not None and hasattr(plan.existante, "resiliation"):
            effet = plan.existante.resiliation.date_effet
        else:
            effet = None
        attendu = Statut.EN_VIGUEUR if convention.date_debut <= jour else Statut.SIGNEE
        if effet is not None and effet <= jour and effet < convention.date_fin:
            attendu = Statut.RESILIEE
        elif attendu == Statut.EN_VIGUEUR and convention.date_fin < jour:
            attendu = Statut.EXPIREE
        fichier = plan.statut
        atteint = self.ORDRE_STATUTS[fichier] < self.ORDRE_STATUTS[attendu] or fichier == attendu
        if not atteint or (fichier in {Statut.EXPIREE, Statut.RESILIEE} and fichier != attendu):
            self.erreur(
                _joindre(plan.racine, "statut"),
                f"« {fichier} » ne correspond pas à la convention : signée le {convention.date_signature:%d/%m/%Y}, "
                f"du {convention.date_debut:%d/%m/%Y} au {convention.date_fin:%d/%m/%Y}, elle est « {attendu} » au "
                f"{jour:%d/%m/%Y}. Le statut découle de la signature, des dates et de la résiliation : il ne s'écrit "
                "pas.",
            )

    def _termes_figes(self, plan, convention):
        """Article 10: a signed convention's terms, visas and signatories change only by a signed avenant. A file
        may bring new signed avenants: their modifications are then the only changes allowed."""
        existante, r = plan.existante, plan.racine
        if existante is None or existante.statut == Statut.BROUILLON:
            return
        attendus = {champ: getattr(existante, champ) for champ in Convention.TERMES}
        actuels = {a.numero: a for a in existante.avenants.all()}
        for avenant in plan.avenants or []:
            actuel = actuels.get(avenant["numero"])
            if actuel is None:
                if avenant["date"] not in (None, ABSENT, INVALIDE):
                    attendus.update(valeurs_des_modifications(avenant["modifications"]))
            elif actuel.date is not None and (
                avenant["date"] != actuel.date
                or avenant["objet"] != actuel.objet
                or avenant["modifications"] != actuel.modifications
            ):
                self.erreur(
                    avenant["chemin"], f"l'avenant n° {actuel.numero} est signé : il ne se modifie plus (article 10)."
                )
        for champ in Convention.TERMES:
            if champ in plan.champs and plan.champs[champ] != attendus[champ]:
                self.erreur(
                    _joindre(r, CHEMINS_CHAMPS.get(champ, champ)),
                    f"la convention n° {existante.pk} est signée : ce terme ne change que par un avenant signé "
                    "(article 10), à joindre au fichier dans « avenants » avec ses « modifications ».",
                )
        if plan.visas is not None and plan.visas != list(
            existante.visas.order_by("ordre", "pk").values_list("texte", flat=True)
        ):
            self.erreur(_joindre(r, "visas"), "la convention est signée : ses visas ne changent plus.")
        if plan.signataires is not None:
            voulus = sorted((tuple(x[c] for c in CHAMPS_SIGNATAIRE) for x in plan.signataires), key=lambda t: t[:2])
            if voulus != list(existante.signataires.order_by("partie", "ordre", "pk").values_list(*CHAMPS_SIGNATAIRE)):
                self.erreur(_joindre(r, "signataires"), "la convention est signée : ses signataires ne changent plus.")
        if plan.resiliation is None and hasattr(existante, "resiliation"):
            self.erreur(
                _joindre(r, "resiliation"),
                "l'annulation d'une résiliation est un acte de la Caf, avec son motif, sur la page de la convention.",
            )
        if plan.statut == Statut.BROUILLON and "statut" in plan.champs:
            self.erreur(_joindre(r, "statut"), "une convention signée ne revient pas en brouillon par un fichier.")

    def _regles_resiliation(self, plan, convention):
        if plan.resiliation is INVALIDE or "statut" in plan.invalides:
            return
        chemin = _joindre(plan.racine, "resiliation")
        if plan.resiliation is ABSENT:
            lu = None
            resiliation = Resiliation.objects.filter(convention=plan.existante).first() if plan.existante else None
        else:
            resiliation = lu = plan.resiliation
        statut = plan.statut
        if statut == Statut.RESILIEE and resiliation is None:
            self.erreur(chemin, "une convention « resiliee » a une résiliation (mode, date_envoi, initiative).")
        if statut == Statut.BROUILLON and resiliation is not None:
            self.erreur(chemin, "une convention en brouillon ne peut pas avoir de résiliation.")
        if lu is None:
            return
        regle = REGLES_RESILIATION[lu["mode"]]
        if regle.par_la_caf_seulement and lu["initiative"] != Partie.CAF:
            self.erreur(_joindre(chemin, "initiative"), f"{regle.titre} : seule la Caf peut la prononcer (article 12).")
        depart = convention.date_signature or convention.date_debut
        if depart and lu["date_envoi"] < depart:
            self.erreur(
                _joindre(chemin, "date_envoi"),
                f"la date d'envoi ({lu['date_envoi']:%d/%m/%Y}) précède la signature de la convention "
                f"({depart:%d/%m/%Y}).",
            )
        if lu["date_effet"] is ABSENT:
            lu["date_effet"] = calculer_resiliation(lu["mode"], lu["date_envoi"], convention.date_fin).date_effet
        elif lu["date_effet"] < lu["date_envoi"]:
            self.erreur(
                _joindre(chemin, "date_effet"),
                f"la date d'effet ({lu['date_effet']:%d/%m/%Y}) précède la date d'envoi ({lu['date_envoi']:%d/%m/%Y}).",
            )


def _verifier_ensemble(plans: list[_Plan]) -> list[str]:
    """Checks across the conventions of one file: each convention once, one name per Caf."""
    erreurs = []
    par_ctes, par_cle, par_existante, cafs = {}, {}, {}, {}
    for plan in plans:
        ctes = plan.champs.get("ctes_identifiant")
        if ctes:
            if ctes in par_ctes:
                erreurs.append(
                    f"{_joindre(plan.racine, 'ctes.identifiant')} : identifiant @ctes « {ctes} » déjà donné à la "
                    f"convention {par_ctes[ctes]} du fichier."
                )
            par_ctes.setdefault(ctes, plan.racine)
        debut = plan.champs.get("date_debut")
        double = False
        if plan.departement and plan.epci and debut:
            cle = (plan.departement.code, plan.epci.code, debut)
            if cle in par_cle:
                double = True
                erreurs.append(
                    f"{plan.racine} : même Caf, même EPCI ({plan.epci.code}) et même date de début "
                    f"({debut:%d/%m/%Y}) que la convention {par_cle[cle]} du fichier."
                )
            par_cle.setdefault(cle, plan.racine)
        if plan.existante is not None:
            if plan.existante.pk in par_existante and not double:
                erreurs.append(
                    f"{plan.racine} : décrit la même convention (n° {plan.existante.pk}) que la convention "
                    f"{par_existante[plan.existante.pk]} du fichier."
                )
            par_existante.setdefault(plan.existante.pk, plan.racine)
        if plan.departement:
            for cle_caf, valeur in (("nom", plan.caf_nom), ("tribunal_administratif", plan.caf_tribunal)):
                if isinstance(valeur, str):
                    deja = cafs.setdefault((plan.departement.code, cle_caf), (valeur, plan.racine))
                    if deja[0] != valeur:
                        erreurs.append(
                            f"{_joindre(plan.racine, 'caf.' + cle_caf)} : « {valeur} » alors que la convention "
                            f"{deja[1]} du fichier donne « {deja[0]} » pour la même Caf."
                        )
    return erreurs


def _erreurs_validation(exc: ValidationError, racine: str) -> list[str]:
    if hasattr(exc, "error_dict"):
        return [
            f"{_joindre(racine, CHEMINS_CHAMPS.get(champ, champ))} : {message}"
            for champ, messages in exc.message_dict.items()
            for message in messages
        ]
    return [f"{racine or 'convention'} : {message}" for message in exc.messages]
