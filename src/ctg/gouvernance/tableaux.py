"""The tables of the comité's pages as their CSV and XLSX exports write them (``ctg.documents.tableurs``): the
composition (every comité and sub-comité, former members included) and the meetings."""

from __future__ import annotations

from django.db.models import Count

from ctg.documents.tableurs import TableauExporte, nombre

from .models import Reunion, StatutReunion

ENTETES_MEMBRES = ["Membre", "Organisation et fonction", "Représente", "Rôle", "Mandat"]


def _date(jour) -> str:
    return f"{jour:%d/%m/%Y}" if jour else ""


def composition(convention, comites: list) -> TableauExporte:
    """``comites``: (comité, its members) as the page lists them; one row per member, the comité first."""
    lignes = []
    for comite, membres in comites:
        for m in membres:
            organisation = m.organisation + (f", {m.fonction}" if m.fonction else "")
            mandat = f"depuis le {_date(m.debut)}" + (f" jusqu'au {_date(m.fin)}" if m.fin else "")
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
        lignes.append([_date(r.date), *comite, r.lieu or "visioconférence", r.get_statut_display(), decisions])
    return TableauExporte(
        f"Réunions du comité de pilotage — {convention}",
        entetes_reunions(avec_comite),
        lignes,
        f"comite-reunions-{convention.pk}",
        feuille="Réunions",
    )
