"""Who may open the accounts' pages (the permission walk: ``ctg.acces``). The login page, the invitation link and
the logout are declared with the conventions' pages."""

from ctg import acces

ACCES = {
    # The second step of a login: without a login waiting for its code, a page that says so.
    "comptes:code": acces.PUBLIQUE,
    "comptes:double_facteur": acces.CONNECTE,
    "comptes:profil": acces.CONNECTE,
    "comptes:mot_de_passe_modifier": acces.CONNECTE,
    "comptes:mot_de_passe_oublie": acces.PUBLIQUE,
    "comptes:mot_de_passe_envoye": acces.PUBLIQUE,
    "comptes:mot_de_passe_nouveau": acces.PUBLIQUE,
    "comptes:mot_de_passe_change": acces.PUBLIQUE,
}


def exemples_acces(convention) -> dict:
    """URL arguments for the permission walk: a reset link that is not valid (its page says so)."""
    return {"uidb64": "MQ", "token": "lien-perime"}
