"""Pages of article 7: a convention's data-exchange requests, a request with its steps and the forms the user may
fill, and an organisation's register of processing activities. Thin: the rules live in ``echanges``, who may do
what in ``perms_echanges``, the register's lines in ``registre``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from ctg import horloge
from ctg.comptes.models import Organisation
from ctg.conventions import perms as perms_convention
from ctg.conventions.acces import convention_visible, exiger
from ctg.televersement import fichiers_recus, nom_affichable, reponse_fichier

from . import echanges, registre, tableaux
from . import perms_echanges as perms
from .forms_echanges import AvisForm, DecisionForm, DelegueForm, DemandeForm, EtudeForm, ReponseForm, TransfertForm
from .models import DemandeEchange, StatutDemande, delegue_en_fonction


def _demande(convention, pk) -> DemandeEchange:
    return get_object_or_404(
        DemandeEchange.objects.select_related("demandeur", "detenteur", "deposee_par"), pk=pk, convention=convention
    )


def _convention_et_demande(request, pk, demande) -> tuple:
    """A request and its convention, for the convention's members, and for the DPO in office of the organisation
    holding the data: they give the opinion without a role on the convention, and see only that request (the
    convention and its other requests stay 404 for them)."""
    objet = DemandeEchange.objects.select_related("convention").filter(pk=demande, convention_id=pk).first()
    if (
        objet is not None
        and not perms_convention.peut_voir(request.user, objet.convention)
        and perms.est_delegue_du_detenteur(request.user, objet)
    ):
        convention = objet.convention
    else:
        convention = convention_visible(request, pk)
    return convention, _demande(convention, demande)


def _erreurs(form) -> str:
    return "; ".join(
        f"{form.fields[c].label if c in form.fields else ''} : {' '.join(e)}".lstrip(" :")
        for c, e in form.errors.items()
    )


@login_required
@require_GET
def liste(request, pk):
    convention = convention_visible(request, pk)
    demandes = convention.demandes_echange.select_related("demandeur", "detenteur")
    return render(
        request,
        "rgpd/echanges/liste.html",
        {
            "convention": convention,
            "demandes": demandes,
            "entetes": tableaux.ENTETES_DEMANDES,
            "peut_demander": perms.peut_demander(request.user, convention),
            "parties": perms.parties(convention),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def nouvelle(request, pk):
    convention = convention_visible(request, pk)
    organisations = perms.organisations_pour_demander(request.user, convention)
    exiger(
        bool(organisations),
        "Seuls la ou le conseiller·ère de la Caf et la ou le chef·fe de projet déposent une demande.",
    )
    form = DemandeForm(
        request.POST or None,
        organisations=Organisation.objects.filter(pk__in=[o.pk for o in organisations]),
        initial={"transferts_hors_ue": "Aucun"},
    )
    if request.method == "POST" and form.is_valid():
        valeurs = form.valeurs()
        try:
            demande = echanges.deposer(
                convention,
                request.user,
                demandeur=valeurs.pop("demandeur"),
                champs=valeurs.pop("champs"),
                donnees_personnelles=valeurs.pop("donnees_personnelles"),
                **valeurs,
            )
        except echanges.EchangeImpossible as exc:
            form.add_error(None, exc.texte)
        else:
            messages.success(request, f"Demande « {demande.objet} » déposée auprès de {demande.detenteur}.")
            return redirect(demande)
    return render(request, "rgpd/echanges/nouvelle.html", {"convention": convention, "form": form})


def _formulaires(request, demande) -> dict:
    """The forms of the steps ``request.user`` may take now (none on a closed request)."""
    user = request.user
    formulaires = {}
    if demande.donnees_personnelles and not demande.est_close:
        if perms.peut_etudier(demande, user):
            formulaires["etude"] = EtudeForm(prefix="etude")
        if demande.statut != StatutDemande.DEPOSEE and perms.peut_rendre_avis(demande, user):
            formulaires["avis"] = AvisForm(prefix="avis")
        if demande.statut == StatutDemande.AVIS_RENDU and perms.peut_decider(demande, user):
            formulaires["decision"] = DecisionForm(prefix="decision")
    elif demande.statut == StatutDemande.DEPOSEE and perms.peut_repondre(demande, user):
        formulaires["reponse"] = ReponseForm(prefix="reponse")
    if demande.statut in (StatutDemande.APPROUVEE, StatutDemande.REPONDUE) and perms.peut_transmettre(demande, user):
        formulaires["transfert"] = TransfertForm(prefix="transfert", initial={"transmis_le": horloge.aujourd_hui()})
    return formulaires


@login_required
@require_GET
def detail(request, pk, demande):
    convention, objet = _convention_et_demande(request, pk, demande)
    return render(
        request,
        "rgpd/echanges/demande.html",
        {
            "convention": convention,
            "demande": objet,
            "etudes": objet.etudes.select_related("par", "remplace"),
            "avis": objet.avis.select_related("par"),
            "decision": getattr(objet, "decision", None),
            "transferts": objet.transferts.select_related("par"),
            "traitement": getattr(objet, "traitement", None),
            "delegue": delegue_en_fonction(objet.detenteur),
            "formulaires": _formulaires(request, objet),
        },
    )


ETAPES = {
    "etude": (EtudeForm, lambda d, u, v: echanges.etudier(d, u, **v), "Étude enregistrée."),
    "avis": (AvisForm, lambda d, u, v: echanges.rendre_avis(d, u, **v), "Avis enregistré."),
    "decision": (DecisionForm, lambda d, u, v: echanges.decider(d, u, **v), "Décision enregistrée."),
    "reponse": (ReponseForm, lambda d, u, v: echanges.repondre(d, u, **v), "Réponse enregistrée."),
}


@login_required
@require_POST
def etape(request, pk, demande, etape):
    _convention, objet = _convention_et_demande(request, pk, demande)
    if etape == "transfert":
        return _transfert(request, objet)
    if etape not in ETAPES:
        raise Http404("Étape inconnue.")
    classe, faire, succes = ETAPES[etape]
    form = classe(request.POST, prefix=etape)
    if not form.is_valid():
        messages.error(request, f"Rien n'a été enregistré — {_erreurs(form)}")
        return redirect(objet)
    try:
        faire(objet, request.user, form.cleaned_data)
    except echanges.EchangeImpossible as exc:
        messages.error(request, exc.texte)
    else:
        messages.success(request, succes)
    return redirect(objet)


def _transfert(request, objet):
    form = TransfertForm(request.POST, fichiers_recus(request), prefix="transfert")
    if not form.is_valid():
        messages.error(request, f"Transmission non enregistrée — {_erreurs(form)}")
        return redirect(objet)
    fichier = form.cleaned_data.get("fichier")
    try:
        echanges.transmettre(
            objet,
            request.user,
            contenu=form.cleaned_data["contenu"],
            transmis_le=form.cleaned_data["transmis_le"],
            empreinte=form.cleaned_data["empreinte"],
            fichier=fichier,
            fichier_nom=nom_affichable(fichier.name) if fichier else "",
            fichier_type=fichier.type_detecte.mime if fichier else "",
        )
    except echanges.EchangeImpossible as exc:
        messages.error(request, exc.texte)
    else:
        messages.success(request, "Transmission enregistrée.")
    return redirect(objet)


# --- Registers ------------------------------------------------------------------------------------------------


def _organisation(request, organisation) -> Organisation:
    objet = get_object_or_404(Organisation, pk=organisation)
    exiger(perms.peut_voir_registre(request.user, objet), perms.REFUS_REGISTRE)
    return objet


@login_required
@require_GET
def registre_page(request, organisation):
    objet = _organisation(request, organisation)
    resultat = registre.registre_de(objet)
    personnes = get_user_model().objects.filter(profil__organisation=objet, is_active=True).order_by("last_name")
    return render(
        request,
        "rgpd/echanges/registre.html",
        {
            "organisation": objet,
            "registre": resultat,
            "lignes": registre.lignes(resultat),
            "entetes": registre.ENTETES,
            "delegues": objet.delegues.select_related("user"),
            "a_aviser": perms.a_aviser(request.user, objet),
            "form_delegue": DelegueForm(personnes=personnes, initial={"depuis": horloge.aujourd_hui()}),
        },
    )


@login_required
@require_GET
def registre_export(request, organisation, format):
    objet = _organisation(request, organisation)
    if format not in registre.TYPES_MIME:
        raise Http404("Format inconnu : csv, xlsx ou pdf.")
    contenu, type_mime, nom = registre.exporter(objet, format)
    return reponse_fichier(contenu, nom, type_mime)


@login_required
@require_POST
def delegue(request, organisation):
    objet = _organisation(request, organisation)
    personnes = get_user_model().objects.filter(profil__organisation=objet, is_active=True)
    form = DelegueForm(request.POST, personnes=personnes)
    if not form.is_valid():
        messages.error(request, f"Rien n'a été enregistré — {_erreurs(form)}")
    else:
        try:
            echanges.designer_delegue(objet, form.cleaned_data["user"], request.user, form.cleaned_data["depuis"])
        except echanges.EchangeImpossible as exc:
            messages.error(request, exc.texte)
        else:
            messages.success(request, "Délégué·e à la protection des données désigné·e.")
    return redirect("rgpd:registre", organisation=objet.pk)
