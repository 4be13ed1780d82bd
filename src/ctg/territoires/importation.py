"""Import of the territories snapshot (``data/territoires/``) or of any directory in the same format.

The format, written by ``data/construire_territoires.py``: UTF-8 CSV files separated by ``;``:

- ``regions.csv``: code;nom;zone
- ``departements.csv``: code;nom;region;zone;type_liaison (INSEE "TNCC": which article the name takes)
- ``epci.csv``: code;nom;type;mode_financement;population_totale
- ``communes.csv``: code;nom;departement;region;epci;siren;codes_postaux;population;zone
- ``communes_formes.csv.gz``: code;geojson (optional)
- ``epci_formes.csv.gz``, ``departements_formes.csv.gz``: code;empreinte;geojson (optional), the shapes of the
  EPCI and départements computed when the snapshot was built (``ctg.territoires.formes``)
- ``sources.json``: population vintage, public sources and SHA-256 checksums of the files (optional)

The whole source is read and checked before anything is written; the database is then brought to
match it in one transaction. EPCI and département shapes are the union of their communes' shapes,
written only when their composition or one of their communes' shapes changed: taken from the source's
precomputed shapes when these were computed from the same communes, else computed here.
"""

from __future__ import annotations

import csv
import gzip
import hashlib
import io
import json
import operator
import re
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import shapely
from django.db import connection, transaction
from tqdm import tqdm

from . import formes
from .models import Commune, Departement, Epci, ImportTerritoires, Region, Zone
from .recherche import cle_recherche

FICHIERS = {
    "regions.csv": ["code", "nom", "zone"],
    "departements.csv": ["code", "nom", "region", "zone", "type_liaison"],
    "epci.csv": ["code", "nom", "type", "mode_financement", "population_totale"],
    "communes.csv": ["code", "nom", "departement", "region", "epci", "siren", "codes_postaux", "population", "zone"],
}
FORMES = "communes_formes.csv.gz"
FORMES_AGREGEES = formes.FICHIERS  # {"epci": "epci_formes.csv.gz", "departements": "departements_formes.csv.gz"}
META = "sources.json"
MAX_ERREURS = 50

RE_REGION = re.compile(r"^\d{2,3}$")
RE_DEPARTEMENT = re.compile(r"^(\d{2}|2[AB]|9[78]\d)$")
RE_EPCI = re.compile(r"^\d{9}$")
RE_COMMUNE = re.compile(r"^(\d{5}|2[AB]\d{3})$")
RE_CODES_POSTAUX = re.compile(r"^(\d{5}( \d{5})*)?$")
ZONES = set(Zone.values)
TYPES_EPCI = set(Epci.Type.values)
TYPES_LIAISON = {str(n) for n in range(9)}


class ErreurImport(Exception):
    """The source cannot be imported; ``erreurs`` lists every problem found, with file and line."""

    def __init__(self, erreurs: list[str]):
        self.erreurs = erreurs
        super().__init__("\n".join(erreurs))


@dataclass
class Compte:
    crees: int = 0
    modifies: int = 0
    inchanges: int = 0
    supprimes: int = 0

    def as_dict(self):
        return {
            "crees": self.crees,
            "modifies": self.modifies,
            "inchanges": self.inchanges,
            "supprimes": self.supprimes,
        }


@dataclass
class Bilan:
    regions: Compte = field(default_factory=Compte)
    departements: Compte = field(default_factory=Compte)
    epci: Compte = field(default_factory=Compte)
    communes: Compte = field(default_factory=Compte)
    communes_deplacees: int = 0
    contours_recalcules: int = 0  # EPCI and département shapes written
    contours_calcules: int = 0  # of which computed by this import (the others came precomputed with the source)
    simulation: bool = False

    def as_dict(self):
        return {
            "regions": self.regions.as_dict(),
            "departements": self.departements.as_dict(),
            "epci": self.epci.as_dict(),
            "communes": self.communes.as_dict(),
            "communes_deplacees": self.communes_deplacees,
            "contours_recalcules": self.contours_recalcules,
            "contours_calcules": self.contours_calcules,
            "simulation": self.simulation,
        }

    @property
    def changements(self) -> int:
        return sum(
            c.crees + c.modifies + c.supprimes for c in (self.regions, self.departements, self.epci, self.communes)
        )


