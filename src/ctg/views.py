from datetime import date

from django.shortcuts import render

from ctg.conventions.perms import conventions_visibles, peut_creer_convention
from ctg.glossaire import TERMES
from ctg.territoires.models import Epci


def accueil(request):
    """What the signed-in user can open; to a visitor, what the product is and what they may read without an
    account."""
    if not request.user.is_authenticated:
        return render(request, "accueil_public.html", {"nombre_epci": Epci.objects.count()})
    rubriques = [
        {
            "titre": "Conventions",
            "texte": "Les conventions territoriales globales auxquelles vous participez : échéances, adhésions des "
            "communes, avenants, documents signés.",
            "url": "conventions:liste",
        },
        {
            "titre": "Territoires",
            "texte": "Rechercher une commune, une intercommunalité (EPCI) ou un département, "
            "voir ses communes, leur population, la carte, et ouvrir son diagnostic.",
            "url": "territoires:recherche",
        },
    ]
    # Read with their status as of today (computed: nothing is written when a page is opened).
    conventions = conventions_visibles(request.user).select_related(
        "caf", "epci", "resiliation", "suivante", "suivante__resiliation"
    )[:20]
    return render(
        request,
        "accueil.html",
        {
            "rubriques": rubriques,
            "conventions": conventions,
            "peut_creer": peut_creer_convention(request.user),
            "nombre_epci": Epci.objects.count(),
        },
    )


# The audit the accessibility statement reports (replayed by tests/e2e/test_accessibilite.py on the same pages).
AUDIT_ACCESSIBILITE = {
    "date": date(2026, 11, 30),
    "outil": "axe-core 4.14.1",
    "pages": [
        "Accueil",
        "Tableau de bord d'une convention",
        "Modification d'une convention (formulaire, signataires)",
        "Adhésion des communes (annexe 4)",
        "Diagnostic territorial d'une intercommunalité (carte et tableaux)",
        "Tableau des actions du plan",
        "Modification d'une fiche action (jalons, budget)",
        "Comité de pilotage",
        "Financement d'une convention",
        "Portefeuille d'une Caf",
        "Données ouvertes",
        "Déclaration d'accessibilité",
    ],
}


def accessibilite(request):
    """The accessibility statement (RGAA 4.1 model), public: no sign-in needed to read it."""
    return render(request, "accessibilite.html", {"audit": AUDIT_ACCESSIBILITE})


def glossaire(request):
    """The words of a CTG and where they come from, public like the accessibility statement."""
    return render(request, "glossaire.html", {"termes": TERMES})
