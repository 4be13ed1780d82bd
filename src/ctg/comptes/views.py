from urllib.parse import urlencode

from axes.utils import reset as lever_blocage
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_http_methods
from django_otp import login as verifier_session

from . import double_facteur
from .forms import CodeForm, IdentiteForm
from .profil import profil_de


class Connexion(auth_views.LoginView):
    """The product's login page (the administration's too). Failed attempts are counted by django-axes (the
    authentication backend refuses a locked account or address, the middleware answers with the lockout page). An
    account with a second factor is not signed in yet: the code page finishes the login."""

    def form_valid(self, form):
        user = form.get_user()
        if double_facteur.exige(user):
            double_facteur.mettre_en_attente(self.request, user, self.get_success_url())
            return redirect("comptes:code")
        return super().form_valid(form)


@sensitive_post_parameters("code")
@never_cache
@require_http_methods(["GET", "POST"])
def code(request):
    """The second step of a login: the code of the user's application, or, when the second factor is mandatory and
    the account has none yet, the enrolment of one."""
    attente = double_facteur.en_attente(request)
    if attente is None:
        return render(request, "comptes/code_expire.html")
    user, backend, suivant = attente
    device = double_facteur.appareil(user)
    inscription = device is None
    if inscription:
        device = double_facteur.appareil_a_confirmer(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        refus = double_facteur.refus_temporaire(device)
        if refus:
            form.add_error("code", refus)
        else:
            verifier = double_facteur.confirmer if inscription else double_facteur.verifier
            if verifier(device, form.cleaned_data["code"]):
                device.refresh_from_db()
                double_facteur.conclure(request, user, backend, device)
                if inscription:
                    messages.success(request, "Votre application d'authentification est enregistrée.")
                return redirect(suivant)
            form.add_error(
                "code", "Code incorrect ou déjà utilisé : saisissez le code affiché maintenant par votre application."
            )
    contexte = {"form": form, "inscription": inscription, "utilisateur": user}
    if inscription:
        contexte |= {"qr_code": double_facteur.qr_code_svg(device), "secret": double_facteur.secret_en_clair(device)}
    return render(request, "comptes/code.html", contexte)


@sensitive_post_parameters("code")
@login_required
@require_http_methods(["GET", "POST"])
def gerer_double_facteur(request):
    """The signed-in user's second factor: enrol an application (QR code and secret), or remove it with a code."""
    device = double_facteur.appareil(request.user)
    obligatoire = double_facteur.obligatoire(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        en_cours = device or double_facteur.appareil_a_confirmer(request.user)
        refus = double_facteur.refus_temporaire(en_cours)
        if refus:
            form.add_error("code", refus)
        elif device is None:
            if double_facteur.confirmer(en_cours, form.cleaned_data["code"]):
                en_cours.refresh_from_db()
                verifier_session(request, en_cours)
                messages.success(
                    request,
                    "Votre application d'authentification est enregistrée : elle vous demandera un code à chaque "
                    "connexion.",
                )
                return redirect("comptes:double_facteur")
            form.add_error("code", "Code incorrect : saisissez le code affiché maintenant par votre application.")
        elif obligatoire:
            form.add_error(None, "La double authentification est obligatoire pour le personnel de la Caf.")
        elif double_facteur.verifier(device, form.cleaned_data["code"]):
            double_facteur.desactiver(request.user)
            messages.success(request, "La double authentification est désactivée pour votre compte.")
            return redirect("comptes:double_facteur")
        else:
            form.add_error("code", "Code incorrect : la double authentification reste active.")
    contexte = {"form": form, "appareil": device, "obligatoire": obligatoire}
    if device is None:
        a_confirmer = double_facteur.appareil_a_confirmer(request.user)
        contexte |= {
            "qr_code": double_facteur.qr_code_svg(a_confirmer),
            "secret": double_facteur.secret_en_clair(a_confirmer),
        }
    return render(request, "comptes/double_facteur.html", contexte)


def connexion_administration(request):
    """The administration's own login page is not offered: anonymous visitors sign in on the product's page (the
    same throttling, the same second factor), signed-in people who are not staff are refused."""
    suivant = request.GET.get("next", "")
    hotes = {request.get_host()}
    if not url_has_allowed_host_and_scheme(suivant, allowed_hosts=hotes, require_https=request.is_secure()):
        suivant = reverse("admin:index")
    if not request.user.is_authenticated:
        return redirect(f"{reverse('login')}?{urlencode({'next': suivant})}")
    if not (request.user.is_active and request.user.is_staff):
        raise PermissionDenied("L'administration est réservée au personnel habilité : votre compte n'y a pas accès.")
    return redirect(suivant)


class DemandeNouveauMotDePasse(auth_views.PasswordResetView):
    template_name = "comptes/mot_de_passe_oublie.html"
    email_template_name = "comptes/mot_de_passe_courriel.txt"
    subject_template_name = "comptes/mot_de_passe_sujet.txt"
    success_url = reverse_lazy("comptes:mot_de_passe_envoye")


class NouveauMotDePasse(auth_views.PasswordResetConfirmView):
    """The link of the e-mail: a new password; the account is no longer locked out by former failures (its
    address still is, if it was)."""

    template_name = "comptes/mot_de_passe_nouveau.html"
    success_url = reverse_lazy("comptes:mot_de_passe_change")

    def form_valid(self, form):
        reponse = super().form_valid(form)
        lever_blocage(username=form.user.get_username())
        return reponse


@login_required
@require_http_methods(["GET", "POST"])
def profil(request):
    """The signed-in user's page: their name and e-mail (editable), organisation, roles on conventions, password,
    second factor and, when the product offers them, API tokens."""
    form = IdentiteForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, "Votre profil est enregistré.")
        return redirect("comptes:profil")
    return render(request, "comptes/profil.html", {"form": form, **profil_de(request.user)})


class ChangementMotDePasse(auth_views.PasswordChangeView):
    """The signed-in user changes their password (the former one asked first); the session stays open."""

    template_name = "comptes/mot_de_passe_modifier.html"
    success_url = reverse_lazy("comptes:profil")

    def form_valid(self, form):
        reponse = super().form_valid(form)
        messages.success(self.request, "Votre mot de passe est changé.")
        return reponse
