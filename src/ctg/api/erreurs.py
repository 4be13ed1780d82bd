"""Every error of the API as JSON ``{"code": "…", "message": "<en français>"}``, with a stable code per kind."""

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from ctg.plan.cycle import ChangementImpossible, PermissionRefusee

CODES = {
    400: "requete_invalide",
    401: "non_authentifie",
    403: "interdit",
    404: "introuvable",
    405: "methode_non_permise",
    409: "changement_impossible",
    422: "validation",
    429: "trop_de_requetes",
}
MESSAGES = {
    401: "Authentification requise : envoyez un jeton personnel (en-tête « Authorization: Bearer … ») "
    "ou connectez-vous.",
    403: "Votre rôle ne permet pas cette action.",
    404: "Ressource introuvable.",
    429: "Trop de requêtes pour ce jeton : réessayez dans quelques instants.",
}


def erreur(api, request, statut: int, message: str, code: str | None = None, **autres):
    corps = {"code": code or CODES.get(statut, "erreur"), "message": message, **autres}
    return api.create_response(request, corps, status=statut)


def _lieu(erreur: dict) -> str:
    return " → ".join(str(p) for p in erreur.get("loc", ()) if p not in ("query", "path", "body"))


def installer(api) -> None:
    """Replace ninja's default handlers by the French JSON ones."""

    def http(request, exc: HttpError):
        message = exc.message
        if isinstance(exc, AuthenticationError) and message == "Unauthorized":
            message = MESSAGES[401]
        elif isinstance(exc, Throttled):
            message = MESSAGES[429]
        elif exc.status_code == 403 and message == "Forbidden":
            message = MESSAGES[403]
        elif message == "CSRF check Failed":
            message = (
                "Écriture refusée : avec une session, envoyez le jeton CSRF de la page (en-tête X-CSRFToken) ; "
                "un programme utilise plutôt un jeton personnel."
            )
        reponse = erreur(api, request, exc.status_code, message)
        if exc.status_code == 401:
            reponse["WWW-Authenticate"] = 'Bearer realm="ctg"'
        return reponse

    def introuvable(request, exc: Http404):
        texte = str(exc)
        return erreur(api, request, 404, texte if texte and "docs_url" not in texte else MESSAGES[404])

    def interdit(request, exc: PermissionDenied):
        return erreur(api, request, 403, str(exc) or MESSAGES[403])

    def validation(request, exc: ValidationError):
        details = [{"champ": _lieu(e), "message": e.get("msg", "")} for e in exc.errors]
        champs = ", ".join(d["champ"] for d in details if d["champ"]) or "la requête"
        return erreur(api, request, 422, f"Paramètres invalides : {champs}.", erreurs=details)

    def changement(request, exc: ChangementImpossible):
        return erreur(api, request, 403 if isinstance(exc, PermissionRefusee) else 409, str(exc))

    api.add_exception_handler(HttpError, http)
    api.add_exception_handler(Http404, introuvable)
    api.add_exception_handler(PermissionDenied, interdit)
    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(ChangementImpossible, changement)


# The errors every operation may answer, documented in the OpenAPI schema (``documenter``) so that a client — and
# schemathesis — knows them: the French messages above, with their stable code.
DESCRIPTIONS = {
    401: "Authentification requise, ou jeton inconnu ou révoqué.",
    403: "Votre rôle (ou un jeton en lecture seule) ne permet pas cette action.",
    404: "Ressource introuvable, ou hors de vos conventions.",
    422: "Paramètres invalides (la liste des champs en cause dans « erreurs »).",
    429: "Trop de requêtes pour ce jeton.",
}


def documenter(schema: dict) -> dict:
    """Add to every operation of the OpenAPI ``schema`` the error responses it may give (``Erreur`` JSON): 401 and
    429 always, 404 with a path parameter, 422 with any parameter or body, 403 for a write."""
    from .schemas import Erreur

    composants = schema.setdefault("components", {}).setdefault("schemas", {})
    composants.setdefault("Erreur", Erreur.model_json_schema(ref_template="#/components/schemas/{model}"))
    contenu = {"application/json": {"schema": {"$ref": "#/components/schemas/Erreur"}}}
    for chemin in schema.get("paths", {}).values():
        for methode, operation in chemin.items():
            parametres = operation.get("parameters", [])
            statuts = [401, 429]
            if any(p.get("in") == "path" for p in parametres):
                statuts.append(404)
            if parametres or "requestBody" in operation:
                statuts.append(422)
            if methode != "get":
                statuts.append(403)
            reponses = operation.setdefault("responses", {})
            for statut in statuts:
                if statut not in reponses and str(statut) not in reponses:  # the operation's own (int keys) win
                    reponses[str(statut)] = {"description": DESCRIPTIONS[statut], "content": contenu}
    return schema
