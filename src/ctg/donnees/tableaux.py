"""The data page's history of imports as the page shows it and its CSV and XLSX exports write it
(``ctg.documents.tableurs``)."""

from __future__ import annotations

from django.utils import timezone

from ctg.documents.tableurs import TableauExporte, nombre

from .models import Fichier, Niveau

HISTORIQUE = 100  # imports listed on the page, the latest first
ENTETES_FICHIERS = [
    "Fichier",
    "Jeu, niveau",
    "Périodes",
    nombre("Lignes"),
    "Observations",
    "Importé",
    "Empreinte SHA-256",
    "État",
]


def fichiers_importes() -> list:
    """The latest imports, each with the label of its level (``niveau_libelle``)."""
    fichiers = list(Fichier.objects.select_related("importe_par", "annule_par")[:HISTORIQUE])
    for fichier in fichiers:
        niveau = fichier.bilan.get("niveau")
        fichier.niveau_libelle = Niveau(niveau).label if niveau in Niveau.values else ""
    return fichiers


def _qui(user) -> str:
    return user.get_full_name() or user.username


def _quand(moment) -> str:
    return f"{timezone.localtime(moment):%d/%m/%Y à %H:%M}"


def fichiers(liste) -> TableauExporte:
    lignes = []
    for f in liste:
        par = f" par {_qui(f.importe_par)}" if f.importe_par else " (ligne de commande)"
        importe = f"le {_quand(f.importe_le)}{par}"
        etat = "en vigueur"
        if f.annule_le:
            etat = f"annulé le {_quand(f.annule_le)}" + (f" par {_qui(f.annule_par)}" if f.annule_par else "")
        lignes.append(
            [
                f.nom + (" (démonstration, fictif)" if f.demonstration else ""),
                f.dataset + (f", {f.niveau_libelle}" if f.niveau_libelle else ""),
                ", ".join(str(p) for p in f.periodes),
                f.lignes,
                f"{f.bilan.get('crees') or 0} créée(s), {f.bilan.get('modifies') or 0} modifiée(s)",
                importe,
                f.empreinte,
                etat,
            ]
        )
    return TableauExporte("Imports de données ouvertes", ENTETES_FICHIERS, lignes, "imports-donnees", feuille="Imports")
