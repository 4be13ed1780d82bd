"""Generate the DEMONSTRATION data set of ``data/demo/``: FICTITIOUS Caf and census figures in the real formats.

No registry package ships Caf figures, so the embedded default carries this set, for the communes of the
Nord (département 59) and of their EPCIs, their EPCIs, the département and France, years 2021 to 2023.
Every figure is invented by a fixed-seed generator (``random.Random(2026)``) from the real 2023 municipal
population of ``data/territoires/communes.csv``: it looks plausible and is internally consistent, it is
NOT true. Files are named ``DEMONSTRATION_<real file name>``; ``data/demo/LISEZMOI.md`` says how they are
built and what holds between them.

Usage (from the repository root)::

    python data/construire_demo_caf.py

The output is deterministic: running it twice gives the same files and checksums.
"""

from __future__ import annotations

import csv
import hashlib
import math
import random
from collections import defaultdict
from pathlib import Path

from ctg.donnees.jeux import JEUX

DATA_DIR = Path(__file__).resolve().parent
OUTPUT = DATA_DIR / "demo"
TERRITOIRES = DATA_DIR / "territoires"
PREFIX = "DEMONSTRATION_"
SEED = 2026
DEPARTEMENT = "59"
YEARS = (2021, 2022, 2023)
TXCOUV_MIN_POPULATION = 10_000  # the real txcouv_pe_com only has communes over 10,000 inhabitants
# National coverage rate aimed at, per year (about 60 places per 100 children, as published by the Onape).
NATIONAL_TARGET = {2021: 59.4, 2022: 60.3, 2023: 60.9}
COMPONENTS = ("psu_col", "hors_psu_col", "prescol", "am_ind", "gad_ind")


# --- small helpers -------------------------------------------------------------------------------------------


