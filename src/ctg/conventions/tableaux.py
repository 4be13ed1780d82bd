"""The tables of a convention's pages as their CSV and XLSX exports write them (``ctg.documents.tableurs``): the
page renders the same headers, the export view the same rows — adhesions, deadlines, members, history."""

from __future__ import annotations

from django.utils import timezone

from ctg.documents.tableurs import TableauExporte, nombre
from ctg.formats import trier_par_nom

ENTETES_ADHESIONS = [
    "Code INSEE",
    "Commune",
    nombre("Population"),
    "Maire",
    "Délibération du conseil municipal",
    "Statut",
    "Ancienne commune Cej",
]
ENTETES_ECHEANCES = ["Date", "Échéance", "État"]
ENTETES_MEMBRES = ["Personne", "Rôle", "Commune"]
ENTETES_HISTORIQUE = ["Quand", "Qui", "Objet", "Action", "Détail"]


def _date(jour, format="%d/%m/%Y") -> str:
    return f"{jour:{format}}" if jour else ""


def adhesions_triees(convention) -> list:
    return trier_par_nom(convention.adhesions.select_related("commune"), nom=lambda a: a.commune.nom)


def adhesions(convention, liste=None) -> TableauExporte:
    lignes = []
    for a in adhesions_triees(convention) if liste is None else liste:
        statut = a.get_statut_display()
        if a.proposition:
            statut += f" (proposition : {a.get_proposition_display().lower()}, à confirmer)"
        cej = ("oui — bonus bloqué" if a.bonus_bloque else "oui") if a.ancienne_commune_cej else "non"
        population = a.commune.population if a.commune.population is not None else ""
        lignes.append([a.commune_id, a.commune.nom, population, a.maire, _date(a.date_deliberation), statut, cej])
    return TableauExporte(
        f"Adhésion des communes — {convention}",
        ENTETES_ADHESIONS,
        lignes,
        f"adhesions-{convention.pk}",
        feuille="Adhésions",
    )


def echeances(convention, liste) -> TableauExporte:
    lignes = []
    for e in liste:
        texte = "\n".join(x for x in (e.libelle, e.detail, f"Règle : {e.source}" if e.source else "") if x)
        lignes.append([_date(e.date), texte, e.etat_libelle])
    return TableauExporte(
        f"Échéances — {convention}", ENTETES_ECHEANCES, lignes, f"echeances-{convention.pk}", feuille="Échéances"
    )


def habilitations(convention):
    return convention.habilitations.select_related("user", "commune").order_by("role")


def membres(convention, habilitations) -> TableauExporte:
    lignes = [
        [h.user.get_full_name() or h.user.username, h.get_role_display(), h.commune.nom if h.commune else ""]
        for h in habilitations
    ]
    return TableauExporte(
        f"Membres — {convention}", ENTETES_MEMBRES, lignes, f"membres-{convention.pk}", feuille="Membres"
    )


def historique(convention, entrees) -> TableauExporte:
    lignes = []
    for e in entrees:
        details = [f"{c.champ} : {c.avant} → {c.apres}" for c in e.changements]
        if e.motif:
            details.append(f"Motif : {e.motif}")
        objet = f"{e.type_objet} : {e.objet}"
        lignes.append(
            [_date(timezone.localtime(e.quand), "%d/%m/%Y %H:%M"), e.qui, objet, e.action, "\n".join(details)]
        )
    return TableauExporte(
        f"Historique des modifications — {convention}",
        ENTETES_HISTORIQUE,
        lignes,
        f"historique-{convention.pk}",
        feuille="Historique",
    )
