"""The tables of the comité's pages as their CSV and XLSX exports write them (``ctg.documents.tableurs``): the
composition (every comité and sub-comité, former members included), the meetings, the decisions, the initiatives of
the territory and the attendance of a meeting. Each page renders the headers of its builder here."""

from __future__ import annotations

from django.db.models import Count
from django.utils import timezone

from ctg.documents.tableurs import TableauExporte, date_cellule, nombre

from .decisions import resultat
from .models import Reunion, StatutReunion

ENTETES_MEMBRES = ["Membre", "Organisation et fonction", "Représente", "Rôle", "Mandat"]


def composition(convention, comites: list) -> TableauExporte:
    """``comites``: (comité, its members) as the page lists them; one row per member, the comité first."""
    lignes = []
    for comite, membres in comites:
        for m in membres:
            organisation = m.organisation + (f", {m.fonction}" if m.fonction else "")
            mandat = f"depuis le {date_cellule(m.debut)}" + (f" jusqu'au {date_cellule(m.fin)}" if m.fin else "")
            lignes.append(
                [str(comite), m.nom_complet, organisation, m.get_cote_display(), m.get_role_display(), mandat]
            )
    return TableauExporte(
        f"Composition du comité de pilotage — {convention}",
        ["Comité", *ENTETES_MEMBRES],
        lignes,
        f"comite-composition-{convention.pk}",
        feuille="Composition",
    )


def reunions_ordonnees(convention) -> tuple[list, list]:
    """The meetings to come (oldest first), then the others (newest first), as the comité's page lists them."""
    reunions = (
        Reunion.objects.filter(comite__convention=convention)
        .select_related("comite")
        .annotate(nombre_decisions=Count("decisions"))
    )
    a_venir = [r for r in reunions if r.statut == StatutReunion.PLANIFIEE]
    return a_venir, [r for r in reunions if r.statut != StatutReunion.PLANIFIEE][::-1]


def entetes_reunions(avec_comite: bool) -> list[str]:
    return [nombre("Date"), *(["Comité"] if avec_comite else []), "Lieu", "Statut", nombre("Décisions")]


def reunions(convention, a_venir: list, passees: list, avec_comite: bool) -> TableauExporte:
    lignes = []
    for r in [*a_venir, *passees]:
        decisions = "" if r.statut == StatutReunion.PLANIFIEE else r.nombre_decisions
        comite = [str(r.comite)] if avec_comite else []
        lignes.append([date_cellule(r.date), *comite, r.lieu or "visioconférence", r.get_statut_display(), decisions])
    return TableauExporte(
        f"Réunions du comité de pilotage — {convention}",
        entetes_reunions(avec_comite),
        lignes,
        f"comite-reunions-{convention.pk}",
        feuille="Réunions",
    )


# --- Decisions ---------------------------------------------------------------------------------------------------


def entetes_decisions(avec_comite: bool) -> list[str]:
    return [
        nombre("Réunion"),
        *(["Comité"] if avec_comite else []),
        nombre("N°"),
        "Décision",
        "Objet",
        "Référence",
        "Résultat",
        "Effet",
    ]


def decisions(convention, liste: list, avec_comite: bool) -> TableauExporte:
    """``liste``: (decision, its result) as the page lists them (``documents.decisions_de``)."""
    lignes = []
    for d, resultat_texte in liste:
        reference = (d.reference + (f" (n° {d.objet_id})" if d.objet_id else "")).strip()
        comite = [str(d.reunion.comite)] if avec_comite else []
        lignes.append(
            [
                date_cellule(d.reunion.date),
                *comite,
                d.ordre,
                d.texte,
                d.get_objet_display(),
                reference,
                resultat_texte,
                d.effet,
            ]
        )
    return TableauExporte(
        f"Décisions du comité de pilotage — {convention}",
        entetes_decisions(avec_comite),
        lignes,
        f"comite-decisions-{convention.pk}",
        feuille="Décisions",
    )


def decisions_avec_resultat(decisions_qs) -> list:
    return [(d, resultat(d)) for d in decisions_qs]


# --- Initiatives of the territory (article 6) ---------------------------------------------------------------------

ENTETES_INITIATIVES = ["Initiative", "Commune", "Porteur", "Suivi"]


def initiatives(convention, liste) -> TableauExporte:
    lignes = []
    for i in liste:
        titre = i.titre + (f" ({i.get_domaine_display()})" if i.domaine else "")
        texte = "\n".join(
            x for x in (titre, i.description, f"repérée le {date_cellule(i.reperee_le)}", i.notes_suivi) if x
        )
        suivi = i.get_suivi_display()
        if i.fiche_reference:
            suivi += f"\n{i.fiche_reference}" + (f" (n° {i.fiche_id})" if i.fiche_id else "")
            suivi += f", le {date_cellule(i.transformee_le)}" if i.transformee_le else ""
        lignes.append([texte, i.commune.nom if i.commune else "tout le territoire", i.operateur, suivi])
    return TableauExporte(
        f"Initiatives du territoire — {convention}",
        ENTETES_INITIATIVES,
        lignes,
        f"comite-initiatives-{convention.pk}",
        feuille="Initiatives",
    )


# --- Attendance of a meeting ---------------------------------------------------------------------------------------


def lignes_presence(reunion, bilan, reponses) -> list[tuple]:
    """(member, attendance or None, answer or None) for every member convened, as the meeting's page lists them."""
    presences = {p.membre_id: p for p in reunion.presences.all()}
    return [(m, presences.get(m.pk), reponses.reponses.get(m.pk)) for m in bilan.convoques]


def avec_reponses(reunion, reponses) -> bool:
    """The column of the answers to the invitation: once someone answered, or while the meeting is planned."""
    return bool(reponses.reponses) or reunion.statut == StatutReunion.PLANIFIEE


def entetes_presences(colonne_reponses: bool) -> list[str]:
    return ["Membre", "Représente", "Rôle", *(["Réponse à la convocation"] if colonne_reponses else []), "Présence"]


def _reponse(r) -> str:
    if r is None:
        return "sans réponse"
    texte = r.get_reponse_display() + (f", remplacé·e par {r.remplacant}" if r.remplacant else "")
    texte += f" le {date_cellule(timezone.localtime(r.repondu_le))}"
    return texte + (f"\n« {r.commentaire} »" if r.commentaire else "")


def presences(reunion, lignes: list[tuple], colonne_reponses: bool) -> TableauExporte:
    rangees = []
    for m, p, r in lignes:
        presence = (p.get_etat_display() + (f" par {p.represente_par}" if p.represente_par else "")) if p else ""
        reponse = [_reponse(r)] if colonne_reponses else []
        rangees.append(
            [
                f"{m.nom_complet}\n{m.organisation}",
                m.get_cote_display(),
                m.get_role_display(),
                *reponse,
                presence or "non renseignée",
            ]
        )
    convention = reunion.comite.convention
    return TableauExporte(
        f"Présences — {reunion.comite} du {date_cellule(reunion.date)} — {convention}",
        entetes_presences(colonne_reponses),
        rangees,
        f"comite-presences-{reunion.date:%Y-%m-%d}-{reunion.pk}",
        feuille="Présences",
    )
