"""Import of an open-data file (data.caf.fr, Insee, ``iris_pop``) into ``Fichier`` and ``Observation`` rows.

``importer_fichier`` reads and checks the whole file first and collects every problem with its file, line and
column (encoding, separator, header, numbers, dates, territory codes, duplicates). Only a clean file is written,
in one transaction: one ``Fichier`` (provenance, SHA-256, periods, bilan) and its observations.

Rules:

- an empty cell is a blank of the source (Caf statistical secrecy): stored as ``None``, never 0;
- commune ``99999`` (abroad), ``XXXXX`` or ``59XXX`` (not located), an empty commune code (allocataires the Caf
  could not place), the placeholder rows ``XX`` / ``XXX`` (communes outside any EPCI) are left out and counted;
  a well-formed code unknown to the territories app is an error, unless ``ignorer_inconnus``
  (``--ignorer-inconnus``): then it is left out and counted;
- the arrondissements municipaux of Paris, Lyon and Marseille (which the territories app does not hold) are
  summed into their city (``_regrouper``): counts and amounts added, a blank in any arrondissement makes the
  city's value unknown, rates computed again from their numerator and denominator when the file has both, else
  not given; the city's own row, when the file has one, wins; a city whose arrondissements are not all in the
  file gets nothing from them (never a partial sum);
- an Insee IRIS file is summed by commune, and the sums rounded to the unit at the end (never each IRIS);
- the same file (same dataset and SHA-256) imported again changes nothing; a new file of the same
  dataset/territory/period updates those observations; a new vintage adds rows beside the old ones;
- observations left identical by a newer file now point at it (the newest file that carries them); a
  demonstration file never replaces the values of a real one;
- once a real import is committed, ``signaux.observations_importees`` is sent with its bilan.
"""

from .bilan import ECARTS, Bilan, Erreur, ErreurImport
from .ecriture import importer_fichier
from .flux import decoder, lignes_max, taille_max
from .lecture import lire_fichier
from .valeurs import nombre, periode_annee, periode_mois, separateur

__all__ = [
    "ECARTS",
    "Bilan",
    "Erreur",
    "ErreurImport",
    "decoder",
    "importer_fichier",
    "lignes_max",
    "lire_fichier",
    "nombre",
    "periode_annee",
    "periode_mois",
    "separateur",
    "taille_max",
]
