"""Who may open the territories' pages: any signed-in user (public data). The other URLs of this app are declared in
``ctg.conventions.perms.ACCES``, where they were first listed."""

from ctg import acces

ACCES = {
    "territoires:diagnostic": acces.CONNECTE,
}
