"""The rgpd app's part of the daily update (``ctg actualiser``): the files of data transmissions whose retention
has ended are deleted (``echanges.purger_fichiers_expires``), and inactive accounts are deactivated, then
anonymised (``personnes.traiter_inactifs``)."""

from .echanges import purger_fichiers_expires
from .personnes import traiter_inactifs


def actualiser() -> list[str]:
    lignes = [
        f"Fichier d'une transmission de données supprimé (conservation échue) : {transfert.fichier_nom or transfert.pk}"
        for transfert in purger_fichiers_expires()
    ]
    resultat = traiter_inactifs()
    lignes += [f"Compte désactivé pour inactivité : {identifiant}" for identifiant in resultat.desactives]
    lignes += [f"Compte anonymisé après sa période de désactivation : {i}" for i in resultat.anonymises]
    return lignes
