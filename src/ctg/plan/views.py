"""Pages of the action plan. Thin: the rules live in regles, selection, arbre, cycle and documents; every change of
state goes through ``ctg.plan.cycle``.

Rights are checked twice: the role (``exiger``: 403 for a role that may not) and the plan's state (closed, or the
convention ended: the page still opens for an editor, read-only, and a submission is refused with the reason)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from ctg import horloge
from ctg.concurrence import VersionPerimee
from ctg.conventions.acces import convention_visible, exiger
from ctg.conventions.models import Domaine
from ctg.formats import trier_par_nom
from ctg.televersement import reponse_fichier

from . import cycle, perms
from .arbre import aplatir, arbre, enjeux_du_domaine
from .documents import AVERTISSEMENT_DEMO
from .forms import (
    AdaptationForm,
    AdoptionForm,
    EvaluationForm,
    FicheForm,
    FinancementFormSet,
    IndicateurForm,
    JalonFormSet,
    ObjectifForm,
    RevisionForm,
    RevueForm,
    ValeurForm,
    en_lecture_seule,
)
from .models import (
    FicheAction,
    IndicateurAction,
    Niveau,
    Objectif,
    Revue,
    StatutFiche,
    StatutPlan,
    TypeRevue,
    ValeurSaisie,
)
from .regles import Suivi, fiches_suivies, jour_de_suivi
from .selection import Criteres, budget_par_annee_et_financeur, choix, filtrer, missions_de

COLONNES = [
    ("numero", "N°"),
    ("titre", "Action"),
    ("pilote", "Pilote"),
    ("debut", "Début"),
    ("fin", "Fin"),
    ("statut", "Statut"),
    ("priorite", "Priorité"),
    ("budget", "Budget"),
    ("progression", "Avancement"),
]
TYPES_TABLEUR = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
TYPES_DOCUMENT = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _echeance_objectifs(convention):
    """The deadline of article 4 (objectives identified by the end of year 2), as on the convention's dashboard."""
    from ctg.conventions.echeances import Echeance, _etat
    from ctg.conventions.regles import fin_deuxieme_annee

    fin2 = fin_deuxieme_annee(convention.date_debut)
    fait = convention.objectifs_identifies_le
    return Echeance(
        "objectifs_identifies",
        "Objectifs précis et projets conjoints identifiés",
        fin2,
        _etat(fin2, fait, horloge.aujourd_hui()),
        f"identifiés le {fait:%d/%m/%Y}" if fait else "",
    )


def _contexte(request, convention, onglet: str, suivis=None, **extra) -> dict:
    suivis = suivis if suivis is not None else []
    plan = cycle.plan_lu(convention)
    jour = jour_de_suivi(convention)
    return {
        "convention": convention,
        "plan": plan,
        "onglet": onglet,
        "lecture_seule": perms.lecture_seule(convention),
        "jour_de_suivi": jour,
        "suivi_arrete": jour < horloge.aujourd_hui(),
        "peut_modifier": perms.peut_modifier_plan(request.user, convention),
        "peut_modifier_objectifs": perms.peut_modifier_objectifs(request.user, convention, plan),
        "peut_evaluer": perms.peut_evaluer(request.user, convention),
        "demonstration": any(s.demonstration for s in suivis),
        "avertissement_demo": AVERTISSEMENT_DEMO,
        "echeance_objectifs": _echeance_objectifs(convention),
        **extra,
    }


def _refuser(request, exc: Exception, form=None) -> None:
    """A refusal of the rules layer: on the form if there is one, else as a message (nothing was written)."""
    texte = " ".join(exc.messages) if hasattr(exc, "messages") else str(exc)
    if form is not None:
        form.add_error(None, texte)
    else:
        messages.error(request, texte)


def _fiche(convention, pk_fiche) -> FicheAction:
    return get_object_or_404(FicheAction, pk=pk_fiche, convention=convention)


def _telechargement(contenu: bytes, type_mime: str, nom: str) -> HttpResponse:
    return reponse_fichier(contenu, nom, type_mime)


# --- views of the plan -----------------------------------------------------------------------------------------


@login_required
def arbre_plan(request, pk):
    convention = convention_visible(request, pk)
    suivis = fiches_suivies(convention)
    for s in suivis:
        s.fiche.suivi = s
    noeuds = arbre(convention, [s.fiche for s in suivis])
    sans_objectif = [s for s in suivis if not s.fiche.objectifs.all()]
    return render(
        request,
        "plan/arbre.html",
        _contexte(
            request,
            convention,
            "arbre",
            suivis,
            noeuds=aplatir(noeuds),
            sans_objectif=sans_objectif,
            adoption_form=AdoptionForm(initial={"date": horloge.aujourd_hui()}),
            revision_form=RevisionForm(),
            nombre_fiches=len(suivis),
        ),
    )


