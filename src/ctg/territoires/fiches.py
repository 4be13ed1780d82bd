"""One territory described as plain data: used by ``ctg territoire``, the pages and the API alike."""

from django.db.models import Count

from ctg.formats import trier_par_nom

from .models import Commune, Departement, Epci, ImportTerritoires
from .recherche import CODE_COMMUNE, CODE_DEPARTEMENT, CODE_EPCI


class TerritoireIntrouvable(Exception):
    pass


def mention_source() -> str:
    """Where the territories and populations shown come from, from the latest import."""
    try:
        dernier = ImportTerritoires.objects.latest()
    except ImportTerritoires.DoesNotExist:
        return "territoires non importés (lancez « ctg import_territoires »)"
    paquets = ", ".join(s.get("paquet", s.get("nom", "")) for s in dernier.sources) or dernier.source
    annee = f"population municipale {dernier.population_annee}, " if dernier.population_annee else ""
    return f"Code officiel géographique et contours : {paquets} ; {annee}importé le {dernier.date:%d/%m/%Y}"


def fiche_commune(commune: Commune, source: str) -> dict:
    return {
        "code": commune.code,
        "nom": commune.nom,
        "type": "commune",
        "type_libelle": "commune",
        "population": commune.population,
        "population_annee": commune.population_annee,
        "siren": commune.siren,
        "codes_postaux": commune.liste_codes_postaux,
        "epci": {"code": commune.epci.code, "nom": commune.epci.nom, "type_epci": commune.epci.type}
        if commune.epci
        else None,
        "departement": {"code": commune.departement.code, "nom": commune.departement.nom},
        "region": {"code": commune.region.code, "nom": commune.region.nom},
        "source": source,
    }


def communes_de_epci(epci: Epci) -> list[dict]:
    total = epci.population or 0
    return [
        {
            "code": c["code"],
            "nom": c["nom"],
            "population": c["population"],
            "part_epci": round(100 * c["population"] / total, 2) if total and c["population"] is not None else None,
        }
        for c in trier_par_nom(epci.communes.values("code", "nom", "population"), nom=lambda c: c["nom"])
    ]


def fiche_epci(epci: Epci, source: str) -> dict:
    departements = Departement.objects.filter(communes__epci=epci).annotate(n=Count("communes")).order_by("-n", "code")
    return {
        "code": epci.code,
        "nom": epci.nom,
        "type": "epci",
        "type_libelle": "EPCI",
        "type_epci": epci.type,
        "type_epci_libelle": epci.get_type_display(),
        "population": epci.population,
        "population_annee": epci.population_annee,
        "population_totale_cog": epci.population_totale,
        "departements": [{"code": d.code, "nom": d.nom} for d in departements],
        "communes": communes_de_epci(epci),
        "source": source,
    }


def fiche_departement(departement: Departement, source: str) -> dict:
    communes = departement.communes.all()
    populations = [p for p in communes.values_list("population", flat=True) if p is not None]
    annee = communes.exclude(population_annee=None).values_list("population_annee", flat=True).first()
    return {
        "code": departement.code,
        "nom": departement.nom,
        "type": "departement",
        "type_libelle": "département",
        "population": sum(populations) if populations else None,
        "population_annee": annee,
        "region": {"code": departement.region.code, "nom": departement.region.nom},
        "nombre_communes": communes.count(),
        "nombre_epci": communes.exclude(epci=None).values("epci").distinct().count(),
        "source": source,
    }


def fiche_territoire(code: str) -> dict:
    """The description of the commune, EPCI or département of code ``code``."""
    brut = (code or "").strip()
    code = brut.upper()
    source = mention_source()
    if CODE_EPCI.match(code):
        epci = Epci.objects.filter(code=code).first()
        if epci is None:
            raise TerritoireIntrouvable(f"Aucun EPCI de SIREN {code} dans le référentiel des territoires.")
        return fiche_epci(epci, source)
    if CODE_COMMUNE.match(code):
        commune = Commune.objects.select_related("epci", "departement", "region").filter(code=code).first()
        if commune is None:
            raise TerritoireIntrouvable(f"Aucune commune de code INSEE {code} dans le référentiel des territoires.")
        return fiche_commune(commune, source)
    if CODE_DEPARTEMENT.match(code):
        departement = Departement.objects.select_related("region").filter(code=code).first()
        if departement is None:
            raise TerritoireIntrouvable(f"Aucun département de code {code} dans le référentiel des territoires.")
        return fiche_departement(departement, source)
    raise TerritoireIntrouvable(
        f"Code « {brut} » mal formé : attendu un code INSEE de commune (5 caractères, ex. 59122 ou 2A004), "
        "un SIREN d'EPCI (9 chiffres, ex. 200068500) ou un code de département (ex. 59, 2A, 971)."
    )
