"""What the comité de pilotage adds to a convention's dashboard and deadlines (see ``ctg.conventions.extensions``)."""

from __future__ import annotations

from datetime import date

from django.urls import reverse

from ctg import horloge
from ctg.conventions.echeances import Echeance, Etat, _etat
from ctg.conventions.models import Statut

from .models import Reunion, StatutReunion
from .regles import comite_existant, dates_tenues, en_cours_le, parite, semestres_sans_reunion


def dates_reunions_tenues(convention) -> list[date]:
    """Dates of the held meetings of the comité de pilotage: the semester rule of ``ctg.conventions.echeances``."""
    return dates_tenues(convention)


def alertes(convention, aujourd_hui: date | None = None) -> list[str]:
    """Parity broken today (with what is missing), half-years without a meeting, past meetings left unrecorded."""
    aujourd_hui = aujourd_hui or horloge.aujourd_hui()
    if convention.statut == Statut.BROUILLON:
        return []
    resultat = []
    comite = comite_existant(convention)
    en_cours = en_cours_le(convention, aujourd_hui)
    if en_cours:
        if comite is None or not comite.membres.exists():
            resultat.append(
                "Comité de pilotage : aucun membre enregistré. Composez-le, à parité, de représentants de la Caf et "
                "de la collectivité (article 6)."
            )
        else:
            etat = parite(comite, aujourd_hui)
            if not etat.respectee:
                resultat.append(f"Comité de pilotage — {etat.message[0].lower()}{etat.message[1:]}")
    manques = semestres_sans_reunion(convention, aujourd_hui)
    if manques:
        liste = ", ".join(s.libelle for s in manques)
        resultat.append(
            f"Comité de pilotage : aucune réunion tenue au cours {'des semestres' if len(manques) > 1 else 'du'} "
            f"{liste} (annexe 2 : comité de pilotage « a minima semestriel »)."
        )
    if en_cours:
        passees = Reunion.objects.filter(
            comite__convention=convention, statut=StatutReunion.PLANIFIEE, date__lt=aujourd_hui
        )
        for reunion in passees:
            resultat.append(
                f"La réunion du {reunion.comite.nom.lower()} du {reunion.date:%d/%m/%Y} est passée : "
                "enregistrez les présences ou indiquez qu'elle a été annulée."
            )
    return resultat


def liens(convention) -> list[tuple[str, str]]:
    return [("Comité de pilotage", reverse("gouvernance:comite", args=[convention.pk]))]


def _semestre(jour: date) -> tuple[int, int]:
    return jour.year, 1 if jour.month <= 6 else 2


def echeances(convention, aujourd_hui: date) -> list[Echeance]:
    """The planned meetings, as deadlines: due (or late if the day has passed without the meeting recorded)."""
    if not en_cours_le(convention, aujourd_hui):
        return []
    liste = []
    for reunion in Reunion.objects.filter(comite__convention=convention, statut=StatutReunion.PLANIFIEE).select_related(
        "comite"
    ):
        etat = _etat(reunion.date, None, aujourd_hui)
        if etat == Etat.A_VENIR and _semestre(reunion.date) == _semestre(aujourd_hui):
            etat = Etat.PROCHE  # planned in the current half-year: the semester's meeting is due
        lieu = reunion.lieu or ("visioconférence" if reunion.lien_visio else "lieu à préciser")
        liste.append(
            Echeance(
                f"copil_reunion_{reunion.pk}",
                f"{reunion.comite} planifié le {reunion.date:%d/%m/%Y}",
                reunion.date,
                etat,
                f"{reunion.heure_debut:%H:%M}, {lieu}"
                + ("" if reunion.convocations_envoyees_le else " — convocations à envoyer"),
                "article 6 et annexe 2 : comité de pilotage « a minima semestriel »",
            )
        )
    return liste