@login_required
def tableau(request, pk):
    convention = convention_visible(request, pk)
    suivis = fiches_suivies(convention)
    par_pk = {o.pk: o for o in convention.objectifs.all()}
    missions = [o for o in par_pk.values() if o.parent_id is None]
    missions.sort(key=lambda o: (o.ordre, o.pk))
    criteres = Criteres.depuis(request.GET)
    lignes = filtrer(suivis, criteres, par_pk)
    total = sum((s.budget for s in lignes), Decimal("0"))
    noms_missions = {m.pk: i for i, m in enumerate(missions, 1)}
    for s in lignes:
        s.missions_numeros = sorted(noms_missions[m] for m in missions_de(s, par_pk) if m in noms_missions)
    entetes = []
    for cle, libelle in COLONNES:
        ordre = "desc" if criteres.tri == cle and criteres.ordre == "asc" else "asc"
        fleche = ("▲" if criteres.ordre == "asc" else "▼") if criteres.tri == cle else ""
        tri = {"asc": "ascending", "desc": "descending"}[criteres.ordre] if criteres.tri == cle else None
        entetes.append(
            {"libelle": libelle, "chaine": criteres.chaine(tri=cle, ordre=ordre), "fleche": fleche, "tri": tri}
        )
    contexte = _contexte(
        request,
        convention,
        "tableau",
        suivis,
        entetes=entetes,
        lignes=lignes,
        criteres=criteres,
        choix=choix(suivis, missions),
        total=total,
        nombre=len(suivis),
    )
    if request.htmx:
        return render(request, "plan/_tableau_lignes.html", contexte)
    return render(request, "plan/tableau.html", contexte)


def _bornes(convention, suivis) -> tuple[date, date]:
    debut, fin = convention.date_debut, convention.date_fin
    for s in suivis:
        for d in (s.fiche.date_debut, *(j.date_prevue for j in s.jalons)):
            if d and d < debut:
                debut = d
        for d in (s.fiche.date_fin, *(j.date_prevue for j in s.jalons), *(m.indicateur.date_cible for m in s.mesures)):
            if d and d > fin:
                fin = d
    return date(debut.year, 1, 1), date(fin.year, 12, 31)


def _position(jour: date, debut: date, fin: date) -> float:
    total = (fin - debut).days or 1
    return round(100 * min(max((jour - debut).days, 0), total) / total, 2)


@login_required
def calendrier(request, pk):
    """The Gantt: one bar per fiche over the convention's years, its milestones and targets, today's line."""
    convention = convention_visible(request, pk)
    suivis = fiches_suivies(convention)
    debut, fin = _bornes(convention, suivis)
    aujourd_hui = jour_de_suivi(convention)  # after the convention's end: its last day
    annees = []
    for a in range(debut.year, fin.year + 1):
        a_debut, a_fin = date(a, 1, 1), date(a, 12, 31) + timedelta(days=1)
        annees.append({"annee": a, "gauche": _position(a_debut, debut, fin), "largeur": _position(a_fin, debut, fin)})
    for a in annees:
        a["largeur"] = round(a["largeur"] - a["gauche"], 2)
    lignes = []
    for s in suivis:
        f = s.fiche
        barre = None
        if f.date_debut or f.date_fin:
            d1 = f.date_debut or f.date_fin
            d2 = (f.date_fin or f.date_debut) + timedelta(days=1)
            gauche = _position(d1, debut, fin)
            barre = {"gauche": gauche, "largeur": max(round(_position(d2, debut, fin) - gauche, 2), 0.6)}
        reperes = [
            {
                "gauche": _position(j.date_prevue, debut, fin),
                "titre": f"Jalon : {j.libelle} — {j.date_prevue:%d/%m/%Y}"
                + (f" (réalisé le {j.date_realisee:%d/%m/%Y})" if j.date_realisee else ""),
                "classe": "jalon-fait" if j.date_realisee else ("jalon-manque" if j.date_prevue < aujourd_hui else ""),
            }
            for j in s.jalons
        ]
        cibles = [
            {
                "gauche": _position(m.indicateur.date_cible, debut, fin),
                "titre": f"Cible : {m.indicateur.libelle} = {m.indicateur.cible:g} {m.indicateur.unite} au "
                f"{m.indicateur.date_cible:%d/%m/%Y}",
            }
            for m in s.mesures
        ]
        lignes.append({"suivi": s, "barre": barre, "reperes": reperes, "cibles": cibles})
    return render(
        request,
        "plan/calendrier.html",
        _contexte(
            request,
            convention,
            "calendrier",
            suivis,
            lignes=lignes,
            annees=annees,
            debut=debut,
            fin=fin,
            aujourd_hui=_position(aujourd_hui, debut, fin) if debut <= aujourd_hui <= fin else None,
            date_du_jour=horloge.aujourd_hui(),
            fin2=_position(_echeance_objectifs(convention).date, debut, fin),
        ),
    )


