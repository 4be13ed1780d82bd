"""The diagnostic tables for the CSV and XLSX exports (``ctg.documents.tableurs``): by commune, and the key
figures of a territory (the page's "Chiffres clés" table, same columns)."""

from __future__ import annotations

from ctg.documents.tableurs import TableauExporte, nombre
from ctg.formats import cle_alphabetique, trier_par_nom

from .calcul import valeurs_communes
from .presentation import AVERTISSEMENT_DEMO, texte_sources, valeur_brute


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


def entetes_communes_indicateur(ind) -> list[str]:
    """The columns of an EPCI's "Communes" table: the commune, its population, the indicator chosen on the page."""
    return ["Commune", nombre("Population"), nombre(f"{ind.libelle} ({ind.unite})")]


# the sort of each column of the "Communes" table (``?tri=``), in order, and the order of its first click
TRIS_COMMUNES = [("nom", "asc"), ("population", "desc"), ("valeur", "desc")]


def trier_communes(lignes: list[dict], tri: str, ordre: str) -> list[dict]:
    """The communes of the table in the order chosen on the page: by name, population or value (none last)."""
    inverse = ordre == "desc"
    if tri == "nom":
        return sorted(lignes, key=lambda ligne: cle_alphabetique(ligne["nom"]), reverse=inverse)
    cle = "population" if tri == "population" else "tri"
    return sorted(lignes, key=lambda ligne: (ligne[cle] is None, -(ligne[cle] or 0) if inverse else (ligne[cle] or 0)))


def communes_indicateur(epci, ind, lignes: list[dict], demonstration: bool) -> TableauExporte:
    """An EPCI's "Communes" table as its page shows it: the chosen indicator, in the page's order."""
    return TableauExporte(
        f"Diagnostic {epci.nom} — {ind.libelle}",
        entetes_communes_indicateur(ind),
        [
            [c["nom"], "" if c["population"] is None else c["population"], valeur_brute(c["resultat"], ind)]
            for c in lignes
        ],
        f"diagnostic-{epci.code}-{ind.code}",
        AVERTISSEMENT_DEMO if demonstration else "",
        "Communes",
    )


def communes_domaine(epci, domaine: str, libelle_domaine: str, indicateurs, annee=None) -> TableauExporte:
    """Every indicator of a domain for each commune of an EPCI: the wider export (« tous les indicateurs »)."""
    entetes, lignes, demonstration = tableau_communes(epci, indicateurs, annee)
    return TableauExporte(
        f"Diagnostic {epci.nom} — {libelle_domaine}",
        entetes,
        lignes,
        f"diagnostic-{epci.code}-{domaine}",
        AVERTISSEMENT_DEMO if demonstration else "",
        "Communes",
    )


def entetes_indicateurs(territoire) -> list[str]:
    """The headers of the key figures: the territory, its département (for an EPCI or a commune), France."""
    avec_departement = territoire.departement_nom and territoire.niveau != "departement"
    noms = [territoire.nom] + ([territoire.departement_nom] if avec_departement else []) + ["France"]
    return ["Indicateur", *[nombre(n) for n in noms], "Unité", "Année", "Source"]


def tableau_indicateurs(tableau: dict, lignes_domaine: list[dict], libelle_domaine: str) -> TableauExporte:
    """The key figures of a territory for one domain, as the page's table shows them (numbers unformatted)."""
    territoire = tableau["territoire"]
    entetes = entetes_indicateurs(territoire)
    avec_departement = len(entetes) == 7
    lignes = []
    for ligne in lignes_domaine:
        ind, r = ligne["indicateur"], ligne["valeur"]
        valeurs = [r] + ([ligne["departement"]] if avec_departement else []) + [ligne["france"]]
        lignes.append(
            [ind.libelle, *[valeur_brute(v, ind) for v in valeurs], ind.unite, r.annee or "", texte_sources(r)]
        )
    return TableauExporte(
        f"Chiffres clés — {territoire.nom} — {libelle_domaine}",
        entetes,
        lignes,
        f"chiffres-cles-{territoire.code}-{lignes_domaine[0]['indicateur'].domaine if lignes_domaine else ''}",
        AVERTISSEMENT_DEMO if tableau["demonstration"] else "",
        "Chiffres clés",
    )


ENTETES_BESOINS = ["Priorité", "Domaine", "Besoin", "Public", "Communes", "Indicateurs"]


def besoins_de(diagnostic):
    return diagnostic.besoins.prefetch_related("communes")


def besoins(convention, liste) -> TableauExporte:
    """The needs identified by the convention's diagnostic, as its page lists them."""
    from ctg.conventions.models import Domaine

    libelles = dict(Domaine.choices)
    lignes = []
    for b in liste:
        besoin = f"{b.intitule}\n{b.description}" if b.description else b.intitule
        communes = ", ".join(c.nom for c in b.communes.all()) or "tout le territoire"
        indicateurs = ", ".join(b.libelles_indicateurs) or "—"
        lignes.append(
            [b.get_priorite_display(), libelles.get(b.domaine, ""), besoin, b.public or "—", communes, indicateurs]
        )
    return TableauExporte(
        f"Besoins identifiés — {convention.epci.nom}",
        ENTETES_BESOINS,
        lignes,
        f"besoins-{convention.pk}",
        feuille="Besoins",
    )


# --- the territories' tables (``ctg.territoires.tableaux``: their columns and rows; open data) ---------------------


def _entetes(colonnes) -> list[str]:
    return [nombre(libelle) if numerique else libelle for libelle, numerique in colonnes]


def _vide(valeur):
    return "" if valeur is None else valeur


def entetes_communes_epci() -> list[str]:
    from ctg.territoires.tableaux import COLONNES_COMMUNES

    return _entetes([(libelle, numerique) for _, libelle, numerique in COLONNES_COMMUNES])


def communes_epci(epci, lignes: list[dict]) -> TableauExporte:
    """The communes of an intercommunalité as its territory page lists them."""
    return TableauExporte(
        f"Communes de {epci.nom}",
        entetes_communes_epci(),
        [[c["nom"], c["code"], _vide(c["population"]), _vide(c["part_epci"])] for c in lignes],
        f"communes-{epci.code}",
        feuille="Communes",
    )


def entetes_intercommunalites() -> list[str]:
    from ctg.territoires.tableaux import COLONNES_EPCI

    return _entetes(COLONNES_EPCI)


def intercommunalites(departement, epcis) -> TableauExporte:
    """The intercommunalités of a département as its territory page lists them."""
    return TableauExporte(
        f"Intercommunalités présentes — {departement.nom} ({departement.code})",
        entetes_intercommunalites(),
        [[e.nom, e.type, _vide(e.population)] for e in epcis],
        f"intercommunalites-{departement.code}",
        feuille="Intercommunalités",
    )
