"""Reading an exchange file, bounded: size, nesting depth, number lengths; JSON errors said in French with their
line and column."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

from django.conf import settings

from ctg import saisie

from .commun import ErreurEchange, _type_json

MESSAGES_JSON = {
    "Expecting value": "valeur attendue",
    "Expecting ',' delimiter": "virgule attendue",
    "Expecting ':' delimiter": "deux-points attendu",
    "Expecting property name enclosed in double quotes": "nom de clé entre guillemets doubles attendu",
    "Unterminated string starting at": "chaîne de caractères non terminée",
    "Invalid control character at": "caractère de contrôle interdit dans une chaîne (retour à la ligne ?)",
    "Invalid \\escape": "séquence d'échappement invalide",
    "Invalid \\uXXXX escape": "séquence \\uXXXX invalide",
    "Extra data": "données en trop après la fin du JSON",
    "Illegal trailing comma before end of object": "virgule en trop avant la fin de l'objet",
    "Illegal trailing comma before end of array": "virgule en trop avant la fin de la liste",
}


def _message_json(exc: json.JSONDecodeError) -> str:
    for anglais, francais in MESSAGES_JSON.items():
        if exc.msg.startswith(anglais):
            return francais
    return exc.msg


LONGUEUR_NOMBRE_MAX = 30  # digits of a number in a file: a convention has none beyond a few


def taille_max() -> int:
    """The largest exchange file read, in bytes (``CTG_ECHANGE_TAILLE_MAX``): a few dozen conventions take well
    under a megabyte."""
    return settings.CTG_ECHANGE_TAILLE_MAX


def profondeur_max() -> int:
    """The most objects and lists nested in one another (``CTG_ECHANGE_PROFONDEUR_MAX``); the format has 6."""
    return settings.CTG_ECHANGE_PROFONDEUR_MAX


class _ValeurRefusee(ValueError):
    """A JSON value the format never holds (NaN, Infinity, a number of hundreds of digits); French message."""


# A JSON string (skipped whole: brackets inside do not count) or a bracket.
RE_JETONS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')


def _trop_profond(texte: str, maximum: int) -> int | None:
    """Where the nesting of objects and lists first goes beyond ``maximum`` (an index in ``texte``), or None.

    Checked before parsing, without recursion: the parser would otherwise recurse once per level and fail with a
    raw ``RecursionError`` on a file of a few kilobytes of ``[[[[…``."""
    profondeur = 0
    for jeton in RE_JETONS.finditer(texte):
        caractere = jeton.group()
        if caractere in "[{":
            profondeur += 1
            if profondeur > maximum:
                return jeton.start()
        elif caractere in "]}":
            profondeur -= 1
    return None


def _ligne_colonne(texte: str, position: int) -> tuple[int, int]:
    return texte.count("\n", 0, position) + 1, position - texte.rfind("\n", 0, position)


def charger_json(texte: str, nom: str = "le fichier") -> list[dict]:
    """Parse the text of an exchange file into a list of descriptions (one object or a list of objects)."""
    return _charger(texte, nom)[0]


def _charger(texte: str, nom: str) -> tuple[list[dict], bool]:
    doublons: list[str] = []

    def sans_doublon(paires):
        objet = {}
        for cle, valeur in paires:
            if cle in objet:
                doublons.append(cle)
            objet[cle] = valeur
        return objet

    def constante_interdite(nom_constante):
        raise _ValeurRefusee(f"« {nom_constante} » n'est pas une valeur JSON permise")

    def entier(texte_nombre):
        if len(texte_nombre) > LONGUEUR_NOMBRE_MAX:
            raise _ValeurRefusee(f"nombre de {len(texte_nombre)} chiffres ({LONGUEUR_NOMBRE_MAX} au plus)")
        return int(texte_nombre)

    def decimal(texte_nombre):
        valeur = float(texte_nombre) if len(texte_nombre) <= LONGUEUR_NOMBRE_MAX else math.inf
        if not math.isfinite(valeur):
            raise _ValeurRefusee(f"nombre hors des limites « {texte_nombre[:30]} »")
        return valeur

    position = _trop_profond(texte, profondeur_max())
    if position is not None:
        ligne, colonne = _ligne_colonne(texte, position)
        raise ErreurEchange(
            [
                f"{nom} : JSON trop imbriqué ligne {ligne}, colonne {colonne} : plus de {profondeur_max()} niveaux "
                "d'objets et de listes les uns dans les autres (une convention en a 6 au plus)."
            ]
        )
    try:
        donnees = json.loads(
            texte,
            object_pairs_hook=sans_doublon,
            parse_constant=constante_interdite,
            parse_int=entier,
            parse_float=decimal,
        )
    except json.JSONDecodeError as exc:
        raise ErreurEchange(
            [f"{nom} : JSON invalide ligne {exc.lineno}, colonne {exc.colno} : {_message_json(exc)}."]
        ) from None
    except _ValeurRefusee as exc:
        raise ErreurEchange([f"{nom} : JSON invalide : {exc}."]) from None
    except RecursionError:  # the depth is checked above: only with a limit set beyond what Python allows
        raise ErreurEchange([f"{nom} : JSON trop imbriqué pour être lu."]) from None
    erreurs = [f"{nom} : la clé « {cle} » apparaît deux fois dans un même objet." for cle in dict.fromkeys(doublons)]
    if isinstance(donnees, dict):
        liste = [donnees]
    elif isinstance(donnees, list):
        liste = donnees
        if not liste:
            erreurs.append(f"{nom} : la liste ne contient aucune convention.")
        for i, element in enumerate(liste):
            if not isinstance(element, dict):
                erreurs.append(f"[{i}] : une convention (objet {{…}}) est attendue, pas {_type_json(element)}.")
    else:
        erreurs.append(
            f"{nom} : le fichier doit contenir une convention (objet {{…}}) ou une liste de conventions "
            f"([{{…}}, {{…}}]), pas {_type_json(donnees)}."
        )
        liste = []
    if erreurs:
        raise ErreurEchange(erreurs)
    return liste, isinstance(donnees, list)


def _lire(chemin) -> tuple[list[dict], bool]:
    chemin = Path(chemin)
    nom = f"« {chemin} »"
    try:
        taille = chemin.stat().st_size
        if chemin.is_file() and taille > taille_max():
            raise ErreurEchange(
                [
                    f"Fichier {nom} trop volumineux : {saisie.taille_lisible(taille)}, "
                    f"{saisie.taille_lisible(taille_max())} au plus (CTG_ECHANGE_TAILLE_MAX) ; importez les "
                    "conventions en plusieurs fichiers."
                ]
            )
        octets = chemin.read_bytes()
    except FileNotFoundError:
        raise ErreurEchange([f"Fichier {nom} introuvable."]) from None
    except IsADirectoryError:
        raise ErreurEchange([f"{nom} est un dossier, pas un fichier JSON."]) from None
    except PermissionError:
        raise ErreurEchange([f"Fichier {nom} illisible : permission refusée."]) from None
    except OSError as exc:
        raise ErreurEchange([f"Fichier {nom} illisible : {exc.strerror or exc}."]) from None
    try:
        texte = octets.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        ligne = octets[: exc.start].count(b"\n") + 1
        raise ErreurEchange(
            [f"Fichier {nom} : il n'est pas encodé en UTF-8 (octet invalide ligne {ligne}, position {exc.start})."]
        ) from None
    if not texte.strip():
        raise ErreurEchange([f"Fichier {nom} vide."])
    return _charger(texte, f"Fichier {nom}")


def lire_fichier(chemin) -> list[dict]:
    """The descriptions an exchange file holds (a file may hold one object or a list of them).

    Raises ``ErreurEchange`` for a missing or unreadable file, a file not in UTF-8, invalid JSON (with its line
    and column) or a JSON value that is not a convention or a list of conventions. The descriptions themselves are
    checked on import."""
    return _lire(chemin)[0]
