"""Pages of the comité de pilotage. Thin: rules live in regles, decisions, convocations, documents and perms."""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ctg import horloge
from ctg.concurrence import VersionPerimee
from ctg.conventions.acces import convention_visible, exiger
from ctg.documents import FORMATS
from ctg.documents.confidentialite import journaliser_telechargement
from ctg.taches.models import StatutTravail
from ctg.televersement import reponse_fichier

from . import ics, perms, reunions, tableaux
from .convocations import lancer_envoi
from .decisions import (
    DecisionImpossible,
    enregistrer_decision,
    enregistrer_initiative,
    enregistrer_presences,
    resultat,
    signaler_initiative,
    transformer_initiative,
)
from .documents import DOCUMENTS, decisions_de, rendre_document
from .forms import (
    CompteRenduForm,
    DecisionForm,
    InitiativeForm,
    MembreForm,
    PointFormSet,
    PresencesForm,
    ReunionForm,
    SousComiteForm,
    TransformationForm,
)
from .models import Initiative, Membre, Reunion
from .pages import contexte as _contexte
from .pages import page_reunion
from .pages import reunion_de as _reunion
from .participation import presences_proposees
from .regles import (
    bilan_presences,
    comite_de,
    creer_sous_comite,
    enregistrer_membre,
    historique_parite,
    membres_en_fonction,
    parite,
    semestres_comite,
)


def _date_parametre(request, defaut: date) -> date:
    try:
        return date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        return defaut


@login_required
def comite(request, pk):
    convention = convention_visible(request, pk)
    principal = comite_de(convention)
    aujourd_hui = horloge.aujourd_hui()
    a_venir, passees = tableaux.reunions_ordonnees(convention)
    sous_comites = principal.sous_comites.all()
    sieges = [m for m in principal.membres.filter(compte=request.user) if m.en_fonction(aujourd_hui)]
    return render(
        request,
        "gouvernance/comite.html",
        _contexte(
            request,
            convention,
            comite=principal,
            sous_comites=sous_comites,
            entetes_reunions=tableaux.entetes_reunions(bool(sous_comites)),
            parite=parite(principal, aujourd_hui),
            membres=membres_en_fonction(principal, aujourd_hui),
            semestres=semestres_comite(convention, aujourd_hui),
            a_venir=a_venir,
            passees=passees,
            annee=convention.annee_dans_la_periode(aujourd_hui.year),
            initiatives=convention.initiatives.exclude(suivi__in=["transformee", "ecartee"]).select_related("commune")[
                :5
            ],
            aujourd_hui=aujourd_hui,
            siege=sieges[0] if sieges else None,
        ),
    )


@login_required
def composition(request, pk):
    convention = convention_visible(request, pk)
    principal = comite_de(convention)
    jour = _date_parametre(request, horloge.aujourd_hui())
    contexte = _contexte(
        request,
        convention,
        comite=principal,
        jour=jour,
        parite=parite(principal, jour),
        en_fonction=membres_en_fonction(principal, jour),
    )
    if request.htmx:
        return render(request, "gouvernance/_parite.html", contexte)
    fin = max(horloge.aujourd_hui(), convention.date_fin)
    comites = [principal, *principal.sous_comites.all()]
    contexte.update(
        comites=[(c, c.membres.select_related("compte")) for c in comites],
        entetes_membres=tableaux.ENTETES_MEMBRES,
        historique=historique_parite(principal, convention.date_debut, fin),
    )
    return render(request, "gouvernance/composition.html", contexte)


@login_required
@require_http_methods(["GET", "POST"])
def membre(request, pk, membre=None):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    principal = comite_de(convention)
    instance = get_object_or_404(Membre, pk=membre, comite__convention=convention) if membre else None
    initial = {} if instance else {"comite": principal, "debut": horloge.aujourd_hui()}
    form = MembreForm(request.POST or None, instance=instance, initial=initial, convention=convention)
    if request.method == "POST" and form.is_valid():
        objet = enregistrer_membre(form, par=request.user)
        messages.success(request, f"{objet} : membre enregistré·e. {parite(principal, horloge.aujourd_hui()).message}")
        return redirect("gouvernance:composition", pk=convention.pk)
    return render(request, "gouvernance/membre.html", _contexte(request, convention, form=form, membre=instance))


