from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from ctg import horloge

from .forms import AccepterInvitationForm
from .models import Habilitation, Invitation, Profil, organisation_commune


def _accorder(invitation: Invitation, user) -> None:
    Habilitation.objects.update_or_create(
        user=user,
        convention=invitation.convention,
        defaults={"role": invitation.role, "commune_id": invitation.commune_id},
    )
    if invitation.commune_id and not hasattr(user, "profil"):
        Profil.objects.create(user=user, organisation=organisation_commune(invitation.commune))
    invitation.utilisee_le = horloge.maintenant()
    invitation.utilisee_par = user
    invitation.save(update_fields=["utilisee_le", "utilisee_par"])


@require_http_methods(["GET", "POST"])
def invitation(request, jeton):
    """A single-use invitation link: create an account (or use the signed-in one) and receive the role."""
    objet = get_object_or_404(Invitation.objects.select_related("convention", "commune"), jeton=jeton)
    if not objet.valide:
        raison = "a déjà servi" if objet.utilisee_le else "a expiré"
        return render(request, "comptes/invitation_invalide.html", {"raison": raison}, status=410)
    if request.user.is_authenticated:
        if request.method == "POST":
            with transaction.atomic():
                _accorder(objet, request.user)
            messages.success(request, f"Vous avez rejoint la {objet.convention}.")
            return redirect(objet.convention)
        return render(request, "comptes/invitation.html", {"invitation": objet, "form": None})
    form = AccepterInvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = get_user_model().objects.create_user(
                username=form.cleaned_data["username"],
                email=objet.email,
                password=form.cleaned_data["password1"],
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
            )
            _accorder(objet, user)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Bienvenue ! Vous avez rejoint la {objet.convention}.")
        return redirect(objet.convention)
    return render(request, "comptes/invitation.html", {"invitation": objet, "form": form})
