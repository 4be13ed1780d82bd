"""Download from data.caf.fr (Opendatasoft Explore API v2.1), replayed from recorded responses: never the network."""

import io
import json
import urllib.error
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ctg.donnees import telechargement
from ctg.donnees.models import Fichier, Observation
from ctg.donnees.telechargement import BASE, ClientHttp, ErreurTelechargement, filtre_territoire, telecharger
from ctg.territoires.models import Commune

ENREGISTREES = Path(__file__).parent / "opendatasoft"
pytestmark = pytest.mark.django_db


class ClientEnregistre:
    """Replays recorded responses, keyed by (URL, offset); keeps the requests it received."""

    def __init__(self, reponses: dict):
        self.reponses = reponses
        self.requetes: list[tuple[str, dict]] = []

    def get(self, url, params=None):
        params = dict(params or {})
        self.requetes.append((url, params))
        cle = (url, params.get("offset"))
        if cle not in self.reponses:
            return 404, {"Content-Type": "application/json"}, b'{"error_code": "NotFound", "message": "absent"}'
        statut, fichier = self.reponses[cle]
        type_ = "text/csv; charset=utf-8" if fichier.endswith(".csv") else "application/json; charset=utf-8"
        return statut, {"Content-Type": type_}, (ENREGISTREES / fichier).read_bytes()


@pytest.fixture
def client_sben():
    url = f"{BASE}/s_ben_com_f/records"
    return ClientEnregistre(
        {
            (url, 0): (200, "s_ben_com_f_records_200068500_offset0.json"),
            (url, 100): (200, "s_ben_com_f_records_200068500_offset100.json"),
        }
    )


def test_enregistrements_d_un_epci_page_par_page(tmp_path, client_sben):
    sortie = tmp_path / "s_ben_cambrai.csv"
    resultat = telecharger("s_ben_com_f", territoire="200068500", sortie=sortie, client=client_sben)
    assert resultat.lignes == 110 and resultat.chemin == sortie
    # Two pages of at most 100 records, each with the same filter: the 55 member communes of the CA de Cambrai.
    assert [p["offset"] for _u, p in client_sben.requetes] == [0, 100]
    url, params = client_sben.requetes[0]
    assert url == "https://data.caf.fr/api/explore/v2.1/catalog/datasets/s_ben_com_f/records"
    assert params["limit"] == 100 and params["order_by"] == "dtreffre,numcomdo"
    membres = sorted(Commune.objects.filter(epci_id="200068500").values_list("code", flat=True))
    assert params["where"] == " or ".join(f'numcomdo="{c}"' for c in membres)
    # The CSV the importer reads: ";" separator, BOM, column names, blanks for JSON null.
    octets = sortie.read_bytes()
    assert octets.startswith(b"\xef\xbb\xbf")
    lignes = octets.decode("utf-8-sig").splitlines()
    assert lignes[0].startswith("dtreffre;numcomdo;nomcom;indfoy_ndur;indnbp_ndur;")
    assert len(lignes) == 111
    assert ";;" in "".join(lignes[1:])  # secret cells stay blank


def test_telecharger_et_importer_un_epci(tmp_path, client_sben, monkeypatch):
    monkeypatch.setattr(telechargement, "client_par_defaut", lambda: client_sben)
    sortie = tmp_path / "s_ben.csv"
    texte = io.StringIO()
    call_command(
        "telecharger_donnees", dataset="s_ben_com_f", territoire="200068500", sortie=sortie, importer=True,
        stdout=texte, verbosity=0,
    )  # fmt: skip
    assert "110 ligne(s) de s_ben_com_f" in texte.getvalue()
    assert "110 créée(s)" in texte.getvalue()
    fichier = Fichier.objects.get(dataset="s_ben_com_f")
    assert fichier.periodes == ["2022-12", "2023-12"]
    assert fichier.source_url.startswith(f"{BASE}/s_ben_com_f/records")
    assert Observation.objects.filter(dataset="s_ben_com_f", periode="2023-12").count() == 55
    secretes = [v for o in Observation.objects.filter(dataset="s_ben_com_f") for v in o.valeurs.values() if v is None]
    assert len(secretes) == 12 and fichier.bilan["cellules_secretes"] == 12


