"""Version 1 of the JSON API (django-ninja): ``/api/v1/``, its OpenAPI 3 schema at ``/api/v1/openapi.json`` and
its documentation at ``/api/v1/docs`` (Swagger UI served from the product's static files: no CDN, no inline
script, within the Content Security Policy)."""

from ninja import NinjaAPI, Router
from ninja.openapi.docs import Swagger

from . import erreurs, schemas
from .routes import (
    conventions,
    diagnostic,
    financement,
    gouvernance,
    plan,
    plan_adoption,
    plan_indicateurs,
    territoires,
)
from .securite import AUTHENTIFICATION, DebitParJeton

DESCRIPTION = """Les données d'une Convention territoriale globale, avec les mêmes droits que les pages :
chaque convention n'est visible que de qui y a un rôle (sinon 404).

Authentification : un jeton personnel créé sur la page « Jetons d'API » (`/api/jetons/`), envoyé dans l'en-tête
`Authorization: Bearer <jeton>` ; ou, depuis cette page de documentation, votre session (connectez-vous d'abord).

Erreurs : `{"code": "…", "message": "…"}` — `non_authentifie` (401), `interdit` (403), `introuvable` (404),
`changement_impossible` (409), `version_perimee` (409 : la donnée a changé depuis que vous l'avez lue),
`requete_invalide` (400 : corps illisible), `trop_volumineux` (413), `validation` (422, avec chaque champ en
cause et son message), `trop_de_requetes` (429)."""


class Api(NinjaAPI):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._schemas: dict[str, dict] = {}

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: dict | None = None):
        """The schema ninja builds, with the error responses of every operation (``erreurs.documenter``). The
        operations do not change while the process runs: it is built once per path prefix (150 ms each time) and the
        same schema, never changed afterwards, answers every request."""
        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        if path_prefix not in self._schemas:
            self._schemas[path_prefix] = erreurs.documenter(super().get_openapi_schema(path_prefix=path_prefix))
        return self._schemas[path_prefix]


api = Api(
    title="CTG — API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",
    auth=AUTHENTIFICATION,
    throttle=[DebitParJeton()],
    docs=Swagger(settings={"persistAuthorization": False}),
    docs_url="/docs",
    openapi_url="/openapi.json",
)
erreurs.installer(api)

moi_router = Router(tags=["Compte"])


@moi_router.get("/moi", response=schemas.Moi, url_name="moi", summary="Qui appelle")
def moi(request):
    """Qui appelle : l'identifiant du compte et le jeton utilisé."""
    jeton = getattr(request, "jeton_api", None)
    return {
        "identifiant": request.user.get_username(),
        "jeton": jeton.nom if jeton else None,
        "ecriture": jeton.ecriture if jeton else True,
        "derniere_utilisation": jeton.dernier_usage if jeton else None,
    }


api.add_router("", moi_router)
for module in (territoires, conventions, diagnostic, plan, plan_indicateurs, plan_adoption, gouvernance, financement):
    api.add_router("", module.router)
