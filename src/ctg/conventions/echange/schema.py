"""The shape of a description (format ``ctg-convention``, version 1) as pydantic models, and pydantic's errors said
in French with their place in the file (``[2].signataires[0].nom``).

The models check what the format alone decides: types (strict: ``"1"`` is not a number, ``1`` not a text), the keys
required and the keys known, the values of every choice, the texts (``ctg.saisie``: length, control characters),
the dates (``AAAA-MM-JJ``, real, between 1900 and 2100) and the numbers. What needs the database or several values
at once (a territory that exists, a signatory's quality for its party, the rules of a convention) is checked by
``validation`` and ``regles`` on the values read here.

``lire(donnees)`` gives the values of a description, with the errors; a key the file gives wrongly has the value
``INVALIDE`` and a list with a wrong element keeps its right ones, so that the rules still look at what is right.
"""

import calendar
import difflib
import types
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Annotated, Any, ClassVar, Literal, Union, get_args, get_origin

import annotated_types
from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, TypeAdapter, ValidationError
from pydantic import StringConstraints as Chaine
from pydantic_core import PydanticCustomError

from ctg import saisie
from ctg.comptes.models import Organisation
from ctg.formats import nom_du_mois
from ctg.saisie import DERNIERE_DATE, PREMIERE_DATE

from ..models import (
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
    Signataire,
    Statut,
    StatutAdhesion,
)
from .commun import FORMAT, _type_json

INVALIDE: Any = type("_Invalide", (), {"__repr__": lambda self: "INVALIDE"})()

# The years a date of a convention may have (those of every form): a year 0001 or 9999 is a typing or export error.
ANNEE_MIN, ANNEE_MAX = PREMIERE_DATE.year, DERNIERE_DATE.year
RE_DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
RE_SIREN = r"^[0-9]{9}$"
RE_INSEE = r"^[0-9][0-9AB][0-9]{3}$"

# --- the types of the format ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Choix:
    """Marks a choice among the values of a Django ``TextChoices`` (its labels go into the messages)."""

    classe: Any


@dataclass(frozen=True)
class _EnDate:
    """Marks a date: its errors speak of dates, not of texts."""


def choix(classe, vide: bool = False):
    valeurs = ("",) * vide + tuple(classe.values)
    return Annotated[Literal[valeurs], _Choix(classe)]  # type: ignore[valid-type]


def _controle(nature: saisie.Nature, longueur: int | None, non_vide: bool, vide: str):
    def verifier(valeur: str) -> str:
        if non_vide and not valeur.strip():
            raise PydanticCustomError("texte_vide", vide)
        probleme = saisie.probleme_texte(valeur, nature, longueur)
        if probleme:
            raise PydanticCustomError("texte_saisie", "{probleme}.", {"probleme": probleme})
        return valeur

    return AfterValidator(verifier)


def texte(nature: saisie.Nature = saisie.LIGNE, longueur: int | None = None, non_vide: bool = False, vide=None):
    """A free text following ``ctg.saisie``: ``longueur`` (a column's ``max_length``) replaces its nature's maximum."""
    maximum = longueur or nature.longueur_max
    message = vide or "ne doit pas être vide."
    return Annotated[str, Chaine(max_length=maximum), _controle(nature, longueur, non_vide, message)]


def _longueur(modele, champ: str) -> int | None:
    return modele._meta.get_field(champ).max_length


_TEXTE_DATE = TypeAdapter(Annotated[str, Chaine(pattern=RE_DATE)], config=ConfigDict(strict=True))

# A date is a text AAAA-MM-JJ (strict), then a real date (pydantic's reading), then within the years allowed.
Date = Annotated[
    date,
    Field(strict=False, ge=date(ANNEE_MIN, 1, 1), le=date(ANNEE_MAX, 12, 31)),
    BeforeValidator(_TEXTE_DATE.validate_python),
    _EnDate(),
]
Entier = Annotated[int, Field(ge=1, le=32767)]


