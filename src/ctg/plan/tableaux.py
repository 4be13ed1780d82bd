"""The tables of the plan's pages as their CSV and XLSX exports write them (``ctg.documents.tableurs``): the budget
of the dashboard, the map of needs (per commune, per need), a fiche's budget and its indicators' yearly targets and
values, the reviews and a review's evaluations and effects. Each
page renders the headers of its builder here; a plan holding demonstration fiches keeps its warning in the XLSX."""

from __future__ import annotations

from ctg.documents.tableurs import TableauExporte, date_cellule, nombre

from .documents import AVERTISSEMENT_DEMO


def _tableau(convention, titre: str, entetes, lignes, nom: str, feuille: str, demonstration: bool) -> TableauExporte:
    return TableauExporte(
        f"{titre} — {convention}",
        entetes,
        lignes,
        f"{nom}-{convention.pk}",
        avertissement=AVERTISSEMENT_DEMO if demonstration else "",
        feuille=feuille,
    )


def _fiche(s) -> str:
    return f"n° {s.fiche.numero} {s.fiche.titre}"


# --- The dashboard: budget by year and financer -------------------------------------------------------------------


def entetes_budget(annees: list[int]) -> list[str]:
    return ["Financeur", *(nombre(str(a)) for a in annees), nombre("Total")]


def budget(convention, bord: dict, demonstration: bool) -> TableauExporte:
    """``bord``: what ``presentation.bord`` computed for the dashboard; the last row is the total by year."""
    lignes = [[nom, *(m or "" for m in montants), total] for nom, montants, total in bord["budget"]]
    if lignes:
        lignes.append(["Total", *bord["totaux_annees"], bord["total_budget"]])
    return _tableau(
        convention,
        "Budget par année et par financeur (€)",
        entetes_budget(bord["annees"]),
        lignes,
        "plan-budget",
        "Budget",
        demonstration,
    )


# --- The dashboard: the targets of the year ----------------------------------------------------------------------


def entetes_cibles(annee: int) -> list[str]:
    return ["Action", "Indicateur", nombre(f"Cible {annee}"), nombre(f"Valeur {annee}"), "État"]


def etat_cible(a) -> str:
    """The state of a yearly target, as the dashboard writes it."""
    if a.atteinte:
        return "atteinte"
    if a.valeur is None:
        return "non mesurée"
    return f"{a.progression} %"


def cibles(convention, donnees: dict, demonstration: bool) -> TableauExporte:
    """``donnees``: what ``presentation.cibles_de_l_annee`` computed for the dashboard."""
    annee = donnees["annee_cibles"]
    lignes = [
        [
            f"Fiche n° {s.fiche.numero}",
            m.definition.libelle + (f" ({m.definition.unite})" if m.definition.unite else ""),
            a.cible,
            "" if a.valeur is None else a.valeur,
            etat_cible(a),
        ]
        for s, m, a in donnees["cibles"]
    ]
    titre = f"Cibles de l'année {annee}"
    return _tableau(convention, titre, entetes_cibles(annee), lignes, f"plan-cibles-{annee}", "Cibles", demonstration)


# --- A fiche action: its budget, each indicator's yearly targets and values --------------------------------------

ENTETES_BUDGET_FICHE = ["Financeur", "Année", "Nature", nombre("Prévu"), nombre("Réalisé")]
ENTETES_CIBLES_INDICATEUR = ["Année", nombre("Cible de l'année"), nombre("Valeur de l'année"), "État"]
ENTETES_VALEURS_INDICATEUR = ["Période", nombre("Valeur"), "Origine"]


def _titre_fiche(fiche) -> str:
    return f"Fiche n° {fiche.numero} {fiche.titre}"


def _libelle_mesure(m) -> str:
    return m.definition.libelle + (f" ({m.definition.unite})" if m.definition.unite else "")


def budget_fiche(suivi) -> TableauExporte:
    """The fiche's planned and actual financings, as its page shows them; the last row is the total (an actual
    amount not known yet is an empty cell: « à connaître » on the page)."""
    fiche = suivi.fiche
    lignes = [
        [
            x.financeur,
            x.annee,
            x.get_nature_display(),
            x.montant,
            "" if x.montant_realise is None else x.montant_realise,
        ]
        for x in fiche.financements.all()
    ]
    if lignes:
        lignes.append(["Total", "", "", suivi.budget, "" if suivi.budget_realise is None else suivi.budget_realise])
    titre = f"{_titre_fiche(fiche)} — budget et financeurs (€)"
    nom = f"plan-fiche-{fiche.numero}-budget"
    return _tableau(fiche.convention, titre, ENTETES_BUDGET_FICHE, lignes, nom, "Budget", suivi.demonstration)


