"""What the plan's pages show, computed from the plan (no request, no template): the Gantt geometry of the calendar,
the dashboard's figures, the action table's rows and headers, the map of needs, the choices of the fiche's form.

Every function takes the followed fiches (:func:`ctg.plan.regles.fiches_suivies`), models or querysets, and returns
plain data that a view passes to its template."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from ctg import horloge
from ctg.formats import trier_par_nom

from .arbre import aplatir, arbre
from .models import IndicateurAction, Objectif, StatutFiche
from .regles import Suivi
from .selection import Criteres, budget_par_annee_et_financeur, choix, filtrer, missions_de

# The columns of the action table: key of the sort (``selection.TRIS``), header.
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

# The narrowest bar of the calendar, in % of its width (a one-day action stays visible).
LARGEUR_MINIMALE = 0.6
# The height of the tallest bar of the dashboard's budget chart (the year of the largest budget), in %.
HAUTEUR_MAXIMALE = 80


def echeance_objectifs(convention):
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


def missions(objectifs) -> list[Objectif]:
    """The top nodes of the tree (the missions of article 2 and those added), in their order."""
    return sorted([o for o in objectifs if o.parent_id is None], key=lambda o: (o.ordre, o.pk))


def _moyenne(valeurs: list[int]) -> int | None:
    return round(sum(valeurs) / len(valeurs)) if valeurs else None


# --- the action table ----------------------------------------------------------------------------------------------


def entetes(criteres: Criteres) -> list[dict]:
    """The table's headers: each sorts by its column, ascending first, descending when it already sorts ascending."""
    resultat = []
    for cle, libelle in COLONNES:
        ordre = "desc" if criteres.tri == cle and criteres.ordre == "asc" else "asc"
        fleche = ("▲" if criteres.ordre == "asc" else "▼") if criteres.tri == cle else ""
        tri = {"asc": "ascending", "desc": "descending"}[criteres.ordre] if criteres.tri == cle else None
        resultat.append(
            {"libelle": libelle, "chaine": criteres.chaine(tri=cle, ordre=ordre), "fleche": fleche, "tri": tri}
        )
    return resultat


def tableau(suivis: list[Suivi], objectifs, criteres: Criteres) -> dict:
    """The rows of the action table (filtered and sorted; each row gets the numbers of its missions), their total
    budget, the headers and the values the filters offer."""
    par_pk = {o.pk: o for o in objectifs}
    tete = missions(par_pk.values())
    lignes = filtrer(suivis, criteres, par_pk)
    numeros = {m.pk: i for i, m in enumerate(tete, 1)}
    for s in lignes:
        s.missions_numeros = sorted(numeros[m] for m in missions_de(s, par_pk) if m in numeros)
    return {
        "entetes": entetes(criteres),
        "lignes": lignes,
        "criteres": criteres,
        "choix": choix(suivis, tete),
        "total": sum((s.budget for s in lignes), Decimal("0")),
        "nombre": len(suivis),
    }


# --- the calendar (Gantt) ------------------------------------------------------------------------------------------


def bornes(convention, suivis: list[Suivi]) -> tuple[date, date]:
    """The calendar's span: whole years from the convention's (or the earliest fiche's or milestone's) first year to
    the convention's (or the latest fiche's, milestone's or target's) last year."""
    debut, fin = convention.date_debut, convention.date_fin
    for s in suivis:
        for d in (s.fiche.date_debut, *(j.date_prevue for j in s.jalons)):
            if d and d < debut:
                debut = d
        for d in (s.fiche.date_fin, *(j.date_prevue for j in s.jalons), *(m.indicateur.date_cible for m in s.mesures)):
            if d and d > fin:
                fin = d
    return date(debut.year, 1, 1), date(fin.year, 12, 31)


def position(jour: date, debut: date, fin: date) -> float:
    """Where ``jour`` falls between ``debut`` and ``fin``, in % (two decimals), held inside 0–100."""
    total = (fin - debut).days or 1
    return round(100 * min(max((jour - debut).days, 0), total) / total, 2)


def calendrier(convention, suivis: list[Suivi], aujourd_hui: date) -> dict:
    """The Gantt: the years, one bar per fiche (from its first day to the end of its last day), its milestones and
    its targets, and the lines of ``aujourd_hui`` (``None`` outside the calendar) and of the article 4 deadline."""
    debut, fin = bornes(convention, suivis)
    annees = []
    for a in range(debut.year, fin.year + 1):
        gauche = position(date(a, 1, 1), debut, fin)
        droite = position(date(a, 12, 31) + timedelta(days=1), debut, fin)
        annees.append({"annee": a, "gauche": gauche, "largeur": round(droite - gauche, 2)})
    lignes = []
    for s in suivis:
        f = s.fiche
        barre = None
        if f.date_debut or f.date_fin:
            d1 = f.date_debut or f.date_fin
            d2 = (f.date_fin or f.date_debut) + timedelta(days=1)
            gauche = position(d1, debut, fin)
            barre = {"gauche": gauche, "largeur": max(round(position(d2, debut, fin) - gauche, 2), LARGEUR_MINIMALE)}
        reperes = [
            {
                "gauche": position(j.date_prevue, debut, fin),
                "titre": f"Jalon : {j.libelle} — {j.date_prevue:%d/%m/%Y}"
                + (f" (réalisé le {j.date_realisee:%d/%m/%Y})" if j.date_realisee else ""),
                "classe": "jalon-fait" if j.date_realisee else ("jalon-manque" if j.date_prevue < aujourd_hui else ""),
            }
            for j in s.jalons
        ]
        cibles = [
            {
                "gauche": position(m.indicateur.date_cible, debut, fin),
                "titre": f"Cible : {m.definition.libelle} = {m.indicateur.cible:g} {m.definition.unite} au "
                f"{m.indicateur.date_cible:%d/%m/%Y}",
            }
            for m in s.mesures
        ]
        lignes.append({"suivi": s, "barre": barre, "reperes": reperes, "cibles": cibles})
    return {
        "lignes": lignes,
        "annees": annees,
        "debut": debut,
        "fin": fin,
        "aujourd_hui": position(aujourd_hui, debut, fin) if debut <= aujourd_hui <= fin else None,
        "fin2": position(echeance_objectifs(convention).date, debut, fin),
    }