@dataclass
class Source:
    dossier: Path
    regions: dict[str, dict]
    departements: dict[str, dict]
    epci: dict[str, dict]
    communes: dict[str, dict]
    population_annee: int | None
    empreintes: dict[str, str]
    sources: list
    # {"epci"|"departements": {code: (fingerprint of the member communes, GeoJSON)}}, from FORMES_AGREGEES
    formes_agregees: dict[str, dict[str, tuple[str, str]]] = field(default_factory=dict)


def _sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


class _Lecteur:
    """Reads one CSV file of the source and collects its errors with their line numbers."""

    def __init__(self, dossier: Path, nom: str, erreurs: list[str]):
        self.nom = nom
        self.chemin = dossier / nom
        self.erreurs = erreurs

    def erreur(self, ligne: int | None, message: str) -> None:
        lieu = f"{self.nom}, ligne {ligne}" if ligne else self.nom
        self.erreurs.append(f"{lieu} : {message}")

    def lignes(
        self, colonnes: list[str], texte: io.TextIOBase, progression: tqdm | None = None
    ) -> Iterator[tuple[int, dict]]:
        reader = csv.reader(texte, delimiter=";", strict=True)
        try:
            entete = next(reader, None)
            if entete is None:
                self.erreur(None, "fichier vide (l'en-tête est attendu en ligne 1)")
                return
            entete = [c.lstrip("\ufeff").strip() for c in entete]
            manquantes = [c for c in colonnes if c not in entete]
            if manquantes:
                self.erreur(
                    1,
                    f"colonne(s) manquante(s) : {', '.join(manquantes)} ; en-tête attendu « {';'.join(colonnes)} »"
                    + (" (le séparateur doit être « ; »)" if len(entete) == 1 and "," in entete[0] else ""),
                )
                return
            # The wanted columns of a row, by their place in this file's header (every format has two columns or
            # more: itemgetter gives a tuple).
            extraire = operator.itemgetter(*[entete.index(c) for c in colonnes])
            for row in reader:
                numero = reader.line_num
                if progression is not None:
                    progression.update(1)
                if not row or row == [""]:
                    continue
                if len(row) != len(entete):
                    self.erreur(
                        numero,
                        f"{len(row)} champ(s) au lieu de {len(entete)} "
                        "(ligne incomplète : fichier tronqué ou mal séparé ?)",
                    )
                    continue
                yield numero, dict(zip(colonnes, [v.strip() for v in extraire(row)], strict=True))
        except csv.Error as exc:
            self.erreur(reader.line_num, f"CSV illisible ({exc})")
        except UnicodeDecodeError as exc:
            self.erreur(None, f"encodage invalide, UTF-8 attendu (octet {exc.start})")
        except (EOFError, OSError, zlib.error) as exc:
            self.erreur(
                reader.line_num or None,
                f"fichier compressé tronqué ou corrompu après la ligne {reader.line_num} ({exc})",
            )

    def lire(self, colonnes: list[str], progression: tqdm | None = None) -> Iterator[tuple[int, dict]]:
        if not self.chemin.is_file():
            self.erreur(None, f"fichier absent du dossier {self.chemin.parent}")
            return
        if self.nom.endswith(".gz"):
            with gzip.open(self.chemin, "rt", encoding="utf-8", newline="") as texte:
                yield from self.lignes(colonnes, texte, progression)
        else:
            with open(self.chemin, encoding="utf-8", newline="") as texte:
                yield from self.lignes(colonnes, texte, progression)


def _entier(lecteur: _Lecteur, ligne: int, colonne: str, valeur: str) -> int | None:
    if valeur == "":
        return None
    if not valeur.isdigit():
        lecteur.erreur(ligne, f"{colonne} « {valeur} » n'est pas un nombre entier positif")
        return None
    return int(valeur)


def _verifier(lecteur, ligne, colonne, valeur, motif: re.Pattern | set, attendu: str) -> bool:
    ok = valeur in motif if isinstance(motif, set) else bool(motif.match(valeur))
    if not ok:
        lecteur.erreur(ligne, f"{colonne} « {valeur} » invalide ({attendu})")
    return ok


