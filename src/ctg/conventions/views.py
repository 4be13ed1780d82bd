"""Pages of a convention. Thin: rules live in cycle, regles, echeances, adhesions and perms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Max
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ctg import horloge
from ctg.comptes.models import Habilitation, Invitation, Role, caf_du_departement
from ctg.documents import FORMATS
from ctg.territoires.models import Departement

from . import cycle, perms
from .adhesions import resume_adhesions
from .echeances import Etat, echeances
from .extensions import collecter
from .forms import (
    AdhesionForm,
    AvenantForm,
    ConventionForm,
    CreationForm,
    InvitationForm,
    ResiliationForm,
    SignataireFormSet,
    SignatureForm,
)
from .models import Adhesion, Convention, Visa
from .regles import EFFETS_RESILIATION, REGLES_RESILIATION, calculer_resiliation, departement_siege


def convention_visible(request, pk) -> Convention:
    """The convention, if the user may see it; else 404 (article 14: its existence is not disclosed)."""
    convention = get_object_or_404(Convention.objects.select_related("caf", "caf__departement", "epci"), pk=pk)
    if not perms.peut_voir(request.user, convention):
        raise Http404("Convention introuvable.")
    cycle.actualiser(convention)
    return convention


def exiger(autorise: bool):
    if not autorise:
        raise PermissionDenied("Votre rôle sur cette convention ne permet pas cette action.")


@login_required
def liste(request):
    conventions = perms.conventions_visibles(request.user).select_related("caf", "epci")
    return render(
        request,
        "conventions/liste.html",
        {"conventions": conventions, "peut_creer": perms.peut_creer_convention(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def nouvelle(request):
    exiger(perms.peut_creer_convention(request.user))
    form = CreationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        epci = form.cleaned_data["epci"]
        departement = form.cleaned_data["departement_caf"] or Departement.objects.get(code=departement_siege(epci))
        try:
            convention = cycle.creer_convention(
                caf_du_departement(departement),
                epci,
                form.cleaned_data["date_debut"],
                form.cleaned_data["date_fin"],
                par=request.user,
            )
        except ValidationError as exc:
            for champ, erreurs in exc.message_dict.items():
                for erreur in erreurs:
                    form.add_error(champ if champ in form.fields else None, erreur)
        else:
            messages.success(request, "Convention créée en brouillon. Complétez-la puis faites-la signer.")
            return redirect(convention)
    return render(request, "conventions/nouvelle.html", {"form": form})


@login_required
def tableau(request, pk):
    convention = convention_visible(request, pk)
    liste_echeances = echeances(convention)
    return render(
        request,
        "conventions/tableau.html",
        {
            "convention": convention,
            "droits": perms.droits(request.user, convention),
            "role_libelle": Role(perms.role(request.user, convention)).label
            if perms.role(request.user, convention)
            else None,
            "echeances": liste_echeances,
            "en_retard": [e for e in liste_echeances if e.etat == Etat.EN_RETARD],
            "proches": [e for e in liste_echeances if e.etat == Etat.PROCHE],
            "adhesions": resume_adhesions(convention),
            "signataires": convention.signataires.all(),
            "avenants": convention.avenants.all(),
            "transitions": convention.transitions.select_related("par"),
            "manques_signature": cycle.manques_pour_signer(convention),
            "alertes": collecter("alertes", convention),
            "liens": collecter("liens", convention),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def modifier(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    form = ConventionForm(request.POST or None, instance=convention)
    formset = SignataireFormSet(request.POST or None, instance=convention, prefix="signataires")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        with transaction.atomic():
            form.save()
            formset.save()
            convention.caf.tribunal_administratif = form.cleaned_data["tribunal_administratif"]
            convention.caf.save(update_fields=["tribunal_administratif"])
            convention.visas.all().delete()
            Visa.objects.bulk_create(
                [Visa(convention=convention, ordre=i, texte=t) for i, t in enumerate(form.lignes_visas(), 1)]
            )
        messages.success(request, "Convention enregistrée.")
        return redirect(convention)
    return render(request, "conventions/modifier.html", {"convention": convention, "form": form, "formset": formset})


@login_required
def adhesions(request, pk):
    convention = convention_visible(request, pk)
    lignes = [
        {"adhesion": a, "peut_modifier": perms.peut_modifier_adhesion(request.user, convention, a.commune_id)}
        for a in convention.adhesions.select_related("commune")
    ]
    return render(
        request,
        "conventions/adhesions.html",
        {"convention": convention, "lignes": lignes, "resume": resume_adhesions(convention)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def adhesion(request, pk, commune):
    convention = convention_visible(request, pk)
    objet = get_object_or_404(Adhesion.objects.select_related("commune"), convention=convention, commune_id=commune)
    exiger(perms.peut_modifier_adhesion(request.user, convention, commune))
    form = AdhesionForm(request.POST or None, instance=objet, prefix=f"a{commune}")
    if request.method == "POST" and form.is_valid():
        form.save()
        if request.htmx:
            ligne = {"adhesion": objet, "peut_modifier": True}
            return render(request, "conventions/_adhesion_ligne.html", {"convention": convention, "ligne": ligne})
        messages.success(request, f"Adhésion de {objet.commune.nom} enregistrée.")
        return redirect("conventions:adhesions", pk=convention.pk)
    gabarit = "conventions/_adhesion_formulaire.html" if request.htmx else "conventions/adhesion.html"
    return render(request, gabarit, {"convention": convention, "adhesion": objet, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def avenant_nouveau(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    form = AvenantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        avenant = form.save(commit=False)
        avenant.convention = convention
        avenant.numero = (convention.avenants.aggregate(n=Max("numero"))["n"] or 0) + 1
        avenant.cree_par = request.user
        avenant.save()
        messages.success(request, f"Avenant n° {avenant.numero} enregistré.")
        return redirect(convention)
    return render(request, "conventions/avenant.html", {"convention": convention, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def signer(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_signer(request.user, convention))
    form = SignatureForm(request.POST or None, initial={"date_signature": horloge.aujourd_hui()})
    if request.method == "POST" and form.is_valid():
        try:
            cycle.signer(convention, form.cleaned_data["date_signature"], par=request.user)
            cycle.actualiser(convention)
        except cycle.TransitionImpossible as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "Signature enregistrée.")
            return redirect(convention)
    return render(
        request,
        "conventions/signer.html",
        {"convention": convention, "form": form, "manques": cycle.manques_pour_signer(convention)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def resilier(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_resilier(request.user, convention))
    partie = perms.partie_de(request.user, convention) or "caf"
    form = ResiliationForm(request.POST or None, initial={"initiative": partie})
    calcul = None
    if request.method == "POST" and form.is_valid():
        calcul = calculer_resiliation(form.cleaned_data["mode"], form.cleaned_data["date_envoi"], convention.date_fin)
        if "confirmer" in request.POST:
            try:
                cycle.resilier(
                    convention,
                    form.cleaned_data["mode"],
                    form.cleaned_data["date_envoi"],
                    form.cleaned_data["initiative"],
                    form.cleaned_data["motif"],
                    par=request.user,
                )
            except cycle.TransitionImpossible as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(
                    request, f"Résiliation enregistrée : fin de la convention le {calcul.date_effet:%d/%m/%Y}."
                )
                return redirect(convention)
    contexte = {
        "convention": convention,
        "form": form,
        "calcul": calcul,
        "regles": REGLES_RESILIATION.values(),
        "effets": EFFETS_RESILIATION,
    }
    if request.htmx and "confirmer" not in request.POST:
        return render(request, "conventions/_apercu_resiliation.html", contexte)
    return render(request, "conventions/resilier.html", contexte)


@login_required
@require_POST
def renouveler(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_renouveler(request.user, convention))
    try:
        nouvelle_convention = cycle.renouveler(convention, par=request.user)
    except cycle.TransitionImpossible as exc:
        messages.error(request, str(exc))
        return redirect(convention)
    messages.success(request, "Nouvelle convention créée en brouillon, par accord explicite de renouvellement.")
    return redirect(nouvelle_convention)


@login_required
def document(request, pk, format):
    convention = convention_visible(request, pk)
    exiger(perms.peut_telecharger(request.user, convention))
    if format not in FORMATS:
        raise Http404("Format inconnu.")
    from .document import rendre_convention

    contenu = rendre_convention(convention, format)
    reponse = HttpResponse(contenu, content_type=FORMATS[format])
    nom = f"convention-ctg-{convention.epci.code}-{convention.date_debut:%Y}.{format}"
    reponse["Content-Disposition"] = f'attachment; filename="{nom}"'
    return reponse


@login_required
def export_json(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_telecharger(request.user, convention))
    import json

    from .echange import exporter

    reponse = HttpResponse(
        json.dumps(exporter(convention), ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
    )
    reponse["Content-Disposition"] = f'attachment; filename="convention-ctg-{convention.pk}.json"'
    return reponse


@login_required
@require_http_methods(["GET", "POST"])
def membres(request, pk):
    convention = convention_visible(request, pk)
    peut_inviter = perms.peut_inviter(request.user, convention)
    form = InvitationForm(request.POST or None, convention=convention) if peut_inviter else None
    if request.method == "POST":
        exiger(peut_inviter)
        if form.is_valid():
            invitation = Invitation.objects.create(
                convention=convention,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                commune_id=form.cleaned_data["commune"] or None,
                invitee_par=request.user,
            )
            lien = request.build_absolute_uri(reverse("comptes:invitation", args=[invitation.jeton]))
            send_mail(
                f"Invitation à rejoindre la {convention}",
                f"Bonjour,\n\n{request.user.get_full_name() or request.user.username} vous invite à rejoindre la "
                f"{convention} en tant que « {invitation.get_role_display()} ».\n\nCe lien est personnel et ne "
                f"sert qu'une fois, jusqu'au {invitation.expire_le:%d/%m/%Y} :\n{lien}\n",
                None,
                [invitation.email],
            )
            messages.success(request, f"Invitation envoyée à {invitation.email}. Lien à usage unique : {lien}")
            return redirect("conventions:membres", pk=convention.pk)
    return render(
        request,
        "conventions/membres.html",
        {
            "convention": convention,
            "habilitations": convention.habilitations.select_related("user", "commune").order_by("role"),
            "invitations": convention.invitations.filter(utilisee_le=None),
            "form": form,
            "roles": Role,
        },
    )


@login_required
@require_POST
def retirer_membre(request, pk, habilitation):
    convention = convention_visible(request, pk)
    exiger(perms.peut_inviter(request.user, convention))
    objet = get_object_or_404(Habilitation, pk=habilitation, convention=convention)
    if objet.user_id == request.user.pk:
        messages.error(request, "Vous ne pouvez pas retirer votre propre accès.")
    else:
        objet.delete()
        messages.success(request, f"Accès de {objet.user} retiré.")
    return redirect("conventions:membres", pk=convention.pk)
