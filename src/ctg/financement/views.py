"""Pages of a convention's financing. Thin: the rules live in ``calcul``, ``baremes``, ``importation``,
``simulation``, ``regles`` and ``perms``. Every record is fetched through the convention of the URL (never by EPCI
or commune alone): another convention's structure, Cej or funding is a 404 here."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from ctg import horloge
from ctg.concurrence import VersionPerimee
from ctg.conventions.acces import convention_visible, exiger
from ctg.formats import de
from ctg.taches.models import StatutTravail
from ctg.televersement import fichiers_recus, reponse_fichier

from . import baremes as regles_baremes
from . import perms, regles, tableaux
from .calcul import engagements_annee, totaux
from .calcul.donnees import donnees_partagees
from .exports import (
    AVERTISSEMENT_DEMO,
    ENTETES_BONUS,
    ENTETES_ENGAGEMENTS,
    MESURES,
    MESURES_EPCI,
    bonus_tries,
    entetes_pluriannuel,
    graphique,
    pluriannuel,
    table_bonus,
    table_engagements,
    table_modele,
    table_pluriannuelle,
)
from .forms import (
    CejForm,
    FinancementForm,
    ImportForm,
    LigneCejFormSet,
    NouveauBaremeForm,
    RevisionBaremeForm,
    SimulationForm,
    StructureForm,
    VerificationForm,
)
from .lecture import commune_de, piece_de_verification, simuler_formulaire, structure_de
from .models import ANNEE_MAX, ANNEE_MIN, Bareme
from .taches import lancer_import

TYPES_MIME = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def annee_par_defaut(convention, jour) -> int:
    """This year while the convention runs; its first year before it starts; its last year once it has ended."""
    return convention.annee_dans_la_periode(jour.year)


def annee_demandee(request, convention) -> int:
    """The year asked for (``?annee=``), else ``annee_par_defaut`` as of today."""
    texte = request.GET.get("annee", "")
    if texte.isdigit() and ANNEE_MIN <= int(texte) <= ANNEE_MAX:
        return int(texte)
    return annee_par_defaut(convention, horloge.aujourd_hui())


def annee_de_saisie(convention, jour) -> int:
    """The year a funding form proposes: last year's accounts, within the convention's years."""
    return convention.annee_dans_la_periode(jour.year - 1)


@login_required
def convention(request, pk):
    convention = convention_visible(request, pk)
    annee = annee_demandee(request, convention)
    donnees = donnees_partagees(convention)
    bonus = bonus_tries(convention, annee, donnees)
    engagements = engagements_annee(convention, annee, donnees)
    return render(
        request,
        "financement/convention.html",
        {
            "convention": convention,
            "annee": annee,
            "annees": donnees.annees(),
            "bonus": bonus,
            "totaux": totaux(bonus),
            "engagements": engagements,
            "alertes": [e.texte_alerte for e in engagements if e.en_alerte],
            "cejs": tableaux.cej_tries(donnees),
            "entetes_bonus": ENTETES_BONUS,
            "parametres_bonus": f"tableau=bonus&annee={annee}",
            "entetes_engagements": ENTETES_ENGAGEMENTS,
            "entetes_cej": tableaux.ENTETES_CEJ,
            "droits": perms.droits(request.user, convention),
            "demonstration": any(s.demonstration for s in donnees.structures),
        },
    )


@login_required
def pluriannuel_vue(request, pk):
    convention = convention_visible(request, pk)
    tableau = pluriannuel(convention, donnees_partagees(convention))
    return render(
        request,
        "financement/pluriannuel.html",
        {
            "convention": convention,
            "tableau": tableau,
            "entetes": entetes_pluriannuel(tableau["annees"]),
            "mesures": MESURES,
            "mesures_epci": MESURES_EPCI,
            "graphique": graphique(tableau) if tableau["communes"] else None,
        },
    )


@login_required
def export(request, pk, format):
    convention = convention_visible(request, pk)
    if format not in TYPES_MIME:
        raise Http404("Format inconnu : csv ou xlsx.")
    from ctg.documents.tableurs import classeur, csv_excel

    tableau = request.GET.get("tableau", "bonus")
    annee = annee_demandee(request, convention)
    donnees = donnees_partagees(convention)
    if tableau == "bonus":
        (entetes, lignes, demo), titre = table_bonus(convention, annee, donnees), f"Bonus territoire {annee}"
    elif tableau == "engagements":
        (entetes, lignes, demo), titre = table_engagements(convention, donnees), "Engagements des communes"
    elif tableau == "pluriannuel":
        (entetes, lignes, demo), titre = table_pluriannuelle(convention, donnees), "Financement pluriannuel"
    elif tableau == "modele":
        (entetes, lignes, demo), titre = table_modele(convention, annee, donnees), f"Financements constatés {annee}"
    else:
        raise Http404("Tableau inconnu.")
    titre = f"{titre} — {convention.epci.nom}"
    if format == "csv":
        contenu = csv_excel(entetes, lignes)
    else:
        contenu = classeur(titre, entetes, lignes, AVERTISSEMENT_DEMO if demo else "", titre.split(" —")[0])
    suffixe = f"-{annee}" if tableau in {"bonus", "modele"} else ""
    return reponse_fichier(
        contenu, f"financement-{convention.epci.code}-{tableau}{suffixe}.{format}", TYPES_MIME[format]
    )


@login_required
def structure(request, pk, structure):
    convention = convention_visible(request, pk)
    objet = structure_de(convention, structure)
    donnees = donnees_partagees(convention)
    objet = next(s for s in donnees.structures if s.pk == objet.pk)
    annees = tableaux.bonus_par_annee(donnees, objet)
    return render(
        request,
        "financement/structure.html",
        {
            "convention": convention,
            "structure": objet,
            "annees": annees,
            "capacites": donnees.capacites.get(objet.pk, []),
            "lignes_cej": objet.lignes_cej.select_related("cej").order_by("cej__date_fin"),
            "financements": objet.financements.order_by("annee", "document"),
            "droits": perms.droits(request.user, convention),
            "entetes_capacites": tableaux.ENTETES_CAPACITES,
            "entetes_financements": tableaux.ENTETES_FINANCEMENTS,
            "entetes_bonus": tableaux.ENTETES_BONUS_STRUCTURE,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def structure_edition(request, pk, structure=None):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    objet = structure_de(convention, structure) if structure else None
    form = StructureForm(request.POST or None, instance=objet, convention=convention)
    if request.method == "POST" and form.is_valid():
        try:
            objet = regles.enregistrer_structure(form)
        except VersionPerimee:
            pass  # the form shows what changed since it was read
        else:
            messages.success(request, f"Structure « {objet.nom} » enregistrée.")
            return redirect("financement:structure", pk=convention.pk, structure=objet.pk)
    statut = 409 if request.method == "POST" and form.has_error("__all__", "version_perimee") else 200
    return render(
        request,
        "financement/structure_form.html",
        {"convention": convention, "form": form, "objet": objet},
        status=statut,
    )


@login_required
@require_http_methods(["GET", "POST"])
def cej_edition(request, pk, cej=None):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    objet = get_object_or_404(convention.cej, pk=cej) if cej else None
    form = CejForm(request.POST or None, instance=objet, convention=convention)
    formset = LigneCejFormSet(request.POST or None, instance=objet or form.instance, prefix="lignes")
    for f in formset.forms:
        f.fields["structure"].queryset = convention.structures.all()
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        objet = regles.enregistrer_cej(form, formset)
        messages.success(request, f"Cej « {objet} » enregistré.")
        return redirect(reverse("financement:convention", args=[convention.pk]) + "#cej")
    return render(
        request,
        "financement/cej_form.html",
        {"convention": convention, "form": form, "formset": formset, "objet": objet},
    )


@login_required
def commune(request, pk, commune):
    convention = convention_visible(request, pk)
    objet = commune_de(convention, commune)
    donnees = donnees_partagees(convention)
    engagements = tableaux.engagements_de(donnees, objet)
    verifications = tableaux.verifications_de(convention, objet)
    form = VerificationForm(initial={"annee": next((e.annee for e in engagements if e.en_alerte), None)})
    return render(
        request,
        "financement/commune.html",
        {
            "convention": convention,
            "commune": objet,
            "engagements": engagements,
            "structures": donnees.structures_de(objet.code),
            "verifications": verifications,
            "adhesion": donnees.adhesions.get(objet.code),
            "form": form,
            "droits": perms.droits(request.user, convention),
            "peut_saisir": perms.peut_saisir_financement(request.user, convention, objet.code),
            "entetes_engagement": tableaux.ENTETES_ENGAGEMENT_COMMUNE,
            "entetes_verifications": tableaux.ENTETES_VERIFICATIONS,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def financement_saisie(request, pk, commune):
    convention = convention_visible(request, pk)
    objet = commune_de(convention, commune)
    exiger(perms.peut_saisir_financement(request.user, convention, objet.code))
    financements = regles.financements_de_la_commune(convention, objet)
    texte = request.POST.get("ligne") or request.GET.get("ligne") or ""
    ligne = get_object_or_404(financements, pk=int(texte)) if texte.isdigit() else None
    form = FinancementForm(
        request.POST or None,
        instance=ligne,
        structures=regles.structures_de_la_commune(convention, objet),
        initial=None
        if ligne
        else {"annee": annee_de_saisie(convention, horloge.aujourd_hui()), "structure": request.GET.get("structure")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            ligne = regles.enregistrer_financement(form, par=request.user)
        except VersionPerimee:
            pass  # the form shows what changed since it was read
        else:
            messages.success(
                request,
                f"Financement {ligne.annee} de « {ligne.structure} » {'mis à jour' if texte else 'ajouté'}.",
            )
            return redirect("financement:financement_saisie", pk=convention.pk, commune=objet.code)
    statut = 409 if request.method == "POST" and form.has_error("__all__", "version_perimee") else 200
    return render(
        request,
        "financement/financement_saisie.html",
        {
            "convention": convention,
            "commune": objet,
            "form": form,
            "ligne": ligne,
            "financements": financements.select_related("structure", "saisi_par").order_by(
                "-annee", "structure__nom", "document"
            ),
        },
        status=statut,
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_vue(request, pk):
    convention = convention_visible(request, pk)
    exiger(perms.peut_modifier(request.user, convention))
    form = ImportForm(request.POST or None, fichiers_recus(request) or None)
    resultat = None
    if request.method == "POST" and form.is_valid():
        essai = form.cleaned_data["essai"]
        travail = lancer_import(convention, form.cleaned_data["fichier"], essai, par=request.user)
        if not travail.est_fini:  # in the queue: its page follows it
            return redirect(travail)
        # done within the request (the embedded default): the outcome on this page, as the work's page shows it
        if travail.statut == StatutTravail.TERMINE and not essai:
            messages.success(request, travail.message)
            return redirect("financement:convention", pk=convention.pk)
        if travail.statut == StatutTravail.TERMINE:
            resultat = {"erreurs": [], "bilan": travail.message}
        else:
            resultat = {"erreurs": travail.details or [travail.libelle]}
    return render(
        request,
        "financement/import.html",
        {
            "convention": convention,
            "form": form,
            "resultat": resultat,
            "annee": annee_de_saisie(convention, horloge.aujourd_hui()),
        },
    )


@login_required
@require_POST
def verification(request, pk, commune):
    convention = convention_visible(request, pk)
    objet = commune_de(convention, commune)
    exiger(perms.peut_verifier(request.user, convention))
    form = VerificationForm(request.POST, fichiers_recus(request))
    if form.is_valid():
        annee = form.cleaned_data["annee"]
        _, cree = regles.enregistrer_verification_saisie(convention, objet, form, par=request.user)
        if cree:
            messages.success(request, f"Vérification {annee} {de(objet.nom)} enregistrée.")
        else:
            messages.success(
                request,
                f"Vérification {annee} {de(objet.nom)} mise à jour ; la précédente reste dans l'historique.",
            )
    else:
        erreurs = "; ".join(
            f"{form.fields[c].label if c in form.fields else ''} : {' '.join(e)}" for c, e in form.errors.items()
        )
        messages.error(request, f"Vérification non enregistrée — {erreurs}")
    return redirect("financement:commune", pk=convention.pk, commune=objet.code)


@login_required
def verification_document(request, pk, verification):
    return piece_de_verification(convention_visible(request, pk), verification)


@login_required
def simulation(request, pk):
    convention = convention_visible(request, pk)
    form = SimulationForm(request.GET or None, convention=convention)
    resultat = simuler_formulaire(convention, form) if request.GET and form.is_valid() else None
    contexte = {
        "convention": convention,
        "form": form,
        "resultat": resultat,
        "entetes": tableaux.ENTETES_SIMULATION,
        "parametres_export": request.GET.urlencode(),
    }
    if request.htmx:
        return render(request, "financement/_simulation_resultat.html", contexte)
    return render(request, "financement/simulation.html", contexte)


def _page_baremes(request, revision=None, revision_form=None, nouveau_form=None, statut=200):
    aujourd_hui = horloge.aujourd_hui()
    sections = tableaux.sections_baremes(aujourd_hui)
    peut = perms.peut_modifier_baremes(request.user)
    return render(
        request,
        "financement/baremes.html",
        {
            "sections": sections,
            "peut_modifier": peut,
            "revision": revision,
            "revision_form": revision_form,
            "nouveau_form": nouveau_form or (NouveauBaremeForm() if peut else None),
            "aujourd_hui": aujourd_hui,
            "entetes": tableaux.ENTETES_BAREMES,
        },
        status=statut,
    )


@login_required
def baremes(request):
    revision, revision_form = None, None
    if perms.peut_modifier_baremes(request.user) and request.GET.get("reviser", "").isdigit():
        revision = get_object_or_404(Bareme, pk=int(request.GET["reviser"]))
        initial = {c: getattr(revision, c) for c in RevisionBaremeForm.Meta.fields if c != "valide_du"}
        prochain = date(horloge.aujourd_hui().year + 1, 1, 1)
        dans_la_periode = revision.valide_du <= prochain and (
            revision.valide_au is None or prochain <= revision.valide_au
        )
        initial["valide_du"] = prochain if dans_la_periode else revision.valide_du
        revision_form = RevisionBaremeForm(initial=initial)
        if request.htmx:
            return render(request, "financement/_revision_bareme.html", {"revision": revision, "form": revision_form})
    return _page_baremes(request, revision, revision_form)


def exiger_administrateur_national(user):
    if not perms.peut_modifier_baremes(user):
        raise PermissionDenied(
            "Les barèmes sont nationaux : seul·e un·e administrateur·rice national·e peut les créer ou les réviser."
        )


@login_required
@require_POST
def bareme_reviser(request, bareme):
    exiger_administrateur_national(request.user)
    ancien = get_object_or_404(Bareme, pk=bareme)
    form = RevisionBaremeForm(request.POST)
    if form.is_valid():
        valeurs = {c: form.cleaned_data[c] for c in RevisionBaremeForm.Meta.fields if c != "valide_du"}
        try:
            nouveau = regles_baremes.reviser(
                ancien, valide_du=form.cleaned_data["valide_du"], par=request.user, **valeurs
            )
        except ValidationError as exc:
            for message in exc.messages:
                form.add_error(None, message)
        else:
            messages.success(
                request,
                f"« {nouveau.libelle} » : nouvelle valeur {nouveau.montant_texte} à compter du "
                f"{nouveau.valide_du:%d/%m/%Y} ; l'ancienne valeur reste dans l'historique.",
            )
            return redirect(reverse("financement:baremes") + f"#bareme-{nouveau.pk}")
    return _page_baremes(request, ancien, form, statut=422)


@login_required
@require_POST
def bareme_nouveau(request):
    exiger_administrateur_national(request.user)
    form = NouveauBaremeForm(request.POST)
    if form.is_valid():
        bareme = form.save(commit=False)
        bareme.cree_par = request.user
        bareme.save()
        messages.success(request, f"Taux « {bareme.libelle} » ajouté ({bareme.periode}).")
        return redirect(reverse("financement:baremes") + f"#bareme-{bareme.pk}")
    return _page_baremes(request, nouveau_form=form, statut=422)
