"""The loader of the FICTITIOUS financing data of the Cambrai demo convention (its content:
``ctg.demo.contenu.financement``): structures, managers, Cej references, actual funding.

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
from ctg.financement.models import (
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

from .contenu.financement import (
    BUDGETS_2026,
    CEJ,
    DEMO,
    FINANCEMENTS,
    GESTIONNAIRES,
    RICHESSES,
    SOURCE_RICHESSE,
    STRUCTURES,
)


def _nom(nom: str) -> str:
    return f"{nom} {DEMO}"


@transaction.atomic
def charger_demo_financement(convention: Convention) -> dict:
    """Create or reset the demo financing data of ``convention`` (idempotent); return what it holds."""
    with audit.par_commande("charger_demo"):
        resultat = _charger(convention)
        suivante = Convention.objects.filter(precedente=convention).first()
        if suivante is not None:
            from ctg.financement.regles import copier_pour_renouvellement

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
        from ctg.conventions.adhesions import enregistrer_adhesion

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