def _unique(lecteur, ligne, code, deja: dict) -> bool:
    if code in deja:
        lecteur.erreur(ligne, f"code « {code} » en double")
        return False
    return True


def lire_source(dossier: Path, progression: bool = False) -> Source:
    """Read and check every file of ``dossier``; raise ``ErreurImport`` listing all the problems."""
    dossier = Path(dossier)
    erreurs: list[str] = []
    if not dossier.is_dir():
        raise ErreurImport([f"{dossier} : dossier introuvable"])

    meta: dict = {}
    empreintes: dict[str, str] = {}
    if (dossier / META).is_file():
        try:
            meta = json.loads((dossier / META).read_text(encoding="utf-8"))
            if not isinstance(meta, dict):
                raise ValueError("un objet JSON est attendu")
        except (ValueError, UnicodeDecodeError) as exc:
            erreurs.append(f"{META} : JSON invalide ({exc})")
            meta = {}
    for nom in [*FICHIERS, FORMES, *FORMES_AGREGEES.values()]:
        if (dossier / nom).is_file():
            empreintes[nom] = _sha256(dossier / nom)
            attendue = (meta.get("fichiers") or {}).get(nom)
            if attendue and attendue != empreintes[nom]:
                erreurs.append(
                    f"{nom} : l'empreinte SHA-256 ne correspond pas à celle de {META} "
                    "(fichier modifié, tronqué ou corrompu)"
                )
    population_annee = meta.get("population_annee")
    if population_annee is not None and not isinstance(population_annee, int):
        erreurs.append(f"{META} : population_annee doit être une année (nombre entier)")
        population_annee = None

    barre = tqdm(total=None, desc="Lecture", unit=" lignes", leave=False) if progression else None

    regions: dict[str, dict] = {}
    lecteur = _Lecteur(dossier, "regions.csv", erreurs)
    for ligne, row in lecteur.lire(FICHIERS["regions.csv"], barre):
        if _verifier(lecteur, ligne, "code", row["code"], RE_REGION, "2 ou 3 chiffres") and _unique(
            lecteur, ligne, row["code"], regions
        ):
            _verifier(lecteur, ligne, "zone", row["zone"], ZONES, "metro, drom ou com")
            if not row["nom"]:
                lecteur.erreur(ligne, "nom vide")
            regions[row["code"]] = {"nom": row["nom"], "zone": row["zone"]}

    departements: dict[str, dict] = {}
    lecteur = _Lecteur(dossier, "departements.csv", erreurs)
    for ligne, row in lecteur.lire(FICHIERS["departements.csv"], barre):
        if _verifier(lecteur, ligne, "code", row["code"], RE_DEPARTEMENT, "01 à 95, 2A, 2B ou 971 à 989") and _unique(
            lecteur, ligne, row["code"], departements
        ):
            if row["region"] not in regions:
                lecteur.erreur(ligne, f"région « {row['region']} » inconnue (absente de regions.csv)")
            _verifier(lecteur, ligne, "zone", row["zone"], ZONES, "metro, drom ou com")
            if row["type_liaison"] not in TYPES_LIAISON:
                lecteur.erreur(ligne, f"type_liaison « {row['type_liaison']} » invalide (chiffre de 0 à 8)")
            departements[row["code"]] = {
                "nom": row["nom"],
                "region_id": row["region"],
                "zone": row["zone"],
                "type_liaison": int(row["type_liaison"]) if row["type_liaison"] in TYPES_LIAISON else 0,
            }

    epcis: dict[str, dict] = {}
    lecteur = _Lecteur(dossier, "epci.csv", erreurs)
    for ligne, row in lecteur.lire(FICHIERS["epci.csv"], barre):
        if _verifier(lecteur, ligne, "code", row["code"], RE_EPCI, "SIREN à 9 chiffres") and _unique(
            lecteur, ligne, row["code"], epcis
        ):
            _verifier(lecteur, ligne, "type", row["type"], TYPES_EPCI, "CA, CC, CU, METRO ou MET69")
            epcis[row["code"]] = {
                "nom": row["nom"],
                "type": row["type"],
                "mode_financement": row["mode_financement"],
                "population_totale": _entier(lecteur, ligne, "population_totale", row["population_totale"]),
            }

    communes: dict[str, dict] = {}
    lecteur = _Lecteur(dossier, "communes.csv", erreurs)
    for ligne, row in lecteur.lire(FICHIERS["communes.csv"], barre):
        code = row["code"]
        if not (
            _verifier(lecteur, ligne, "code", code, RE_COMMUNE, "code INSEE à 5 caractères")
            and _unique(lecteur, ligne, code, communes)
        ):
            continue
        if row["departement"] not in departements:
            lecteur.erreur(ligne, f"département « {row['departement']} » inconnu (absent de departements.csv)")
        if row["region"] not in regions:
            lecteur.erreur(ligne, f"région « {row['region']} » inconnue (absente de regions.csv)")
        if row["epci"] and row["epci"] not in epcis:
            lecteur.erreur(ligne, f"EPCI « {row['epci']} » inconnu (absent de epci.csv)")
        if row["siren"]:
            _verifier(lecteur, ligne, "siren", row["siren"], RE_EPCI, "9 chiffres")
        _verifier(
            lecteur,
            ligne,
            "codes_postaux",
            row["codes_postaux"],
            RE_CODES_POSTAUX,
            "codes à 5 chiffres séparés par des espaces",
        )
        _verifier(lecteur, ligne, "zone", row["zone"], ZONES, "metro, drom ou com")
        if not row["nom"]:
            lecteur.erreur(ligne, "nom vide")
        communes[code] = {
            "nom": row["nom"],
            "departement_id": row["departement"],
            "region_id": row["region"],
            "epci_id": row["epci"] or None,
            "siren": row["siren"],
            "codes_postaux": row["codes_postaux"],
            "population": _entier(lecteur, ligne, "population", row["population"]),
            "population_annee": population_annee,
            "zone": row["zone"],
            "forme": "",
        }

    if (dossier / FORMES).is_file():
        lecteur = _Lecteur(dossier, FORMES, erreurs)
        lues: list[tuple[int, str, str]] = []
        for ligne, row in lecteur.lire(["code", "geojson"], barre):
            if row["code"] not in communes:
                lecteur.erreur(ligne, f"commune « {row['code']} » inconnue (absente de communes.csv)")
                continue
            lues.append((ligne, row["code"], row["geojson"]))
        _verifier_formes(lecteur, lues, "de la commune")
        for _ligne, code, geojson in lues:
            communes[code]["forme"] = geojson

    formes_agregees: dict[str, dict[str, tuple[str, str]]] = {}
    for niveau, connus, libelle in (("epci", epcis, "de l'EPCI"), ("departements", departements, "du département")):
        if not (dossier / FORMES_AGREGEES[niveau]).is_file():
            continue
        lecteur = _Lecteur(dossier, FORMES_AGREGEES[niveau], erreurs)
        lues, empreintes_lues = [], {}
        for ligne, row in lecteur.lire(formes.COLONNES, barre):
            if row["code"] not in connus:
                lecteur.erreur(ligne, f"code « {row['code']} » inconnu (absent de {niveau}.csv)")
            elif _unique(lecteur, ligne, row["code"], empreintes_lues):
                empreintes_lues[row["code"]] = row["empreinte"]
                if row["geojson"]:
                    lues.append((ligne, row["code"], row["geojson"]))
        _verifier_formes(lecteur, lues, libelle)
        geojson_par_code = {code: geojson for _, code, geojson in lues}
        formes_agregees[niveau] = {code: (e, geojson_par_code.get(code, "")) for code, e in empreintes_lues.items()}
    if barre is not None:
        barre.close()

    if erreurs:
        if len(erreurs) > MAX_ERREURS:
            erreurs = [*erreurs[:MAX_ERREURS], f"… et {len(erreurs) - MAX_ERREURS} autre(s) erreur(s)"]
        raise ErreurImport(erreurs)
    return Source(
        dossier=dossier,
        regions=regions,
        departements=departements,
        epci=epcis,
        communes=communes,
        population_annee=population_annee,
        empreintes=empreintes,
        sources=meta.get("sources", []),
        formes_agregees=formes_agregees,
    )


