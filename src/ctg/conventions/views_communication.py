"""Pages of the joint communication of a convention (article 8): the items, their approval by each party, their
files, and the parties' logos. Thin: the rules are in ``ctg.conventions.communication``."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods, require_POST

from ctg.saisie import SaisieControlee
from ctg.televersement import (
    DOCX,
    JPEG,
    PDF,
    PNG,
    ChampFichier,
    en_mo,
    fichiers_recus,
    liste_des_types,
    reponse_fichier,
)

from . import communication as regles
from . import perms, tableaux
from .acces import convention_visible, exiger
from .communication import TAILLE_MAX_LOGO, TYPES_LOGO, Communication, PieceCommunication
from .forms import DATE

TYPES_PIECE = (PDF, PNG, JPEG, DOCX)


class CommunicationForm(SaisieControlee, forms.ModelForm):
    class Meta:
        model = Communication
        fields = ["objet", "support", "date_prevue", "contenu"]
        widgets = {"date_prevue": DATE, "contenu": forms.Textarea(attrs={"rows": 8})}


class PieceForm(forms.Form):
    fichier = ChampFichier(label="Fichier joint", types=TYPES_PIECE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        champ = self.fields["fichier"]
        champ.help_text = (
            f"{liste_des_types(TYPES_PIECE)}, {en_mo(champ.taille_max)} Mo au plus ; pages web, images SVG et "
            "scripts refusés"
        )


class LogoForm(forms.Form):
    logo = ChampFichier(
        label="Logo de votre organisation",
        types=TYPES_LOGO,
        taille_max=TAILLE_MAX_LOGO,
        help_text=f"PNG ou JPEG, {TAILLE_MAX_LOGO // 1024} Ko au plus ; images SVG, pages web et scripts refusés",
    )


def _erreur(request, exc: ValidationError) -> None:
    for message in exc.messages:
        messages.error(request, message)


def _communication(convention, pk) -> Communication:
    return get_object_or_404(Communication, pk=pk, convention=convention)


@login_required
def liste(request, pk):
    convention = convention_visible(request, pk)
    communications = tableaux.communications_de(convention)
    return render(
        request,
        "conventions/communication/liste.html",
        {
            "convention": convention,
            "communications": communications,
            "entetes": tableaux.ENTETES_COMMUNICATIONS,
            "parties": regles.parties_de(convention),
            "peut_modifier": perms.peut_modifier(request.user, convention),
            "partie": regles.partie_de(request.user, convention),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def nouvelle(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    form = CommunicationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        objet = regles.creer(convention, request.user, **form.cleaned_data)
        messages.success(request, "Communication enregistrée : chaque partie doit maintenant l'approuver.")
        return redirect("conventions:communication", pk=convention.pk, communication=objet.pk)
    return render(
        request, "conventions/communication/modifier.html", {"convention": convention, "form": form, "objet": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def detail(request, pk, communication):
    convention = convention_visible(request, pk)
    objet = _communication(convention, communication)
    peut_modifier = perms.peut_modifier(request.user, convention) and not objet.est_publiee
    form = CommunicationForm(instance=objet) if peut_modifier else None
    piece = PieceForm() if peut_modifier else None
    if request.method == "POST":
        exiger(peut_modifier, "Votre rôle ne permet pas de modifier cette communication, ou elle est publiée.")
        if "fichier" in request.FILES or request.POST.get("action") == "piece":
            piece = PieceForm(request.POST, fichiers_recus(request))
            if piece.is_valid():
                try:
                    regles.ajouter_piece(objet, request.user, piece.cleaned_data["fichier"])
                except ValidationError as exc:
                    _erreur(request, exc)
                else:
                    messages.success(request, "Fichier ajouté : les approbations déjà données sont retirées.")
                    return redirect("conventions:communication", pk=convention.pk, communication=objet.pk)
        else:
            form = CommunicationForm(request.POST, instance=Communication.objects.get(pk=objet.pk))
            if form.is_valid():
                try:
                    change = regles.modifier(objet, request.user, **form.cleaned_data)
                except ValidationError as exc:
                    _erreur(request, exc)
                else:
                    messages.success(
                        request,
                        "Communication modifiée : les approbations déjà données sont retirées."
                        if change
                        else "Rien n'a changé.",
                    )
                    return redirect("conventions:communication", pk=convention.pk, communication=objet.pk)
    return render(
        request,
        "conventions/communication/detail.html",
        {
            "convention": convention,
            "objet": objet,
            "form": form,
            "piece": piece,
            "approbations": objet.approbations.select_related("organisation", "approuvee_par"),
            "manquantes": regles.parties_manquantes(objet),
            "partie": regles.partie_de(request.user, convention),
        },
    )


@login_required
@require_POST
def approuver(request, pk, communication):
    convention = convention_visible(request, pk)
    objet = _communication(convention, communication)
    try:
        approbation = regles.approuver(objet, request.user)
    except ValidationError as exc:
        _erreur(request, exc)
    else:
        messages.success(request, f"Communication approuvée au nom de {approbation.organisation.nom}.")
    return redirect("conventions:communication", pk=convention.pk, communication=objet.pk)


@login_required
@require_POST
def publier(request, pk, communication):
    convention = convention_visible(request, pk)
    objet = _communication(convention, communication)
    try:
        regles.publier(objet, request.user)
    except ValidationError as exc:
        _erreur(request, exc)
    else:
        messages.success(request, "Communication publiée : toutes les parties l'ont approuvée.")
    return redirect("conventions:communication", pk=convention.pk, communication=objet.pk)


@login_required
def piece(request, pk, communication, piece):
    convention = convention_visible(request, pk)
    objet = get_object_or_404(
        PieceCommunication, pk=piece, communication_id=communication, communication__convention=convention
    )
    return reponse_fichier(objet.fichier.open("rb"), objet.fichier_nom, objet.fichier_type)


@login_required
@require_http_methods(["GET", "POST"])
def logo(request, pk):
    """The logo of the party the user works for (article 8: it appears on every joint document)."""
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    organisation = regles.partie_de(request.user, convention)
    form = LogoForm()
    if request.method == "POST":
        exiger(organisation is not None, "Seul un membre de l'une des parties dépose le logo de sa partie.")
        form = LogoForm(request.POST, fichiers_recus(request))
        if form.is_valid():
            regles.deposer_logo(organisation, form.cleaned_data["logo"])
            messages.success(request, f"Logo de {organisation.nom} enregistré : il figure sur les documents communs.")
            return redirect("conventions:communications", pk=convention.pk)
    return render(
        request,
        "conventions/communication/logo.html",
        {
            "convention": convention,
            "form": form,
            "organisation": organisation,
            "parties": regles.parties_de(convention),
        },
    )


# Included by ``ctg.conventions.urls`` (namespace ``conventions``).
urlpatterns = [
    path("<int:pk>/communication/", liste, name="communications"),
    path("<int:pk>/communication/nouvelle/", nouvelle, name="communication_nouvelle"),
    path("<int:pk>/communication/logo/", logo, name="communication_logo"),
    path("<int:pk>/communication/<int:communication>/", detail, name="communication"),
    path("<int:pk>/communication/<int:communication>/approuver/", approuver, name="communication_approuver"),
    path("<int:pk>/communication/<int:communication>/publier/", publier, name="communication_publier"),
    path("<int:pk>/communication/<int:communication>/fichiers/<int:piece>/", piece, name="communication_piece"),
]
