"""The service public de la petite enfance for each commune of an EPCI (rules in ``ctg.diagnostic.regles``)."""

from __future__ import annotations

from collections.abc import Iterable

from ctg.territoires.models import Commune, Epci

from ..regles import (
    categorie_sppe,
    obligations_sppe,
    population_reference_sppe,
)
from .commun import COMMUNE, EPCI

# --- service public de la petite enfance ----------------------------------------------------------------------


def sppe_communes(
    epci: str | Epci, transferees: Iterable[str] | None = None, ctg_tient_lieu_de_schema: bool | None = None
) -> list[dict]:
    """Per commune of an EPCI: its population, who is the autorité organisatrice, the category and the obligations
    that apply (rules and sources in ``ctg.diagnostic.regles``).

    ``transferees``: the communes that transferred the competence to the EPCI: the EPCI is their autorité
    organisatrice and the thresholds are read on the total of their populations (CASF L.214-1-3 III); by default,
    as the adhesions of the EPCI's convention record it (``conventions.adhesions.competences_transferees``).
    ``ctg_tient_lieu_de_schema``: whether the CTG covers the content of the schéma pluriannuel (CASF L.214-2 III,
    D.214-10-1): by default as the EPCI's convention says it; None when nobody said yet, and the obligation says on
    what it depends."""
    code = epci.code if isinstance(epci, Epci) else epci
    if transferees is None or ctg_tient_lieu_de_schema is None:
        from ctg.conventions.adhesions import competences_transferees, convention_de_reference

        reference = convention_de_reference(code)
        if transferees is None:
            transferees = competences_transferees(reference)
        if ctg_tient_lieu_de_schema is None and reference is not None:
            ctg_tient_lieu_de_schema = reference.tient_lieu_de_schema_sppe
    communes = list(
        Commune.objects.filter(epci_id=code)
        .order_by("-population", "nom")
        .values_list("code", "nom", "population", "population_annee")
    )
    populations = {c: pop for c, _nom, pop, _annee in communes}
    transferees = {c for c in transferees if c in populations}
    lignes = []
    for c, nom, pop, annee in communes:
        reference = population_reference_sppe(c, populations, transferees)
        lignes.append(
            {
                "code": c,
                "nom": nom,
                "population": pop,
                "population_annee": annee,
                "autorite": EPCI if c in transferees else COMMUNE,
                "population_reference": reference,
                "categorie": categorie_sppe(reference),
                "obligations": obligations_sppe(reference, ctg_tient_lieu_de_schema),
            }
        )
    return lignes
