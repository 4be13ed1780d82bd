"""Who calls the API: a personal token (``Authorization: Bearer ctg_…``) or the session of a signed-in person (the
browsable documentation; its writes carry the CSRF token). A write needs a read-write token (or a session); every
right after that is the pages' own (``ctg.conventions.perms`` and the apps' ``perms``). Requests are counted per
token (per person for a session) through Django's cache."""

from django.conf import settings
from ninja.errors import AuthenticationError, AuthorizationError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import SimpleRateThrottle

from ctg.conventions.acces import exiger

from . import jetons

# Requests allowed per token (or per signed-in person), e.g. "120/min"; the setting CTG_API_DEBIT overrides it.
DEBIT_PAR_DEFAUT = "120/min"


class JetonInvalide(AuthenticationError):
    def __init__(self):
        super().__init__(message="Jeton inconnu ou révoqué : créez-en un nouveau sur la page « Jetons d'API ».")


class JetonPersonnel(HttpBearer):
    """``Authorization: Bearer <jeton>``. A token sent but unknown or revoked is refused (401), even with a session."""

    def authenticate(self, request, token):
        jeton = jetons.authentifier(token.strip())
        if jeton is None:
            raise JetonInvalide()
        request.user = jeton.user
        request.jeton_api = jeton
        return jeton.user


class Session(SessionAuth):
    """The signed-in person's session (CSRF checked on writes by ninja)."""

    def authenticate(self, request, key):
        if request.headers.get("Authorization"):
            return None  # a token was sent: it alone decides
        return super().authenticate(request, key)


AUTHENTIFICATION = [JetonPersonnel(), Session()]


def exiger_ecriture(request) -> None:
    """A write: refused to a read-only token (403); a session writes as the person does on the pages."""
    jeton = getattr(request, "jeton_api", None)
    if jeton is not None and not jeton.ecriture:
        raise AuthorizationError(
            message="Ce jeton est en lecture seule : créez un jeton « lecture et écriture » pour modifier des données."
        )


def exiger_droit(
    convention, autorise: bool, terminee: str = "Cette convention est terminée : elle ne se modifie plus."
):
    """The page's right to write (``autorise``, from the app's ``perms``), else 403 with why: the convention has
    ended (``terminee``, the words of what no longer changes), or the caller's role does not allow it."""
    exiger(
        autorise, terminee if convention.est_terminee else "Votre rôle sur cette convention ne permet pas cette action."
    )


class DebitParJeton(SimpleRateThrottle):
    """A number of requests per period for each token (for a session: each person)."""

    scope = "ctg_api"

    def __init__(self, rate=None):
        super().__init__(rate or DEBIT_PAR_DEFAUT)

    def allow_request(self, request):
        self.num_requests, self.duration = self.parse_rate(getattr(settings, "CTG_API_DEBIT", None) or self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request):
        jeton = getattr(request, "jeton_api", None)
        if jeton is not None:
            ident = f"jeton-{jeton.empreinte[:20]}"
        elif request.user.is_authenticated:
            ident = f"session-{request.user.pk}"
        else:
            return None
        return self.cache_format % {"scope": self.scope, "ident": ident}