def _verifier_formes(lecteur: _Lecteur, lues: list[tuple[int, str, str]], de_quoi: str) -> None:
    """Every shape must be a GeoJSON Polygon or MultiPolygon; the bad ones are named by their line."""
    try:
        geometries = shapely.from_geojson([g for _, _, g in lues], on_invalid="raise")
        mauvais = [i for i, t in enumerate(shapely.get_type_id(geometries)) if t not in (3, 6)]
    except shapely.errors.GEOSException:
        mauvais = []
        for i, (_, _, geojson) in enumerate(lues):
            try:
                if shapely.get_type_id(shapely.from_geojson(geojson, on_invalid="raise")) not in (3, 6):
                    mauvais.append(i)
            except (shapely.errors.GEOSException, ValueError):
                mauvais.append(i)
    for i in mauvais:
        ligne, code, _ = lues[i]
        lecteur.erreur(ligne, f"contour {de_quoi} {code} illisible (GeoJSON Polygon ou MultiPolygon attendu)")


def _synchroniser(
    model, voulus: dict[str, dict], compte: Compte, avant_ecriture: Callable | None = None, lot: int = 1000
) -> list[str]:
    """Create and update ``model`` rows to match ``voulus``; return the codes to remove (done later, children first).
    The rows in the database are read as tuples and compared field by field; only the changed fields are written."""
    champs = list(next(iter(voulus.values())).keys()) if voulus else []
    existants = {ligne[0]: ligne[1:] for ligne in model.objects.values_list("pk", *champs)}
    a_creer, a_modifier, modifies_champs = [], [], set()
    for code, valeurs in voulus.items():
        actuelles = existants.get(code)
        if actuelles is None:
            a_creer.append((code, valeurs))
            continue
        changes = [c for c, actuelle in zip(champs, actuelles, strict=True) if actuelle != valeurs[c]]
        if changes:
            if avant_ecriture:
                avant_ecriture(dict(zip(champs, actuelles, strict=True)), valeurs)
            modifies_champs.update(changes)
            a_modifier.append(model(pk=code, **valeurs))
        else:
            compte.inchanges += 1
    _inserer(model, a_creer)
    if a_modifier:
        model.objects.bulk_update(a_modifier, sorted(modifies_champs), batch_size=lot)
    compte.crees += len(a_creer)
    compte.modifies += len(a_modifier)
    return [code for code in existants if code not in voulus]