@login_required
@require_http_methods(["GET", "POST"])
def sous_comite_nouveau(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    form = SousComiteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        objet = creer_sous_comite(form, convention, par=request.user)
        messages.success(request, f"Sous-comité « {objet} » créé. Ajoutez-lui des membres.")
        return redirect("gouvernance:composition", pk=convention.pk)
    return render(request, "gouvernance/sous_comite.html", _contexte(request, convention, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def reunion_nouvelle(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    principal = comite_de(convention)
    form = ReunionForm(request.POST or None, initial={"comite": principal}, convention=convention)
    formset = PointFormSet(request.POST or None, prefix="points")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        reunion = reunions.enregistrer_reunion(form, formset)
        messages.success(request, f"Réunion du {reunion.date:%d/%m/%Y} planifiée. Envoyez les convocations.")
        return redirect(reunion)
    return render(request, "gouvernance/reunion_form.html", _contexte(request, convention, form=form, formset=formset))


@login_required
@require_http_methods(["GET", "POST"])
def reunion_modifier(request, pk, reunion):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    objet = _reunion(convention, reunion)
    if objet.est_close:
        messages.error(request, objet.refus_reunion_close().messages[0])
        return redirect(objet)
    form = ReunionForm(request.POST or None, instance=objet, convention=convention)
    formset = PointFormSet(request.POST or None, instance=objet, prefix="points")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            objet = reunions.enregistrer_reunion(form, formset)
        except VersionPerimee:
            pass  # the form carries what changed since it was displayed
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Réunion enregistrée.")
            return redirect(objet)
    return render(
        request,
        "gouvernance/reunion_form.html",
        _contexte(request, convention, form=form, formset=formset, reunion=objet),
    )


@login_required
@require_POST
def reunion_statut(request, pk, reunion, action):
    """Cancel a planned meeting, plan a cancelled one again, approve the minutes of a held one."""
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    objet = _reunion(convention, reunion)
    changer = reunions.ACTIONS.get(action)
    if changer is None:
        raise Http404("Action inconnue.")
    try:
        changer(objet, par=request.user)
    except reunions.ChangementReunionImpossible as exc:
        messages.error(request, exc.texte)
    else:
        messages.success(request, f"Réunion du {objet.date:%d/%m/%Y} : {objet.get_statut_display().lower()}.")
    return redirect(objet)


@login_required
def reunion(request, pk, reunion):
    convention = convention_visible(request, pk)
    return page_reunion(request, convention, _reunion(convention, reunion))


@login_required
@require_http_methods(["GET", "POST"])
def presences(request, pk, reunion):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    objet = _reunion(convention, reunion)
    if objet.est_close:
        messages.error(request, objet.refus_reunion_close().messages[0])
        return redirect(objet)
    membres = membres_en_fonction(objet.comite, objet.date)
    existantes = {p.membre_id: p for p in objet.presences.all()}
    form = PresencesForm(
        request.POST or None, membres=membres, presences=existantes, proposees=presences_proposees(objet)
    )
    if request.method == "POST" and form.is_valid():
        try:
            enregistrer_presences(objet, form.etats(), par=request.user)
        except DecisionImpossible as exc:
            form.add_error(None, str(exc))
        else:
            bilan = bilan_presences(objet)
            messages.success(request, f"Présences enregistrées. {bilan.message_quorum} {bilan.parite_presents.message}")
            return redirect(objet)
    return render(request, "gouvernance/presences.html", _contexte(request, convention, reunion=objet, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def compte_rendu(request, pk, reunion):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    objet = _reunion(convention, reunion)
    if objet.est_close:
        messages.error(request, objet.refus_reunion_close().messages[0])
        return redirect(objet)
    form = CompteRenduForm(request.POST or None, instance=objet)
    if request.method == "POST" and form.is_valid():
        try:
            reunions.enregistrer_compte_rendu(form)
        except VersionPerimee:
            pass  # the form carries what changed since it was displayed
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, "Compte rendu enregistré.")
            return redirect(objet)
    return render(request, "gouvernance/compte_rendu.html", _contexte(request, convention, reunion=objet, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def decision_nouvelle(request, pk, reunion):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    objet = _reunion(convention, reunion)
    if objet.est_close:
        messages.error(request, objet.refus_reunion_close().messages[0])
        return redirect(objet)
    bilan = bilan_presences(objet)
    form = DecisionForm(request.POST or None, reunion=objet, membres=bilan.presents)
    if request.method == "POST" and form.is_valid():
        donnees = form.cleaned_data
        try:
            decision = enregistrer_decision(
                objet,
                donnees["texte"],
                donnees["mode"],
                donnees["objet"],
                donnees["reference"],
                donnees["objet_id"],
                form.votes(),
                par=request.user,
                motif=donnees["motif"],
            )
        except DecisionImpossible as exc:
            form.add_error(None, str(exc))
        else:
            effet = f" {decision.effet}" if decision.effet else ""
            messages.success(request, f"Décision n° {decision.ordre} enregistrée : {resultat(decision)}.{effet}")
            return redirect(objet)
    return render(
        request,
        "gouvernance/decision.html",
        _contexte(request, convention, reunion=objet, form=form, bilan=bilan),
    )


@login_required
@require_POST
def convocations(request, pk, reunion):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    objet = _reunion(convention, reunion)
    try:
        travail = lancer_envoi(objet, par=request.user)
    except reunions.ChangementReunionImpossible as exc:
        messages.error(request, exc.texte)
        return redirect(objet)
    if not travail.est_fini:  # in the queue: its page follows it
        return redirect(travail)
    if travail.statut == StatutTravail.TERMINE:  # done within the request (the embedded default)
        messages.success(request, travail.message)
    else:
        messages.error(request, f"Convocations : {travail.libelle}")
    return redirect(objet)


def _document(reunion: Reunion, nom: str, format: str) -> HttpResponse:
    if format not in FORMATS or nom not in DOCUMENTS:
        raise Http404("Format inconnu.")
    fichier = f"copil-{reunion.comite.convention.epci.code}-{reunion.date:%Y-%m-%d}-{nom}.{format}"
    return reponse_fichier(rendre_document(reunion, nom, format), fichier, FORMATS[format])


@login_required
def convocation_document(request, pk, reunion, format):
    convention = convention_visible(request, pk)
    return _document(_reunion(convention, reunion), "convocation", format)


@login_required
def compte_rendu_document(request, pk, reunion, format):
    convention = convention_visible(request, pk)
    objet = _reunion(convention, reunion)
    reponse = _document(objet, "compte-rendu", format)
    # minutes not approved yet are a working document (article 14): their download is logged
    journaliser_telechargement(request, convention, objet, f"Compte rendu du {objet.date:%d/%m/%Y}", format)
    return reponse


def _ics(contenu: bytes, nom: str) -> HttpResponse:
    return reponse_fichier(contenu, nom, "text/calendar; charset=utf-8")


@login_required
def reunion_ics(request, pk, reunion):
    convention = convention_visible(request, pk)
    objet = _reunion(convention, reunion)
    return _ics(ics.calendrier([objet]), f"copil-{objet.date:%Y-%m-%d}.ics")


@login_required
def calendrier(request, pk, annee):
    convention = convention_visible(request, pk)
    return _ics(ics.calendrier_annuel(convention, annee), f"copil-{convention.epci.code}-{annee}.ics")


@login_required
def decisions(request, pk):
    convention = convention_visible(request, pk)
    liste = tableaux.decisions_avec_resultat(decisions_de(convention))
    avec_comite = comite_de(convention).sous_comites.exists()
    entetes = tableaux.entetes_decisions(avec_comite)
    return render(
        request,
        "gouvernance/decisions.html",
        _contexte(request, convention, decisions=liste, avec_comite=avec_comite, entetes=entetes),
    )


@login_required
def initiatives(request, pk):
    convention = convention_visible(request, pk)
    liste = convention.initiatives.select_related("commune")
    return render(
        request,
        "gouvernance/initiatives.html",
        _contexte(request, convention, initiatives=liste, entetes=tableaux.ENTETES_INITIATIVES),
    )


@login_required
@require_http_methods(["GET", "POST"])
def initiative_nouvelle(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_signaler_initiative(request.user, convention))
    form = InitiativeForm(request.POST or None, initial={"reperee_le": horloge.aujourd_hui()}, convention=convention)
    if request.method == "POST" and form.is_valid():
        objet = signaler_initiative(form, convention, par=request.user)
        messages.success(request, f"Initiative « {objet} » signalée au comité de pilotage.")
        return redirect("gouvernance:initiatives", pk=convention.pk)
    return render(request, "gouvernance/initiative.html", _contexte(request, convention, form=form))


@login_required
@require_http_methods(["GET", "POST"])
def initiative(request, pk, initiative):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    objet = get_object_or_404(Initiative, pk=initiative, convention=convention)
    form = InitiativeForm(request.POST or None, instance=objet, convention=convention, suivi=True)
    if request.method == "POST" and form.is_valid():
        enregistrer_initiative(form, par=request.user)
        messages.success(request, f"Initiative « {objet} » enregistrée.")
        return redirect("gouvernance:initiatives", pk=convention.pk)
    return render(request, "gouvernance/initiative.html", _contexte(request, convention, form=form, initiative=objet))


@login_required
@require_POST
def initiative_transformer(request, pk, initiative):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    objet = get_object_or_404(Initiative, pk=initiative, convention=convention)
    form = TransformationForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Numéro de fiche invalide.")
    else:
        try:
            transformer_initiative(
                objet,
                horloge.aujourd_hui(),
                form.cleaned_data["reference"],
                form.cleaned_data["fiche_id"],
                par=request.user,
            )
        except DecisionImpossible as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, f"Initiative « {objet} » transformée en fiche action : {objet.fiche_reference}.")
    return redirect("gouvernance:initiatives", pk=convention.pk)