def cibles_indicateur(suivi, mesure) -> TableauExporte:
    """An indicator's yearly targets with the value measured each year and its state, as the fiche's page."""
    lignes = [[a.annee, a.cible, "" if a.valeur is None else a.valeur, etat_cible(a)] for a in mesure.trajectoire]
    titre = f"{_titre_fiche(suivi.fiche)} — {_libelle_mesure(mesure)} : cibles annuelles"
    nom = f"plan-fiche-{suivi.fiche.numero}-indicateur-{mesure.indicateur.pk}-cibles"
    convention = suivi.fiche.convention
    return _tableau(convention, titre, ENTETES_CIBLES_INDICATEUR, lignes, nom, "Cibles", suivi.demonstration)


def valeurs_indicateur(suivi, mesure) -> TableauExporte:
    """An indicator's values (entered by hand or read in the open data), oldest first, as the fiche's page."""
    lignes = [
        [p.periode, "" if p.valeur is None else p.valeur, p.origine + (f" ({p.detail})" if p.detail else "")]
        for p in mesure.points
    ]
    titre = f"{_titre_fiche(suivi.fiche)} — {_libelle_mesure(mesure)} : valeurs"
    nom = f"plan-fiche-{suivi.fiche.numero}-indicateur-{mesure.indicateur.pk}-valeurs"
    convention = suivi.fiche.convention
    return _tableau(convention, titre, ENTETES_VALEURS_INDICATEUR, lignes, nom, "Valeurs", suivi.demonstration)


# --- The map of needs (article 4) ---------------------------------------------------------------------------------

ENTETES_BESOINS_COMMUNES = ["Commune", "Besoins identifiés", "Actions"]
ENTETES_BESOINS = ["Besoin", "Domaine", "Priorité", "Où", "Actions qui y répondent"]


def besoins_par_commune(convention, communes: list[dict], demonstration: bool) -> TableauExporte:
    """``communes``: the rows of ``presentation.cartographie`` that hold a need or an action, as the page."""
    lignes = [
        [
            c["nom"],
            " ; ".join(b.intitule for b in c["besoins"]),
            ", ".join(f"n° {s.fiche.numero}" for s in c["actions"]) or "aucune action",
        ]
        for c in communes
    ]
    titre = "Besoins et actions par commune"
    return _tableau(
        convention, titre, ENTETES_BESOINS_COMMUNES, lignes, "plan-besoins-communes", "Par commune", demonstration
    )


def besoins(convention, liste: list, libelles_domaines: dict, demonstration: bool) -> TableauExporte:
    """``liste``: the needs of the diagnostic, each with the ``suivis`` answering it (``presentation.cartographie``)."""
    lignes = []
    for b in liste:
        besoin = b.intitule + (f"\n{b.public}" if b.public else "")
        ou = ", ".join(c.nom for c in b.communes.all()) or "tout le territoire"
        actions = "\n".join(f"{_fiche(s)} ({s.statut_libelle})" for s in b.suivis) or "aucune action"
        lignes.append([besoin, libelles_domaines.get(b.domaine, ""), b.get_priorite_display(), ou, actions])
    titre = "Besoins du diagnostic et actions qui y répondent"
    return _tableau(convention, titre, ENTETES_BESOINS, lignes, "plan-besoins", "Besoins", demonstration)


# --- The evaluation (article 9) -----------------------------------------------------------------------------------

ENTETES_REVUES = [nombre("Date"), "Type", "Instance", "Décisions"]
ENTETES_EVALUATIONS = ["Action", nombre("Avancement (%)"), "Statut", "Décision", "Commentaire"]
ENTETES_EFFETS = ["Fiche", "Indicateur", "Avant", "Après", "Cible", "Atteinte"]


def revues(convention, liste, demonstration: bool) -> TableauExporte:
    """``liste``: the reviews with their evaluations (prefetched), newest first as the page lists them."""
    lignes = []
    for r in liste:
        n = len(r.evaluations.all())
        decisions = f"{n} action{'s' if n > 1 else ''} évaluée{'s' if n > 1 else ''}"
        lignes.append([date_cellule(r.date), r.get_type_display(), r.nom_instance, decisions])
    return _tableau(convention, "Revues du plan", ENTETES_REVUES, lignes, "plan-revues", "Revues", demonstration)


def evaluations(revue, liste, demonstration: bool) -> TableauExporte:
    lignes = [
        [
            f"n° {e.fiche.numero} {e.fiche.titre}",
            "" if e.progression is None else e.progression,
            e.get_statut_display(),
            e.get_decision_display(),
            e.commentaire,
        ]
        for e in liste
    ]
    titre = f"{revue} — évaluation des actions"
    nom = f"plan-revue-{revue.pk}-evaluations"
    return _tableau(revue.convention, titre, ENTETES_EVALUATIONS, lignes, nom, "Évaluation", demonstration)


def effets(revue, liste, demonstration: bool) -> TableauExporte:
    """``liste``: the effects of the final bilan (``documents.effets``), as the review's page shows them."""
    lignes = [
        [f"n° {e.fiche.numero}", e.mesure.definition.libelle, e.avant, e.apres, e.cible, e.progression] for e in liste
    ]
    titre = f"{revue} — effets : indicateurs avant / après"
    nom = f"plan-revue-{revue.pk}-effets"
    return _tableau(revue.convention, titre, ENTETES_EFFETS, lignes, nom, "Effets", demonstration)