def _inserer(model, lignes: list[tuple[str, dict]]) -> None:
    """Insert new rows in one stream: ``COPY … FROM STDIN`` on PostgreSQL, one prepared statement run for every row
    on SQLite. ``bulk_create`` builds a model instance and prepares every value of every row: for the 35,000
    communes of a first import it costs more than reading the whole source. The columns of the territories hold
    only text, integers and NULL, passed to the driver as they are; a field missing from a row takes its default."""
    if not lignes:
        return
    pk = model._meta.pk
    champs = [pk, *(f for f in model._meta.concrete_fields if not f.primary_key)]
    nom = connection.ops.quote_name
    table, colonnes = nom(model._meta.db_table), ", ".join(nom(f.column) for f in champs)
    manquants = {f.attname: f.get_default() for f in champs[1:] if f.attname not in lignes[0][1]}
    extraire = operator.itemgetter(*(f.attname for f in champs[1:]))
    if manquants:
        lignes = [(code, {**manquants, **valeurs}) for code, valeurs in lignes]
    with connection.cursor() as curseur:
        if connection.vendor == "postgresql":  # psycopg 3's COPY, reached through Django's cursor
            with curseur.copy(f"COPY {table} ({colonnes}) FROM STDIN") as copie:
                for code, valeurs in lignes:
                    copie.write_row((code, *extraire(valeurs)))
        else:
            marques = ", ".join(["%s"] * len(champs))
            # Bandit B608 accepted: the table and column names come from the model, quoted; the values are parameters.
            sql = f"INSERT INTO {table} ({colonnes}) VALUES ({marques})"  # nosec B608
            curseur.executemany(sql, [(code, *extraire(valeurs)) for code, valeurs in lignes])


