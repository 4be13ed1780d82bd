"""FICTITIOUS financing data for the Cambrai demo convention: structures, managers, Cej references, actual funding.

Every name ends with "(démonstration)" and every row is flagged ``demonstration``: the communes are real members of
the CA de Cambrai, nothing else is. What the demo shows:

- Cambrai (adhesion set to "adhérée" by deliberation of 14/03/2022, former Cej commune): a multi-accueil in a QPV
  extended from 32 to 40 places on 1 September 2024 (8 new places at the top rate), a crèche with 4 employer
  places (CTRE), a relais petite enfance, a LAEP, a centre social (no bonus for that type); its 2024 funding falls
  short of its Cej commitment (alert, bonus "à vérifier"); the Caf verified 2023 as conforme.
- Iwuy and Neuville-Saint-Rémy: former Cej communes that have not adhered: their bonus is blocked, with the reason.
  Neuville's Cej runs until 2022: 2022 is still a Cej year.
- Proville: a new crèche opened in January 2026 in a commune that had no Cej (new places only).

Everything belongs to ``convention``; if the convention has already been renewed (the demo's 2027-2031 draft),
the renewal gets its explicit copy (``regles.copier_pour_renouvellement``). Call after ``creer_comptes_demo`` (the
Caf verification is recorded as done by the ``demo`` account). The history records the ``charger_demo`` command.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction

from ctg import audit
from ctg.comptes.models import Organisation
from ctg.conventions.models import Convention, StatutAdhesion

from .models import (
    Capacite,
    Cej,
    Conclusion,
    Document,
    FinancementReel,
    LigneCej,
    RichesseCommune,
    Structure,
    Verification,
)

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


def _nom(nom: str) -> str:
    return f"{nom} {DEMO}"


@transaction.atomic
def charger_demo_financement(convention: Convention) -> dict:
    """Create or reset the demo financing data of ``convention`` (idempotent); return what it holds."""
    with audit.par_commande("charger_demo"):
        resultat = _charger(convention)
        suivante = Convention.objects.filter(precedente=convention).first()
        if suivante is not None:
            from .regles import copier_pour_renouvellement

            resultat["renouvellement"] = copier_pour_renouvellement(convention, suivante)
    return resultat


def _mettre_a_jour(modele, cles: dict, valeurs: dict):
    """``update_or_create`` through ``save()`` (recorded in the history), changing only what differs."""
    objet = modele.objects.filter(**cles).first()
    if objet is None:
        objet = modele(**cles, **valeurs)
        objet.save()
        return objet
    if any(getattr(objet, champ) != valeur for champ, valeur in valeurs.items()):
        for champ, valeur in valeurs.items():
            setattr(objet, champ, valeur)
        if hasattr(objet, "version"):
            objet.version += 1
        objet.save()
    return objet


def _charger(convention: Convention) -> dict:
    gestionnaires = {
        cle: Organisation.objects.get_or_create(type=Organisation.Type.AUTRE, nom=nom)[0]
        for cle, nom in GESTIONNAIRES.items()
    }
    structures = {}
    for nom, type_, commune, gestionnaire, ouverture, qpv, capacites, desservies in STRUCTURES:
        structure = _mettre_a_jour(
            Structure,
            {"convention": convention, "nom": _nom(nom)},
            {
                "type": type_,
                "commune_id": commune,
                "gestionnaire": gestionnaires[gestionnaire],
                "date_ouverture": ouverture,
                "en_qpv": qpv,
                "psu": type_ == "eaje",
                "cofinancee": True,
                "demonstration": True,
            },
        )
        structure.communes_desservies.set(desservies)
        for ancienne in structure.capacites.exclude(depuis__in=[c[0] for c in capacites]):
            ancienne.delete()
        for depuis, places, employeurs, heures, etp in capacites:
            _mettre_a_jour(
                Capacite,
                {"structure": structure, "depuis": depuis},
                {"places": places, "places_employeurs": employeurs, "heures": heures, "etp": etp},
            )
        structures[nom] = structure
    for commune, intitule, debut, fin, reference, actions, lignes in CEJ:
        cej = _mettre_a_jour(
            Cej,
            {"convention": convention, "commune_id": commune, "intitule": _nom(intitule)},
            {
                "date_debut": debut,
                "date_fin": fin,
                "annee_reference": reference,
                "actions": f"{actions} {DEMO}",
                "commentaire": "Montants FICTIFS de démonstration.",
                "demonstration": True,
            },
        )
        for nom, montant, unites, engagement in lignes:
            _mettre_a_jour(
                LigneCej,
                {"cej": cej, "structure": structures[nom]},
                {
                    "montant_n1": Decimal(montant),
                    "unites_reference": Decimal(unites),
                    "engagement_commune": Decimal(engagement),
                },
            )
    for nom, annees in FINANCEMENTS.items():
        for annee, (commune, autres) in annees.items():
            _financement(structures[nom], annee, Document.COMPTE, commune, autres)
    for nom, (commune, autres) in BUDGETS_2026.items():
        _financement(structures[nom], 2026, Document.BUDGET, commune, autres)
    for code, (pf, revenu) in RICHESSES.items():
        _mettre_a_jour(
            RichesseCommune,
            {"commune_id": code, "annee": 2022},
            {
                "potentiel_financier": Decimal(pf),
                "revenu": Decimal(revenu),
                "source": SOURCE_RICHESSE,
                "demonstration": True,
            },
        )
    for adhesion in convention.adhesions.filter(commune_id__in=["59122", "59322", "59428"], ancienne_commune_cej=False):
        adhesion.ancienne_commune_cej = True
        adhesion.save()
    cambrai = convention.adhesions.filter(commune_id="59122", statut=StatutAdhesion.EN_ATTENTE).first()
    if cambrai is not None:
        from ctg.conventions.cycle import enregistrer_adhesion

        cambrai.commentaire = f"Adhésion {DEMO}"
        enregistrer_adhesion(cambrai, {"statut": StatutAdhesion.ADHEREE, "date_deliberation": date(2022, 3, 14)})
    conseillere = get_user_model().objects.filter(username="demo").first()
    if (
        conseillere is not None
        and not Verification.objects.filter(
            convention=convention, commune_id="59122", annee=2023, demonstration=True
        ).exists()
    ):
        Verification(
            convention=convention,
            commune_id="59122",
            annee=2023,
            conclusion=Conclusion.CONFORME,
            documents=(
                f"Comptes de résultat 2023 du multi-accueil Les Lucioles et de la crèche Les Petits Pas {DEMO}\n"
                f"Compte de résultat 2023 du relais petite enfance {DEMO}"
            ),
            commentaire=f"Financement de la commune supérieur à l'engagement du Cej {DEMO}.",
            verifie_par=conseillere,
            demonstration=True,
        ).save()
    return {"structures": len(structures), "cej": len(CEJ), "gestionnaires": len(gestionnaires)}


def _financement(structure, annee, document, commune, autres):
    _mettre_a_jour(
        FinancementReel,
        {"structure": structure, "annee": annee, "document": document},
        {
            "montant_commune": Decimal(commune),
            "montant_autres": Decimal(autres),
            "origine": f"jeu {DEMO}",
            "demonstration": True,
        },
    )
