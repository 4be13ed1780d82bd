"""Pages of the diagnostic: the shared diagnostic of a convention, and the territorial diagnostic from open data."""

from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_replace
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ctg import horloge
from ctg.concurrence import VersionPerimee
from ctg.conventions import perms as perms_convention
from ctg.conventions.acces import convention_visible, exiger
from ctg.conventions.models import Domaine
from ctg.etats import a_la_permission
from ctg.formats import trier_par_nom
from ctg.televersement import reponse_fichier

from . import perms
from .exports import ENTETES_BESOINS, besoins_de, entetes_indicateurs
from .forms import ContributionForm, DateForm, SyntheseForm
from .models import Besoin, Etat, StatutDiagnostic
from .partage import (
    ChangementImpossible,
    changer_statut,
    diagnostic_de,
    enregistrer_besoin,
    enregistrer_contribution,
    enregistrer_texte,
    etat_du_diagnostic,
    formulaire_besoin,
    supprimer_besoin,
)


def _refuser(request, exc, objet):
    messages.error(request, exc.texte)
    return redirect("diagnostic:convention", pk=objet.pk)


@login_required
@require_http_methods(["GET", "POST"])
def convention(request, pk):
    objet = convention_visible(request, pk)
    diagnostic = diagnostic_de(objet)
    peut_rediger = perms.peut_rediger(request.user, objet)
    form = SyntheseForm(request.POST or None, instance=diagnostic)
    if request.method == "POST":
        exiger(peut_rediger)
        if not diagnostic.modifiable:
            return _refuser(request, diagnostic.refus_de_modification(), objet)
        if form.is_valid():
            try:
                enregistrer_texte(form, par=request.user)
            except VersionPerimee:
                pass  # saved by someone else since the form was displayed: the form carries what changed
            except ChangementImpossible as exc:  # submitted or validated in the meantime
                form.add_error(None, exc)
            else:
                messages.success(request, "Diagnostic enregistré.")
                return redirect("diagnostic:convention", pk=objet.pk)
        diagnostic.refresh_from_db()
    libelles = dict(Domaine.choices)
    commentaires = {c.domaine: c.texte for c in diagnostic.commentaires.all()}
    return render(
        request,
        "diagnostic/convention.html",
        {
            "convention": objet,
            "diagnostic": diagnostic,
            "etat": etat_du_diagnostic(diagnostic),
            "form": form,
            "peut_modifier": peut_rediger and diagnostic.modifiable,
            "peut_rediger": peut_rediger,
            "peut_soumettre": diagnostic.statut == StatutDiagnostic.BROUILLON
            and a_la_permission(diagnostic.soumettre, request.user),
            "peut_retirer": diagnostic.statut == StatutDiagnostic.SOUMIS
            and a_la_permission(diagnostic.retirer, request.user),
            "peut_contribuer": perms.peut_contribuer(request.user, objet) and diagnostic.modifiable,
            "commentaires": [(libelles[d], t) for d, t in sorted(commentaires.items()) if d in libelles],
            "besoins": besoins_de(diagnostic),
            "entetes_besoins": ENTETES_BESOINS,
            "contributions": diagnostic.contributions.all(),
            "libelles_domaines": libelles,
            "date_form": DateForm(initial={"date": horloge.aujourd_hui()}),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def besoin(request, pk, besoin=None):
    objet = convention_visible(request, pk)
    exiger(perms.peut_rediger(request.user, objet))
    diagnostic = diagnostic_de(objet)
    instance = get_object_or_404(Besoin, pk=besoin, diagnostic=diagnostic) if besoin else None
    if not diagnostic.modifiable:
        return _refuser(request, diagnostic.refus_de_modification(), objet)
    form = formulaire_besoin(objet, request.POST or None, instance)
    if request.method == "POST":
        try:
            if "supprimer" in request.POST and instance:
                supprimer_besoin(instance, par=request.user)
                messages.success(request, "Besoin supprimé.")
                return redirect("diagnostic:convention", pk=objet.pk)
            if form.is_valid():
                nouveau = enregistrer_besoin(form, par=request.user)
                messages.success(request, f"Besoin « {nouveau.intitule} » enregistré.")
                return redirect("diagnostic:convention", pk=objet.pk)
        except ChangementImpossible as exc:
            return _refuser(request, exc, objet)
    return render(request, "diagnostic/besoin.html", {"convention": objet, "form": form, "besoin": instance})


@login_required
@require_http_methods(["GET", "POST"])
def contribution(request, pk):
    objet = convention_visible(request, pk)
    exiger(perms.peut_contribuer(request.user, objet))
    diagnostic = diagnostic_de(objet)
    if not diagnostic.modifiable:
        return _refuser(request, diagnostic.refus_de_modification(), objet)
    form = ContributionForm(request.POST or None, diagnostic=diagnostic, initial={"date": horloge.aujourd_hui()})
    if request.method == "POST" and form.is_valid():
        try:
            enregistrer_contribution(form, par=request.user)
        except ChangementImpossible as exc:
            return _refuser(request, exc, objet)
        messages.success(request, "Contribution enregistrée.")
        return redirect("diagnostic:convention", pk=objet.pk)
    return render(request, "diagnostic/contribution.html", {"convention": objet, "form": form})


@login_required
@require_POST
def statut(request, pk, action):
    """Submit or withdraw the diagnostic (``partage.changer_statut``); validating and reopening it are decisions of
    the comité de pilotage."""
    objet = convention_visible(request, pk)
    exiger(perms.peut_rediger(request.user, objet))
    diagnostic = diagnostic_de(objet)
    form = DateForm(request.POST)
    try:
        changer_statut(diagnostic, action, form.cleaned_data["date"] if form.is_valid() else None, par=request.user)
    except ChangementImpossible as exc:
        messages.error(request, exc.texte)
    else:
        messages.success(request, f"Diagnostic : {etat_du_diagnostic(diagnostic)}.")
    return redirect("diagnostic:convention", pk=objet.pk)


# --- Territorial diagnostic from open data --------------------------------------------------------------------


def _domaine_et_indicateur(demande, lignes, communes=None, annee=None):
    """The domain tab and the indicator of the map chosen in the query string, with sensible defaults.

    The default indicator has a value for the territory: one of the CTG's fields of action before the demographic
    context. With ``communes`` (the INSEE codes of an EPCI's map), it is the first of these whose map tells something:
    values for its communes, and not all the same (the number of communes, 1 in each, is no map); failing that, the
    first one with a value for some commune. An indicator without any value is offered only when the domain has no
    other."""
    from .catalogue import INDICATEURS

    domaines = []
    for ligne in lignes:
        if ligne["indicateur"].domaine not in domaines:
            domaines.append(ligne["indicateur"].domaine)
    domaine = demande.get("domaine")
    if domaine not in domaines:
        domaine = "petite_enfance" if "petite_enfance" in domaines else domaines[0]
    du_domaine = [ligne for ligne in lignes if ligne["indicateur"].domaine == domaine]
    code = demande.get("indicateur")
    if code not in INDICATEURS or INDICATEURS[code].domaine != domaine:
        disponibles = [ligne for ligne in du_domaine if ligne["valeur"] is not None and ligne["valeur"].utilisable]
        principaux = [ligne for ligne in disponibles if not ligne["indicateur"].contexte]
        candidats = [ligne["indicateur"] for ligne in principaux + [x for x in disponibles if x not in principaux]]
        from .presentation import indicateur_de_carte

        choisi = indicateur_de_carte(candidats, communes, annee) if communes else None
        code = (choisi or (candidats or [du_domaine[0]["indicateur"]])[0]).code
    return domaines, domaine, du_domaine, INDICATEURS[code]


def _donnees_caf_absentes(tableau) -> list:
    """The data.caf.fr datasets of the diagnostic (``ctg.donnees.jeux.Jeu``) when the territory has no Caf figure at
    all, to say which data are missing and where they come from; [] as soon as one Caf figure is there."""
    from ctg.donnees.jeux import CAF, JEUX

    jeux = []
    for ligne in tableau["lignes"]:
        caf = [JEUX[d] for d in ligne["indicateur"].sources if d in JEUX and JEUX[d].producteur == CAF]
        if not caf:
            continue
        r = ligne["valeur"]
        if r is not None and r.etat != Etat.ABSENT and (r.valeur is not None or r.etat == Etat.SECRET):
            return []
        jeux += [jeu for jeu in caf if jeu not in jeux]
    return jeux


def _annee(request) -> int | None:
    texte = request.GET.get("annee", "")
    return int(texte) if texte.isdigit() else None


def _parametres_export(domaine, annee) -> str:
    from urllib.parse import urlencode

    return urlencode({"domaine": domaine} | ({"annee": annee} if annee else {}))


def _lignes_communes(epci, ind, annee):
    from .calcul import valeurs_communes
    from .presentation import texte_valeur

    communes = trier_par_nom(epci.communes.values("code", "nom", "population"), nom=lambda c: c["nom"])
    resultats = valeurs_communes(ind, [c["code"] for c in communes], annee)
    lignes = []
    for c in communes:
        r = resultats[c["code"]]
        lignes.append({**c, "resultat": r, "texte": texte_valeur(r, ind), "tri": r.valeur if r.utilisable else None})
    return lignes, resultats


def _series(ind, territoire):
    from .figures import graphique_evolution
    from .presentation import series_evolution

    series = series_evolution(ind, territoire)
    if series is None:
        return None
    return graphique_evolution(series, f"{ind.libelle} : évolution", ind.unite, format="svg").decode("utf-8")


def _calculs_epci(objet, annee, domaine_demande, code_demande) -> dict:
    """What the EPCI's page shows, the same for every user: its indicators, the chosen tab and map, the values of its
    communes (unsorted) and the evolution chart."""
    from .calcul import tableau_territoire, trouver_territoire

    territoire = trouver_territoire(objet.code)
    tableau = tableau_territoire(territoire, annee)
    codes = list(objet.communes.values_list("code", flat=True))
    demande = {"domaine": domaine_demande, "indicateur": code_demande}
    domaines, domaine, du_domaine, ind = _domaine_et_indicateur(demande, tableau["lignes"], codes, annee)
    lignes, resultats = _lignes_communes(objet, ind, annee)
    return {
        "territoire": territoire,
        "tableau": tableau,
        "entetes_indicateurs": entetes_indicateurs(territoire),
        "parametres_export": _parametres_export(domaine, annee),
        "domaines": [(d, Domaine(d).label) for d in domaines],
        "domaine": domaine,
        "lignes_domaine": du_domaine,
        "indicateur": ind,
        "lignes": tuple(lignes),
        "demonstration": tableau["demonstration"] or any(r.demonstration for r in resultats.values()),
        "caf_absente": _donnees_caf_absentes(tableau),
        "graphique": _series(ind, territoire),
        "carte_vide": not any(c["resultat"].utilisable or c["resultat"].etat == Etat.SECRET for c in lignes),
    }


def _calculs_de_la_demande(request, objet) -> dict:
    """``_calculs_epci`` for the page's choices (domain, indicator, year), computed once per version of the data and
    per valid choice (a parameter that names nothing counts as absent): the page and its exports read the same."""
    from .calcul import memorise_avec_les_donnees
    from .catalogue import INDICATEURS

    annee = _annee(request)
    domaine_demande = request.GET.get("domaine") if request.GET.get("domaine") in Domaine.values else None
    code_demande = request.GET.get("indicateur") if request.GET.get("indicateur") in INDICATEURS else None
    return memorise_avec_les_donnees(
        ("page_epci", objet.code, annee, domaine_demande, code_demande),
        lambda: _calculs_epci(objet, annee, domaine_demande, code_demande),
    )


def _tri_communes(request) -> tuple[str, str]:
    tri = request.GET.get("tri", "valeur")
    return tri, "desc" if request.GET.get("ordre", "desc") == "desc" else "asc"


def epci(request, code):
    from urllib.parse import urlencode

    from ctg.territoires.models import Epci

    from .exports import TRIS_COMMUNES, entetes_communes_indicateur, trier_communes

    objet = get_object_or_404(Epci, code=code)
    annee = _annee(request)
    calculs = _calculs_de_la_demande(request, objet)
    tri, ordre = _tri_communes(request)
    ind = calculs["indicateur"]
    choix = {"domaine": calculs["domaine"], "indicateur": ind.code} | ({"annee": annee} if annee else {})
    colonnes = []
    for entete, (cle, premier) in zip(entetes_communes_indicateur(ind), TRIS_COMMUNES, strict=True):
        suivant = ("asc" if premier == "desc" else "desc") if tri == cle and ordre == premier else premier
        colonnes.append((entete, urlencode(choix | {"tri": cle, "ordre": suivant})))
    contexte = {
        **{nom: valeur for nom, valeur in calculs.items() if nom != "lignes"},
        "epci": objet,
        "communes": trier_communes(list(calculs["lignes"]), tri, ordre),
        "colonnes_communes": colonnes,
        "parametres_tableau": urlencode(choix | {"tri": tri, "ordre": ordre}),
        "annee": annee,
        "conventions": perms_convention.conventions_visibles(request.user).filter(epci=objet),
    }
    if request.htmx and request.GET.get("partiel") == "communes":
        return render(request, "diagnostic/_table_communes.html", contexte)
    return render(request, "diagnostic/epci.html", contexte)


def epci_carte(request, code):
    import json

    from ctg.territoires.geojson import collection, feature
    from ctg.territoires.legende import classer
    from ctg.territoires.models import Epci

    from .catalogue import INDICATEURS
    from .presentation import texte_valeur

    objet = get_object_or_404(Epci, code=code)
    ind = INDICATEURS.get(request.GET.get("indicateur", "taux_couverture_global"))
    if ind is None:
        from django.http import Http404

        raise Http404("Indicateur inconnu.")
    from .calcul import valeurs_communes

    formes = {c: (nom, forme) for c, nom, forme in objet.communes.values_list("code", "nom", "forme")}
    resultats = valeurs_communes(ind, list(formes), _annee(request))
    valeurs = [resultats[c].valeur if resultats[c].utilisable else None for c in formes]
    classes, indices = classer(valeurs)
    features = []
    for (c, (nom, forme)), valeur, i in zip(formes.items(), valeurs, indices, strict=True):
        r = resultats[c]
        proprietes = {
            "valeur": valeur,
            "classe": i,
            "etat": str(r.etat),
            "texte": texte_valeur(r, ind, avec_unite=True),
            "url": f"/diagnostic/communes/{c}/",
        }
        features.append(feature(c, nom, forme, proprietes))
    reponse = collection(features, classes)
    reponse["X-Indicateur"] = json.dumps(ind.code)
    return reponse


def epci_export(request, code, format):
    """The "Communes" table of an EPCI as its page shows it (the page's domain, indicator, year and order carried
    as query parameters); with ``?colonnes=toutes``, every indicator of the domain."""
    from ctg.documents.tableurs import reponse_tableur
    from ctg.territoires.models import Epci

    from .catalogue import par_domaine
    from .exports import communes_domaine, communes_indicateur, trier_communes

    objet = get_object_or_404(Epci, code=code)
    calculs = _calculs_de_la_demande(request, objet)
    if request.GET.get("colonnes") == "toutes":
        domaine = calculs["domaine"]
        indicateurs = par_domaine()[domaine]
        tableau = communes_domaine(objet, domaine, Domaine(domaine).label, indicateurs, _annee(request))
    else:
        lignes = trier_communes(list(calculs["lignes"]), *_tri_communes(request))
        tableau = communes_indicateur(objet, calculs["indicateur"], lignes, calculs["demonstration"])
    return reponse_tableur(tableau, format)


def indicateurs_export(request, code, format):
    """The key figures of a territory (EPCI or commune) for one domain, as CSV or XLSX: the page's table."""
    from django.http import Http404

    from ctg.documents.tableurs import reponse_tableur
    from ctg.territoires.fiches import TerritoireIntrouvable

    from .calcul import tableau_territoire, trouver_territoire
    from .exports import tableau_indicateurs

    try:
        territoire = trouver_territoire(code)
    except TerritoireIntrouvable as exc:
        raise Http404(str(exc)) from None
    if territoire.niveau not in {"epci", "commune"}:
        raise Http404("Chiffres clés d'une intercommunalité ou d'une commune.")
    tableau = tableau_territoire(territoire, _annee(request))
    domaines, domaine, du_domaine, _ = _domaine_et_indicateur(request.GET, tableau["lignes"])
    return reponse_tableur(tableau_indicateurs(tableau, du_domaine, Domaine(domaine).label), format)


def carte_sig(request, code, indicateur):
    """GeoJSON for a GIS (RFC 7946, ``sig``): an EPCI's communes or a département's EPCI with one indicator's values
    for one year (``?annee=``, else the latest), as a download."""
    from django.http import Http404

    from ctg.territoires.fiches import TerritoireIntrouvable

    from .catalogue import INDICATEURS
    from .sig import TerritoireSansCarte, geojson_indicateur, nom_de_fichier

    ind = INDICATEURS.get(indicateur)
    if ind is None:
        raise Http404("Indicateur inconnu.")
    try:
        texte = geojson_indicateur(code, ind, _annee(request))
    except (TerritoireIntrouvable, TerritoireSansCarte) as exc:
        raise Http404(str(exc)) from None
    return reponse_fichier(texte.encode("utf-8"), nom_de_fichier(code, ind, _annee(request)), "application/geo+json")


def commune(request, code):
    from ctg.territoires.models import Commune

    from .calcul import sppe_communes, tableau_territoire, trouver_territoire

    objet = get_object_or_404(Commune.objects.select_related("epci", "departement"), code=code)
    territoire = trouver_territoire(objet.code)
    tableau = tableau_territoire(territoire, _annee(request))
    domaines, domaine, du_domaine, ind = _domaine_et_indicateur(request.GET, tableau["lignes"])
    sppe = next((s for s in sppe_communes(objet.epci) if s["code"] == objet.code), None) if objet.epci else None
    return render(
        request,
        "diagnostic/commune.html",
        {
            "commune": objet,
            "territoire": territoire,
            "tableau": tableau,
            "entetes_indicateurs": entetes_indicateurs(territoire),
            "parametres_export": _parametres_export(domaine, _annee(request)),
            "domaines": [(d, Domaine(d).label) for d in domaines],
            "domaine": domaine,
            "lignes_domaine": du_domaine,
            "indicateur": ind,
            "demonstration": tableau["demonstration"],
            "caf_absente": _donnees_caf_absentes(tableau),
            "graphique": _series(ind, territoire),
            "sppe": sppe,
        },
    )


def _rapport(request, territoire_code, convention, format):
    from django.http import Http404, HttpResponse

    from ctg.documents import FORMATS

    from .rapport import RapportTropLong, rendre_rapport

    types = {**FORMATS, "html": "text/html; charset=utf-8"}
    if format not in types:
        raise Http404("Format inconnu : pdf, docx ou html.")
    try:
        contenu = rendre_rapport(territoire_code, format, convention=convention)
    except RapportTropLong as exc:
        messages.error(request, str(exc))
        return redirect(request.META.get("HTTP_REFERER") or "/")
    if format != "html":
        if convention is not None:  # a draft of the shared diagnostic is confidential: its downloads are logged
            from ctg.documents.confidentialite import journaliser_telechargement

            from .rapport import diagnostic_du_rapport

            journaliser_telechargement(request, convention, diagnostic_du_rapport(convention), "Diagnostic", format)
        return reponse_fichier(contenu, f"diagnostic-{territoire_code}.{format}", types[format])
    return HttpResponse(contenu, content_type=types[format])  # the product's own page, shown in the browser


# The HTML report carries its style sheet in the page (the very document WeasyPrint prints): the Content Security
# Policy allows it on the report's pages alone.
styles_du_rapport = csp_replace({"style-src-elem": [SELF, UNSAFE_INLINE]})


@styles_du_rapport
@login_required
def rapport_epci(request, code, format):
    from ctg.territoires.models import Epci

    objet = get_object_or_404(Epci, code=code)
    return _rapport(request, objet.code, None, format)


@styles_du_rapport
@login_required
def rapport_convention(request, pk, format):
    objet = convention_visible(request, pk)
    return _rapport(request, objet.epci_id, objet, format)
