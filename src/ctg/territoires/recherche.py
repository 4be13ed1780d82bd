"""Finding a territory by name or code, the way people type them.

Names are folded to lower-case ASCII words (accents, hyphens and apostrophes dropped) and the
common abbreviations are expanded, so that "neuville st remy" finds Neuville-Saint-Rémy.
"""

import re
import unicodedata

from .models import Commune, Departement, Epci

LIGATURES = str.maketrans({"œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE"})
ABREVIATIONS = {"st": "saint", "ste": "sainte", "sts": "saints", "stes": "saintes"}
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
CODE_COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
CODE_EPCI = re.compile(r"^\d{9}$")
CODE_DEPARTEMENT = re.compile(r"^(\d{2}|2[AB]|97\d|98\d)$")
CODE_POSTAL = re.compile(r"^\d{5}$")


def mots(texte: str) -> list[str]:
    """The words of a name or a query, folded and with abbreviations expanded."""
    texte = texte.translate(LIGATURES)
    plain = unicodedata.normalize("NFKD", texte).encode("ascii", "ignore").decode("ascii").lower()
    return [ABREVIATIONS.get(mot, mot) for mot in _NON_ALNUM.split(plain) if mot]


def cle_recherche(nom: str) -> str:
    """The stored search key of a name: its words between spaces (" neuville saint remy ")."""
    return " " + " ".join(mots(nom)) + " "


def _filtre_mots(queryset, query_mots):
    for mot in query_mots:
        queryset = queryset.filter(nom_recherche__contains=" " + mot)
    return queryset


def rechercher(texte: str, limite: int = 20) -> dict[str, list]:
    """Territories whose name starts each of its words with the query's words, or whose code is the query."""
    texte = (texte or "").strip()
    resultats = {"epci": [], "communes": [], "departements": []}
    if not texte:
        return resultats
    code = texte.upper().replace(" ", "")
    if CODE_EPCI.match(code):
        resultats["epci"] = list(Epci.objects.filter(code=code))
        resultats["communes"] = list(Commune.objects.filter(siren=code).select_related("departement"))
        return resultats
    if CODE_DEPARTEMENT.match(code):
        resultats["departements"] = list(Departement.objects.filter(code=code))
    if CODE_COMMUNE.match(code):
        communes = Commune.objects.filter(code=code)
        if CODE_POSTAL.match(code):
            communes = communes | Commune.objects.filter(codes_postaux__contains=code)
        resultats["communes"] = list(communes.select_related("departement").order_by("-population")[:limite])
        return resultats
    query_mots = mots(texte)
    if not query_mots:
        return resultats
    resultats["epci"] = list(_filtre_mots(Epci.objects.all(), query_mots).order_by("-population")[:limite])
    resultats["departements"] += list(_filtre_mots(Departement.objects.all(), query_mots)[:limite])
    resultats["communes"] = list(
        _filtre_mots(Commune.objects.select_related("departement"), query_mots).order_by("-population", "nom")[:limite]
    )
    return resultats
