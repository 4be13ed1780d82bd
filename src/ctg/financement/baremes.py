"""The rates table: the seeded reference rows (with their sources), lookup by date, and revision with history.

Nothing here is a constant of the computation: every amount, threshold, unit and rounding is a ``Bareme`` row that
a Caf administrator can revise from a date. The rows below are only the initial content, loaded by the migration
``0002_baremes_initiaux`` and by ``semer_baremes`` (idempotent). Rows marked ``a_confirmer`` are documented
defaults where the public sources give no precise value.

Reference date: the computation for year Y takes the row valid on **1 January of Y** (``jour_reference``). A rate
revised from 1 January 2026 therefore changes 2026 and later years only; one revised from 1 July 2026 applies from
2027 on.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

SOURCE_CIRCULAIRE_2020 = (
    "Cnaf, circulaire du 16 janvier 2020 sur le déploiement des conventions territoriales globales et les "
    "nouvelles modalités de financement remplaçant les contrats enfance jeunesse"
)
SOURCE_REBOND = "Cnaf, circulaire 2021-004 (Plan rebond petite enfance)"
SOURCE_CAF_FR = (
    "caf.fr, pages partenaires « Bonus territoire et contrat territorial réservataire EAJE » "
    "(par exemple Caf de Saône-et-Loire)"
)
SOURCE_ARTICLE_5 = (
    "Convention CTG Caf du Nord × CA de Cambrai (2021), article 5 et sa note 2 (montant comptabilisé par la Caf en "
    "N-1, charges à payer)"
)
SOURCE_TRAJECTOIRE = "Cnaf, bonus « trajectoire de développement » des places d'EAJE (annoncé fin 2025)"
SOURCE_DEFAUT_CTG = "Valeur par défaut de CTG, faute de source publique précise"

NOTE_ARRONDI = "Arrondi non précisé par la source : au centime le plus proche (demi au-dessus) par défaut."
NOTE_TRANCHES = (
    "Le montant par place nouvelle varie de {bas} à {haut} selon la richesse du territoire (potentiel financier "
    "et revenu par habitant) ; le taux maximal s'applique aussi aux places situées en QPV ou en ZRR. "
    "À CONFIRMER : la répartition en trois tranches, le montant intermédiaire et les seuils (potentiel financier "
    "et revenu par habitant) ne sont pas publiés ; ce sont des valeurs par défaut de CTG, à remplacer par celles "
    "de la Caf."
)
NOTE_INCERTAIN = (
    "INCERTAIN : la formule de conversion du Cej en bonus pour ce type de structure (à l'heure, à l'ETP…) n'a pas "
    "été trouvée dans les sources. Par défaut, le montant N-1 de la structure est reporté tel quel (forfait). "
    "À confirmer ; un administrateur Caf peut le remplacer à partir d'une date par un taux à l'heure ou à l'ETP."
)

# (type, nature, unite, tranche, montant, seuil PF, seuil revenu, seuil croissance, annee base, du, au,
#  source, note, a_confirmer)
BAREMES_INITIAUX = [
    (
        "eaje",
        "report_n1",
        "place",
        "",
        None,
        None,
        None,
        None,
        None,
        date(2020, 1, 1),
        None,
        f"{SOURCE_ARTICLE_5} ; {SOURCE_CAF_FR}",
        "Les places existantes reprennent le montant N-1 (ou les derniers montants du Cej), lissé sur le territoire "
        "de compétence (la commune, ou l'EPCI quand la compétence lui a été transférée) : montant des EAJE de ce "
        "territoire ÷ leurs places de référence, multiplié par les places existantes de chaque structure. "
        + NOTE_ARRONDI,
        False,
    ),
    *[
        (
            type_,
            "report_n1",
            "forfait",
            "",
            None,
            None,
            None,
            None,
            None,
            date(2020, 1, 1),
            None,
            SOURCE_ARTICLE_5,
            NOTE_INCERTAIN,
            True,
        )
        for type_ in ("alsh", "laep", "rpe")
    ],
    *[
        (
            "eaje",
            "revalorisation",
            "pourcentage",
            "",
            Decimal("0"),
            None,
            None,
            None,
            None,
            date(annee, 1, 1),
            date(annee, 12, 31),
            SOURCE_CAF_FR,
            f"Revalorisation annuelle des montants des places existantes prévue sur 2025-2027 (source). Taux {annee} "
            "non publié dans les sources consultées : 0 % par défaut, À CONFIRMER et à renseigner.",
            True,
        )
        for annee in (2025, 2026, 2027)
    ],
    *[
        (
            "eaje",
            "nouvelles_unites",
            "place",
            tranche,
            Decimal(montant),
            pf,
            revenu,
            None,
            None,
            date(2020, 1, 1),
            date(2020, 12, 31),
            f"{SOURCE_CIRCULAIRE_2020} ; {SOURCE_DEFAUT_CTG} pour les seuils",
            NOTE_TRANCHES.format(bas="2 100 €", haut="3 100 € (avant 2021)"),
            True,
        )
        for tranche, montant, pf, revenu in (
            ("Tranche 1 (territoire le moins favorisé)", "3100", Decimal("900"), Decimal("13000")),
            ("Tranche 2 (intermédiaire)", "2600", Decimal("1200"), Decimal("16000")),
            ("Tranche 3 (autres territoires)", "2100", None, None),
        )
    ],
    *[
        (
            "eaje",
            "nouvelles_unites",
            "place",
            tranche,
            Decimal(montant),
            pf,
            revenu,
            None,
            None,
            date(2021, 1, 1),
            None,
            f"{SOURCE_REBOND} ; {SOURCE_CAF_FR} ; {SOURCE_DEFAUT_CTG} pour les seuils",
            NOTE_TRANCHES.format(bas="2 600 €", haut="3 600 €"),
            True,
        )
        for tranche, montant, pf, revenu in (
            ("Tranche 1 (territoire le moins favorisé)", "3600", Decimal("900"), Decimal("13000")),
            ("Tranche 2 (intermédiaire)", "3100", Decimal("1200"), Decimal("16000")),
            ("Tranche 3 (autres territoires)", "2600", None, None),
        )
    ],
    (
        "eaje",
        "place_employeur",
        "place",
        "",
        Decimal("2800"),
        None,
        None,
        None,
        None,
        date(2025, 1, 1),
        date(2025, 12, 31),
        SOURCE_CAF_FR,
        "Places nouvelles réservées par des employeurs (contrat territorial réservataire, CTRE) : montant "
        "forfaitaire unique de 2 800 € en 2025. Hors bonus territoire : ne dépend pas de l'adhésion de la commune.",
        False,
    ),
    (
        "eaje",
        "place_employeur",
        "place",
        "",
        Decimal("2800"),
        None,
        None,
        None,
        None,
        date(2026, 1, 1),
        None,
        f"{SOURCE_CAF_FR} ; {SOURCE_DEFAUT_CTG}",
        "Montant 2026 et suivants non publié dans les sources consultées : le montant 2025 est reconduit par défaut, "
        "À CONFIRMER.",
        True,
    ),
    *[
        (
            "eaje",
            "trajectoire",
            "place",
            palier,
            Decimal(montant),
            None,
            None,
            Decimal(seuil),
            2023,
            date(2025, 1, 1),
            date(2027, 12, 31),
            SOURCE_TRAJECTOIRE,
            "Quand les places d'EAJE cofinancées du territoire de la CTG progressent entre 2023 et 2027 de +4 %, "
            "+8 % ou +12 %, chaque place PSU bénéficiant du bonus territoire reçoit +100 €, +200 € ou +300 € "
            "(le palier le plus haut atteint). CTG mesure la progression entre 2023 et l'année calculée. "
            "Application dès l'exercice 2025 : À CONFIRMER.",
            True,
        )
        for palier, montant, seuil in (
            ("Palier +4 %", "100", "4"),
            ("Palier +8 %", "200", "8"),
            ("Palier +12 %", "300", "12"),
        )
    ],
]

CHAMPS_INITIAUX = (
    "type_structure",
    "nature",
    "unite",
    "tranche",
    "montant",
    "seuil_potentiel_financier",
    "seuil_revenu",
    "seuil_croissance",
    "annee_base",
    "valide_du",
    "valide_au",
    "source",
    "note",
    "a_confirmer",
)


def semer_baremes(modele=None) -> int:
    """Create the initial rows that are missing (same key and start date); return how many were created.

    ``modele`` is the model class (the historical one in a migration)."""
    if modele is None:
        from .models import Bareme as modele
    crees = 0
    for ligne in BAREMES_INITIAUX:
        valeurs = dict(zip(CHAMPS_INITIAUX, ligne, strict=True))
        cle = {k: valeurs[k] for k in ("type_structure", "nature", "unite", "tranche", "valide_du")}
        if not modele.objects.filter(**cle).exists():
            modele.objects.create(**valeurs)
            crees += 1
    return crees


def source_courte(bareme) -> str:
    """The first source of a rate, for the explanations (the rates table shows them all)."""
    return bareme.source.split(" ; ")[0]


def jour_reference(annee: int) -> date:
    """The day whose rates apply to year ``annee``: 1 January."""
    return date(annee, 1, 1)


def valables(baremes, type_structure: str, nature: str, jour: date) -> list:
    """The rows of ``baremes`` (an iterable of ``Bareme``) of that type and nature valid on ``jour``."""
    return [b for b in baremes if b.type_structure == type_structure and b.nature == nature and b.valable_le(jour)]


@transaction.atomic
def reviser(ancien, *, valide_du: date, par=None, **valeurs):
    """Revise a rate from ``valide_du``: the current row ends the day before, a new row starts (history kept).

    ``valeurs`` are the fields that change (montant, seuils, arrondi, source, note, a_confirmer…); the key (type,
    nature, unit, tranche) stays. The new row ends when the old one ended. A revision from the old row's own start
    date is a correction: the old row stays in the history, replaced before it applied (its end precedes its start).
    """
    from .models import Bareme

    ancien = Bareme.objects.select_for_update().get(pk=ancien.pk)
    if valide_du < ancien.valide_du:
        raise ValidationError(
            f"La nouvelle valeur commence au plus tôt le {ancien.valide_du:%d/%m/%Y}, début du taux actuel."
        )
    if ancien.valide_au and valide_du > ancien.valide_au:
        raise ValidationError(
            f"Ce taux a pris fin le {ancien.valide_au:%d/%m/%Y} : ajoutez un nouveau taux plutôt que de le réviser."
        )
    champs = [f.name for f in Bareme._meta.concrete_fields if f.name not in {"id", "cree_le"}]
    donnees = {nom: getattr(ancien, nom) for nom in champs}
    donnees.update(valeurs)
    donnees.update(valide_du=valide_du, valide_au=ancien.valide_au, remplace=ancien, cree_par=par)
    ancien.valide_au = valide_du - timedelta(days=1)
    ancien.save(update_fields=["valide_au"])
    nouveau = Bareme(**donnees)
    nouveau.full_clean()
    nouveau.save()
    return nouveau


def historique(bareme) -> list:
    """Every row of the same key, oldest first."""
    from .models import Bareme

    return list(
        Bareme.objects.filter(
            type_structure=bareme.type_structure, nature=bareme.nature, unite=bareme.unite, tranche=bareme.tranche
        ).order_by("valide_du")
    )
