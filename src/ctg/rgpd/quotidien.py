"""The rgpd app's part of the daily update (``ctg actualiser``): inactive accounts (``personnes.traiter_inactifs``)."""

from .personnes import traiter_inactifs


def actualiser() -> list[str]:
    resultat = traiter_inactifs()
    lignes = [f"Compte désactivé pour inactivité : {identifiant}" for identifiant in resultat.desactives]
    lignes += [f"Compte anonymisé après sa période de désactivation : {i}" for i in resultat.anonymises]
    return lignes
