"""The data page: the history of open-data imports, a file sent from the browser (checked first, written only once
confirmed, in the background), and the undo of an import. The rules live in ``page`` and ``perms``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.files.storage import default_storage
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ctg.taches import page_du_travail
from ctg.taches.models import StatutTravail, Travail
from ctg.televersement import fichiers_recus

from . import perms, tableaux
from .forms import ImportDonneesForm, TelechargementForm
from .importation import ErreurImport, importer_fichier
from .models import Fichier
from .page import AnnulationImpossible, annuler, derniers_annulables
from .taches import chemin_garde, garder, lancer_import, place_pour_un_telechargement
from .telechargement import BASE, ErreurTelechargement, telecharger

_exiger_importateur = perms.exiger_importateur


@login_required
@require_http_methods(["GET", "POST"])
def page(request):
    _exiger_importateur(request.user)
    form, form_telechargement = ImportDonneesForm(), TelechargementForm(prefix="api")
    apercu = None
    action = request.POST.get("action") if request.method == "POST" else None
    if action == "apercu":
        form = ImportDonneesForm(request.POST, fichiers_recus(request))
        if form.is_valid():
            garde = garder(form.cleaned_data["fichier"])
            apercu = _apercu(garde, form.cleaned_data["fichier"].name, form.cleaned_data)
    elif action == "telecharger":
        form_telechargement = TelechargementForm(request.POST, prefix="api")
        if form_telechargement.is_valid():
            apercu = _telecharger(form_telechargement)
    elif action == "confirmer":
        garde = request.POST.get("garde", "")
        nom = request.POST.get("nom", "")[:300] or "fichier"
        dataset = request.POST.get("dataset") or None
        millesime = int(request.POST["millesime"]) if request.POST.get("millesime", "").isdigit() else None
        source_url = request.POST.get("source_url", "")
        source_url = source_url[:500] if source_url.startswith(BASE + "/") else ""  # only a request built here
        try:
            chemin_garde(garde)
        except FileNotFoundError:
            messages.error(request, "Le fichier vérifié n'est plus disponible : envoyez-le de nouveau.")
            return redirect("donnees:page")
        travail = lancer_import(garde, nom, dataset, millesime, request.user, source_url=source_url)
        if not travail.est_fini:  # in the queue: its page follows it
            return redirect(travail)
        if travail.statut == StatutTravail.TERMINE:
            messages.success(request, travail.message)
        else:
            messages.error(request, f"Import refusé : {travail.erreur}")
        return redirect("donnees:page")
    elif action == "abandonner":
        garde = request.POST.get("garde", "")
        try:
            chemin_garde(garde)  # only a file kept for an import, never a name chosen in the form
        except FileNotFoundError:
            pass
        else:
            default_storage.delete(garde)
        messages.info(request, "Import abandonné : rien n'a été enregistré.")
        return redirect("donnees:page")
    fichiers = tableaux.fichiers_importes()
    annulables = derniers_annulables()
    for fichier in fichiers:
        fichier.annulable = fichier.pk in annulables and perms.peut_annuler(request.user, fichier)
    contexte = {
        "form": form,
        "form_telechargement": form_telechargement,
        "apercu": apercu,
        "fichiers": fichiers,
        "entetes": tableaux.ENTETES_FICHIERS,
    }
    return render(request, "donnees/page.html", contexte)


def _telecharger(form) -> dict | None:
    """Download a dataset (or one territory of it) from data.caf.fr and check it as an uploaded file is; a
    download that fails says why on the form."""
    dataset, territoire = form.cleaned_data["dataset"], form.cleaned_data["territoire"].strip().upper()
    garde, chemin = place_pour_un_telechargement()
    try:
        telechargement = telecharger(dataset, territoire or None, sortie=chemin)
    except ErreurTelechargement as exc:
        default_storage.delete(garde)
        form.add_error(None, f"Téléchargement impossible : {exc}")
        return None
    nom = f"{dataset}_{territoire}.csv" if territoire else f"{dataset}.csv"
    return _apercu(garde, nom, {"dataset": dataset}, source_url=telechargement.url)


def _apercu(garde: str, nom: str, options: dict, source_url: str = "") -> dict:
    """Check the kept file without writing anything: what the import would do, or why it is refused. The file
    stays kept for the confirmation when it may be imported."""
    dataset = options.get("dataset") or None
    millesime = options.get("millesime")
    apercu = {"nom": nom, "dataset": dataset or "", "millesime": millesime or "", "source_url": source_url}
    try:
        bilan = importer_fichier(chemin_garde(garde), dataset=dataset, millesime=millesime, simulation=True)
    except ErreurImport as exc:
        default_storage.delete(garde)
        return apercu | {"erreurs": exc.lignes(), "total_erreurs": exc.total}
    bilan.fichier = nom
    if bilan.deja_importe:
        default_storage.delete(garde)
        return apercu | {"deja": bilan.resume()[0]}
    return apercu | {"garde": garde, "lignes": bilan.resume(), "bilan": bilan}


@login_required
@require_POST
def annuler_vue(request, fichier):
    _exiger_importateur(request.user)
    objet = get_object_or_404(Fichier, pk=fichier)
    if not perms.peut_annuler(request.user, objet):
        raise PermissionDenied(
            "Seuls les agents de la Caf qui a fait cet import, ou un administrateur national, peuvent l'annuler."
        )
    try:
        annulation = annuler(objet, par=request.user)
    except AnnulationImpossible as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            f"Import de « {objet.nom} » annulé : {annulation.retirees} observation(s) retirée(s), "
            f"{annulation.remises} remise(s) "
            "dans leur état antérieur ; les chiffres du diagnostic sont recalculés.",
        )
    return redirect("donnees:page")


@login_required
def travail(request, travail):
    """The page of an import of open data started from this page: a background work of no convention."""
    _exiger_importateur(request.user)
    objet = get_object_or_404(Travail.objects.select_related("par"), pk=travail, convention__isnull=True)
    return page_du_travail(request, objet)
