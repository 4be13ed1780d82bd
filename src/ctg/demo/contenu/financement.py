"""The FICTITIOUS financing content of the Cambrai demo convention (loaded by ``ctg.demo.financement``): managers,
structures and their capacities, Cej references, actual funding, budgets and communes' wealth. The communes are real
members of the CA de Cambrai, nothing else is: every name ends with "(démonstration)".
"""

from datetime import date
from decimal import Decimal

DEMO = "(démonstration)"
SOURCE_RICHESSE = "valeur FICTIVE de démonstration (à remplacer par les fiches DGF de la DGCL)"

GESTIONNAIRES = {
    "asso": f"Association Petite Enfance du Cambrésis {DEMO}",
    "regie": f"Régie municipale petite enfance de Cambrai {DEMO}",
    "cs": f"Association du centre social Les Tilleuls {DEMO}",
    "loisirs": f"Association Loisirs et Jeunesse {DEMO}",
    "prive": f"Crèches du Nord SAS {DEMO}",
}

# name, type, commune, manager, ouverture, QPV, capacities [(depuis, places, employeurs, heures, etp)], desservies
STRUCTURES = [
    ("Multi-accueil Les Lucioles", "eaje", "59122", "asso", date(2010, 9, 1), True,
     [(date(2010, 9, 1), 32, 0, None, None), (date(2024, 9, 1), 40, 0, None, None)], []),
    ("Crèche Les Petits Pas", "eaje", "59122", "regie", date(2005, 1, 3), False,
     [(date(2005, 1, 3), 24, 4, None, None)], []),
    ("Relais petite enfance du Cambrésis", "rpe", "59122", "asso", date(2012, 1, 2), False,
     [(date(2012, 1, 2), 0, 0, None, Decimal("2"))], ["59476", "59206", "59428"]),
    ("LAEP La Parenthèse", "laep", "59122", "cs", date(2016, 3, 1), False,
     [(date(2016, 3, 1), 0, 0, Decimal("420"), None)], []),
    ("Centre social Les Tilleuls", "centre_social", "59122", "cs", date(1998, 9, 1), True,
     [(date(1998, 9, 1), 0, 0, None, Decimal("6.5"))], []),
    ("Multi-accueil Les Mésanges", "eaje", "59322", "asso", date(2008, 1, 7), False,
     [(date(2008, 1, 7), 20, 0, None, None)], []),
    ("Accueil de loisirs d'Iwuy", "alsh", "59322", "loisirs", date(2001, 7, 1), False,
     [(date(2001, 7, 1), 0, 0, Decimal("9000"), None)], []),
    ("Micro-crèche Les Coccinelles", "eaje", "59428", "asso", date(2017, 9, 4), False,
     [(date(2017, 9, 4), 12, 0, None, None)], []),
    ("Accueil de loisirs des Marronniers", "alsh", "59428", "loisirs", date(2003, 7, 1), False,
     [(date(2003, 7, 1), 0, 0, Decimal("7500"), None)], []),
    ("Crèche Les Hirondelles", "eaje", "59476", "prive", date(2026, 1, 5), False,
     [(date(2026, 1, 5), 15, 0, None, None)], []),
]  # fmt: skip

# commune, intitule, debut, fin, annee_reference, actions, lines [(structure, montant N-1, unites, engagement)]
CEJ = [
    ("59122", "Cej 2018-2021 de Cambrai", date(2018, 1, 1), date(2021, 12, 31), 2021,
     "Multi-accueil et crèche municipale, relais assistantes maternelles, lieu d'accueil enfants-parents",
     [("Multi-accueil Les Lucioles", "96000", "32", "150000"), ("Crèche Les Petits Pas", "48000", "20", "90000"),
      ("Relais petite enfance du Cambrésis", "18000", "0", "25000"), ("LAEP La Parenthèse", "6000", "0", "8000")]),
    ("59322", "Cej 2017-2020 d'Iwuy", date(2017, 1, 1), date(2020, 12, 31), 2020,
     "Multi-accueil, accueil de loisirs des vacances et du mercredi",
     [("Multi-accueil Les Mésanges", "40000", "20", "60000"), ("Accueil de loisirs d'Iwuy", "12000", "0", "20000")]),
    ("59428", "Cej 2019-2022 de Neuville-Saint-Rémy", date(2019, 1, 1), date(2022, 12, 31), 2022,
     "Micro-crèche, accueil de loisirs",
     [("Micro-crèche Les Coccinelles", "30000", "12", "45000"),
      ("Accueil de loisirs des Marronniers", "15000", "0", "22000")]),
]  # fmt: skip

# structure -> {year: (commune funding, other financers)}, comptes de résultat; Cambrai's 2024 is short
FINANCEMENTS = {
    "Multi-accueil Les Lucioles": {2023: (152000, 41000), 2024: (141500, 43500), 2025: (158000, 46000)},
    "Crèche Les Petits Pas": {2023: (91000, 22000), 2024: (88000, 22500), 2025: (92000, 23000)},
    "Relais petite enfance du Cambrésis": {2023: (25000, 9000), 2024: (25000, 9000), 2025: (25500, 9500)},
    "LAEP La Parenthèse": {2023: (8000, 3000), 2024: (8000, 3100), 2025: (8200, 3100)},
    "Centre social Les Tilleuls": {2023: (40000, 65000), 2024: (40000, 66000), 2025: (41000, 67000)},
    "Multi-accueil Les Mésanges": {2023: (61000, 18000), 2024: (60500, 18500), 2025: (62000, 19000)},
    "Accueil de loisirs d'Iwuy": {2023: (20000, 7000), 2024: (20000, 7200), 2025: (20000, 7400)},
    "Micro-crèche Les Coccinelles": {2023: (45500, 9000), 2024: (46000, 9200), 2025: (46500, 9300)},
    "Accueil de loisirs des Marronniers": {2023: (22000, 6000), 2024: (22000, 6100), 2025: (22500, 6200)},
}
BUDGETS_2026 = {
    "Multi-accueil Les Lucioles": (160000, 47000),
    "Crèche Les Petits Pas": (93000, 23500),
    "Relais petite enfance du Cambrésis": (26000, 9500),
    "LAEP La Parenthèse": (8500, 3200),
    "Centre social Les Tilleuls": (41500, 68000),
    "Multi-accueil Les Mésanges": (62500, 19500),
    "Accueil de loisirs d'Iwuy": (20500, 7500),
    "Micro-crèche Les Coccinelles": (47000, 9500),
    "Accueil de loisirs des Marronniers": (22500, 6300),
    "Crèche Les Hirondelles": (30000, 12000),
}
RICHESSES = {"59122": ("980", "11900"), "59322": ("720", "12100"), "59428": ("690", "12400"), "59476": ("760", "14800")}
