"""Computing the indicators of the catalogue for any territory and year.

Everything goes through a ``Moteur``: it loads, once per dataset and year, the observations of the communes
in its scope (all of France for ``calculer_tout``, one EPCI, one département or a few communes on demand)
and the map of those communes (EPCI, département, population), then aggregates in Python dictionaries —
never one query per territory.

Rules:

- a level's figure comes from that level's own file when there is one (data.caf.fr publishes some at EPCI,
  département and national levels: ``nbpla_pe_dep``, ``txcouv_pe_nat``…); else France's is the sum of the
  départements' file when there is one (there is no national places file), else the sum of the communes;
- a rate (``ratio``) is Σ numérateur ÷ Σ dénominateur × facteur over the communes where both are known,
  never a mean of the communes' rates;
- ``officiel_ou_ratio``: the rate published for the territory's level when there is one, else a ``ratio``;
- a sum is ``disponible`` only when every unit summed (every member commune, every département of France) has a
  value; secrecy (a ``null`` value) is never a zero: the sum runs over the known units and the value is
  ``partiel`` (so is a value with units missing from the file); all secret → ``secret``; nothing → ``absent``;
- a partial sum is never shown as the total: it carries its coverage, the share of the territory's population
  (population municipale of the COG) living in the units whose figures entered it (``Resultat.couverture``,
  ``Resultat.somme``, and ``etat_libelle`` says it in words);
- the indicator's year is the year of its numerator's dataset (exact); a denominator from another dataset
  takes its nearest vintage (the latest not after the year, else the earliest), shown in the sources.

The package, by layer: ``commun`` (levels, marks), ``resultats`` (a figure, its state and coverage),
``observations`` (what a computation reads, and the memory of what derives from the data), ``moteur`` (the
aggregation), ``stockage`` (storing, and computing again after an import), ``lecture`` (a territory's figures for the
pages), ``sppe``.

Values of EPCI, départements and France are stored by ``calculer_tout`` (``ctg calculer_indicateurs``), and again
after each import for the indicators that read the imported dataset (``recalculer_apres_import``, connected to
``ctg.donnees.signaux.observations_importees``); communes are computed on demand. Reading functions use the stored
values and compute what is missing.
"""

from .commun import COMMUNE, DEPARTEMENT, EPCI, FRANCE, MANQUANT, NIVEAUX_STOCKES, SECRET
from .lecture import (
    Territoire,
    comparaison,
    serie,
    tableau_territoire,
    trouver_territoire,
    valeur,
    valeurs_communes,
    valeurs_territoire,
)
from .moteur import Moteur
from .observations import (
    _MEMOIRE_DES_DONNEES,
    _version_donnees,
    annees_indicateur,
    annees_par_dataset,
    memorise_avec_les_donnees,
    millesime,
    requete_commencee,
    requete_finie,
    version_perimee,
)
from .resultats import Resultat
from .sppe import sppe_communes
from .stockage import calculer_tout, indicateurs_lisant, lectures, recalculer_apres_import, recalculer_jeu

__all__ = [
    "COMMUNE",
    "DEPARTEMENT",
    "EPCI",
    "FRANCE",
    "MANQUANT",
    "NIVEAUX_STOCKES",
    "SECRET",
    "_MEMOIRE_DES_DONNEES",
    "_version_donnees",
    "Moteur",
    "Resultat",
    "Territoire",
    "annees_indicateur",
    "annees_par_dataset",
    "calculer_tout",
    "comparaison",
    "indicateurs_lisant",
    "lectures",
    "memorise_avec_les_donnees",
    "millesime",
    "recalculer_apres_import",
    "recalculer_jeu",
    "requete_commencee",
    "requete_finie",
    "serie",
    "sppe_communes",
    "tableau_territoire",
    "trouver_territoire",
    "valeur",
    "valeurs_communes",
    "valeurs_territoire",
    "version_perimee",
]
