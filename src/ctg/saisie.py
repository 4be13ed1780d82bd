"""What CTG accepts from people and files: free text, numbers, and how many errors an import keeps.

One place for the rules every entry point applies — the forms (``SaisieControlee``), the JSON exchange of
conventions (``ctg.conventions.echange``) and the imports (``ctg.donnees``, ``ctg.financement.importation``):

- **free text** has a kind (``Nature``: a name, a title, a visa, a long text…) that gives its maximum length and
  whether it may span several lines; control characters are refused everywhere (NUL, the other C0 and C1 codes,
  DEL), except tab and line breaks in a multi-line text; a one-line text refuses the Unicode line and paragraph
  separators too. Messages are French and name the field and the position of the character;
- **numbers** have a kind (``Grandeur``: a count, an amount, a rate…) that gives their domain: never infinite nor
  NaN, within bounds that no real figure reaches (a count ≤ 10⁸, an amount ≤ 10¹² €);
- **dates** entered in a form lie between 1900 and 2100 (a structure opened in the 1970s, a convention's term in
  the 2030s; never year 1 or 9999, which no page, document or computation should meet);
- **errors of an import** are kept up to a cap (``ErreursBornees``), the others only counted, so that a file of
  millions of bad rows costs no more memory than one of a few hundred.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Generic, TypeVar

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.utils.deconstruct import deconstructible

# --- free text ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Nature:
    """A kind of free text: its maximum length, and whether it may span several lines."""

    code: str
    libelle: str
    longueur_max: int
    multiligne: bool = False
    ligne_max: int | None = None  # a text of one item per line (the visas typed in a text area): each line's max


NOM = Nature("nom", "un nom", 200)
TITRE = Nature("titre", "un titre", 300)
LIGNE = Nature("ligne", "une ligne de texte", 500)
VISA = Nature("visa", "un visa", 2_000)
TEXTE = Nature("texte", "un texte", 50_000, multiligne=True)  # about twenty pages
VISAS = Nature("visas", "une liste de visas", 100_000, multiligne=True, ligne_max=VISA.longueur_max)

# C0 (U+0000–U+001F), DEL and C1 (U+007F–U+009F); tab, line feed and carriage return are allowed in a multi-line
# text. A one-line text also refuses U+2028 and U+2029, which some readers take for line breaks.
_INTERDITS_LIGNE = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_INTERDITS_MULTILIGNE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")

NOMS_CARACTERES = {
    "\x00": "caractère nul (U+0000)",
    "\t": "tabulation (U+0009)",
    "\n": "retour à la ligne (U+000A)",
    "\r": "retour chariot (U+000D)",
    "\x0b": "tabulation verticale (U+000B)",
    "\x0c": "saut de page (U+000C)",
    "\x1b": "échappement (U+001B)",
    "\x7f": "suppression (U+007F)",
    "\u2028": "séparateur de ligne (U+2028)",
    "\u2029": "séparateur de paragraphe (U+2029)",
}


def nom_caractere(caractere: str) -> str:
    return NOMS_CARACTERES.get(caractere, f"caractère de contrôle U+{ord(caractere):04X}")


def caractere_interdit(texte: str, multiligne: bool = False) -> tuple[int, str] | None:
    """The first forbidden character of ``texte``: (position from 1, character), or None."""
    m = (_INTERDITS_MULTILIGNE if multiligne else _INTERDITS_LIGNE).search(texte)
    return (m.start() + 1, m.group()) if m else None


def _nombre_fr(n: int | float) -> str:
    """12345678 → "12 345 678", 1234.5 → "1 234,5" (non-breaking spaces)."""
    if isinstance(n, float) and n.is_integer():
        n = int(n)
    return f"{n:,}".replace(",", "\u00a0").replace(".", ",")


def taille_lisible(octets: int) -> str:
    """A file size as people read it: "218 octets", "3 Mo", "1,5 Go"."""
    for unite, taille in (("Go", 1024**3), ("Mo", 1024**2), ("ko", 1024)):
        if octets >= taille:
            return f"{octets / taille:.1f}".removesuffix(".0").replace(".", ",") + f" {unite}"
    return f"{octets} octets"


def probleme_texte(texte: str, nature: Nature = LIGNE, longueur_max: int | None = None) -> str | None:
    """What is wrong with ``texte`` for a text of this ``nature``, in French (without the field's name), or None.

    ``longueur_max`` replaces the nature's maximum (a database column's own ``max_length``)."""
    maximum = longueur_max or nature.longueur_max
    if len(texte) > maximum:
        return f"trop long : {_nombre_fr(len(texte))} caractères, {_nombre_fr(maximum)} au plus"
    interdit = caractere_interdit(texte, nature.multiligne)
    if interdit:
        position, caractere = interdit
        if caractere in "\r\n" and not nature.multiligne:
            return f"retour à la ligne interdit (position {position}) : ce texte tient sur une seule ligne"
        return f"{nom_caractere(caractere)} interdit (position {position}) : retirez ce caractère"
    if nature.ligne_max:
        for numero, ligne in enumerate(texte.splitlines(), 1):
            if len(ligne) > nature.ligne_max:
                return (
                    f"ligne {numero} trop longue : {_nombre_fr(len(ligne))} caractères, "
                    f"{_nombre_fr(nature.ligne_max)} au plus"
                )
    return None


@deconstructible
class ValidateurTexte:
    """A form or model validator: the rules of a ``Nature`` on a text, the message naming the field."""

    def __init__(self, nature: Nature = LIGNE, libelle: str = "", longueur_max: int | None = None):
        self.nature, self.libelle, self.longueur_max = nature, libelle, longueur_max

    def __call__(self, valeur) -> None:
        if not isinstance(valeur, str):
            return
        probleme = probleme_texte(valeur, self.nature, self.longueur_max)
        if probleme:
            prefixe = f"« {self.libelle} » : " if self.libelle else ""
            raise ValidationError(prefixe + probleme + ".", code="texte_invalide")

    def __eq__(self, other):
        return isinstance(other, ValidateurTexte) and (self.nature, self.libelle, self.longueur_max) == (
            other.nature,
            other.libelle,
            other.longueur_max,
        )


def _est_secret(champ: forms.Field) -> bool:
    return isinstance(champ.widget, forms.PasswordInput)


class SaisieControlee:
    """Form mixin (first among the bases): every text field gets the rules of its nature.

    A field in a text area is a long multi-line ``TEXTE``, any other a one-line ``LIGNE`` (its own ``max_length``,
    from the model, stays the limit when it has one); ``natures`` names the fields of another kind. Passwords are
    left alone. Every number field gets the domain of its kind in ``grandeurs`` (by field name), by default the
    bounds of any figure (``NOMBRE``, ±10¹²), so that no number overflows a column or a computation. Fields a form
    adds after its ``__init__`` are covered when it is validated."""

    natures: dict[str, Nature] = {}
    grandeurs: dict[str, Grandeur] = {}
    # the dates a form accepts (an application whose records are bounded more narrowly says so here)
    dates_plausibles: tuple = (date(1900, 1, 1), date(2100, 12, 31))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._controler_champs()

    def full_clean(self):
        self._controler_champs()
        super().full_clean()

    def _controler_champs(self) -> None:
        for nom, champ in self.fields.items():
            if getattr(champ, "_saisie_controlee", False):
                continue
            champ._saisie_controlee = True
            if isinstance(champ, forms.CharField) and not _est_secret(champ):
                nature = self.natures.get(nom) or (TEXTE if isinstance(champ.widget, forms.Textarea) else LIGNE)
                longueur = champ.max_length if champ.max_length and not nature.ligne_max else None
                # NUL is refused by the rules of the nature, with the field and the position, and so is a length
                # over the field's own: not twice
                doublons = (
                    (ProhibitNullCharactersValidator, MaxLengthValidator)
                    if longueur
                    else (ProhibitNullCharactersValidator,)
                )
                champ.validators = [v for v in champ.validators if not isinstance(v, doublons)]
                champ.validators.append(ValidateurTexte(nature, str(champ.label or nom), longueur))
                if champ.max_length is None:
                    champ.widget.attrs.setdefault("maxlength", str(nature.longueur_max))
            elif isinstance(champ, forms.IntegerField | forms.DecimalField | forms.FloatField):
                champ.validators.append(ValidateurNombre(self.grandeurs.get(nom, NOMBRE), str(champ.label or nom)))
            elif isinstance(champ, forms.DateField) and not isinstance(champ, forms.DateTimeField):
                champ.validators.append(ValidateurDate(str(champ.label or nom), *self.dates_plausibles))


# --- dates ----------------------------------------------------------------------------------------------------

PREMIERE_DATE, DERNIERE_DATE = SaisieControlee.dates_plausibles


def date_lisible(jour: date) -> str:
    """31/12/2026, also for a year below 1000 (``strftime`` drops its leading zeros)."""
    return f"{jour.day:02d}/{jour.month:02d}/{jour.year:04d}"


@deconstructible
class ValidateurDate:
    """A form validator: a date between ``premiere`` and ``derniere`` (by default ``PREMIERE_DATE`` and
    ``DERNIERE_DATE``), the message naming the field."""

    def __init__(self, libelle: str = "", premiere: date = PREMIERE_DATE, derniere: date = DERNIERE_DATE):
        self.libelle, self.premiere, self.derniere = libelle, premiere, derniere

    def __call__(self, valeur) -> None:
        if valeur is None or self.premiere <= valeur <= self.derniere:
            return
        prefixe = f"« {self.libelle} » : " if self.libelle else ""
        bornes = (
            f"entre {self.premiere.year} et {self.derniere.year}"
            if (self.premiere.day, self.premiere.month, self.derniere.day, self.derniere.month) == (1, 1, 31, 12)
            else f"du {date_lisible(self.premiere)} au {date_lisible(self.derniere)}"
        )
        raise ValidationError(
            f"{prefixe}{date_lisible(valeur)} n'est pas une date plausible ({bornes}).", code="date_invalide"
        )

    def __eq__(self, other):
        return isinstance(other, ValidateurDate) and (self.libelle, self.premiere, self.derniere) == (
            other.libelle,
            other.premiere,
            other.derniere,
        )


# --- numbers --------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Grandeur:
    """A kind of number and its domain."""

    code: str
    libelle: str  # "un effectif", used in the messages
    minimum: float
    maximum: float
    unite: str = ""


NOMBRE = Grandeur("nombre", "un nombre", -(10**12), 10**12)  # a figure of unknown kind
EFFECTIF = Grandeur("effectif", "un effectif", 0, 10**8)  # people, households, places, children…
MONTANT = Grandeur("montant", "un montant", 0, 999_999_999_999.99, " €")  # 14 digits with the cents: the columns
POURCENTAGE = Grandeur("pourcentage", "un pourcentage", 0, 100, " %")
PROPORTION = Grandeur("proportion", "une proportion", 0, 1)
# Places per 100 children under 3: above 100 where the places of a commune serve its neighbours' children too.
TAUX_COUVERTURE = Grandeur("taux_couverture", "un taux de couverture", 0, 1_000, " %")
# What no figure of CTG reaches, whatever its kind: a value stored or computed beyond it is not used.
MAGNITUDE_MAX = 10**15


def est_fini(valeur) -> bool:
    """A number that computations can use: not a boolean, not infinite nor NaN, convertible to a float."""
    if isinstance(valeur, bool) or not isinstance(valeur, int | float | Decimal):
        return False
    try:
        return math.isfinite(float(valeur))
    except OverflowError:  # an integer too large for a float
        return False


def probleme_nombre(valeur, grandeur: Grandeur = NOMBRE) -> str | None:
    """What is wrong with ``valeur`` as a number of this kind, in French, or None."""
    if isinstance(valeur, bool) or not isinstance(valeur, int | float | Decimal):
        return "nombre attendu"
    if isinstance(valeur, float | Decimal) and valeur != valeur:  # noqa: PLR0124 - NaN is not equal to itself
        return "valeur non numérique (NaN)"
    try:
        approche = float(valeur)
    except OverflowError:  # an integer too large for a float
        approche = math.inf if valeur > 0 else -math.inf
    infini = isinstance(valeur, float | Decimal) and not (isinstance(valeur, Decimal) and valeur.is_finite())
    if math.isinf(approche) and infini:
        return "nombre infini"
    if approche < grandeur.minimum:
        if grandeur.minimum == 0:
            return f"nombre négatif : {grandeur.libelle} ne peut pas être négatif"
        return f"nombre trop petit : {grandeur.libelle} vaut au moins {_nombre_fr(grandeur.minimum)}{grandeur.unite}"
    if approche > grandeur.maximum:
        return f"nombre trop grand : {grandeur.libelle} ne dépasse pas {_nombre_fr(grandeur.maximum)}{grandeur.unite}"
    return None


@deconstructible
class ValidateurNombre:
    """A form validator: the domain of a ``Grandeur``, the message naming the field."""

    def __init__(self, grandeur: Grandeur = NOMBRE, libelle: str = ""):
        self.grandeur, self.libelle = grandeur, libelle

    def __call__(self, valeur) -> None:
        if valeur is None:
            return
        probleme = probleme_nombre(valeur, self.grandeur)
        if probleme:
            prefixe = f"« {self.libelle} » : " if self.libelle else ""
            raise ValidationError(prefixe + probleme + ".", code="nombre_invalide")

    def __eq__(self, other):
        return isinstance(other, ValidateurNombre) and (self.grandeur, self.libelle) == (other.grandeur, other.libelle)


# --- errors of an import --------------------------------------------------------------------------------------

E = TypeVar("E")


def erreurs_max() -> int:
    """How many errors an import keeps and reports one by one (``CTG_IMPORT_ERREURS_MAX``); the others are
    counted."""
    return settings.CTG_IMPORT_ERREURS_MAX


class ErreursBornees(Generic[E]):
    """The errors of an import: the first ``maximum`` kept, every one counted (by ``categorie`` too, e.g. the
    column), so that a flood of bad rows never fills the memory."""

    def __init__(self, maximum: int | None = None):
        self.maximum = erreurs_max() if maximum is None else maximum
        self.gardees: list[E] = []
        self.total = 0
        self.non_gardees: Counter = Counter()

    def ajouter(self, erreur: E, categorie: str = "") -> None:
        self.total += 1
        if len(self.gardees) < self.maximum:
            self.gardees.append(erreur)
        else:
            self.non_gardees[categorie] += 1

    append = ajouter

    @property
    def reste(self) -> int:
        return self.total - len(self.gardees)

    def __len__(self) -> int:
        return self.total

    def __bool__(self) -> bool:
        return self.total > 0

    def __iter__(self) -> Iterator[E]:
        return iter(self.gardees)

    def resume_reste(self, par: str = "") -> str | None:
        """« … et N autres erreurs non détaillées. » (with the count per category when ``par`` names it), or None."""
        if not self.reste:
            return None
        s = "s" if self.reste > 1 else ""
        texte = f"… et {_nombre_fr(self.reste)} autre{s} erreur{s} non détaillée{s}"
        categories = [(c, n) for c, n in self.non_gardees.most_common() if c]
        if par and categories:
            texte += f" ({par} : " + ", ".join(f"« {c} » : {_nombre_fr(n)}" for c, n in categories) + ")"
        return texte + "."
