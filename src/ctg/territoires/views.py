import json

from django.contrib.auth.decorators import login_required
from django.db.models import F
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from .fiches import communes_de_epci, mention_source
from .models import Commune, Departement, Epci
from .recherche import rechercher

TRIS_COMMUNES = {"nom", "code", "population", "part_epci"}


@login_required
@require_GET
def recherche(request):
    q = request.GET.get("q", "").strip()
    resultats = rechercher(q) if q else None
    contexte = {"q": q, "resultats": resultats, "source": mention_source()}
    if request.htmx:
        return render(request, "territoires/_resultats.html", contexte)
    return render(request, "territoires/recherche.html", contexte)


def _trier(lignes: list[dict], tri: str, ordre: str) -> list[dict]:
    if tri not in TRIS_COMMUNES:
        tri = "nom"
    inverse = ordre == "desc"
    presentes = [ligne for ligne in lignes if ligne[tri] is not None]
    absentes = [ligne for ligne in lignes if ligne[tri] is None]
    cle = (lambda ligne: ligne["nom"].lower()) if tri == "nom" else (lambda ligne: ligne[tri])
    return sorted(presentes, key=cle, reverse=inverse) + absentes


@login_required
@require_GET
def epci(request, code):
    objet = get_object_or_404(Epci, code=code)
    tri = request.GET.get("tri", "population")
    ordre = request.GET.get("ordre", "desc" if tri in {"population", "part_epci"} else "asc")
    communes = _trier(communes_de_epci(objet), tri, ordre)
    departements = Departement.objects.filter(communes__epci=objet).distinct().order_by("code")
    contexte = {
        "epci": objet,
        "communes": communes,
        "tri": tri if tri in TRIS_COMMUNES else "nom",
        "ordre": ordre,
        "departements": departements,
        "source": mention_source(),
    }
    if request.htmx:
        return render(request, "territoires/_table_communes.html", contexte)
    return render(request, "territoires/epci.html", contexte)


def _feature(code: str, nom: str, forme: str, proprietes: dict) -> str:
    # Shapes are stored as GeoJSON text: they are spliced in as they are, never parsed again.
    return (
        '{"type":"Feature","properties":'
        + json.dumps({"code": code, "nom": nom, **proprietes}, ensure_ascii=False, separators=(",", ":"))
        + ',"geometry":'
        + (forme or "null")
        + "}"
    )


def _collection(features: list[str]) -> HttpResponse:
    corps = '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"
    response = HttpResponse(corps, content_type="application/geo+json")
    response["Cache-Control"] = "private, max-age=3600"
    return response


@login_required
@require_GET
def epci_carte(request, code):
    objet = get_object_or_404(Epci, code=code)
    lignes = objet.communes.values_list("code", "nom", "population", "forme")
    features = [
        _feature(c, nom, forme, {"population": pop, "url": reverse("territoires:commune", args=[c])})
        for c, nom, pop, forme in lignes
    ]
    return _collection(features)


@login_required
@require_GET
def commune(request, code):
    objet = get_object_or_404(Commune.objects.select_related("epci", "departement", "region"), code=code)
    part = None
    if objet.epci and objet.epci.population and objet.population is not None:
        part = round(100 * objet.population / objet.epci.population, 2)
    return render(
        request, "territoires/commune.html", {"commune": objet, "part_epci": part, "source": mention_source()}
    )


@login_required
@require_GET
def commune_carte(request, code):
    objet = get_object_or_404(Commune, code=code)
    if not objet.forme:
        raise Http404("Pas de contour pour cette commune.")
    return _collection([_feature(objet.code, objet.nom, objet.forme, {"population": objet.population})])


@login_required
@require_GET
def departement(request, code):
    objet = get_object_or_404(Departement.objects.select_related("region"), code=code)
    epcis = (
        Epci.objects.filter(communes__departement=objet)
        .distinct()
        .order_by(F("population").desc(nulls_last=True), "nom")
    )
    return render(
        request,
        "territoires/departement.html",
        {
            "departement": objet,
            "epcis": epcis,
            "nombre_communes": objet.communes.count(),
            "sans_epci": objet.communes.filter(epci=None).order_by("nom"),
            "source": mention_source(),
        },
    )


@login_required
@require_GET
def departement_carte(request, code):
    objet = get_object_or_404(Departement, code=code)
    epcis = (
        Epci.objects.filter(communes__departement=objet).distinct().values_list("code", "nom", "population", "forme")
    )
    features = [
        _feature(c, nom, forme, {"population": pop, "url": reverse("territoires:epci", args=[c])})
        for c, nom, pop, forme in epcis
    ]
    return _collection(features)
