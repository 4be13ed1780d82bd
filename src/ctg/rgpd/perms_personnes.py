"""Who may open the pages of people's rights (``views_personnes``): the privacy notice and the inventory of the
personal data CTG stores are public; a person's own data is theirs (any signed-in user, for themself only); the log
of a convention's confidential downloads (article 14) is read by its editors (the Caf adviser and the project lead).
"""

from ctg import acces
from ctg.conventions.perms import ROLES_EDITION, role

MESSAGE_JOURNAL = (
    "Le journal des téléchargements confidentiels est réservé à la conseillère ou au conseiller Caf et à la ou au "
    "chef de projet de la convention."
)


def peut_lire_journal_confidentiel(user, convention) -> bool:
    return user.is_authenticated and (user.is_superuser or role(user, convention) in ROLES_EDITION)


ACCES: dict[str, str] = {
    "rgpd:confidentialite": acces.PUBLIQUE,
    "rgpd:donnees_personnelles": acces.PUBLIQUE,
    "rgpd:mes_donnees": acces.CONNECTE,
    "rgpd:mes_donnees_export": acces.POST,
    "rgpd:telechargements_confidentiels": acces.EDITION,
    "rgpd:telechargements_confidentiels_export": acces.EDITION,
}


def exemples_acces(convention) -> dict:
    return {"rgpd:telechargements_confidentiels_export/format": "xlsx"}  # the pk comes from conventions.perms