# --- the dashboard -------------------------------------------------------------------------------------------------


def bord(suivis: list[Suivi], objectifs) -> dict:
    """Progress by mission, budget by year and financer (and its chart), counts by status, the actions late, the
    plan's mean progress."""
    par_pk = {o.pk: o for o in objectifs}
    par_mission = []
    for i, m in enumerate(missions(par_pk.values()), 1):
        dans = [s for s in suivis if m.pk in missions_de(s, par_pk)]
        par_mission.append(
            {
                "numero": i,
                "mission": m,
                "fiches": len(dans),
                "progression": _moyenne([s.progression for s in dans if s.progression is not None]),
                "en_retard": sum(1 for s in dans if s.en_retard),
                "terminees": sum(1 for s in dans if s.statut == StatutFiche.TERMINEE),
            }
        )
    annees, budget = budget_par_annee_et_financeur(suivis)
    totaux_annees = [sum((ligne[1][i] for ligne in budget), Decimal("0")) for i in range(len(annees))]
    plus_haut = max(totaux_annees, default=0) or 1
    return {
        "par_mission": par_mission,
        "annees": annees,
        "budget": budget,
        "totaux_annees": totaux_annees,
        "barres": [
            {"annee": a, "total": t, "hauteur": round(HAUTEUR_MAXIMALE * t / plus_haut)}
            for a, t in zip(annees, totaux_annees, strict=True)
        ],
        "total_budget": sum(totaux_annees, Decimal("0")),
        "statuts": [(code, nom, sum(1 for s in suivis if s.statut == code)) for code, nom in StatutFiche.choices],
        "en_retard": [s for s in suivis if s.en_retard],
        "nombre": len(suivis),
        "progression": _moyenne([s.progression for s in suivis if s.progression is not None]),
    }


def cibles_de_l_annee(suivis: list[Suivi]) -> dict:
    """The yearly targets of the year of follow-up, each with its action, its indicator and the value of that year."""
    annee = suivis[0].jour.year if suivis else horloge.aujourd_hui().year
    lignes = [(s, m, m.annee(annee)) for s in suivis for m in s.mesures if m.annee(annee) is not None]
    return {"annee_cibles": annee, "cibles": lignes}


# --- the map of needs (article 4) ----------------------------------------------------------------------------------


def cartographie(convention, suivis: list[Suivi]):
    """Per commune: its needs (of the shared diagnostic) and the actions answering them. Returns every need (each
    with its ``suivis``), the needs of the whole territory (no commune named) and one row per commune."""
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


def carte_des_besoins(convention, suivis: list[Suivi]) -> list[str]:
    """The GeoJSON features of the map of needs: per commune, its number of needs and of actions."""
    from ctg.territoires.geojson import feature

    _tous, _territoire, lignes = cartographie(convention, suivis)
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
    return features


# --- the fiche's forms ---------------------------------------------------------------------------------------------


def choix_fiche(convention) -> dict:
    """What the fiche's form offers: the objectives (numbered as in the tree), the needs of the diagnostic, the
    communes (those that joined, else all of the EPCI) and the pilots (the convention's members)."""
    from ctg.conventions.models import Habilitation
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


def catalogue_indicateurs() -> list[tuple[str, str]]:
    """The indicators of the diagnostic an action's indicator may follow: code, "label (unit)"."""
    from ctg.diagnostic.catalogue import INDICATEURS

    return [(i.code, f"{i.libelle} ({i.unite})") for i in INDICATEURS.values()]


def parents_possibles(convention, objectif: Objectif | None) -> list[tuple[str, str]]:
    """Where an objective may hang: any node above the operational level, neither itself nor its descendants (no
    cycle)."""
    from .models import Niveau

    noeuds = aplatir(arbre(convention))
    exclus = set()
    if objectif:
        noeud = next(n for n in noeuds if n.objectif.pk == objectif.pk)
        exclus = {n.objectif.pk for n in aplatir([noeud])}
    return [
        (str(n.objectif.pk), f"{n.numero} {n.objectif.intitule}")
        for n in noeuds
        if n.objectif.niveau != Niveau.OPERATIONNEL and n.objectif.pk not in exclus
    ]


def autres_fiches(suivi: Suivi) -> None:
    """Give each measure of ``suivi`` the other fiches' indicators following the same definition
    (``m.autres_fiches``, by fiche number): the indicator they share, each with its own targets."""
    autres: dict[int, list[IndicateurAction]] = {}
    liens = (
        IndicateurAction.objects.filter(definition__in=[m.definition.pk for m in suivi.mesures])
        .exclude(fiche=suivi.fiche)
        .select_related("fiche")
        .order_by("fiche__numero", "pk")
    )
    for lien in liens:
        autres.setdefault(lien.definition_id, []).append(lien)
    for m in suivi.mesures:
        m.autres_fiches = autres.get(m.definition.pk, [])
