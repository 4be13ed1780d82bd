"""The page of one's personal API tokens: create (the token shown once), list, revoke."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from . import jetons
from .forms import JetonForm
from .models import JetonApi


@login_required
def jetons_vue(request):
    form = JetonForm(request.POST or None)
    nouveau = None
    statut = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                jeton, nouveau = jetons.creer_jeton(
                    request.user, form.cleaned_data["nom"], form.cleaned_data["ecriture"]
                )
            except ValidationError as exc:
                form.add_error("nom", exc)
                statut = 400
            else:
                form = JetonForm()
        else:
            statut = 400
    reponse = render(
        request,
        "api/jetons.html",
        {"form": form, "jetons": jetons.jetons_de(request.user), "nouveau": nouveau},
        status=statut,
    )
    if nouveau:
        reponse["Cache-Control"] = "no-store"  # the token is shown once: never kept by a cache
    return reponse


@login_required
@require_POST
def revoquer(request, jeton):
    objet = get_object_or_404(JetonApi, pk=jeton, user=request.user)
    jetons.revoquer(objet, request.user)
    messages.success(request, f"Jeton « {objet.nom} » révoqué : il ne donne plus accès à l'API.")
    return redirect("api:jetons")
