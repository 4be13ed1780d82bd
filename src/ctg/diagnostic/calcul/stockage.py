"""Storing the figures of EPCI, départements and France, and computing them again after an import."""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable

from django.db import connection, transaction
from django.db.models import Q

from ctg import horloge
from ctg.donnees.models import CODE_FRANCE
from ctg.territoires.fiches import TerritoireIntrouvable
from ctg.territoires.models import Departement, Zone

from ..catalogue import (
    CATALOGUE,
    TERRITOIRES,
    Agregation,
    Indicateur,
    indicateur,
)
from ..models import ValeurIndicateur
from .commun import DEPARTEMENT, EPCI, FRANCE, NIVEAUX_STOCKES, TAUX_REFERENCE, journal
from .moteur import Moteur
from .observations import _MEMOIRE_DES_DONNEES
from .resultats import Resultat

# --- storing everything ----------------------------------------------------------------------------------------


_COLONNES = (
    "indicateur",
    "niveau",
    "code",
    "annee",
    "valeur",
    "numerateur",
    "denominateur",
    "etat",
    "demonstration",
    "sources",
    "calculee_le",
)


def _inserer(resultats: list[Resultat]) -> None:
    """Write results: COPY on PostgreSQL, a plain executemany on SQLite (bulk_create spends most of its time preparing
    values)."""
    champs = {f.attname: f for f in ValeurIndicateur._meta.concrete_fields if not f.primary_key}
    if set(champs) != set(_COLONNES) or champs["sources"].encoder is not None:  # the model changed: the safe way
        ValeurIndicateur.objects.bulk_create([r.vers_modele() for r in resultats], batch_size=1000)
        return
    maintenant = connection.ops.adapt_datetimefield_value(horloge.maintenant())
    # The JSON text, as the field would write it on both databases (its encoder is the default one): COPY takes it on
    # PostgreSQL, the INSERT on SQLite.
    sources = json.dumps
    table = connection.ops.quote_name(ValeurIndicateur._meta.db_table)
    colonnes = ", ".join(connection.ops.quote_name(champs[c].column) for c in _COLONNES)
    marques = ", ".join(["%s"] * len(_COLONNES))
    # Bandit B608 accepted: the table and column names come from the model, quoted; the values are parameters.
    requete = f"INSERT INTO {table} ({colonnes}) VALUES ({marques})"  # nosec B608
    lignes = [
        (
            r.indicateur,
            r.niveau,
            r.code,
            r.annee,
            r.valeur,
            r.numerateur,
            r.denominateur,
            str(r.etat),
            r.demonstration,
            sources(r.sources),
            maintenant,
        )
        for r in resultats
    ]
    with connection.cursor() as curseur:
        if connection.vendor == "postgresql":  # psycopg 3's COPY: one stream instead of one statement per row
            with curseur.copy(f"COPY {table} ({colonnes}) FROM STDIN") as copie:
                for ligne in lignes:
                    copie.write_row(ligne)
            return
        for debut in range(0, len(lignes), 5000):
            curseur.executemany(requete, lignes[debut : debut + 5000])


def calculer_tout(
    annees: Iterable[int] | None = None,
    progression: bool = False,
    indicateurs: Iterable[str | Indicateur] | None = None,
) -> dict:
    """Compute and store every indicator for every EPCI, département (metropolitan and DROM) and France.

    For each indicator (or only ``indicateurs``), every year of its data (or only ``annees``). Existing values of
    those indicators and years are replaced in one transaction, values of years no longer in the data included.
    Returns the figures of the run.
    """
    inds = list(CATALOGUE) if indicateurs is None else [indicateur(i) for i in indicateurs]
    filtre_annees = None if annees is None else set(annees)
    # Everything of those indicators and years; with every indicator, also the values of a code no longer in it.
    effacer = Q() if indicateurs is None else Q(indicateur__in=[i.code for i in inds])
    if filtre_annees is not None:
        effacer &= Q(annee__in=filtre_annees)
    return _calculer_et_enregistrer(
        {ind: None if filtre_annees is None else filtre_annees for ind in inds}, effacer, progression
    )


