"""The page of an invitation link: whoever opens it creates an account (or uses the signed-in one) and joins the
convention with the role the invitation grants (``invitations.accepter``)."""

from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.db import IntegrityError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ctg.comptes.forms import AccepterInvitationForm

from .invitations import InvitationInvalide, accepter
from .models import Invitation


def _invalide(request, raison: str):
    return render(request, "conventions/invitation_invalide.html", {"raison": raison}, status=410)


@require_http_methods(["GET", "POST"])
def invitation(request, jeton):
    """A single-use invitation link: create an account (or use the signed-in one) and receive the role. The
    validity shown on the page is read again, under a row lock, when the invitation is accepted."""
    objet = get_object_or_404(Invitation.objects.select_related("convention", "commune"), jeton=jeton)
    if not objet.valide:
        return _invalide(request, objet.raison_invalide)
    if request.user.is_authenticated:
        if request.method == "POST":
            try:
                accepter(jeton, user=request.user)
            except InvitationInvalide as exc:
                return _invalide(request, exc.raison)
            messages.success(request, f"Vous avez rejoint la {objet.convention}.")
            return redirect(objet.convention)
        return render(request, "conventions/invitation.html", {"invitation": objet, "form": None})
    form = AccepterInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():

        def creer_compte():
            return get_user_model().objects.create_user(
                username=form.cleaned_data["username"],
                email=objet.email,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )

        try:
            habilitation = accepter(jeton, creer_compte=creer_compte)
        except InvitationInvalide as exc:
            return _invalide(request, exc.raison)
        except IntegrityError:  # the same username taken at the same instant by someone else
            form.add_error("username", "Cet identifiant est déjà pris.")
            return render(request, "conventions/invitation.html", {"invitation": objet, "form": form})
        login(request, habilitation.user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Bienvenue ! Vous avez rejoint la {objet.convention}.")
        return redirect(objet.convention)
    return render(request, "conventions/invitation.html", {"invitation": objet, "form": form})