@login_required
def bord(request, pk):
    """Dashboard: progress by mission, budget by year and financer, actions late, counts by status."""
    convention = convention_visible(request, pk)
    suivis = fiches_suivies(convention)
    par_pk = {o.pk: o for o in convention.objectifs.all()}
    missions = sorted([o for o in par_pk.values() if o.parent_id is None], key=lambda o: (o.ordre, o.pk))
    par_mission = []
    for i, m in enumerate(missions, 1):
        dans = [s for s in suivis if m.pk in missions_de(s, par_pk)]
        mesurees = [s.progression for s in dans if s.progression is not None]
        par_mission.append(
            {
                "numero": i,
                "mission": m,
                "fiches": len(dans),
                "progression": round(sum(mesurees) / len(mesurees)) if mesurees else None,
                "en_retard": sum(1 for s in dans if s.en_retard),
                "terminees": sum(1 for s in dans if s.statut == StatutFiche.TERMINEE),
            }
        )
    annees, budget = budget_par_annee_et_financeur(suivis)
    totaux_annees = [sum((ligne[1][i] for ligne in budget), Decimal("0")) for i in range(len(annees))]
    statuts = [(code, libelle, sum(1 for s in suivis if s.statut == code)) for code, libelle in StatutFiche.choices]
    plus_haut = max(totaux_annees, default=0) or 1
    barres = [
        {"annee": a, "total": t, "hauteur": round(80 * t / plus_haut)}
        for a, t in zip(annees, totaux_annees, strict=True)
    ]
    mesurees = [s.progression for s in suivis if s.progression is not None]
    return render(
        request,
        "plan/bord.html",
        _contexte(
            request,
            convention,
            "bord",
            suivis,
            par_mission=par_mission,
            annees=annees,
            budget=budget,
            totaux_annees=totaux_annees,
            barres=barres,
            total_budget=sum(totaux_annees, Decimal("0")),
            statuts=statuts,
            en_retard=[s for s in suivis if s.en_retard],
            nombre=len(suivis),
            progression=round(sum(mesurees) / len(mesurees)) if mesurees else None,
            revues=convention.revues_plan.all()[:5],
        ),
    )


def _cartographie(convention, suivis):
    """Per commune: its needs (of the shared diagnostic) and the actions answering them."""
    from ctg.diagnostic.partage import diagnostic_de

    besoins = list(diagnostic_de(convention).besoins.prefetch_related("communes"))
    fiches_par_besoin: dict[int, list[Suivi]] = {}
    for s in suivis:
        for b in s.fiche.besoins.all():
            fiches_par_besoin.setdefault(b.pk, []).append(s)
    communes = trier_par_nom(convention.epci.communes.values_list("code", "nom"), nom=lambda c: c[1])
    par_commune = {code: {"code": code, "nom": nom, "besoins": [], "actions": {}} for code, nom in communes}
    territoire = []
    for b in besoins:
        b.suivis = fiches_par_besoin.get(b.pk, [])
        codes = [c.code for c in b.communes.all()]
        if not codes:
            territoire.append(b)
        for code in codes:
            if code in par_commune:
                par_commune[code]["besoins"].append(b)
                for s in b.suivis:
                    par_commune[code]["actions"][s.fiche.pk] = s
    for s in suivis:
        for c in s.fiche.communes.all():
            if c.code in par_commune:
                par_commune[c.code]["actions"][s.fiche.pk] = s
    lignes = []
    for ligne in par_commune.values():
        ligne["actions"] = sorted(ligne["actions"].values(), key=lambda s: s.fiche.numero)
        lignes.append(ligne)
    return besoins, territoire, lignes