def _calculer_et_enregistrer(voulues: dict[Indicateur, set[int] | None], effacer: Q, progression: bool) -> dict:
    """Compute ``voulues`` (indicator -> the years to compute, None for all its years) for every stored level and
    replace, in one transaction, the stored values that ``effacer`` selects (at the stored levels) by the results."""
    from tqdm import tqdm

    debut = time.monotonic()
    moteur = Moteur()
    if not moteur.carte.communes:
        raise TerritoireIntrouvable("Territoires non importés : lancez d'abord « ctg import_territoires ».")
    taches = []
    for ind in CATALOGUE:  # in catalogue order within a year: the reference rate before the gaps
        if ind not in voulues:
            continue
        for annee in moteur.annees(ind):
            if voulues[ind] is None or annee in voulues[ind]:
                taches.append((annee, ind))
    taches.sort(key=lambda t: t[0])  # stable
    derniere_utilisation = {}
    for i, (annee, ind) in enumerate(taches):
        for besoin in moteur.datasets_utilises(ind, annee):
            derniere_utilisation[besoin] = i

    codes = {
        EPCI: sorted(moteur.carte.groupes(EPCI)),
        DEPARTEMENT: sorted(d for d in Departement.objects.exclude(zone=Zone.COM).values_list("code", flat=True)),
        FRANCE: [CODE_FRANCE],
    }
    etats: Counter[str] = Counter()
    demonstration = False
    ecrites = 0
    with transaction.atomic():
        ValeurIndicateur.objects.filter(effacer, niveau__in=NIVEAUX_STOCKES).delete()
        for i, (annee, ind) in enumerate(tqdm(taches, disable=not progression, unit="indicateur", desc="Calcul")):
            lignes = []
            for niveau in NIVEAUX_STOCKES:
                for r in moteur.calculer(ind, annee, niveau, codes[niveau]).values():
                    etats[r.etat] += 1
                    demonstration = demonstration or r.demonstration
                    lignes.append(r)
            _inserer(lignes)
            ecrites += len(lignes)
            for besoin, derniere in derniere_utilisation.items():
                if derniere == i:
                    moteur.entrepot.oublier(*besoin)
    hors = Counter()
    for (dataset, _annee), n in moteur.entrepot.hors_referentiel.items():
        hors[dataset] += n
    return {
        "indicateurs": len({ind.code for _a, ind in taches}),
        "annees": sorted({a for a, _ind in taches}),
        "calculs": len(taches),
        "territoires": {niveau: len(c) for niveau, c in codes.items()},
        "valeurs": ecrites,
        "etats": {str(e): n for e, n in etats.items()},
        "demonstration": demonstration,
        "communes_hors_referentiel": {d: n for d, n in hors.items() if n},
        "duree": round(time.monotonic() - debut, 2),
    }


# --- after an import ---------------------------------------------------------------------------------------------


def lectures(ind: str | Indicateur) -> dict[str, bool]:
    """The datasets an indicator reads (the territories apart): dataset -> read at the indicator's own year (True) or
    at its nearest vintage, whatever the year (False). A gap also reads what its reference rate reads."""
    ind = indicateur(ind)
    lus: dict[str, bool] = {}
    for terme in (ind.officiel, ind.numerateur, ind.denominateur):
        if terme is None or terme.dataset == TERRITOIRES:
            continue
        lus[terme.dataset] = lus.get(terme.dataset, False) or terme.dataset in ind.datasets_principaux
    if ind.agregation == Agregation.ECART:
        for dataset, exact in lectures(TAUX_REFERENCE).items():
            lus[dataset] = lus.get(dataset, False) or exact
    return lus


def indicateurs_lisant(dataset: str) -> list[Indicateur]:
    """The indicators of the catalogue that read ``dataset``, in catalogue order."""
    return [ind for ind in CATALOGUE if dataset in lectures(ind)]


def recalculer_jeu(dataset: str, annees: Iterable[int] | None = None) -> dict | None:
    """Compute again and store the indicators that read ``dataset``, after its observations of ``annees`` (None: of
    any year) changed: those that read it at their own year, for those years; those that take its nearest vintage,
    for every year (any of them may have taken it). None when no indicator reads it."""
    annees = None if annees is None else set(annees)
    exactes, toutes = [], []
    for ind in indicateurs_lisant(dataset):
        (exactes if lectures(ind)[dataset] and annees is not None else toutes).append(ind)
    if not exactes and not toutes:
        return None
    voulues: dict[Indicateur, set[int] | None] = {ind: annees for ind in exactes} | {ind: None for ind in toutes}
    effacer = Q(indicateur__in=[i.code for i in toutes])
    if exactes:
        effacer |= Q(indicateur__in=[i.code for i in exactes], annee__in=annees)
    return _calculer_et_enregistrer(voulues, effacer, progression=False)


def recalculer_apres_import(sender=None, bilan=None, **kwargs) -> dict | None:
    """Receiver of ``ctg.donnees.signaux.observations_importees``: after a committed import (or its undo), the stored
    values of the indicators that read the dataset are computed again, so that no page shows the figures of before
    the import until someone runs ``ctg calculer_indicateurs``.

    Nothing for a simulation or a file already imported. Nothing either when none of those indicators has a stored
    value (a first import, the demonstration being loaded): they are computed on demand, nothing stale can be read,
    and ``ctg calculer_indicateurs`` stores them all at once. Nor before the territories are imported."""
    if bilan is None or getattr(bilan, "simulation", False) or getattr(bilan, "deja_importe", False):
        return None
    dataset = getattr(bilan, "jeu", "") or getattr(bilan, "dataset", "")
    if not dataset:
        return None
    # An undo leaves the version of the data unchanged (the file stays in the history): forget what derives from it.
    _MEMOIRE_DES_DONNEES.clear()
    codes = [ind.code for ind in indicateurs_lisant(dataset)]
    if not codes or not ValeurIndicateur.objects.filter(indicateur__in=codes, niveau__in=NIVEAUX_STOCKES).exists():
        return None
    annees = set()
    for periode in getattr(bilan, "periodes", None) or []:
        try:
            annees.add(int(str(periode)[:4]))
        except ValueError:
            annees = None
            break
    try:
        resultat = recalculer_jeu(dataset, annees or None)
    except TerritoireIntrouvable:
        return None
    if resultat is not None:
        journal.info(
            "Indicateurs recalculés après l'import de %s : %s calculs, %s valeurs en %s s",
            dataset,
            resultat["calculs"],
            resultat["valeurs"],
            resultat["duree"],
        )
    return resultat
