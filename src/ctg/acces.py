"""Who may open each page: every app declares, in the ``ACCES`` dict of its ``perms`` module, the access
category of each of its URL names. The permission walk (``tests/test_acces.py``) opens every URL of the project
with every role and checks the answer against these categories; a URL without a category fails the walk.

An app may also define ``exemples_acces(convention) -> dict`` in the same module: it creates the objects its
URLs need (a fiche action, a meeting…) on the demo convention and returns the URL arguments (``{"fiche": 3}``).
"""

# Anyone, signed in or not (the home page, territories and their diagnostic from open data, the glossary…).
PUBLIQUE = "publique"
# Any signed-in user.
CONNECTE = "connecte"
# The members of the convention, whatever their role (others get 404: the convention is not disclosed).
MEMBRE = "membre"
# Members but the read-only ones.
CONTRIBUTION = "contribution"
# The Caf adviser and the collectivité's project lead (and the administrator).
EDITION = "edition"
# The Caf adviser and the project lead, while the convention is a draft (its signature page).
EDITION_BROUILLON = "edition_brouillon"
# Editors, and the referent of the commune named in the URL.
EDITION_OU_REFERENT = "edition_ou_referent"
# Views that only answer POST: GET gives 405.
POST = "post"
# A Caf or EPCI employee may create a convention.
CREATION = "creation"
# A Caf employee allowed to import open data (permission donnees.add_fichier), or a national administrator.
IMPORT_DONNEES = "import_donnees"
# A Caf's portfolio: the staff of the Caf (for its own département) and national administrators; others get 403.
PORTEFEUILLE = "portefeuille"
# The JSON API (``/api/v1/``): an anonymous caller gets 401 JSON, not the login page.
# Any caller with a token or a session (public data: territories, indicators; one's own conventions).
API_CONNECTE = "api_connecte"
# The members of the convention (others get 404 JSON: the convention is not disclosed).
API_MEMBRE = "api_membre"
# An endpoint that only writes (POST): GET gives 405, to everyone.
API_POST = "api_post"
# A URL that only names a prefix (the API's root): 404 to everyone.
INTROUVABLE = "introuvable"
# An address kept for the links sent before its page moved: a permanent redirect (301) for everyone.
REDIRECTION = "redirection"

CATEGORIES = {
    PUBLIQUE,
    CONNECTE,
    MEMBRE,
    CONTRIBUTION,
    EDITION,
    EDITION_BROUILLON,
    EDITION_OU_REFERENT,
    POST,
    CREATION,
    IMPORT_DONNEES,
    PORTEFEUILLE,
    API_CONNECTE,
    API_MEMBRE,
    API_POST,
    INTROUVABLE,
    REDIRECTION,
}
