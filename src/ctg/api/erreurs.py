"""Every error of the API as JSON ``{"code": "…", "message": "<en français>"}``, with a stable code per kind."""

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig
from django.http import Http404
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from ctg.concurrence import VersionPerimee
from ctg.conventions.cycle import TransitionImpossible
from ctg.gouvernance.decisions import DecisionImpossible
from ctg.plan.cycle import ChangementImpossible, PermissionRefusee

CODES = {
    400: "requete_invalide",
    401: "non_authentifie",
    403: "interdit",
    404: "introuvable",
    405: "methode_non_permise",
    409: "changement_impossible",
    413: "trop_volumineux",
    422: "validation",
    429: "trop_de_requetes",
}
MESSAGES = {
    400: "Corps de la requête illisible : envoyez un objet JSON (en-tête « Content-Type: application/json »).",
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
    """Where the error is: the parameter, or the field of the body (without the name of the body's parameter)."""
    lieu = list(erreur.get("loc", ()))
    if lieu[:1] == ["body"]:
        lieu = lieu[2:]
    return " → ".join(str(p) for p in lieu if p not in ("query", "path"))


# What a value refused by the schema (pydantic's error types) lacks, in French; ``{…}`` from the error's context.
MESSAGES_VALIDATION = {
    "missing": "obligatoire",
    "json_invalid": "JSON illisible",
    "model_attributes_type": "objet JSON attendu",
    "dict_type": "objet JSON attendu",
    "list_type": "liste attendue",
    "string_type": "texte attendu",
    "float_parsing": "nombre attendu",
    "float_type": "nombre attendu",
    "finite_number": "nombre fini attendu",
    "decimal_parsing": "nombre attendu",
    "decimal_type": "nombre attendu",
    "decimal_max_digits": "{max_digits} chiffres au plus",
    "decimal_max_places": "{decimal_places} décimales au plus",
    "decimal_whole_digits": "{whole_digits} chiffres au plus avant la virgule",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "int_from_float": "nombre entier attendu",
    "bool_parsing": "true ou false attendu",
    "bool_type": "true ou false attendu",
    "date_parsing": "date attendue, au format AAAA-MM-JJ",
    "date_type": "date attendue, au format AAAA-MM-JJ",
    "date_from_datetime_parsing": "date attendue, au format AAAA-MM-JJ",
    "date_from_datetime_inexact": "date attendue, au format AAAA-MM-JJ, sans heure",
    "enum": "valeur inconnue ; valeurs permises : {expected}",
    "literal_error": "valeur inconnue ; valeurs permises : {expected}",
    "greater_than_equal": "{ge} au moins",
    "less_than_equal": "{le} au plus",
    "greater_than": "plus de {gt} attendu",
    "less_than": "moins de {lt} attendu",
    "string_too_long": "{max_length} caractères au plus",
    "string_too_short": "{min_length} caractère(s) au moins",
    "extra_forbidden": "champ inconnu",
}


def message_validation(erreur: dict) -> str:
    """The French message of one validation error (pydantic's, or one of ours that carries its ``msg``)."""
    modele = MESSAGES_VALIDATION.get(erreur.get("type", ""))
    if modele is None:
        return erreur.get("msg") if erreur.get("type") == "formulaire" else "valeur invalide"
    try:
        return modele.format(**{k: str(v).replace("'", "") for k, v in (erreur.get("ctx") or {}).items()})
    except (KeyError, IndexError):
        return modele.split(" ; ")[0]


def formulaire_valide(formulaire, lieu: tuple = ("body", "corps"), noms: dict | None = None) -> dict:
    """The data of a page's form (its rules: lengths, characters, bounds, plausible dates) checked for the API:
    its ``cleaned_data``, or a 422 naming each field (``noms``: the API's name of a form's field) with the form's
    French message."""
    if formulaire.is_valid():
        return formulaire.cleaned_data
    noms = noms or {}
    raise ValidationError(
        [
            {
                "type": "formulaire",
                "loc": (*lieu, *([noms.get(champ, champ)] if champ != "__all__" else [])),
                "msg": " ".join(textes),
            }
            for champ, textes in formulaire.errors.items()
        ]
    )


def formulaire_et_lignes_valides(form, lignes: list[tuple], formset, lieu_liste: tuple, erreurs=()) -> None:
    """A page's form and the forms of its lines (``lignes``: each with its place, ``lieu``) checked together, as
    the page saves them together: one 422 naming every field of the form and of every line, then the list's own
    errors (``lieu_liste``), with ``erreurs`` found before; nothing when all are valid."""
    erreurs = list(erreurs)
    for formulaire, lieu in [(form, ("body", "corps")), *lignes]:
        try:
            formulaire_valide(formulaire, lieu=lieu)
        except ValidationError as exc:
            erreurs += exc.errors
    if not formset.is_valid() and formset.non_form_errors():
        erreurs.append({"type": "formulaire", "loc": lieu_liste, "msg": " ".join(formset.non_form_errors())})
    if erreurs:
        raise ValidationError(erreurs)


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
        elif exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = MESSAGES[400]
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
        details = [{"champ": _lieu(e), "message": message_validation(e)} for e in exc.errors]
        champs = ", ".join(d["champ"] for d in details if d["champ"]) or "la requête"
        return erreur(api, request, 422, f"Paramètres invalides : {champs}.", erreurs=details)

    def changement(request, exc: ChangementImpossible | TransitionImpossible | DecisionImpossible):
        return erreur(api, request, 403 if isinstance(exc, PermissionRefusee) else 409, str(exc))

    def perimee(request, exc: VersionPerimee):  # the record changed since the caller read it: what changed
        return erreur(api, request, 409, " ".join(exc.messages), code="version_perimee")

    def trop_gros(request, exc: RequestDataTooBig):
        limite = f"{settings.DATA_UPLOAD_MAX_MEMORY_SIZE / 1024 / 1024:.1f}".replace(".", ",")
        message = f"Requête trop volumineuse : au plus {limite} Mo de données, fichiers joints à part."
        return erreur(api, request, 413, message)

    api.add_exception_handler(HttpError, http)
    api.add_exception_handler(RequestDataTooBig, trop_gros)
    api.add_exception_handler(Http404, introuvable)
    api.add_exception_handler(PermissionDenied, interdit)
    api.add_exception_handler(ValidationError, validation)
    api.add_exception_handler(ChangementImpossible, changement)
    api.add_exception_handler(TransitionImpossible, changement)
    api.add_exception_handler(DecisionImpossible, changement)
    api.add_exception_handler(VersionPerimee, perimee)


# The errors every operation may answer, documented in the OpenAPI schema (``documenter``) so that a client — and
# schemathesis — knows them: the French messages above, with their stable code.
DESCRIPTIONS = {
    400: "Corps de la requête illisible (pas du JSON).",
    401: "Authentification requise, ou jeton inconnu ou révoqué.",
    403: "Votre rôle (ou un jeton en lecture seule) ne permet pas cette action.",
    404: "Ressource introuvable, ou hors de vos conventions.",
    413: "Requête trop volumineuse.",
    422: "Paramètres invalides (la liste des champs en cause dans « erreurs »).",
    429: "Trop de requêtes pour ce jeton.",
}


def documenter(schema: dict) -> dict:
    """Add to every operation of the OpenAPI ``schema`` the error responses it may give (``Erreur`` JSON): 401 and
    429 always, 404 with a path parameter, 422 with any parameter or body, 400 with a body, 403 for a write."""
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
            if "requestBody" in operation:
                statuts += [400, 413]
            if methode != "get":
                statuts.append(403)
            reponses = operation.setdefault("responses", {})
            for statut in statuts:
                if statut not in reponses and str(statut) not in reponses:  # the operation's own (int keys) win
                    reponses[str(statut)] = {"description": DESCRIPTIONS[statut], "content": contenu}
    return schema
