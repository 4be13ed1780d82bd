"""What the plan adds to a convention's dashboard and deadlines (hooks of ``ctg.conventions.extensions``)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse


def _suivies(convention, jour: date | None = None) -> list:
    """The fiches followed on ``jour``, read once for the dashboard (its alerts and its deadlines both ask, on the
    same convention object, during one page)."""
    from .regles import fiches_suivies, jour_de_suivi

    jour = jour or jour_de_suivi(convention)
    memoire = convention.__dict__.setdefault("_fiches_suivies_du_tableau", {})
    if jour not in memoire:
        memoire[jour] = fiches_suivies(convention, jour)
    return memoire[jour]


def liens(convention) -> list[tuple[str, str]]:
    return [("Plan d'actions", reverse("plan:arbre", args=[convention.pk]))]


def alertes(convention) -> list[str]:
    """While the convention runs: the actions late; once it has ended: the final bilan, if it is still due."""
    from .models import TypeRevue, fin_du_suivi

    fin = fin_du_suivi(convention)
    if fin is not None:
        if convention.revues_plan.filter(type=TypeRevue.BILAN).exists():
            return []
        return [
            f"Plan d'actions : la convention a pris fin le {fin:%d/%m/%Y} ; son bilan final reste à établir "
            "(article 9)."
        ]
    en_retard = [s for s in _suivies(convention) if s.en_retard]
    if not en_retard:
        return []
    n = len(en_retard)
    numeros = ", ".join(f"n° {s.fiche.numero}" for s in en_retard[:6]) + (" …" if n > 6 else "")
    return [f"Plan d'actions : {n} action{'s' if n > 1 else ''} en retard ({numeros})."]


def echeances(convention, aujourd_hui: date) -> list:
    """The milestones not yet reached and the targets of the indicators of the active fiches (none once the
    convention has ended: the follow-up stops with it)."""
    from ctg.conventions.echeances import Echeance, Etat, _etat

    from .models import fin_du_suivi
    from .regles import ACTIVES

    fin = fin_du_suivi(convention)
    if fin is not None and aujourd_hui > fin:
        return []
    liste = []
    for s in _suivies(convention, aujourd_hui):
        if s.fiche.statut not in ACTIVES:
            continue
        for j in s.jalons:
            if j.date_realisee:
                continue
            liste.append(
                Echeance(
                    f"plan_jalon_{j.pk}",
                    f"Fiche action n° {s.fiche.numero} : {j.libelle}",
                    j.date_prevue,
                    _etat(j.date_prevue, None, aujourd_hui),
                    s.fiche.titre,
                    "plan d'actions (annexe 2 : objectifs concrets, échéancés, chiffrés)",
                )
            )
        for m in s.mesures:
            ind, definition = m.indicateur, m.definition
            etat = Etat.FAITE if m.atteinte else _etat(ind.date_cible, None, aujourd_hui)
            p = m.progression
            liste.append(
                Echeance(
                    f"plan_cible_{ind.pk}",
                    f"Fiche action n° {s.fiche.numero} : cible « {definition.libelle} » = "
                    f"{ind.cible:g} {definition.unite}".strip(),
                    ind.date_cible,
                    etat,
                    f"avancement {p} %" if p is not None else "aucune valeur mesurée",
                    "plan d'actions (annexe 2 : objectifs concrets, échéancés, chiffrés)",
                )
            )
    return liste