@login_required
def besoins(request, pk):
    """The "cartographie des besoins" of article 4: per commune, its needs and the actions that answer them."""
    convention = convention_visible(request, pk)
    suivis = fiches_suivies(convention)
    tous, territoire, lignes = _cartographie(convention, suivis)
    return render(
        request,
        "plan/besoins.html",
        _contexte(
            request,
            convention,
            "besoins",
            suivis,
            besoins=tous,
            territoire=territoire,
            communes=[ligne for ligne in lignes if ligne["besoins"] or ligne["actions"]],
            sans_action=[b for b in tous if not b.suivis],
            libelles_domaines=dict(Domaine.choices),
        ),
    )


@login_required
def besoins_carte(request, pk):
    from ctg.territoires.geojson import collection, feature

    convention = convention_visible(request, pk)
    suivis = fiches_suivies(convention)
    _tous, _territoire, lignes = _cartographie(convention, suivis)
    formes = dict(convention.epci.communes.values_list("code", "forme"))
    features = []
    for ligne in lignes:
        n, a = len(ligne["besoins"]), len(ligne["actions"])
        texte = f"{n} besoin{'s' if n > 1 else ''} identifié{'s' if n > 1 else ''}, {a} action{'s' if a > 1 else ''}"
        proprietes = {
            "besoins": n or None,  # no need identified: drawn white, outside the classes
            "actions": a,
            "texte": texte,
            "url": f"#commune-{ligne['code']}" if n or a else None,
        }
        features.append(feature(ligne["code"], ligne["nom"], formes.get(ligne["code"]), proprietes))
    return collection(features)


# --- documents and exports -------------------------------------------------------------------------------------


@login_required
def document(request, pk, format):
    """The plan (PDF/DOCX, 10 pages at most) or the table of its actions (XLSX/CSV, filtered as the table is)."""
    convention = convention_visible(request, pk)
    if format in TYPES_TABLEUR:
        from .exports import exporter_tableau

        suivis = fiches_suivies(convention)
        par_pk = {o.pk: o for o in convention.objectifs.all()}
        lignes = filtrer(suivis, Criteres.depuis(request.GET), par_pk)
        contenu = exporter_tableau(convention, lignes, format)
        return _telechargement(contenu, TYPES_TABLEUR[format], f"plan-actions-{convention.epci_id}.{format}")
    if format not in TYPES_DOCUMENT:
        raise Http404("Format inconnu : pdf, docx, xlsx ou csv.")
    from .documents import PlanTropLong, rendre_plan

    try:
        contenu = rendre_plan(convention, format)
    except PlanTropLong as exc:
        messages.error(request, str(exc))
        return redirect("plan:arbre", pk=convention.pk)
    return _telechargement(contenu, TYPES_DOCUMENT[format], f"plan-actions-{convention.epci_id}.{format}")


@login_required
def fiche_document(request, pk, fiche, format):
    convention = convention_visible(request, pk)
    objet = _fiche(convention, fiche)
    if format not in TYPES_DOCUMENT:
        raise Http404("Format inconnu : pdf ou docx.")
    from .documents import rendre_fiche

    contenu = rendre_fiche(objet, format)
    return _telechargement(contenu, TYPES_DOCUMENT[format], f"fiche-action-{objet.numero}.{format}")


# --- fiches action -----------------------------------------------------------------------------------------------


@login_required
def fiche(request, pk, fiche):
    convention = convention_visible(request, pk)
    objet = _fiche(convention, fiche)
    suivi = next(s for s in fiches_suivies(convention) if s.fiche.pk == objet.pk)
    from .arbre import numeros

    nums = numeros(convention)
    return render(
        request,
        "plan/fiche.html",
        _contexte(
            request,
            convention,
            "fiche",
            [suivi],
            suivi=suivi,
            fiche=suivi.fiche,
            objectifs=[(nums.get(o.pk, ""), o) for o in suivi.fiche.objectifs.all()],
            peut_modifier_fiche=perms.peut_modifier_fiche(request.user, convention, objet),
            transitions=cycle.transitions_possibles(objet, request.user),
            valeur_form=ValeurForm(initial={"date": horloge.aujourd_hui()}),
            evaluations=objet.evaluations.select_related("revue").order_by("-revue__date"),
        ),
    )


@login_required
@require_POST
def fiche_statut(request, pk, fiche):
    """Fire one transition of the fiche's status (the buttons of the fiche's page)."""
    convention = convention_visible(request, pk)
    objet = _fiche(convention, fiche)
    exiger(perms.est_editeur(request.user, convention) or perms.pilote_referent(request.user, objet))
    try:
        apres = cycle.changer_statut_fiche(objet, request.POST.get("transition", ""), request.user)
    except cycle.ChangementImpossible as exc:
        _refuser(request, exc)
    else:
        messages.success(request, f"Fiche n° {apres.numero} : statut « {apres.get_statut_display()} ».")
    return redirect(objet)


