"""Pages of a convention. Thin: rules live in cycle, regles, echeances, adhesions and perms."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ctg import horloge
from ctg.comptes.models import Role
from ctg.documents import FORMATS
from ctg.documents.tableurs import csv_excel
from ctg.formats import de, trier_par_nom
from ctg.televersement import fichiers_recus, reponse_fichier

from . import cycle, invitations, perms, tableaux
from .acces import convention_visible, exiger
from .adhesions import (
    COLONNES_CSV,
    AdhesionsRefusees,
    FichierAdhesionsInvalide,
    confirmer_adhesion,
    enregistrer_adhesion,
    enregistrer_adhesions,
    lire_csv_adhesions,
    proposer_adhesion,
    resume_adhesions,
)
from .echeances import Etat, tableau_de_bord
from .extensions import collecter
from .forms import (
    AdhesionForm,
    AdhesionsCsvForm,
    AdhesionsEnBlocForm,
    AvenantForm,
    ConventionForm,
    CorrectionForm,
    CreationForm,
    InvitationForm,
    MotifForm,
    PropositionAdhesionForm,
    ResiliationForm,
    SignataireFormSet,
    SignatureForm,
    ajouter_erreurs,
)
from .models import Adhesion, Avenant, Habilitation, Invitation, Partie
from .regles import EFFETS_RESILIATION, REGLES_RESILIATION, calculer_resiliation


@login_required
def liste(request):
    return render(
        request,
        "conventions/liste.html",
        {
            "conventions": tableaux.conventions_de(request.user),
            "entetes": tableaux.ENTETES_CONVENTIONS,
            "peut_creer": perms.peut_creer_convention(request.user),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def nouvelle(request):
    exiger(
        perms.peut_creer_convention(request.user),
        "Une convention est créée par un conseiller ou une conseillère de la Caf compétente.",
    )
    # From a territory's page: the EPCI already chosen (?epci=SIREN).
    form = CreationForm(request.POST or None, initial={"epci": request.GET.get("epci", "")[:9]})
    if request.method == "POST" and form.is_valid():
        epci = form.cleaned_data["epci"]
        caf = perms.caf_competente_pour(request.user, epci)
        if caf is None:
            form.add_error("epci", perms.hors_de_sa_caf(epci))
        else:
            try:
                convention = cycle.creer_convention(
                    caf, epci, form.cleaned_data["date_debut"], form.cleaned_data["date_fin"], par=request.user
                )
            except ValidationError as exc:
                ajouter_erreurs(form, exc)
            else:
                messages.success(request, "Convention créée en brouillon. Complétez-la puis faites-la signer.")
                return redirect(convention)
    return render(request, "conventions/nouvelle.html", {"form": form})


@login_required
def tableau(request, pk):
    convention = convention_visible(request, pk)
    liste_echeances, alertes = tableau_de_bord(convention)
    role = perms.role(request.user, convention)
    return render(
        request,
        "conventions/tableau.html",
        {
            "convention": convention,
            "droits": perms.droits(request.user, convention),
            "role_libelle": Role(role).label if role else None,
            "echeances": liste_echeances,
            "entetes_echeances": tableaux.ENTETES_ECHEANCES,
            "en_retard": [e for e in liste_echeances if e.etat == Etat.EN_RETARD],
            "proches": [e for e in liste_echeances if e.etat == Etat.PROCHE],
            "closes": sum(1 for e in liste_echeances if e.etat in (Etat.FAITE, Etat.SANS_OBJET)),
            "adhesions": resume_adhesions(convention),
            "propositions": convention.adhesions.exclude(proposition="").select_related("commune"),
            "signataires": convention.signataires.all(),
            "avenants": convention.avenants.all(),
            "transitions": convention.transitions.select_related("par"),
            "manques_signature": cycle.manques_pour_signer(convention),
            "alertes": alertes,
            "liens": collecter("liens", convention),
        },
    )


def _page_modifier(request, convention, form, formset, correction):
    return render(
        request,
        "conventions/modifier.html",
        {"convention": convention, "form": form, "formset": formset, "correction": correction},
    )


def _formulaire_convention(request, convention):
    return ConventionForm(
        request.POST or None,
        instance=convention,
        termes_modifiables=perms.peut_modifier_termes(request.user, convention),
        caf_modifiable=perms.peut_modifier_caf(request.user, convention),
    )


@login_required
@require_http_methods(["GET", "POST"])
def modifier(request, pk):
    convention = convention_visible(request, pk)
    exiger(
        perms.peut_modifier(request.user, convention),
        "Cette convention est terminée : elle ne se modifie plus."
        if convention.est_terminee
        else "Votre rôle sur cette convention ne permet pas de la modifier.",
    )
    form = _formulaire_convention(request, convention)
    termes = form.termes_modifiables
    formset = SignataireFormSet(request.POST or None, instance=convention, prefix="signataires") if termes else None
    correction = CorrectionForm(convention=convention) if perms.peut_corriger(request.user, convention) else None
    if request.method == "POST" and form.is_valid() and (formset is None or formset.is_valid()):
        try:
            cycle.enregistrer_convention(form, formset, par=request.user)
        except ValidationError as exc:
            ajouter_erreurs(form, exc)
        else:
            messages.success(request, "Convention enregistrée.")
            return redirect(convention)
    return _page_modifier(request, convention, form, formset, correction)


@login_required
@require_POST
def corriger(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_corriger(request.user, convention), "Seule la Caf corrige une erreur matérielle.")
    correction = CorrectionForm(request.POST, convention=convention)
    if correction.is_valid():
        try:
            cycle.corriger(convention, correction.valeurs(), correction.cleaned_data["motif"], par=request.user)
        except (cycle.TransitionImpossible, ValidationError) as exc:
            ajouter_erreurs(correction, exc)
        else:
            messages.success(request, "Erreur matérielle corrigée ; la correction et son motif sont dans l'historique.")
            return redirect(convention)
    return _page_modifier(request, convention, _formulaire_convention(request, convention), None, correction)


@login_required
def adhesions(request, pk):
    convention = convention_visible(request, pk)
    lignes = [
        {"adhesion": a, "peut_modifier": perms.peut_modifier_adhesion(request.user, convention, a.commune_id)}
        for a in tableaux.adhesions_triees(convention)
    ]
    return render(
        request,
        "conventions/adhesions.html",
        {
            "convention": convention,
            "lignes": lignes,
            "entetes": tableaux.ENTETES_ADHESIONS,
            "resume": resume_adhesions(convention),
            "peut_confirmer": perms.peut_confirmer_adhesion(request.user, convention),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def adhesions_en_bloc(request, pk):
    """Every commune's adhesion in one table, or from a CSV file: all or nothing, through the rules layer."""
    convention = convention_visible(request, pk)
    exiger(perms.peut_confirmer_adhesion(request.user, convention))
    liste = trier_par_nom(convention.adhesions.select_related("commune"), nom=lambda a: a.commune.nom)
    if request.GET.get("modele") == "csv":
        lignes = [
            [
                a.commune_id,
                a.commune.nom,
                a.get_statut_display(),
                f"{a.date_deliberation:%d/%m/%Y}" if a.date_deliberation else "",
            ]
            for a in liste
        ]
        return reponse_fichier(
            csv_excel(list(COLONNES_CSV), lignes), f"adhesions-convention-{convention.pk}.csv", "text/csv"
        )
    tableau = AdhesionsEnBlocForm(adhesions=liste)
    fichier = AdhesionsCsvForm()
    erreurs_fichier: list[str] = []
    valeurs = None
    if request.method == "POST" and "fichier" in request.FILES:
        fichier = AdhesionsCsvForm(request.POST, fichiers_recus(request))
        if fichier.is_valid():
            contenu = fichier.cleaned_data["fichier"].read()
            try:
                valeurs = lire_csv_adhesions(contenu)
            except FichierAdhesionsInvalide as exc:
                erreurs_fichier = exc.erreurs
    elif request.method == "POST":
        tableau = AdhesionsEnBlocForm(request.POST, adhesions=liste)
        if tableau.is_valid():
            valeurs = tableau.valeurs()
    if valeurs is not None:
        try:
            changees = enregistrer_adhesions(convention, valeurs, par=request.user)
        except AdhesionsRefusees as exc:
            erreurs_fichier = [f"{nom} : {raison}" for nom, raison in exc.erreurs.items()]
        else:
            messages.success(
                request,
                f"{len(changees)} adhésion(s) enregistrée(s) ; les autres communes n'ont pas changé."
                if changees
                else "Aucun changement : les adhésions étaient déjà celles-là.",
            )
            return redirect("conventions:adhesions", pk=convention.pk)
    return render(
        request,
        "conventions/adhesions_en_bloc.html",
        {
            "convention": convention,
            "tableau": tableau,
            "fichier": fichier,
            "erreurs_fichier": erreurs_fichier,
            "colonnes_csv": COLONNES_CSV,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def adhesion(request, pk, commune):
    """A commune's adhesion: recorded (or a proposal confirmed) by the Caf adviser or the project lead; proposed by
    the commune's referent."""
    convention = convention_visible(request, pk)
    objet = get_object_or_404(Adhesion.objects.select_related("commune"), convention=convention, commune_id=commune)
    exiger(perms.peut_modifier_adhesion(request.user, convention, commune))
    confirme = perms.peut_confirmer_adhesion(request.user, convention)
    if request.method == "POST" and confirme and request.POST.get("proposition") in {"confirmer", "ecarter"}:
        try:
            confirmer_adhesion(objet, par=request.user, accepter=request.POST["proposition"] == "confirmer")
        except cycle.TransitionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Adhésion de la commune {de(objet.commune.nom)} : proposition traitée.")
        return redirect("conventions:adhesions", pk=convention.pk)
    if confirme:
        form = AdhesionForm(request.POST or None, instance=objet, prefix=f"a{commune}")
    else:
        form = PropositionAdhesionForm(request.POST or None, prefix=f"a{commune}")
    if request.method == "POST" and form.is_valid():
        try:
            if confirme:
                valeurs = {c: form.cleaned_data[c] for c in form.Meta.fields}
                objet.refresh_from_db()
                enregistrer_adhesion(objet, valeurs, par=request.user)
                texte = f"Adhésion de la commune {de(objet.commune.nom)} enregistrée."
            else:
                proposer_adhesion(
                    objet, form.cleaned_data["proposition"], form.cleaned_data["date_deliberation"], par=request.user
                )
                texte = (
                    f"Proposition de la commune {de(objet.commune.nom)} transmise : elle compte une fois confirmée par "
                    "la Caf ou la collectivité."
                )
        except cycle.TransitionImpossible as exc:
            ajouter_erreurs(form, exc)
        else:
            if request.htmx:
                ligne = {"adhesion": objet, "peut_modifier": True}
                return render(request, "conventions/_adhesion_ligne.html", {"convention": convention, "ligne": ligne})
            messages.success(request, texte)
            return redirect("conventions:adhesions", pk=convention.pk)
    gabarit = "conventions/_adhesion_formulaire.html" if request.htmx else "conventions/adhesion.html"
    return render(request, gabarit, {"convention": convention, "adhesion": objet, "form": form, "confirme": confirme})


@login_required
@require_http_methods(["GET", "POST"])
def avenant_nouveau(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_ajouter_avenant(request.user, convention))
    form = AvenantForm(request.POST or None, convention=convention)
    if request.method == "POST" and form.is_valid():
        try:
            avenant = cycle.ajouter_avenant(
                convention,
                form.cleaned_data["objet"],
                form.modifications(),
                par=request.user,
                signataires=form.cleaned_data["signataires"],
                ctes=form.cleaned_data["ctes_identifiant"],
            )
        except cycle.TransitionImpossible as exc:
            ajouter_erreurs(form, exc)
        else:
            messages.success(
                request, f"Avenant n° {avenant.numero} enregistré en projet : il s'applique une fois signé."
            )
            return redirect(convention)
    return render(request, "conventions/avenant.html", {"convention": convention, "form": form})


@login_required
@require_POST
def avenant_signer(request, pk, numero):
    convention = convention_visible(request, pk)
    avenant = get_object_or_404(Avenant, convention=convention, numero=numero)
    exiger(perms.peut_signer_avenant(request.user, avenant))
    form = SignatureForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez la date de signature de l'avenant.")
        return redirect(convention)
    try:
        cycle.signer_avenant(avenant, form.cleaned_data["date_signature"], par=request.user)
    except cycle.TransitionImpossible as exc:
        messages.error(request, f"Avenant n° {avenant.numero} non signé : {exc}")
    else:
        messages.success(request, f"Avenant n° {avenant.numero} signé : ses modifications sont appliquées.")
    return redirect(convention)


@login_required
@require_http_methods(["GET", "POST"])
def signer(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_signer(request.user, convention))
    form = SignatureForm(request.POST or None, initial={"date_signature": horloge.aujourd_hui()})
    if request.method == "POST" and form.is_valid():
        try:
            cycle.signer(convention, form.cleaned_data["date_signature"], par=request.user)
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
    partie = perms.partie_de(request.user, convention)
    form = ResiliationForm(request.POST or None, modes=perms.modes_resiliation(request.user, convention))
    calcul = effet_passe = None
    if request.method == "POST" and form.is_valid():
        calcul = calculer_resiliation(form.cleaned_data["mode"], form.cleaned_data["date_envoi"], convention.date_fin)
        effet_passe = calcul.date_effet < horloge.aujourd_hui()
        if "confirmer" in request.POST:
            try:
                cycle.resilier(
                    convention,
                    form.cleaned_data["mode"],
                    form.cleaned_data["date_envoi"],
                    motif=form.cleaned_data["motif"],
                    par=request.user,
                    confirmer_effet_passe=form.cleaned_data["confirmer_effet_passe"],
                )
            except cycle.TransitionImpossible as exc:
                form.add_error("confirmer_effet_passe" if isinstance(exc, cycle.EffetDejaPasse) else None, str(exc))
            else:
                messages.success(
                    request, f"Résiliation enregistrée : fin de la convention le {calcul.date_effet:%d/%m/%Y}."
                )
                return redirect(convention)
    contexte = {
        "convention": convention,
        "form": form,
        "calcul": calcul,
        "effet_passe": effet_passe,
        "partie": Partie(partie).label if partie else "",
        "regles": [r for m, r in REGLES_RESILIATION.items() if m in perms.modes_resiliation(request.user, convention)],
        "effets": EFFETS_RESILIATION,
    }
    if request.htmx and "confirmer" not in request.POST:
        return render(request, "conventions/_apercu_resiliation.html", contexte)
    return render(request, "conventions/resilier.html", contexte)


@login_required
@require_POST
def annuler_resiliation(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_annuler_resiliation(request.user, convention), "Seule la Caf peut annuler une résiliation.")
    form = MotifForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Indiquez le motif de l'annulation de la résiliation.")
        return redirect(convention)
    try:
        cycle.annuler_resiliation(convention, form.cleaned_data["motif"], par=request.user)
    except cycle.TransitionImpossible as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "Résiliation annulée ; l'annulation et son motif sont dans l'historique.")
    return redirect(convention)


@login_required
@require_POST
def renouveler(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_renouveler(request.user, convention), "Le renouvellement est préparé par la Caf.")
    try:
        nouvelle_convention = cycle.renouveler(convention, par=request.user)
    except (cycle.TransitionImpossible, ValidationError) as exc:
        messages.error(request, " ".join(getattr(exc, "messages", [str(exc)])))
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
    nom = f"convention-ctg-{convention.epci.code}-{convention.date_debut:%Y}.{format}"
    return reponse_fichier(contenu, nom, FORMATS[format])


@login_required
def export_json(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_telecharger(request.user, convention))
    import json

    from .echange import exporter

    return reponse_fichier(
        json.dumps(exporter(convention), ensure_ascii=False, indent=2),
        f"convention-ctg-{convention.pk}.json",
        "application/json; charset=utf-8",
    )


@login_required
@require_http_methods(["GET", "POST"])
def membres(request, pk):
    convention = convention_visible(request, pk)
    peut_inviter = perms.peut_inviter(request.user, convention)
    form = InvitationForm(request.POST or None, convention=convention) if peut_inviter else None
    if request.method == "POST":
        exiger(peut_inviter)
        if form.is_valid():
            invitation = invitations.inviter(
                convention,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                commune=form.cleaned_data["commune"],
                par=request.user,
                absolue=request.build_absolute_uri,
            )
            # The link goes to its addressee only: whoever sees this page cannot use it in their place.
            messages.success(
                request,
                f"Invitation envoyée par courriel à {invitation.email} : son lien personnel sert une fois, jusqu'au "
                f"{invitation.expire_le:%d/%m/%Y}.",
            )
            return redirect("conventions:membres", pk=convention.pk)
    return render(
        request,
        "conventions/membres.html",
        {
            "convention": convention,
            "habilitations": tableaux.habilitations(convention),
            "entetes": tableaux.ENTETES_MEMBRES,
            "invitations": convention.invitations.filter(
                utilisee_le=None, expire_le__gt=horloge.maintenant()
            ).select_related("invitee_par", "commune"),
            "peut_inviter": peut_inviter,
            "form": form,
            "roles": Role,
        },
    )


@login_required
@require_POST
def revoquer_invitation(request, pk, invitation):
    convention = convention_visible(request, pk)
    exiger(perms.peut_inviter(request.user, convention))
    objet = get_object_or_404(Invitation, pk=invitation, convention=convention)
    try:
        invitations.revoquer(objet, request.user)
    except invitations.InvitationInvalide as exc:
        messages.error(request, f"{exc} Rien n'a changé.")
    else:
        messages.success(request, f"Invitation de {objet.email} révoquée : son lien ne sert plus.")
    return redirect("conventions:membres", pk=convention.pk)


@login_required
@require_POST
def retirer_membre(request, pk, habilitation):
    convention = convention_visible(request, pk)
    exiger(perms.peut_inviter(request.user, convention))
    objet = get_object_or_404(Habilitation, pk=habilitation, convention=convention)
    try:
        invitations.retirer(objet, par=request.user)
    except invitations.RetraitImpossible as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"Accès de {objet.user} retiré.")
    return redirect("conventions:membres", pk=convention.pk)