class _Objet(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class Caf(_Objet):
    departement: texte(non_vide=True)
    nom: texte(longueur=_longueur(Organisation, "nom"), non_vide=True) = None
    tribunal_administratif: texte(longueur=_longueur(Organisation, "tribunal_administratif")) = None


class Epci(_Objet):
    siren: Annotated[str, Chaine(pattern=RE_SIREN)]
    nom: texte(saisie.NOM) = None


class Ctes(_Objet):
    identifiant: texte(longueur=_longueur(Convention, "ctes_identifiant")) | None = None
    envoye_prefecture_le: Date | None = None
    recu_prefecture_le: Date | None = None
    affiche_le: Date | None = None


class Deliberation(_Objet):
    instance: choix(Instance) = None
    date: Date | None = None
    numero: texte(longueur=_longueur(Convention, "deliberation_numero")) = None


class ChefProjet(_Objet):
    nom: texte(longueur=_longueur(Convention, "chef_projet_nom")) = None
    fonction: texte(longueur=_longueur(Convention, "chef_projet_fonction")) = None


class SignataireFichier(_Objet):
    partie: choix(Partie)
    ordre: Annotated[int, Field(ge=0, le=32767)] = None
    civilite: choix(Civilite)
    prenom: texte(longueur=_longueur(Signataire, "prenom"), non_vide=True)
    nom: texte(longueur=_longueur(Signataire, "nom"), non_vide=True)
    qualite: choix(Qualite)
    qualite_autre: texte(longueur=_longueur(Signataire, "qualite_autre")) = None


Domaines = Annotated[list[choix(Domaine)], Field(min_length=1)]


class Modifications(_Objet):
    """The contract terms an avenant changes (``models.CHAMPS_AVENANT``)."""

    titre: texte(longueur=_longueur(Convention, "titre"), non_vide=True) = None
    date_fin: Date | None = None
    domaines: Domaines = None
    chef_projet_nom: texte(longueur=_longueur(Convention, "chef_projet_nom")) = None
    chef_projet_fonction: texte(longueur=_longueur(Convention, "chef_projet_fonction")) = None
    annexe1: choix(Annexe1) = None


class AvenantFichier(_Objet):
    numero: Entier
    date: Date | None
    objet: texte(saisie.TEXTE, non_vide=True)
    modifications: Modifications = None
    signataires: texte(saisie.TEXTE) = None
    ctes_identifiant: texte(longueur=_longueur(Avenant, "ctes_identifiant")) = None


class Maire(_Objet):
    civilite: choix(Civilite, vide=True) = None
    prenom: texte(longueur=_longueur(Adhesion, "maire_prenom")) = None
    nom: texte(longueur=_longueur(Adhesion, "maire_nom")) = None


class AdhesionFichier(_Objet):
    commune: Annotated[str, Chaine(pattern=RE_INSEE)]
    nom: texte(saisie.NOM) = None
    statut: choix(StatutAdhesion) = None
    maire: Maire = None
    date_deliberation: Date | None = None
    ancienne_commune_cej: bool = None
    commentaire: texte(saisie.TEXTE) = None


class ResiliationFichier(_Objet):
    mode: choix(ModeResiliation)
    date_envoi: Date
    date_effet: Date = None
    initiative: choix(Partie)
    motif: texte(saisie.TEXTE) = None


class Description(_Objet):
    """One convention of a file. The keys in the order the messages list them (required ones first)."""

    # The order in which the errors of a description are given: the order of its reading.
    ordre_des_erreurs: ClassVar[tuple[str, ...]] = (
        "format", "version", "note", "caf", "epci", "titre", "date_debut", "date_fin", "statut", "date_signature",
        "annexe1", "diagnostic_valide_le", "objectifs_identifies_le", "domaines", "ctes", "deliberation",
        "chef_projet", "visas", "signataires", "avenants", "adhesions", "resiliation",
    )  # fmt: skip

    format: Literal[FORMAT]
    version: Annotated[int, Field(ge=1, le=10**6)]
    caf: Caf
    epci: Epci
    date_debut: Date
    note: texte(saisie.TEXTE) = None
    titre: texte(longueur=_longueur(Convention, "titre"), non_vide=True) = None
    date_fin: Date = None
    statut: choix(Statut) = None
    date_signature: Date | None = None
    domaines: Domaines = None
    ctes: Ctes = None
    deliberation: Deliberation = None
    annexe1: choix(Annexe1) = None
    chef_projet: ChefProjet = None
    diagnostic_valide_le: Date | None = None
    objectifs_identifies_le: Date | None = None
    visas: list[texte(saisie.VISA, non_vide=True, vide="visa vide.")] = None
    signataires: list[SignataireFichier] = None
    avenants: list[AvenantFichier] = None
    adhesions: list[AdhesionFichier] = None
    resiliation: ResiliationFichier | None = None


# --- reading a description --------------------------------------------------------------------------------------

Place = tuple[str | int, ...]


@dataclass
class Lecture:
    """The values of a description (keys left out are absent; a key given wrongly is ``INVALIDE``) and its errors,
    each with its place and a sorting key (the order of the reading)."""

    valeurs: Any
    erreurs: list[tuple[tuple, Place, str]] = field(default_factory=list)

    def erreur(self, place: Place, message: str, genre: int = 2) -> None:
        self.erreurs.append((_cle_de_tri(place, genre), place, message))

    def en_erreur(self, *place) -> bool:
        """Whether the file has an error at ``place`` or inside it."""
        return any(p[: len(place)] == place for _, p, _ in self.erreurs)

    def triees(self) -> list[tuple[Place, str]]:
        return [(place, message) for _, place, message in sorted(self.erreurs, key=lambda e: e[0])]


def lire(donnees) -> Lecture:
    try:
        modele = Description.model_validate(donnees)
    except ValidationError as exc:
        erreurs = exc.errors(include_url=False)
        lecture = Lecture(_partiel(Description, donnees, [tuple(e["loc"]) for e in erreurs]))
        for e in erreurs:
            genre = {"extra_forbidden": 0, "missing": 1}.get(e["type"], 2)
            lecture.erreur(tuple(e["loc"]), _en_francais(e), genre)
        return lecture
    return Lecture(modele.model_dump(exclude_unset=True))


@cache
def _adaptateur(modele: type[BaseModel], nom: str) -> TypeAdapter:
    champ = modele.model_fields[nom]
    type_ = Annotated[champ.annotation, *champ.metadata] if champ.metadata else champ.annotation
    if _est_modele(_deplier(type_)[0]):
        return TypeAdapter(type_)  # strict by its own configuration
    return TypeAdapter(type_, config=ConfigDict(strict=True))


def _partiel(modele: type[BaseModel], brut, fautes: list[Place]):
    """The right values of ``brut`` (a description, or a part of it, with errors at ``fautes``)."""
    if () in fautes or not isinstance(brut, dict):
        return INVALIDE
    valeurs = {}
    for nom, valeur in brut.items():
        if nom not in modele.model_fields:
            continue
        ici = [f[1:] for f in fautes if f[:1] == (nom,)]
        if not ici:
            adaptateur = _adaptateur(modele, nom)
            valeurs[nom] = adaptateur.dump_python(adaptateur.validate_python(valeur), exclude_unset=True)
            continue
        type_, _ = _deplier(modele.model_fields[nom].annotation)
        if _est_modele(type_):
            valeurs[nom] = _partiel(type_, valeur, ici)
        elif get_origin(type_) is list and _est_modele(element := _deplier(get_args(type_)[0])[0]):
            valeurs[nom] = (
                [_partiel(element, v, [f[1:] for f in ici if f[:1] == (i,)]) for i, v in enumerate(valeur)]
                if () not in ici and isinstance(valeur, list)
                else INVALIDE
            )
        else:
            valeurs[nom] = INVALIDE
    return valeurs


# --- the types at a place -------------------------------------------------------------------------------------


def _est_modele(type_) -> bool:
    return isinstance(type_, type) and issubclass(type_, BaseModel)


def _deplier(type_) -> tuple[Any, list]:
    """A type without ``Annotated`` nor ``| None``, and the metadata met on the way."""
    metadonnees: list = []
    while True:
        if get_origin(type_) is Annotated:
            type_, *plus = get_args(type_)
            metadonnees.extend(plus)
        elif get_origin(type_) in (Union, types.UnionType) and type(None) in get_args(type_):
            autres = [t for t in get_args(type_) if t is not type(None)]
            if len(autres) != 1:
                break
            type_ = autres[0]
        else:
            return type_, metadonnees


def _chemin_des_types(place: Place) -> list[tuple[Any, Any, list]]:
    """For each step of ``place``: (the model or list it is taken from, the type found there, its metadata)."""
    etapes, type_ = [], Description
    for cle in place:
        type_, _ = _deplier(type_)
        if isinstance(cle, int) and get_origin(type_) is list:
            conteneur, (type_, metadonnees) = type_, _deplier(get_args(type_)[0])
        elif isinstance(cle, str) and _est_modele(type_) and cle in type_.model_fields:
            champ = type_.model_fields[cle]
            conteneur, (type_, metadonnees) = type_, _deplier(champ.annotation)
            metadonnees = [*champ.metadata, *metadonnees]
        else:
            conteneur, type_, metadonnees = type_, None, []
        etapes.append((conteneur, type_, metadonnees))
    return etapes


def _cle_de_tri(place: Place, genre: int) -> tuple:
    """Errors in the order of the reading: in an object, its unknown keys, then its missing ones, then the values
    of its keys in their order; in a list, by index."""
    cle = []
    for i, (conteneur, _, _) in enumerate(_chemin_des_types(place)):
        nom = place[i]
        if isinstance(nom, int):
            rang = nom
        else:
            ordre = getattr(conteneur, "ordre_des_erreurs", None) or tuple(getattr(conteneur, "model_fields", ()))
            rang = ordre.index(nom) if nom in ordre else len(ordre)
        cle.append((genre if i == len(place) - 1 else 2, rang))
    return tuple(cle)


# --- pydantic's errors in French ----------------------------------------------------------------------------------


def _cles_possibles(modele) -> list[str]:
    champs = modele.model_fields
    return [n for n, c in champs.items() if c.is_required()] + [n for n, c in champs.items() if not c.is_required()]


def _valeurs_possibles(classe) -> str:
    return ", ".join(f"« {v} »" if v == label else f"« {v} » ({label})" for v, label in classe.choices)


def _date_impossible(valeur: str) -> str:
    annee, mois, jour = (int(x) for x in valeur.split("-"))
    if not 1 <= mois <= 12:
        return f"date impossible « {valeur} » : le mois {mois} n'existe pas (1 à 12)."
    if not ANNEE_MIN <= annee <= ANNEE_MAX:
        return f"date hors des limites « {valeur} » : l'année doit être entre {ANNEE_MIN} et {ANNEE_MAX}."
    dernier = calendar.monthrange(annee, mois)[1]
    if not 1 <= jour <= dernier:
        return f"date impossible « {valeur} » : {nom_du_mois(mois)} {annee} a {dernier} jours."
    return f"date impossible « {valeur} »."


MOTIFS = {
    RE_SIREN: "SIREN « {} » mal formé : 9 chiffres attendus.",
    RE_INSEE: "code INSEE « {} » mal formé : 5 caractères attendus (ex. 01027, 2A004).",
    RE_DATE: "« {} » n'est pas une date au format AAAA-MM-JJ (ex. 2025-01-01).",
}


def _en_francais(erreur: dict) -> str:
    """The French message of one pydantic error (``errors()`` item), from its type, its value and its place."""
    sorte, valeur, place = erreur["type"], erreur.get("input"), tuple(erreur["loc"])
    contexte = erreur.get("ctx") or {}
    conteneur, type_, metadonnees = _chemin_des_types(place)[-1] if place else (None, Description, [])
    est_date = any(isinstance(m, _EnDate) for m in metadonnees)
    bornes = {type(m): m for m in metadonnees if isinstance(m, annotated_types.Ge | annotated_types.Le)}
    vu = _type_json(valeur)
    if sorte == "missing":
        return "clé obligatoire absente."
    if sorte == "extra_forbidden":
        possibles = _cles_possibles(conteneur)
        proches = difflib.get_close_matches(str(place[-1]), possibles, n=1)
        conseil = f"Vouliez-vous dire « {proches[0]} » ?" if proches else f"Clés possibles : {', '.join(possibles)}."
        return f"clé inconnue. {conseil}"
    if sorte in ("model_type", "model_attributes_type", "dict_type"):
        return f"un objet {{…}} est attendu, pas {vu}."
    if sorte == "list_type":
        return f"une liste [ … ] est attendue, pas {vu}."
    if sorte == "too_short":
        return f"au moins {contexte.get('min_length', 1)} élément est attendu."
    if est_date:
        if sorte == "string_type":
            if valeur is None:
                return "une date AAAA-MM-JJ est attendue, pas null."
            return f"une date AAAA-MM-JJ (entre guillemets) est attendue, pas {vu}."
        if sorte in ("greater_than_equal", "less_than_equal"):
            return f"date hors des limites « {valeur} » : l'année doit être entre {ANNEE_MIN} et {ANNEE_MAX}."
        if sorte.startswith("date_"):
            return _date_impossible(valeur)
    if sorte == "string_pattern_mismatch":
        return MOTIFS.get(contexte.get("pattern"), "« {} » mal formé.").format(valeur)
    if sorte == "string_too_long":
        return f"{saisie.probleme_texte(valeur, saisie.LIGNE, contexte['max_length'])}."
    if sorte == "literal_error":
        if not isinstance(valeur, str):
            return f"une chaîne de caractères est attendue, pas {vu}."
        classe = next((m.classe for m in metadonnees if isinstance(m, _Choix)), None)
        if classe is None:
            attendu = get_args(type_)[0] if type_ is not None else contexte.get("expected")
            return f"« {attendu} » est attendu, pas {vu}."
        return f"valeur « {valeur} » inconnue. Valeurs possibles : {_valeurs_possibles(classe)}."
    if sorte == "string_type":
        return f"une chaîne de caractères est attendue, pas {vu}."
    if sorte == "int_type":
        return f"un nombre entier est attendu, pas {vu}."
    if sorte == "bool_type":
        return f"true ou false est attendu, pas {vu}."
    if sorte in ("greater_than_equal", "less_than_equal"):
        minimum, maximum = bornes.get(annotated_types.Ge), bornes.get(annotated_types.Le)
        if minimum and maximum:
            return f"{valeur} hors des limites : entre {minimum.ge} et {maximum.le}."
        return f"{valeur} hors des limites."
    if sorte in ("texte_vide", "texte_saisie"):
        return erreur["msg"]
    return f"valeur refusée ({erreur['msg']})."  # a check of pydantic this format does not use yet
