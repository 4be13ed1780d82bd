"""What a comité member does on a meeting's page: answer the invitation, comment the draft minutes. Thin: the rules
are in ``ctg.gouvernance.participation``. A person without a role on the convention gets 404 (the convention is not
disclosed); a member of the convention without a seat on the comité that day, 403."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from ctg.conventions.acces import convention_visible, exiger

from . import participation
from .forms import CommentaireCompteRenduForm, ReponseConvocationForm
from .pages import page_reunion, reunion_de


@login_required
@require_POST
def reponse(request, pk, reunion):
    convention = convention_visible(request, pk)
    objet = reunion_de(convention, reunion)
    exiger(participation.siege(objet, request.user) is not None)
    form = ReponseConvocationForm(request.POST)
    if form.is_valid():
        donnees = form.cleaned_data
        try:
            enregistree = participation.repondre(
                objet, request.user, donnees["reponse"] == "vient", donnees["remplacant"], donnees["commentaire"]
            )
        except participation.ParticipationImpossible as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"Votre réponse est enregistrée : {enregistree.get_reponse_display().lower()}.")
            return redirect(objet)
    return page_reunion(request, convention, objet, status=200, reponse_form=form)


@login_required
@require_POST
def commentaire(request, pk, reunion):
    convention = convention_visible(request, pk)
    objet = reunion_de(convention, reunion)
    exiger(participation.siege(objet, request.user) is not None)
    form = CommentaireCompteRenduForm(request.POST)
    if form.is_valid():
        try:
            participation.commenter(objet, request.user, form.cleaned_data["texte"])
        except participation.ParticipationImpossible as exc:
            messages.error(request, str(exc))
            return redirect(objet)
        messages.success(request, "Votre commentaire est transmis au secrétariat du comité.")
        return redirect(objet)
    return page_reunion(request, convention, objet, status=200, commentaire_form=form)