def _choix_fiche(convention):
    from ctg.comptes.models import Habilitation
    from ctg.diagnostic.partage import diagnostic_de

    noeuds = aplatir(arbre(convention))
    objectifs = [(str(n.objectif.pk), f"{n.numero} {n.objectif.intitule}") for n in noeuds]
    besoins = [(str(b.pk), b.intitule) for b in diagnostic_de(convention).besoins.all()]
    adhesions = trier_par_nom(convention.adhesions.select_related("commune"), nom=lambda a: a.commune.nom)
    communes = [(a.commune_id, a.commune.nom) for a in adhesions]
    if not communes:
        communes = trier_par_nom(convention.epci.communes.values_list("code", "nom"), nom=lambda c: c[1])
    pilotes = [
        (str(h.user_id), f"{h.user.get_full_name() or h.user.username} ({h.get_role_display()})")
        for h in Habilitation.objects.filter(convention=convention).select_related("user").order_by("role")
    ]
    return {"objectifs": objectifs, "besoins": besoins, "communes": communes, "pilotes": pilotes}


def _enregistrer_fiche(request, convention, instance, initial=None):
    """The fiche's form with its milestones and budget; saved (a new fiche numbered, and started if asked) when
    valid, current and the plan open. Returns the saved fiche or ``None``, and the three forms."""
    form = FicheForm(request.POST or None, instance=instance, initial=initial, **_choix_fiche(convention))
    if not perms.est_editeur(request.user, convention):
        form.fields["pilote"].disabled = True  # a referent piloting the fiche does not hand it over
    jalons = JalonFormSet(request.POST or None, instance=instance or FicheAction(), prefix="jalons")
    financements = FinancementFormSet(request.POST or None, instance=instance or FicheAction(), prefix="financements")
    if perms.lecture_seule(convention):
        for f in (form, *jalons.forms, *financements.forms):
            en_lecture_seule(f)
        if request.method == "POST":
            _refuser(request, cycle.ChangementImpossible(perms.lecture_seule(convention)), form)
        return None, form, jalons, financements
    if request.method == "POST" and form.is_valid() and jalons.is_valid() and financements.is_valid():
        try:
            with transaction.atomic():
                if instance is None:
                    cycle.verifier_plan_ouvert(convention, request.user)
                    form.instance.convention = convention
                    form.instance.numero = cycle.numero_suivant(convention)
                    form.instance.statut_le = horloge.aujourd_hui()
                objet = form.save()
                jalons.instance = objet
                jalons.save()
                financements.instance = objet
                financements.save()
                if instance is None and form.a_demarrer:
                    objet = cycle.changer_statut_fiche(objet, "demarrer", request.user)
        except VersionPerimee:
            return None, form, jalons, financements  # the form carries the error (what changed since)
        except cycle.ChangementImpossible as exc:
            _refuser(request, exc, form)
            return None, form, jalons, financements
        return objet, form, jalons, financements
    return None, form, jalons, financements


@login_required
@require_http_methods(["GET", "POST"])
def fiche_nouvelle(request, pk):
    """A new fiche; from a need of the diagnostic (``?besoin=``), pre-filled with its domain's enjeux and communes."""
    from ctg.diagnostic.partage import diagnostic_de

    convention = convention_visible(request, pk)
    exiger(perms.est_editeur(request.user, convention))
    initial = {"statut": StatutFiche.A_VENIR}
    besoin = None
    if request.GET.get("besoin", "").isdigit():
        besoin = diagnostic_de(convention).besoins.filter(pk=int(request.GET["besoin"])).first()
    if besoin is not None:
        initial.update(
            titre=besoin.intitule[:200],
            public=besoin.public,
            besoins=[str(besoin.pk)],
            communes=list(besoin.communes.values_list("code", flat=True)),
            objectifs=[str(o.pk) for o in enjeux_du_domaine(convention, besoin.domaine)],
            priorite=besoin.priorite,
        )
    objet, form, jalons, financements = _enregistrer_fiche(request, convention, None, initial)
    if objet is not None:
        messages.success(request, f"Fiche n° {objet.numero} créée. Ajoutez-lui un indicateur chiffré et daté.")
        return redirect(objet)
    return render(
        request,
        "plan/fiche_formulaire.html",
        _contexte(request, convention, "fiche", form=form, jalons=jalons, financements=financements, besoin=besoin),
    )


