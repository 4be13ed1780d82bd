"""A convention described in JSON, so that a Caf can set up (or move) its dozens of CTGs at once.

``exporter(convention)`` gives the description of a convention; ``importer(donnees)`` creates or updates the
convention a description names; ``lire_fichier(chemin)`` reads a file holding one description or a list of them,
and ``importer_liste`` / ``importer_fichier`` import such a list in one transaction. ``ctg convention_export`` and
``ctg convention_import`` are the command-line side.

Format ``ctg-convention``, version 1 (UTF-8; dates in ISO 8601, ``AAAA-MM-JJ``; codes as in ``models``)::

    {
      "format": "ctg-convention",                 # obligatoire
      "version": 1,                               # obligatoire
      "note": "texte libre",                      # facultatif, ignoré à l'import (pas enregistré)
      "caf": {"departement": "59",                # obligatoire : code du département (COG) de la Caf
              "nom": "Caf du Nord",               # nom de la Caf (par défaut « Caf du Nord », « Caf de l'Ain »…)
              "tribunal_administratif": "Tribunal administratif de Lille"},
      "epci": {"siren": "200068500",              # obligatoire : SIREN de l'EPCI signataire
               "nom": "CA de Cambrai"},           # informatif, ignoré à l'import
      "titre": "Convention territoriale globale",
      "date_debut": "2022-01-01",                 # obligatoire
      "date_fin": "2026-12-31",                   # au plus tard le 31/12 de N+4 ; par défaut cette date-là
      "statut": "signee",                         # brouillon | signee | en_vigueur | expiree | resiliee
      "date_signature": "2021-12-21",             # obligatoire hors brouillon, null en brouillon
      "domaines": ["petite_enfance", "enfance", …],
      "ctes": {"identifiant": "059-200068500-20211221-D2021_12_10_01-CC",   # ou null
               "envoye_prefecture_le": "2021-12-21", "recu_prefecture_le": "2021-12-21", "affiche_le": null},
      "deliberation": {"instance": "conseil_communautaire", "date": "2021-12-10", "numero": "D2021_12_10_01"},
      "annexe1": "diagnostic_type",               # diagnostic_type | diagnostic_partage
      "chef_projet": {"nom": "Fanton", "fonction": "Directrice de la stratégie territoriale"},
      "diagnostic_valide_le": null,
      "objectifs_identifies_le": null,
      "visas": ["Vu …", …],                       # dans l'ordre
      "signataires": [{"partie": "caf", "ordre": 1, "civilite": "Madame", "prenom": "Lydie", "nom": "Librizzi",
                       "qualite": "president_ca", "qualite_autre": ""}, …],
      "avenants": [{"numero": 1, "date": "2023-06-30", "objet": "…", "signataires": "…", "ctes_identifiant": ""}],
      "adhesions": [{"commune": "59122", "nom": "Cambrai",   # code INSEE ; le nom est informatif
                     "statut": "adheree",                     # en_attente | adheree | refusee
                     "maire": {"civilite": "Monsieur", "prenom": "…", "nom": "…"},
                     "date_deliberation": "2022-03-01", "ancienne_commune_cej": true, "commentaire": ""}, …],
      "resiliation": null                         # ou {"mode", "date_envoi", "date_effet", "initiative", "motif"}
    }

Import rules:

- The convention is the one with the file's @ctes identifier when it has one, otherwise the one of the same Caf,
  EPCI and start date; when there is none, it is created (draft, default visas, one pending adhesion per member
  commune, as ``cycle.creer_convention`` does), then completed from the file.
- A key left out keeps the convention's current value (or takes the default value on creation); ``null`` empties
  a field that may be empty. ``visas`` and ``signataires``, when given, are the complete lists. ``avenants`` (by
  their ``numero``) and ``adhesions`` (by their ``commune``) are created or updated; the ones the file does not
  name are kept. A member commune of the EPCI without an adhesion gets a pending one. ``"resiliation": null``
  removes a recorded termination.
- A change of ``statut`` is recorded in the convention's history (``Transition``).
- Every error of every convention is collected before anything is written, and reported with its place in the
  file (``[2].signataires[1].civilite : …``); if there is one, nothing is written at all. The shape of a description
  is checked by pydantic models (``schema``: their errors said in French), what it names and the rules of a
  convention by ``validation`` and ``regles``.
- Exporting, importing and exporting again gives the same JSON; importing the same file twice changes nothing.
- Bounded: a file larger than ``CTG_ECHANGE_TAILLE_MAX`` is not read; nesting deeper than
  ``CTG_ECHANGE_PROFONDEUR_MAX`` is refused before parsing (with its line and column); numbers of more than 30
  characters, NaN and infinities are refused; every text follows ``ctg.saisie`` (no control character, tab and line
  breaks allowed in the long texts only; a visa at most 2,000 characters); every date is between 1900 and 2100.
"""

from .commun import FORMAT, MOTIF_IMPORT, VERSION, ErreurEchange, Resultat
from .export import exporter, vers_json
from .importation import importer, importer_fichier, importer_liste
from .lecture import charger_json, lire_fichier, profondeur_max, taille_max

__all__ = [
    "FORMAT",
    "MOTIF_IMPORT",
    "VERSION",
    "ErreurEchange",
    "Resultat",
    "charger_json",
    "exporter",
    "importer",
    "importer_fichier",
    "importer_liste",
    "lire_fichier",
    "profondeur_max",
    "taille_max",
    "vers_json",
]
