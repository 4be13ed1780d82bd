from urllib.parse import urlencode

from django.db.models import prefetch_related_objects
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from ctg.formats import trier_par_nom

from . import extensions, tableaux
from .fiches import communes_de_epci, mention_source
from .geojson import collection, feature
from .legende import classer
from .models import Commune, Departement, Epci
from .recherche import rechercher

TRIS_COMMUNES = {cle for cle, _, _ in tableaux.COLONNES_COMMUNES}


@require_GET
def recherche(request):
    q = request.GET.get("q", "").strip()
    resultats = rechercher(q) if q else None
    contexte = {"q": q, "resultats": resultats, "source": mention_source()}
    if request.htmx:
        return render(request, "territoires/_resultats.html", contexte)
    return render(request, "territoires/recherche.html", contexte)


@require_GET
def diagnostic(request):
    """Find a territory to open its diagnostic (the home page's search "Diagnostic d'un territoire"): the search of
    territories, whose results lead to the diagnostic pages. One intercommunalité found, and nothing else: its
    diagnostic directly."""
    q = request.GET.get("q", "").strip()
    resultats = rechercher(q) if q else None
    if resultats:
        prefetch_related_objects(resultats["communes"], "epci")
    if resultats and len(resultats["epci"]) == 1 and not resultats["communes"] and not resultats["departements"]:
        if not request.htmx:
            return redirect("diagnostic:epci", code=resultats["epci"][0].code)
    contexte = {"q": q, "resultats": resultats, "source": mention_source(), "pour_diagnostic": True}
    if request.htmx:
        return render(request, "territoires/_resultats.html", contexte)
    return render(request, "territoires/diagnostic.html", contexte)


@require_GET
def epci(request, code):
    objet = get_object_or_404(Epci, code=code)
    tri = request.GET.get("tri", "population")
    ordre = request.GET.get("ordre", "desc" if tri in {"population", "part_epci"} else "asc")
    communes = tableaux.trier_communes(communes_de_epci(objet), tri, ordre)
    departements = Departement.objects.filter(communes__epci=objet).distinct().order_by("code")
    contexte = {
        "epci": objet,
        "communes": communes,
        "tri": tri if tri in TRIS_COMMUNES else "nom",
        "ordre": ordre,
        "colonnes": tableaux.COLONNES_COMMUNES,
        "parametres_export": urlencode({"tri": tri, "ordre": ordre}),
        "departements": departements,
        "source": mention_source(),
    }
    if request.htmx:
        return render(request, "territoires/_table_communes.html", contexte)
    contexte["conventions"] = extensions.conventions(request.user, [objet])[objet.code]
    contexte["peut_creer"] = extensions.peut_creer_convention(request.user, objet)
    return render(request, "territoires/epci.html", contexte)


@require_GET
def epci_carte(request, code):
    objet = get_object_or_404(Epci, code=code)
    lignes = list(objet.communes.values_list("code", "nom", "population", "forme"))
    classes, indices = classer([pop for _, _, pop, _ in lignes])
    features = [
        feature(c, nom, forme, {"population": pop, "classe": i, "url": reverse("territoires:commune", args=[c])})
        for (c, nom, pop, forme), i in zip(lignes, indices, strict=True)
    ]
    return collection(features, classes)


@require_GET
def commune(request, code):
    objet = get_object_or_404(Commune.objects.select_related("epci", "departement", "region"), code=code)
    part = None
    if objet.epci and objet.epci.population and objet.population is not None:
        part = round(100 * objet.population / objet.epci.population, 2)
    return render(
        request,
        "territoires/commune.html",
        {
            "commune": objet,
            "part_epci": part,
            "source": mention_source(),
            "conventions": extensions.conventions(request.user, [objet.epci])[objet.epci.code] if objet.epci else [],
        },
    )


@require_GET
def commune_carte(request, code):
    objet = get_object_or_404(Commune, code=code)
    if not objet.forme:
        raise Http404("Pas de contour pour cette commune.")
    return collection([feature(objet.code, objet.nom, objet.forme, {"population": objet.population})])


@require_GET
def departement(request, code):
    objet = get_object_or_404(Departement.objects.select_related("region"), code=code)
    epcis = tableaux.epcis_du_departement(objet)
    par_epci = extensions.conventions(request.user, epcis)
    for e in epcis:
        e.conventions_visibles = par_epci[e.code]
    return render(
        request,
        "territoires/departement.html",
        {
            "departement": objet,
            "epcis": epcis,
            "nombre_communes": objet.communes.count(),
            "sans_epci": trier_par_nom(objet.communes.filter(epci=None)),
            "conventions": any(par_epci.values()),
            "source": mention_source(),
            "colonnes_epci": tableaux.COLONNES_EPCI,
        },
    )


@require_GET
def departement_carte(request, code):
    objet = get_object_or_404(Departement, code=code)
    epcis = list(
        Epci.objects.filter(communes__departement=objet).distinct().values_list("code", "nom", "population", "forme")
    )
    classes, indices = classer([pop for _, _, pop, _ in epcis])
    features = [
        feature(c, nom, forme, {"population": pop, "classe": i, "url": reverse("territoires:epci", args=[c])})
        for (c, nom, pop, forme), i in zip(epcis, indices, strict=True)
    ]
    return collection(features, classes)
