from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ctg.conventions.perms import conventions_visibles, peut_creer_convention
from ctg.territoires.models import Epci


@login_required
def accueil(request):
    """What the signed-in user can open."""
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
