from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from ctg.territoires.models import Epci


@login_required
def accueil(request):
    """What the signed-in user can open."""
    rubriques = [
        {
            "titre": "Territoires",
            "texte": "Rechercher une commune, une intercommunalité (EPCI) ou un département, "
            "voir ses communes, leur population et la carte.",
            "url": "territoires:recherche",
        },
    ]
    return render(request, "accueil.html", {"rubriques": rubriques, "nombre_epci": Epci.objects.count()})
