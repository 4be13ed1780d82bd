"""The diagnostic table by commune, for the CSV and XLSX exports (``ctg.documents.tableurs``)."""

from __future__ import annotations

from ctg.formats import trier_par_nom

from .calcul import valeurs_communes
from .presentation import valeur_brute


def tableau_communes(epci, indicateurs, annee=None) -> tuple[list[str], list[list], bool]:
    """One row per commune of the EPCI, one column per indicator (with its year and unit in the header)."""
    communes = trier_par_nom(epci.communes.values_list("code", "nom", "population"), nom=lambda c: c[1])
    codes = [c for c, _, _ in communes]
    colonnes = [(ind, valeurs_communes(ind, codes, annee)) for ind in indicateurs]
    entetes = ["Code INSEE", "Commune", "Population municipale 2023"]
    for ind, resultats in colonnes:
        annees = sorted({r.annee for r in resultats.values() if r.annee})
        entetes.append(f"{ind.libelle} ({ind.unite}, {'/'.join(map(str, annees)) or 'pas de donnée'})")
    demonstration = any(r.demonstration for _, resultats in colonnes for r in resultats.values())
    entetes.append("Données de démonstration (fictives)")
    lignes = []
    for code, nom, population in communes:
        ligne = [code, nom, population if population is not None else ""]
        ligne += [valeur_brute(resultats[code], ind) for ind, resultats in colonnes]
        ligne.append("oui" if any(resultats[code].demonstration for _, resultats in colonnes) else "non")
        lignes.append(ligne)
    return entetes, lignes, demonstration