def _contours(
    model,
    voulus: dict[str, dict],
    niveau: str,
    source: Source,
    membres: dict[str, list[str]],
    empreintes: dict[str, bytes],
    bilan: Bilan,
    progression: bool,
) -> None:
    """Give each wanted EPCI or département its shape (``forme``) and the fingerprint of the communes it is made of
    (``forme_empreinte``): kept as it is in the database when these communes did not change; else the source's
    precomputed shape when it was computed from the same communes; else the union of their shapes, computed here."""
    actuelles = {code: (e, forme) for code, e, forme in model.objects.values_list("pk", "forme_empreinte", "forme")}
    precalculees = source.formes_agregees.get(niveau, {})
    nom = f"Contours {model._meta.verbose_name_plural}"
    for code, valeurs in tqdm(voulus.items(), desc=nom, disable=not progression, leave=False):
        codes = membres.get(code, [])
        empreinte = formes.empreinte_contours((c, empreintes[c]) for c in codes)
        empreinte_actuelle, forme = actuelles.get(code, (None, ""))
        if empreinte != empreinte_actuelle:
            bilan.contours_recalcules += 1
            empreinte_precalculee, forme = precalculees.get(code, ("", ""))
            if empreinte_precalculee != empreinte:
                forme = formes.union(source.communes[c]["forme"] for c in codes)
                bilan.contours_calcules += 1
        valeurs["forme"] = forme
        valeurs["forme_empreinte"] = empreinte


def importer(dossier: Path, simulation: bool = False, progression: bool = False) -> Bilan:
    """Bring the database to match the source in ``dossier``; with ``simulation``, change nothing."""
    source = lire_source(dossier, progression=progression)
    bilan = Bilan(simulation=simulation)

    for valeurs in source.departements.values():
        valeurs["nom_recherche"] = cle_recherche(valeurs["nom"])
    for valeurs in source.epci.values():
        valeurs["nom_recherche"] = cle_recherche(valeurs["nom"])
    for valeurs in source.communes.values():
        valeurs["nom_recherche"] = cle_recherche(valeurs["nom"])

    groupes = formes.groupes(
        {code: {"epci": c["epci_id"], "departement": c["departement_id"]} for code, c in source.communes.items()}
    )
    for code, valeurs in source.epci.items():
        populations = [source.communes[c]["population"] for c in groupes["epci"][code]]
        connues = [p for p in populations if p is not None]
        valeurs["population"] = sum(connues) if connues else None
        valeurs["population_annee"] = source.population_annee if connues else None

    with transaction.atomic():
        empreintes = {code: formes.empreinte_forme(c["forme"]) for code, c in source.communes.items()}
        for model, voulus, niveau in ((Departement, source.departements, "departements"), (Epci, source.epci, "epci")):
            _contours(model, voulus, niveau, source, groupes[niveau], empreintes, bilan, progression)
        _synchroniser(Region, source.regions, bilan.regions)
        dep_a_supprimer = _synchroniser(Departement, source.departements, bilan.departements)
        epci_a_supprimer = _synchroniser(Epci, source.epci, bilan.epci)

        def compter_deplacement(avant, valeurs):
            if avant["epci_id"] != valeurs["epci_id"]:
                bilan.communes_deplacees += 1

        communes_a_supprimer = _synchroniser(Commune, source.communes, bilan.communes, compter_deplacement)
        for model, codes, compte in (
            (Commune, communes_a_supprimer, bilan.communes),
            (Epci, epci_a_supprimer, bilan.epci),
            (Departement, dep_a_supprimer, bilan.departements),
        ):
            for debut in range(0, len(codes), 500):
                model.objects.filter(pk__in=codes[debut : debut + 500]).delete()
            compte.supprimes += len(codes)
        regions_a_supprimer = [c for c in Region.objects.values_list("code", flat=True) if c not in source.regions]
        Region.objects.filter(pk__in=regions_a_supprimer).delete()
        bilan.regions.supprimes += len(regions_a_supprimer)

        if simulation:
            transaction.set_rollback(True)
        else:
            ImportTerritoires.objects.create(
                source=str(source.dossier),
                population_annee=source.population_annee,
                empreintes=source.empreintes,
                sources=source.sources,
                bilan=bilan.as_dict(),
            )
    return bilan
