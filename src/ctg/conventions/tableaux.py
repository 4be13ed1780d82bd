"""The tables of a convention's pages as their CSV and XLSX exports write them (``ctg.documents.tableurs``): the
page renders the same headers, the export view the same rows — adhesions, deadlines, members, history, the list of
a user's conventions, the joint communication."""

from __future__ import annotations

import html

from django.utils import timezone

from ctg.documents.tableurs import TableauExporte, date_cellule, nombre
from ctg.formats import trier_par_nom

from .perms import conventions_visibles

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
        lignes.append(
            [a.commune_id, a.commune.nom, population, a.maire, date_cellule(a.date_deliberation), statut, cej]
        )
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
        lignes.append([date_cellule(e.date), texte, e.etat_libelle])
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
            [date_cellule(timezone.localtime(e.quand), "%d/%m/%Y %H:%M"), e.qui, objet, e.action, "\n".join(details)]
        )
    return TableauExporte(
        f"Historique des modifications — {convention}",
        ENTETES_HISTORIQUE,
        lignes,
        f"historique-{convention.pk}",
        feuille="Historique",
    )


# --- The list of a user's conventions, and a convention's joint communication (article 8) ---------------------

ENTETES_CONVENTIONS = ["Collectivité", "Caf", "Période", "Statut", "Identifiant @ctes"]
ENTETES_COMMUNICATIONS = ["Objet", "Support", "Diffusion prévue", "Approbations", "État"]
AVERTISSEMENT_DEMO = (
    "Données de démonstration : les conventions et communications marquées « démonstration » sont FICTIVES."
)


def conventions_de(user):
    """The conventions of the list's page and of its export: those ``user`` sees."""
    return conventions_visibles(user).select_related("caf", "epci", "resiliation", "suivante", "suivante__resiliation")


def communications_de(convention) -> list:
    return list(convention.communications.prefetch_related("approbations__organisation", "pieces"))


def _situation(convention) -> str:
    """Where the convention stands today, in the words of the list's page (``_situation_convention.html``)."""
    from django.template.loader import render_to_string
    from django.utils.html import strip_tags

    from ctg.documents.echappement import une_ligne

    return une_ligne(html.unescape(strip_tags(render_to_string("_situation_convention.html", {"c": convention}))))


def conventions(liste, user) -> TableauExporte:
    """``liste``: the conventions ``user`` sees (``perms.conventions_visibles``), as the list's page orders them."""
    lignes = []
    demonstration = False
    for c in liste:
        demonstration = demonstration or "(démonstration)" in c.titre
        statut = f"{c.libelle_statut_du_jour}\n{_situation(c)}"
        resiliation = getattr(c, "resiliation", None)
        if resiliation and not c.est_terminee:
            statut += f" fin le {date_cellule(resiliation.date_effet)}"
        periode = f"{date_cellule(c.date_debut)} – {date_cellule(c.date_fin)}"
        lignes.append([c.epci.nom, c.caf.nom, periode, statut, c.ctes_identifiant or ""])
    return TableauExporte(
        "Conventions territoriales globales",
        ENTETES_CONVENTIONS,
        lignes,
        f"conventions-{user.username}",
        avertissement=AVERTISSEMENT_DEMO if demonstration else "",
        feuille="Conventions",
    )


def communications(convention, liste) -> TableauExporte:
    """``liste``: the convention's communications with their approvals (prefetched), as the page lists them."""
    lignes = []
    for c in liste:
        approbations = ", ".join(a.organisation.nom for a in c.approbations.all()) or "aucune"
        etat = (
            f"Publiée le {date_cellule(timezone.localtime(c.publiee_le))}"
            if c.est_publiee
            else "En attente d'approbation"
        )
        objet = c.objet + (" (démonstration)" if c.demonstration else "")
        lignes.append([objet, c.get_support_display(), date_cellule(c.date_prevue), approbations, etat])
    return TableauExporte(
        f"Communication commune — {convention}",
        ENTETES_COMMUNICATIONS,
        lignes,
        f"communications-{convention.pk}",
        avertissement=AVERTISSEMENT_DEMO if any(c.demonstration for c in liste) else "",
        feuille="Communications",
    )
