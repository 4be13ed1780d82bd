"""Download of the Caf files from data.caf.fr (Opendatasoft Explore API v2.1), into the CSV the importer reads.

- Whole dataset: ``GET {BASE}/{id}/exports/csv?delimiter=%3B``, saved as it comes (``;`` CSV, column names).
- One territory: ``GET {BASE}/{id}/records?where=…&order_by=…&limit=100&offset=…``, page after page (the API
  serves 100 records a call and at most 10,000 through ``offset``); the JSON records are written as the same
  ``;`` CSV, UTF-8 with BOM, JSON ``null`` as an empty cell (statistical secrecy).

The HTTP client is injectable (``client_par_defaut`` builds the real one): tests replay recorded responses.
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from .formats import DATASETS_OPENDATASOFT, FORMATS, HISTORIQUES
from .models import CODE_FRANCE, Niveau

BASE = "https://data.caf.fr/api/explore/v2.1/catalog/datasets"
PAGE = 100
MAX_OFFSET = 10_000


class ErreurTelechargement(Exception):
    """The download failed; the message says why, in French, and what to do."""


class ClientHttp:
    """A minimal HTTP client on urllib: ``get(url, params) -> (status, headers, body)``; raise on network failure."""

    def __init__(self, timeout: float = 120, user_agent: str = "ctg (Convention territoriale globale)"):
        self.timeout = timeout
        self.user_agent = user_agent

    def get(self, url: str, params: dict | None = None) -> tuple[int, dict, bytes]:
        complete = url + ("?" + urllib.parse.urlencode(params) if params else "")
        requete = urllib.request.Request(complete, headers={"User-Agent": self.user_agent, "Accept": "*/*"})
        try:
            # Bandit B310 accepted: every URL is built on BASE (https://data.caf.fr), never given whole by a user.
            with urllib.request.urlopen(requete, timeout=self.timeout) as reponse:  # nosec B310
                return reponse.status, dict(reponse.headers.items()), reponse.read()
        except urllib.error.HTTPError as exc:
            return exc.code, dict(exc.headers.items()) if exc.headers else {}, exc.read() or b""
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            raison = getattr(exc, "reason", None) or exc
            hote = urllib.parse.urlsplit(url).hostname
            raise ErreurTelechargement(
                f"impossible de joindre {hote} ({raison}). Vérifiez l'accès au réseau (et le proxy : variable "
                "HTTPS_PROXY) ; à défaut, téléchargez le fichier depuis le site data.caf.fr (Export, CSV) et "
                "importez-le avec « ctg import_donnees FICHIER »."
            ) from exc


def client_par_defaut() -> ClientHttp:
    return ClientHttp()


@dataclass
class Telechargement:
    chemin: Path
    url: str  # the request, for the provenance of the imported file
    lignes: int
    dataset: str


def _niveau_du_code(code: str) -> str:
    if code.upper() == CODE_FRANCE:
        return Niveau.FRANCE
    if code.isdigit() and len(code) == 9:
        return Niveau.EPCI
    if len(code) == 5:
        return Niveau.COMMUNE
    if len(code) in (2, 3):
        return Niveau.DEPARTEMENT
    raise ErreurTelechargement(
        f"territoire « {code} » incompréhensible : code Insee de commune (5 caractères), SIREN d'EPCI (9 chiffres), "
        "code de département (59, 2A, 971) ou FR"
    )


def filtre_territoire(dataset: str, territoire: str) -> str | None:
    """The ODSQL ``where`` selecting ``territoire`` in ``dataset``: the territory itself, or, in a commune-level
    dataset, the member communes of an EPCI or the communes of a département. ``None``: the whole dataset."""
    fmt = FORMATS[HISTORIQUES.get(dataset, dataset)]
    code = territoire.strip().upper()
    niveau = _niveau_du_code(code)
    colonne = fmt.colonne_code
    if fmt.niveau == Niveau.FRANCE:
        if niveau != Niveau.FRANCE:
            raise ErreurTelechargement(f"{dataset} ne porte que la France entière : --territoire FR ou rien")
        return None
    if niveau == fmt.niveau:
        return f'{colonne}="{code}"'
    if fmt.niveau == Niveau.COMMUNE and niveau == Niveau.EPCI:
        from ctg.territoires.models import Commune, Epci

        if not Epci.objects.filter(pk=code).exists():
            raise ErreurTelechargement(f"EPCI {code} inconnu du référentiel des territoires")
        membres = sorted(Commune.objects.filter(epci_id=code).values_list("code", flat=True))
        return " or ".join(f'{colonne}="{c}"' for c in membres)
    if fmt.niveau == Niveau.COMMUNE and niveau == Niveau.DEPARTEMENT:
        return f'startswith({colonne}, "{code}")'
    raise ErreurTelechargement(
        f"{dataset} est au niveau {Niveau(fmt.niveau).label} : le territoire {code} ({Niveau(niveau).label}) "
        "ne s'y sélectionne pas"
    )


def _message_api(statut: int, corps: bytes) -> str:
    try:
        donnees = json.loads(corps)
        message = donnees.get("message") or donnees.get("error_code") or ""
    except (ValueError, AttributeError):
        message = corps[:200].decode("utf-8", "replace").strip()
    return f"HTTP {statut}" + (f" : {message}" if message else "")


def _verifier(statut: int, corps: bytes, dataset: str) -> None:
    if statut == 404:
        raise ErreurTelechargement(
            f"jeu de données « {dataset} » introuvable sur data.caf.fr ({_message_api(statut, corps)})"
        )
    if statut != 200:
        raise ErreurTelechargement(f"data.caf.fr a refusé la demande ({_message_api(statut, corps)})")


def _cellule(valeur) -> str:
    if valeur is None:
        return ""
    if isinstance(valeur, bool):
        return "1" if valeur else "0"
    if isinstance(valeur, (dict, list)):
        return json.dumps(valeur, ensure_ascii=False)
    return str(valeur)


def _ecrire_atomique(chemin: Path, ecrire) -> None:
    chemin.parent.mkdir(parents=True, exist_ok=True)
    descripteur, temporaire = tempfile.mkstemp(prefix=".telechargement-", dir=chemin.parent)
    try:
        with os.fdopen(descripteur, "wb") as sortie:
            ecrire(sortie)
        os.replace(temporaire, chemin)
    except BaseException:
        Path(temporaire).unlink(missing_ok=True)
        raise


def telecharger(
    dataset: str,
    territoire: str | None = None,
    sortie: Path | str | None = None,
    client=None,
    progression: bool = False,
) -> Telechargement:
    """Download ``dataset`` (all of it, or one territory) from data.caf.fr into ``sortie`` (default:
    ``{dataset}.csv`` or ``{dataset}_{territoire}.csv`` in the current directory)."""
    if dataset not in DATASETS_OPENDATASOFT:
        raise ErreurTelechargement(
            f"« {dataset} » ne se télécharge pas depuis data.caf.fr ; "
            f"jeux disponibles : {', '.join(DATASETS_OPENDATASOFT)}"
        )
    client = client or client_par_defaut()
    where = filtre_territoire(dataset, territoire) if territoire else None
    if sortie is None:
        sortie = Path(f"{dataset}_{territoire.strip().upper()}.csv" if territoire else f"{dataset}.csv")
    sortie = Path(sortie)

    if where is None:
        url = f"{BASE}/{dataset}/exports/csv"
        params = {"delimiter": ";"}
        statut, _entetes, corps = client.get(url, params)
        _verifier(statut, corps, dataset)
        if corps.lstrip(b"\xef\xbb\xbf \r\n").startswith((b"<", b"{")):
            raise ErreurTelechargement(f"data.caf.fr n'a pas renvoyé un fichier CSV ({corps[:80]!r}…)")
        _ecrire_atomique(sortie, lambda f: f.write(corps))
        lignes = max(sum(1 for ligne in corps.splitlines() if ligne.strip()) - 1, 0)
        return Telechargement(sortie, f"{url}?{urllib.parse.urlencode(params)}", lignes, dataset)

    fmt = FORMATS[HISTORIQUES.get(dataset, dataset)]
    url = f"{BASE}/{dataset}/records"
    ordre = ",".join(c for c in (fmt.colonne_periode, fmt.colonne_code) if c)
    base_params = {"where": where, "order_by": ordre, "limit": PAGE}
    enregistrements: list[dict] = []
    total = None
    offset = 0
    barre = tqdm(desc="Téléchargement", unit=" enr.", disable=not progression, leave=False)
    try:
        while total is None or offset < total:
            statut, _entetes, corps = client.get(url, {**base_params, "offset": offset})
            _verifier(statut, corps, dataset)
            try:
                page = json.loads(corps)
                resultats = page["results"]
                total = int(page["total_count"])
            except (ValueError, KeyError, TypeError) as exc:
                raise ErreurTelechargement(f"réponse inattendue de data.caf.fr (JSON illisible : {exc})") from exc
            if total > MAX_OFFSET:
                raise ErreurTelechargement(
                    f"{total} enregistrements pour ce territoire : au-delà de {MAX_OFFSET}, l'API records ne pagine "
                    "plus ; téléchargez le fichier complet (sans --territoire)"
                )
            if barre.total is None:
                barre.total = total
            enregistrements.extend(resultats)
            barre.update(len(resultats))
            if not resultats:
                break
            offset += len(resultats)
    finally:
        barre.close()
    if not enregistrements:
        raise ErreurTelechargement(f"aucun enregistrement de {dataset} pour le territoire {territoire}")

    colonnes: dict[str, None] = {}
    for enregistrement in enregistrements:
        for cle in enregistrement:
            colonnes.setdefault(cle, None)

    def ecrire(fichier):
        texte = io.TextIOWrapper(fichier, encoding="utf-8-sig", newline="")
        writer = csv.writer(texte, delimiter=";", lineterminator="\n")
        writer.writerow(list(colonnes))
        for enregistrement in enregistrements:
            writer.writerow([_cellule(enregistrement.get(c)) for c in colonnes])
        texte.flush()
        texte.detach()

    _ecrire_atomique(sortie, ecrire)
    requete = urllib.parse.urlencode({"where": where, "order_by": ordre})
    return Telechargement(sortie, f"{url}?{requete}", len(enregistrements), dataset)