def sha256(path: Path) -> str:
    with open(path, "rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def write_csv(name: str, header: list[str], rows: list[list]) -> Path:
    path = OUTPUT / f"{PREFIX}{name}"
    with open(path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


def count(rng: random.Random, mean: float) -> int:
    """A non-negative integer around ``mean`` (roughly Poisson: standard deviation √mean)."""
    if mean <= 0:
        return 0
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


def secret(value: int) -> int | str:
    """Caf statistical secrecy for a count: under 5 -> blank, otherwise rounded to the nearest 5."""
    return "" if value < 5 else 5 * math.floor(value / 5 + 0.5)


def secret_amount(value: float, of_count: int) -> int | str:
    """An amount in euros: blank when the count it belongs to is secret, otherwise rounded to 100 €."""
    return "" if of_count < 5 else 100 * math.floor(value / 100 + 0.5)


def rate(places: int, children: int) -> float | str:
    return "" if children <= 0 else round(100 * places / children, 1)


# --- the territories -----------------------------------------------------------------------------------------


def read(name: str) -> list[dict]:
    with open(TERRITOIRES / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def territories() -> tuple[list[dict], dict[str, str], str, int]:
    communes = read("communes.csv")
    france_population = sum(int(c["population"] or 0) for c in communes)
    epcis = {c["epci"] for c in communes if c["departement"] == DEPARTEMENT and c["epci"]}
    # The Nord communes, plus the communes of a neighbouring département that share an EPCI with them,
    # so that every EPCI row is the sum of communes published in the commune files.
    chosen = [c for c in communes if c["departement"] == DEPARTEMENT or c["epci"] in epcis]
    epci_names = {e["code"]: e["nom"] for e in read("epci.csv") if e["code"] in epcis}
    departement = next(d["nom"] for d in read("departements.csv") if d["code"] == DEPARTEMENT)
    return sorted(chosen, key=lambda c: c["code"]), epci_names, departement, france_population


# --- the fictitious figures ----------------------------------------------------------------------------------


def generate_commune(rng: random.Random, commune: dict) -> dict:
    population = int(commune["population"] or 0)
    size = math.log10(max(population, 10))
    # A fictitious "precariousness" index, shared by all the figures of the commune so they agree with each
    # other: more RSA, more low incomes, more 2-year-olds at school, fewer home childminders where it is high.
    q = clamp(rng.gauss(0, 0.8) + 0.25 * (size - 3.3), -2.0, 2.5)
    big = population > 50_000

    census = {
        "pop": population,
        "pop0002": count(rng, population * 0.033 * (1 + 0.07 * q)),
        "pop0305": count(rng, population * 0.035 * (1 + 0.06 * q)),
        "pop0610": count(rng, population * 0.063 * (1 + 0.05 * q)),
        "pop1117": count(rng, population * 0.086 * (1 + 0.03 * q)),
        "pop1824": count(rng, population * 0.080 * (1.35 if big else 1.0)),
    }
    children = census["pop0002"]

    # Childcare places in 2021, then their evolution to 2023.
    has_psu = rng.random() < population / (population + 3_000)
    psu = max(10, round(children * rng.uniform(0.12, 0.40) * (1.15 if big else 1.0))) if has_psu else 0
    micro = 10 * count(rng, children / 320)
    prescol = count(rng, children * 0.035 * (1 + 0.4 * max(q, 0))) if population > 400 else 0
    am = count(rng, children * rng.uniform(0.20, 0.40) * (1 - 0.12 * q))
    gad = count(rng, children * 0.012 * clamp(1 - 0.3 * q, 0.2, 1.8))
    places = {}
    for year in YEARS:
        places[year] = {
            "psu_col": psu,
            "hors_psu_col": micro,
            "prescol": prescol,
            "am_ind": am,
            "gad_ind": gad,
        }
        psu = psu + (count(rng, psu * 0.012) if psu else 0)
        micro = micro + (10 if rng.random() < children / 2_500 else 0)
        prescol = count(rng, prescol * 0.98)
        am = count(rng, am * 0.965)
        gad = count(rng, gad)

    # Households receiving Caf benefits (December of each year) and low incomes.
    share = clamp(rng.uniform(0.10, 0.14) * (1 + 0.10 * q), 0.07, 0.20)
    persons_per_household = rng.uniform(2.25, 2.55)
    urban = 1.0 + 0.15 * clamp(size - 3.5, -1, 1.5)
    low_income = clamp(0.38 + 0.09 * q + rng.gauss(0, 0.03), 0.12, 0.75)
    benefits = {}
    for year in YEARS:
        t = year - YEARS[0]
        households = count(rng, population * share * (1 - 0.005 * t))
        ab = count(rng, households * 0.085)
        cmg = count(rng, households * 0.045 * clamp(1 - 0.25 * q, 0.3, 1.6))
        apl = count(rng, households * 0.27 * clamp(1 + 0.20 * q, 0.5, 1.6) * urban)
        als = count(rng, households * 0.14 * urban)
        alf = count(rng, households * 0.07)
        rsa = count(rng, households * 0.12 * clamp(1 + 0.35 * q, 0.3, 2.0) * (1 - 0.025 * t))
        ppa = count(rng, households * 0.21 * clamp(1 + 0.10 * q, 0.6, 1.4) * (1 + 0.04 * t))
        known = count(rng, households * rng.uniform(0.80, 0.88))
        low = count(rng, known * low_income)
        values = {
            "indfoy_ndur": households,
            "indnbp_ndur": count(rng, households * persons_per_household),
            "indfoy_af": count(rng, households * 0.30),
            "indfoy_cf": count(rng, households * 0.05 * clamp(1 + 0.2 * q, 0.5, 1.6)),
            "indfoy_asf": count(rng, households * 0.07 * clamp(1 + 0.3 * q, 0.4, 1.8)),
            "indfoy_ab": ab,
            "indfoy_cmg": cmg,
            "indfoy_ndurpaje": max(ab, cmg) + count(rng, min(ab, cmg) * 0.3 + households * 0.01),
            "indfoy_apl": apl,
            "indfoy_als": als,
            "indfoy_alf": alf,
            "indfoy_ndural": apl + als + alf,
            "indfoy_rsa": rsa,
            "indfoy_ppa": ppa,
            "indmtt_rsa": rsa * rng.uniform(600, 680),
            "indmtt_ppa": ppa * rng.uniform(170, 200),
            "nb_allocataires_ress": known,
            "nb_pers_couv_ress": count(rng, known * persons_per_household * 1.02),
            "all_bas_revenu": low,
            "pers_bas_revenu": count(rng, low * persons_per_household * 1.10),
        }
        # Keep the obvious inequalities true despite the noise.
        for name in [k for k in values if k.startswith("indfoy_") and k != "indfoy_ndur"]:
            values[name] = min(values[name], households)
        values["nb_allocataires_ress"] = min(known, households)
        values["nb_pers_couv_ress"] = min(values["nb_pers_couv_ress"], values["indnbp_ndur"])
        values["all_bas_revenu"] = min(low, values["nb_allocataires_ress"])
        values["pers_bas_revenu"] = min(values["pers_bas_revenu"], values["nb_pers_couv_ress"])
        benefits[year] = values
    return {"census": census, "places": places, "benefits": benefits}


def small_benefits(rng: random.Random, households: int) -> dict:
    """The 99999 (abroad) and XXXXX (unknown commune) rows: few households, mostly secret figures."""
    households = count(rng, households)
    rsa = count(rng, households * 0.05)
    ppa = count(rng, households * 0.15)
    return {
        "indfoy_ndur": households,
        "indnbp_ndur": count(rng, households * 1.8),
        "indfoy_af": count(rng, households * 0.15),
        "indfoy_cf": count(rng, 1),
        "indfoy_asf": count(rng, households * 0.04),
        "indfoy_ab": count(rng, 2),
        "indfoy_cmg": count(rng, 1),
        "indfoy_ndurpaje": count(rng, 3),
        "indfoy_apl": count(rng, households * 0.10),
        "indfoy_als": count(rng, households * 0.20),
        "indfoy_alf": count(rng, 2),
        "indfoy_ndural": count(rng, households * 0.32),
        "indfoy_rsa": rsa,
        "indfoy_ppa": ppa,
        "indmtt_rsa": rsa * rng.uniform(550, 650),
        "indmtt_ppa": ppa * rng.uniform(150, 190),
    }


# --- the files -----------------------------------------------------------------------------------------------

S_BEN_COLUMNS = list(JEUX["s_ben_com_f"].variables)  # the columns of data.caf.fr, in their order


def s_ben_row(year: int, code: str, name: str, values: dict) -> list:
    row = [f"{year}-12-31", code, name]
    for column in S_BEN_COLUMNS:
        if column == "indmtt_rsa":
            row.append(secret_amount(values[column], values["indfoy_rsa"]))
        elif column == "indmtt_ppa":
            row.append(secret_amount(values[column], values["indfoy_ppa"]))
        else:
            row.append(secret(values[column]))
    return row


def txcouv_values(places: dict, children: int) -> list:
    psu, hors_psu, prescol, am, gad = (places[c] for c in COMPONENTS)
    return [
        rate(psu, children),
        rate(hors_psu, children),
        rate(psu + hors_psu, children),
        rate(prescol, children),
        rate(am, children),
        rate(gad, children),
        rate(am + gad, children),
        rate(psu + hors_psu + prescol + am + gad, children),
    ]


def txcouv_header(level: str, code_columns: list[str]) -> list[str]:
    names = ["psu_col", "hors_psu_col", "eaje", "prescol", "am_ind", "gad_ind", "ind"]
    return ["annee", *code_columns, *[f"txcouv_{n}_{level}" for n in names], f"txcouv_{level}"]


def nbpla_header(level: str, code_columns: list[str]) -> list[str]:
    return ["annee", *code_columns, *[f"pl_{c}_{level}" for c in COMPONENTS], f"tot_offre_{level}"]


def add(total: dict, places: dict) -> None:
    for component in COMPONENTS:
        total[component] += places[component]


def build() -> dict:
    rng = random.Random(SEED)
    communes, epci_names, departement_name, france_population = territories()
    data = {c["code"]: generate_commune(rng, c) for c in communes}
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for old in OUTPUT.glob(f"{PREFIX}*.csv"):
        old.unlink()
    written = []

    # Census (fictitious age bands; P21_POP is the real 2023 municipal population of the territories snapshot).
    written.append(
        write_csv(
            "insee_pop_2021.csv",
            ["CODGEO", "LIBGEO", "P21_POP", "P21_POP0002", "P21_POP0305", "P21_POP0610", "P21_POP1117", "P21_POP1824"],
            [
                [c["code"], c["nom"], *(data[c["code"]]["census"][k] for k in data[c["code"]]["census"])]
                for c in communes
            ],
        )
    )

    # Childcare places and coverage rates, commune -> EPCI -> département -> France, from the true sums.
    nbpla = {"com": [], "epci": [], "dep": []}
    txcouv = {"com": [], "epci": [], "dep": [], "nat": []}
    summary = {}
    for year in YEARS:
        by_epci = defaultdict(lambda: dict.fromkeys(COMPONENTS, 0))
        children_epci = defaultdict(int)
        nord = dict.fromkeys(COMPONENTS, 0)
        children_nord = 0
        for c in communes:
            places = data[c["code"]]["places"][year]
            children = data[c["code"]]["census"]["pop0002"]
            total = sum(places.values())
            nbpla["com"].append([year, c["code"], c["nom"], *(secret(places[k]) for k in COMPONENTS), secret(total)])
            if int(c["population"] or 0) > TXCOUV_MIN_POPULATION:
                txcouv["com"].append([year, c["code"], c["nom"], *txcouv_values(places, children)])
            if c["epci"]:
                add(by_epci[c["epci"]], places)
                children_epci[c["epci"]] += children
            if c["departement"] == DEPARTEMENT:
                add(nord, places)
                children_nord += children
        for code in sorted(by_epci):
            places = by_epci[code]
            name = epci_names[code]
            nbpla["epci"].append([year, code, name, *(places[k] for k in COMPONENTS), sum(places.values())])
            txcouv["epci"].append([year, code, name, *txcouv_values(places, children_epci[code])])
        # The placeholder row of the real file, for places that could not be located in an EPCI.
        txcouv["epci"].append([year, "XX", "EPCI non déterminé", *[""] * 8])
        nbpla["dep"].append([year, DEPARTEMENT, departement_name, *(nord[k] for k in COMPONENTS), sum(nord.values())])
        txcouv["dep"].append([year, DEPARTEMENT, departement_name, *txcouv_values(nord, children_nord)])

        # France: the Nord scaled to the national population, and to about 60 places per 100 children.
        children_france = round(children_nord * france_population / sum_population_nord(communes))
        scale = NATIONAL_TARGET[year] / (100 * sum(nord.values()) / children_nord)
        france = {k: round(nord[k] * children_france / children_nord * scale) for k in COMPONENTS}
        txcouv["nat"].append([year, *txcouv_values(france, children_france)])
        summary[year] = {
            "nord": round(100 * sum(nord.values()) / children_nord, 1),
            "france": round(100 * sum(france.values()) / children_france, 1),
            "enfants_nord": children_nord,
            "places_nord": sum(nord.values()),
            "enfants_france": children_france,
            "places_france": sum(france.values()),
        }

    for level, code_columns in (("com", ["numcom", "nomcom"]), ("epci", ["numepci", "nomepci"])):
        written.append(write_csv(f"nbpla_pe_{level}.csv", nbpla_header(level, code_columns), nbpla[level]))
    written.append(write_csv("nbpla_pe_dep.csv", nbpla_header("dep", ["numdep", "nomdep"]), nbpla["dep"]))
    for level, code_columns in (
        ("com", ["numcom", "nomcom"]),
        ("epci", ["numepci", "nomepci"]),
        ("dep", ["numdep", "nomdep"]),
        ("nat", []),
    ):
        written.append(write_csv(f"txcouv_pe_{level}.csv", txcouv_header(level, code_columns), txcouv[level]))

    # Households by benefit (December), with the abroad (99999) and unknown commune (XXXXX) rows.
    rows = []
    for year in YEARS:
        for c in communes:
            rows.append(s_ben_row(year, c["code"], c["nom"], data[c["code"]]["benefits"][year]))
        rows.append(s_ben_row(year, "99999", "Étranger", small_benefits(rng, 60)))
        rows.append(s_ben_row(year, "XXXXX", "Commune inconnue", small_benefits(rng, 25)))
    written.append(write_csv("s_ben_com_f.csv", ["dtreffre", "numcomdo", "nomcom", *S_BEN_COLUMNS], rows))

    # Low incomes, one file per year as the old CKAN files.
    for year in YEARS:
        rows = []
        for c in communes:
            values = data[c["code"]]["benefits"][year]
            rows.append(
                [
                    c["nom"],
                    c["code"],
                    *(
                        secret(values[k])
                        for k in ("nb_allocataires_ress", "nb_pers_couv_ress", "all_bas_revenu", "pers_bas_revenu")
                    ),
                ]
            )
        header = ["Communes", "Codes_Insee", "NB_allocataires_ress", "NB_pers_couv_ress", "ALL_bas_revenu"]
        written.append(write_csv(f"Bas_revenu_Com_{year}.csv", [*header, "Pers_bas_revenu"], rows))

    write_readme(written, communes, epci_names, summary)
    return {"fichiers": {p.name: sha256(p) for p in written}, "taux": summary}


def sum_population_nord(communes: list[dict]) -> int:
    return sum(int(c["population"] or 0) for c in communes if c["departement"] == DEPARTEMENT)


# --- the notice ----------------------------------------------------------------------------------------------

README = """# ⚠️ DONNÉES FICTIVES — JEU DE DÉMONSTRATION ⚠️

**Tous les chiffres de ce dossier sont INVENTÉS.** Ils ne viennent ni de la Caf, ni de l'Onape, ni de l'Insee.
Ils servent à essayer CTG sans réseau, dans les vrais formats de fichiers. **Ne jamais les présenter, les citer
ni les diffuser comme des chiffres réels** : CTG les importe marqués « démonstration » et l'affiche sur chaque
page et chaque document qui s'en sert. Pour un vrai diagnostic, importez les fichiers réels de data.caf.fr et
de l'Insee (`ctg import_donnees FICHIER`).

## Ce que contient le jeu

{perimetre}, années {annees} :

| fichier | format réel imité | lignes |
|---|---|---|
{fichiers}

Le nom de chaque fichier est `DEMONSTRATION_` suivi du nom du fichier réel ; séparateur `;`, UTF-8.

## Comment les chiffres sont fabriqués

`data/construire_demo_caf.py` tire tous les chiffres avec un générateur pseudo-aléatoire à graine fixe
(`random.Random({graine})`), commune par commune dans l'ordre des codes, à partir de la seule donnée réelle
utilisée : la population municipale 2023 de `data/territoires/communes.csv` (reprise telle quelle en
`P21_POP`). Un indice de précarité fictif, propre à chaque commune, fait varier ensemble les chiffres d'une
même commune (plus de RSA et de bas revenus, plus d'enfants de 2 ans scolarisés, moins d'assistantes
maternelles là où il est haut).

- Enfants de 0 à 2 ans ≈ 3,3 % de la population (avec un bruit de type Poisson) ; mêmes tranches d'âge
  fictives pour 3–5, 6–10, 11–17 et 18–24 ans.
- Places d'accueil : crèches PSU (plus probables dans les grandes communes, au moins 10 places), micro-crèches
  hors PSU (par 10 places), scolarisation à 2 ans, assistantes maternelles (20 à 40 places pour 100 enfants),
  garde à domicile ; évolution fictive de 2021 à 2023 (plus de crèches, moins d'assistantes maternelles).
- Foyers allocataires ≈ 10 à 14 % de la population, personnes couvertes ≈ 2,4 par foyer ; chaque prestation
  est une part plausible des foyers ; montants de décembre ≈ 640 € par foyer au RSA, ≈ 185 € par foyer à la
  prime d'activité ; bas revenus ≈ 38 % des allocataires dont les ressources sont connues.

## Ce qui est vrai entre les fichiers

- Taux de couverture = places ÷ enfants de moins de 3 ans × 100 à tous les niveaux, les enfants étant
  `P21_POP0002` du fichier `insee_pop_2021` (les mêmes les trois années). Les taux sont arrondis à 0,1.
- Les lignes EPCI et département sont calculées à partir des **sommes** des vraies valeurs de leurs communes
  (jamais de moyennes de taux) ; les cinq composantes font le total (`tot_offre`), et
  `txcouv_eaje` = PSU + hors PSU, `txcouv_ind` = assistantes maternelles + garde à domicile.
- La ligne France (`txcouv_pe_nat`) est celle du Nord mise à l'échelle de la population française et d'environ
  60 places pour 100 enfants : {nationaux}.
- Taux du Nord : {nord}.
- Secret statistique, comme dans les fichiers Caf, **dans les fichiers communaux** : effectifs arrondis à 5,
  montants à 100 €, valeurs inférieures à 5 laissées **vides** (vide = secret, pas zéro ; un montant est vide
  quand l'effectif correspondant l'est). Les fichiers EPCI et département donnent les sommes exactes, d'où de
  petits écarts avec la somme des lignes communales publiées.
- Comme dans les vrais fichiers : `s_ben_com_f` a une ligne `99999` (allocataires résidant à l'étranger) et une
  ligne `XXXXX` (commune inconnue) par année ; `txcouv_pe_epci` a une ligne `XX` (EPCI non déterminé, vide) ;
  `txcouv_pe_com` n'a que les communes de plus de 10 000 habitants.
- L'EPCI {interdep} s'étend sur deux départements :
  ses communes hors du Nord figurent aussi dans les fichiers communaux, pour que chaque ligne EPCI soit la somme
  de communes publiées ; la ligne département ne compte que le Nord.

## Reconstruire

```sh
.venv/bin/python data/construire_demo_caf.py
```

Le script est déterministe : deux passages donnent les mêmes fichiers. Empreintes SHA-256 :

| fichier | SHA-256 |
|---|---|
{empreintes}
"""


def write_readme(written: list[Path], communes: list[dict], epci_names: dict, summary: dict) -> None:
    def lines(path: Path) -> int:
        with open(path, encoding="utf-8") as handle:
            return sum(1 for _ in handle) - 1

    nord = [c for c in communes if c["departement"] == DEPARTEMENT]
    others = [c for c in communes if c["departement"] != DEPARTEMENT]
    interdep = sorted({c["epci"] for c in others})
    text = README.format(
        perimetre=(
            f"Les {len(nord)} communes du Nord (59) et les {len(others)} communes hors Nord de leurs EPCI, "
            f"les {len(epci_names)} EPCI, le département et la France"
        ),
        annees=", ".join(str(y) for y in YEARS),
        fichiers="\n".join(f"| `{p.name}` | `{p.name.removeprefix(PREFIX)}` | {lines(p)} |" for p in written),
        graine=SEED,
        nationaux=", ".join(f"{y} : {s['france']}".replace(".", ",") for y, s in summary.items()),
        nord=", ".join(f"{y} : {s['nord']}".replace(".", ",") for y, s in summary.items()),
        interdep=", ".join(f"{epci_names[e]} ({e})" for e in interdep) or "—",
        empreintes="\n".join(f"| `{p.name}` | `{sha256(p)}` |" for p in written),
    )
    (OUTPUT / "LISEZMOI.md").write_text(text, encoding="utf-8")


def main() -> None:
    result = build()
    for year, values in result["taux"].items():
        print(f"{year} : taux de couverture Nord {values['nord']}, France {values['france']} (fictifs)")
    for name, digest in result["fichiers"].items():
        print(f"sha256 {name} {digest}")


if __name__ == "__main__":
    main()
