"""How the diagnostic's figures read, on the pages, in the exports and in the report (one place for all three)."""

from __future__ import annotations

from django.utils.formats import number_format

from .calcul import Resultat
from .catalogue import Indicateur
from .models import Etat

AVERTISSEMENT_DEMO = (
    "DONNÉES DE DÉMONSTRATION : les chiffres Caf de ce diagnostic sont FICTIFS (jeu de démonstration au format "
    "des fichiers data.caf.fr). Importez les fichiers réels pour un vrai diagnostic."
)


def nombre(valeur: float | None, decimales: int = 0) -> str:
    if valeur is None:
        return "—"
    return number_format(round(valeur, decimales), decimal_pos=decimales, force_grouping=True)


def texte_valeur(resultat: Resultat | None, ind: Indicateur, avec_unite: bool = False) -> str:
    """ "54,9", "secret", "—"; a value computed without every commune gets an asterisk."""
    if resultat is None or resultat.etat == Etat.ABSENT or (resultat.valeur is None and resultat.etat != Etat.SECRET):
        return "—"
    if resultat.etat == Etat.SECRET or resultat.valeur is None:
        return "secret"
    texte = nombre(resultat.valeur, ind.decimales)
    if avec_unite and ind.unite:
        texte += f" {ind.unite}"
    return texte + ("*" if resultat.etat == Etat.PARTIEL else "")


def texte_sources(resultat: Resultat | None) -> str:
    """ "s_ben_com_f 2023-12 (DEMONSTRATION_s_ben_com_f.csv)"… for the footnote of a figure."""
    if resultat is None:
        return ""
    vus = []
    for source in resultat.sources:
        texte = f"{source.get('dataset', '')} {source.get('periode', '')}".strip()
        if source.get("fichier"):
            texte += f" ({source['fichier']})"
        if texte not in vus:
            vus.append(texte)
    return " ; ".join(vus)


def valeur_brute(resultat: Resultat | None, ind: Indicateur):
    """The number for a spreadsheet (rounded as the indicator says), "secret", or empty."""
    if resultat is None or resultat.etat == Etat.ABSENT:
        return ""
    if resultat.etat == Etat.SECRET or resultat.valeur is None:
        return "secret"
    return round(resultat.valeur, ind.decimales) if ind.decimales else round(resultat.valeur)


def series_evolution(ind: Indicateur, territoire) -> dict[str, list[tuple[int, float | None]]] | None:
    """The points of an evolution chart: the territory's series, with its département's and France's for a rate
    (counts of different territories on one axis would mean nothing). None when there are fewer than two years."""
    from .calcul import serie
    from .catalogue import Agregation

    def points(niveau, code):
        return [(r.annee, r.valeur if r.utilisable else None) for r in serie(ind, niveau, code)]

    series = {territoire.nom: points(territoire.niveau, territoire.code)}
    if sum(1 for _, v in series[territoire.nom] if v is not None) < 2:
        return None
    if ind.agregation in (Agregation.RATIO, Agregation.OFFICIEL_OU_RATIO):
        if territoire.departement and territoire.niveau != "departement":
            series[territoire.departement_nom] = points("departement", territoire.departement)
        if territoire.niveau != "france":
            series["France"] = points("france", "FR")
    return series


def indicateur_de_carte(candidats, communes, annee):
    """The indicator a map of ``communes`` shows by default (the page's and the report's): the first of ``candidats``
    whose map has at least two classes, else the first with a value for some commune, else None."""
    from ctg.territoires.legende import classes_legende

    from .calcul import valeurs_communes

    premier_avec_valeur = None
    for ind in candidats:
        valeurs = [r.valeur for r in valeurs_communes(ind, communes, annee).values() if r.utilisable]
        if len(classes_legende(valeurs)) >= 2:
            return ind
        if valeurs and premier_avec_valeur is None:
            premier_avec_valeur = ind
    return premier_avec_valeur