def test_un_epci_dans_un_jeu_d_epci(tmp_path):
    url = f"{BASE}/txcouv_pe_epci/records"
    client = ClientEnregistre({(url, 0): (200, "txcouv_pe_epci_records_200068500.json")})
    resultat = telecharger("txcouv_pe_epci", territoire="200068500", sortie=tmp_path / "t.csv", client=client)
    assert client.requetes[0][1]["where"] == 'numepci="200068500"'
    assert resultat.lignes == 2
    lignes = (tmp_path / "t.csv").read_text(encoding="utf-8-sig").splitlines()
    assert lignes[1] == "2022;200068500;CA DE CAMBRAI;59;NORD;16.8;2.6;19.4;3.8;37.5;;38.0;61.2"


def test_export_complet(tmp_path, monkeypatch):
    url = f"{BASE}/txcouv_pe_epci/exports/csv"
    client = ClientEnregistre({(url, None): (200, "txcouv_pe_epci_export.csv")})
    monkeypatch.setattr(telechargement, "client_par_defaut", lambda: client)
    monkeypatch.chdir(tmp_path)
    texte = io.StringIO()
    call_command("telecharger_donnees", dataset="txcouv_pe_epci", importer=True, stdout=texte, verbosity=0)
    assert client.requetes == [(url, {"delimiter": ";"})]
    assert (tmp_path / "txcouv_pe_epci.csv").read_bytes() == (ENREGISTREES / "txcouv_pe_epci_export.csv").read_bytes()
    sortie = texte.getvalue()
    assert "4 ligne(s) de txcouv_pe_epci" in sortie
    assert "exports/csv?delimiter=%3B" in sortie
    assert "3 créée(s)" in sortie and "ligne fictive « XX »" in sortie
    assert Fichier.objects.get().source_url == f"{url}?delimiter=%3B"


def test_erreur_de_l_api(tmp_path):
    url = f"{BASE}/txcouv_pe_epci/records"
    client = ClientEnregistre({(url, 0): (400, "erreur_odsql.json")})
    with pytest.raises(ErreurTelechargement, match="HTTP 400 : ODSQL query is malformed"):
        telecharger("txcouv_pe_epci", territoire="200068500", sortie=tmp_path / "t.csv", client=client)
    assert not (tmp_path / "t.csv").exists()


def test_jeu_inconnu_et_territoire_hors_niveau(tmp_path):
    with pytest.raises(ErreurTelechargement, match="ne se télécharge pas"):
        telecharger("insee_pop", client=ClientEnregistre({}))
    with pytest.raises(ErreurTelechargement, match="ne s'y sélectionne pas"):
        filtre_territoire("txcouv_pe_dep", "200068500")
    with pytest.raises(ErreurTelechargement, match="inconnu"):
        filtre_territoire("s_ben_com_f", "200000000")
    assert filtre_territoire("txcouv_pe_com", "59") == 'startswith(numcom, "59")'
    assert filtre_territoire("txcouv_pe_nat", "FR") is None
    assert filtre_territoire("txcouv_pe_epci_hist", "200068500") == 'numepci="200068500"'


def test_reseau_injoignable(monkeypatch, tmp_path):
    def refuser(*args, **kwargs):
        raise urllib.error.URLError(OSError(101, "Network is unreachable"))

    monkeypatch.setattr(telechargement.urllib.request, "urlopen", refuser)
    monkeypatch.chdir(tmp_path)
    with pytest.raises(CommandError) as exc:
        call_command("telecharger_donnees", dataset="txcouv_pe_nat", verbosity=0)
    message = str(exc.value)
    assert message.startswith("Téléchargement impossible : impossible de joindre data.caf.fr")
    assert "ctg import_donnees FICHIER" in message
    assert list(tmp_path.iterdir()) == []


def test_client_http_renvoie_statut_entetes_et_corps(monkeypatch):
    class Reponse(io.BytesIO):
        status = 200
        headers = {"Content-Type": "application/json"}

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    vues = []

    def ouvrir(requete, timeout):
        vues.append((requete.full_url, requete.get_header("User-agent"), timeout))
        return Reponse(json.dumps({"total_count": 0, "results": []}).encode())

    monkeypatch.setattr(telechargement.urllib.request, "urlopen", ouvrir)
    statut, entetes, corps = ClientHttp(timeout=5).get(f"{BASE}/txcouv_pe_nat/exports/csv", {"delimiter": ";"})
    assert statut == 200 and entetes["Content-Type"] == "application/json" and json.loads(corps)["total_count"] == 0
    assert vues == [(f"{BASE}/txcouv_pe_nat/exports/csv?delimiter=%3B", "ctg (Convention territoriale globale)", 5)]