@login_required
@require_http_methods(["GET", "POST"])
def fiche_modifier(request, pk, fiche):
    convention = convention_visible(request, pk)
    objet = _fiche(convention, fiche)
    exiger(perms.est_editeur(request.user, convention) or perms.pilote_referent(request.user, objet))
    if request.method == "POST" and "supprimer" in request.POST:
        exiger(perms.est_editeur(request.user, convention))
        motif = perms.lecture_seule(convention)
        if motif:
            messages.error(request, motif)
            return redirect(objet)
        objet.delete()
        messages.success(request, f"Fiche n° {objet.numero} supprimée.")
        return redirect("plan:tableau", pk=convention.pk)
    enregistre, form, jalons, financements = _enregistrer_fiche(request, convention, objet)
    if enregistre is not None:
        messages.success(request, f"Fiche n° {enregistre.numero} enregistrée.")
        return redirect(enregistre)
    return render(
        request,
        "plan/fiche_formulaire.html",
        _contexte(request, convention, "fiche", form=form, jalons=jalons, financements=financements, fiche=objet),
    )


def _catalogue():
    from ctg.diagnostic.catalogue import INDICATEURS

    return [(i.code, f"{i.libelle} ({i.unite})") for i in INDICATEURS.values()]


@login_required
@require_http_methods(["GET", "POST"])
def indicateur(request, pk, fiche, indicateur=None):
    convention = convention_visible(request, pk)
    objet = _fiche(convention, fiche)
    exiger(perms.est_editeur(request.user, convention) or perms.pilote_referent(request.user, objet))
    instance = get_object_or_404(IndicateurAction, pk=indicateur, fiche=objet) if indicateur else None
    motif = perms.lecture_seule(convention)
    if request.method == "POST" and "supprimer" in request.POST and instance:
        if motif:
            messages.error(request, motif)
        else:
            instance.delete()
            messages.success(request, "Indicateur supprimé.")
        return redirect(objet)
    communes = trier_par_nom(convention.epci.communes.values_list("code", "nom"), nom=lambda c: c[1])
    form = IndicateurForm(request.POST or None, instance=instance, catalogue=_catalogue(), communes=communes)
    if motif:
        en_lecture_seule(form)
        if request.method == "POST":
            _refuser(request, cycle.ChangementImpossible(motif), form)
    elif request.method == "POST" and form.is_valid():
        from ctg.diagnostic.catalogue import INDICATEURS

        nouveau = form.instance
        nouveau.fiche = objet
        if not nouveau.unite and nouveau.indicateur_catalogue:
            nouveau.unite = INDICATEURS[nouveau.indicateur_catalogue].unite
        if not nouveau.source and nouveau.indicateur_catalogue:
            nouveau.source = "données ouvertes : " + ", ".join(INDICATEURS[nouveau.indicateur_catalogue].sources)
        try:
            form.save()
        except VersionPerimee:
            pass  # the form carries the error (what changed since)
        else:
            messages.success(request, f"Indicateur « {nouveau.libelle} » enregistré.")
            return redirect(objet)
    return render(
        request,
        "plan/indicateur_formulaire.html",
        _contexte(request, convention, "fiche", form=form, fiche=objet, indicateur=instance),
    )


@login_required
@require_POST
def valeur(request, pk, fiche, indicateur):
    """Add (or replace, same date) a value entered by hand; ``supprimer=<id>`` removes one."""
    convention = convention_visible(request, pk)
    objet = _fiche(convention, fiche)
    exiger(perms.est_editeur(request.user, convention) or perms.pilote_referent(request.user, objet))
    ind = get_object_or_404(IndicateurAction, pk=indicateur, fiche=objet)
    motif = perms.lecture_seule(convention)
    if motif:
        messages.error(request, f"Valeur non enregistrée — {motif}")
        return redirect(objet)
    if request.POST.get("supprimer", "").isdigit():
        valeur = ValeurSaisie.objects.filter(indicateur=ind, pk=int(request.POST["supprimer"])).first()
        if valeur is not None:
            valeur.delete()
        messages.success(request, "Valeur supprimée.")
        return redirect(objet)
    form = ValeurForm(request.POST)
    if form.is_valid():
        ValeurSaisie.objects.update_or_create(
            indicateur=ind,
            date=form.cleaned_data["date"],
            defaults={"valeur": form.cleaned_data["valeur"], "commentaire": form.cleaned_data["commentaire"]},
        )
        messages.success(request, f"Valeur du {form.cleaned_data['date']:%d/%m/%Y} enregistrée.")
    else:
        erreurs = "; ".join(
            f"{form.fields[c].label if c in form.fields else ''} : {', '.join(e)}" for c, e in form.errors.items()
        )
        messages.error(request, f"Valeur non enregistrée — {erreurs}")
    return redirect(objet)


