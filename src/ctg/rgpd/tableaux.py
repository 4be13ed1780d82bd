"""The tables of the rgpd pages as their CSV and XLSX exports write them (``ctg.documents.tableurs``): a convention's
data-exchange requests (article 7) and the log of its confidential downloads (article 14). Each page renders the
headers of its builder here."""

from __future__ import annotations

from django.utils import timezone

from ctg.documents.tableurs import TableauExporte, nombre

ENTETES_DEMANDES = ["Demande", "De → à", "Données personnelles", nombre("Demandée le"), "Statut"]
ENTETES_TELECHARGEMENTS = [nombre("Date"), "Par", "Document", "Format"]
# The log's page and export show the latest downloads, no more.
TELECHARGEMENTS_AFFICHES = 500
AVERTISSEMENT_DEMO = "Données de démonstration : les demandes marquées « démonstration » sont FICTIVES."


def demandes(convention, liste) -> TableauExporte:
    """``liste``: the convention's requests with their parties, newest first as the page lists them."""
    lignes = []
    for d in liste:
        objet = d.objet + (" (démonstration)" if d.demonstration and "(démonstration)" not in d.objet else "")
        personnelles = "oui" if d.donnees_personnelles else "non"
        lignes.append(
            [objet, f"{d.demandeur} → {d.detenteur}", personnelles, f"{d.demandee_le:%d/%m/%Y}", d.get_statut_display()]
        )
    return TableauExporte(
        f"Échanges de données — {convention}",
        ENTETES_DEMANDES,
        lignes,
        f"echanges-donnees-{convention.pk}",
        avertissement=AVERTISSEMENT_DEMO if any(d.demonstration for d in liste) else "",
        feuille="Échanges de données",
    )


def telechargements(convention, liste) -> TableauExporte:
    """``liste``: the latest confidential downloads (``documents.confidentialite.telechargements``), newest first."""
    lignes = [
        [
            f"{timezone.localtime(t.telecharge_le):%d/%m/%Y %H:%M}",
            t.user.get_full_name() or t.user.username,
            t.document,
            t.format.upper(),
        ]
        for t in liste
    ]
    return TableauExporte(
        f"Téléchargements des documents confidentiels — {convention}",
        ENTETES_TELECHARGEMENTS,
        lignes,
        f"telechargements-confidentiels-{convention.pk}",
        feuille="Téléchargements",
    )