# --- objectives and the plan's lifecycle -----------------------------------------------------------------------


def _motif_objectifs_figes(convention, plan) -> str | None:
    """Why the objectives tree cannot change now, or ``None``."""
    motif = perms.lecture_seule(convention)
    if motif:
        return motif
    if not plan.objectifs_modifiables:
        return (
            f"Le plan a été adopté le {plan.adopte_le:%d/%m/%Y} : ses objectifs sont arrêtés. Pour les modifier, "
            "ouvrez une révision du plan (décision du comité de pilotage), puis faites adopter la révision."
        )
    return None


@login_required
@require_http_methods(["GET", "POST"])
def objectif(request, pk, objectif=None):
    convention = convention_visible(request, pk)
    exiger(perms.est_editeur(request.user, convention))
    plan = cycle.plan_lu(convention)
    motif = _motif_objectifs_figes(convention, plan)
    instance = get_object_or_404(Objectif, pk=objectif, convention=convention) if objectif else None
    if request.method == "POST" and "supprimer" in request.POST and instance:
        if motif:
            messages.error(request, motif)
        elif instance.source:
            messages.error(request, "Les missions et enjeux de la convention (articles 2 et 4) ne se suppriment pas.")
        else:
            instance.delete()
            messages.success(request, "Objectif supprimé.")
        return redirect("plan:arbre", pk=convention.pk)
    exclus = set()
    if instance:  # neither itself nor its descendants: no cycle
        noeud = next(n for n in aplatir(arbre(convention)) if n.objectif.pk == instance.pk)
        exclus = {n.objectif.pk for n in aplatir([noeud])}
    parents = [
        (str(n.objectif.pk), f"{n.numero} {n.objectif.intitule}")
        for n in aplatir(arbre(convention))
        if n.objectif.niveau != Niveau.OPERATIONNEL and n.objectif.pk not in exclus
    ]
    initial = {"rattachement": request.GET.get("parent", "")} if not instance else None
    form = ObjectifForm(request.POST or None, instance=instance, parents=parents, initial=initial)
    if instance and instance.source:
        form.fields["rattachement"].disabled = True
        form.fields["intitule"].disabled = True
    if motif:
        en_lecture_seule(form)
        if request.method == "POST":
            _refuser(request, cycle.ChangementImpossible(motif), form)
    elif request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                cycle.plan_de(convention)
                nouveau = form.save_dans(convention)
        except VersionPerimee:
            pass  # the form carries the error (what changed since)
        else:
            messages.success(request, f"{nouveau.get_niveau_display()} « {nouveau.intitule} » enregistré.")
            return redirect("plan:arbre", pk=convention.pk)
    return render(
        request,
        "plan/objectif_formulaire.html",
        _contexte(request, convention, "arbre", form=form, objectif=instance, motif_fige=motif),
    )


@login_required
@require_POST
def adopter(request, pk):
    """The plan's lifecycle: adopt it (or its revision), withdraw a mistaken adoption, open a revision."""
    convention = convention_visible(request, pk)
    exiger(perms.est_editeur(request.user, convention))
    action = request.POST.get("action", "adopter")
    try:
        if action == "retirer":
            cycle.retirer_adoption(convention, request.user)
            messages.success(request, "Adoption du plan retirée : le plan est de nouveau en préparation.")
        elif action == "reviser":
            form = RevisionForm(request.POST)
            if not form.is_valid():
                raise cycle.ChangementImpossible("Indiquez le motif de la révision (la décision du comité).")
            cycle.ouvrir_revision(convention, request.user, form.cleaned_data["motif"])
            messages.success(request, "Révision du plan ouverte : ses objectifs peuvent être modifiés.")
        else:
            form = AdoptionForm(request.POST)
            if not form.is_valid():
                raise cycle.ChangementImpossible("Indiquez une date d'adoption valide.")
            revision = cycle.plan_lu(convention).statut == StatutPlan.EN_REVISION
            cycle.adopter_plan(convention, form.cleaned_data["date"], request.user)
            jour = form.cleaned_data["date"]
            messages.success(
                request,
                f"Révision du plan adoptée le {jour:%d/%m/%Y}."
                if revision
                else f"Plan adopté le {jour:%d/%m/%Y} : les objectifs et projets sont identifiés (article 4).",
            )
    except cycle.ChangementImpossible as exc:
        _refuser(request, exc)
    return redirect("plan:arbre", pk=convention.pk)


# --- evaluation (article 9) ----------------------------------------------------------------------------------------


@login_required
def revues(request, pk):
    convention = convention_visible(request, pk)
    suivis = fiches_suivies(convention)
    return render(
        request,
        "plan/revues.html",
        _contexte(
            request,
            convention,
            "revues",
            suivis,
            revues=convention.revues_plan.prefetch_related("evaluations"),
            bilan_etabli=convention.revues_plan.filter(type=TypeRevue.BILAN).exists(),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def revue_nouvelle(request, pk):
    """A review (plan open) or the final bilan (``?type=bilan``; also once the convention has ended)."""
    convention = convention_visible(request, pk)
    exiger(perms.peut_evaluer(request.user, convention))
    suivis = fiches_suivies(convention)
    bilan = request.GET.get("type") == TypeRevue.BILAN or request.POST.get("type") == TypeRevue.BILAN
    form = RevueForm(
        request.POST or None,
        initial={"date": horloge.aujourd_hui(), "type": TypeRevue.BILAN if bilan else TypeRevue.REVUE},
    )
    lignes = []
    for s in suivis:
        f = EvaluationForm(
            request.POST or None,
            prefix=f"f{s.fiche.pk}",
            initial={"progression": s.progression, "statut": s.statut, "decision": "maintenir"},
        )
        lignes.append((s, f))
    adaptations = []
    if bilan:
        for n in aplatir(arbre(convention)):
            adaptations.append((n, AdaptationForm(request.POST or None, prefix=f"o{n.objectif.pk}")))
    motif = None if bilan else perms.lecture_seule(convention)
    if motif:
        for f in (form, *(f for _, f in lignes)):
            en_lecture_seule(f)
        if request.method == "POST":
            _refuser(request, cycle.ChangementImpossible(motif), form)
    elif request.method == "POST" and form.is_valid() and all(f.is_valid() for _, f in lignes + adaptations):
        try:
            revue = cycle.enregistrer_revue(
                convention,
                request.user,
                date=form.cleaned_data["date"],
                type=form.cleaned_data["type"],
                nom_instance=form.cleaned_data["nom_instance"],
                synthese=form.cleaned_data["synthese"],
                effets=form.cleaned_data["effets"],
                evaluations=[{"fiche": s.fiche, **f.cleaned_data} for s, f in lignes],
                adaptations=[(n.objectif, f.cleaned_data["texte"]) for n, f in adaptations],
            )
        except cycle.ChangementImpossible as exc:
            _refuser(request, exc, form)
        else:
            suite = " Le plan est clos." if revue.type == TypeRevue.BILAN else ""
            messages.success(request, f"{revue} enregistrée.{suite}")
            return redirect("plan:revue", pk=convention.pk, revue=revue.pk)
    return render(
        request,
        "plan/revue_formulaire.html",
        _contexte(
            request, convention, "revues", suivis, form=form, lignes=lignes, adaptations=adaptations, bilan=bilan
        ),
    )


@login_required
def revue(request, pk, revue):
    from .documents import effets

    convention = convention_visible(request, pk)
    objet = get_object_or_404(Revue, pk=revue, convention=convention)
    suivis = fiches_suivies(convention)
    return render(
        request,
        "plan/revue.html",
        _contexte(
            request,
            convention,
            "revues",
            suivis,
            revue=objet,
            evaluations=objet.evaluations.select_related("fiche"),
            adaptations=objet.adaptations.select_related("objectif"),
            effets=effets(suivis) if objet.type == TypeRevue.BILAN else [],
        ),
    )


@login_required
def revue_document(request, pk, revue, format):
    convention = convention_visible(request, pk)
    objet = get_object_or_404(Revue, pk=revue, convention=convention)
    if format not in TYPES_DOCUMENT:
        raise Http404("Format inconnu : pdf ou docx.")
    from .documents import rendre_evaluation

    nom = f"{'bilan' if objet.type == TypeRevue.BILAN else 'revue'}-plan-{objet.date:%Y-%m-%d}.{format}"
    return _telechargement(rendre_evaluation(objet, format), TYPES_DOCUMENT[format], nom)
