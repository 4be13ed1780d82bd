"""What the API sends and receives (the OpenAPI schema is built from these). Labels come from the models' choices:
every code (``statut``) is sent with its French label (``statut_libelle``). One module per part of the product, as
the routes are; every schema is reached here (``schemas.Fiche``)."""

from .comite import *  # noqa: F403
from .commun import *  # noqa: F403
from .comptes import *  # noqa: F403
from .conventions import *  # noqa: F403
from .diagnostic import *  # noqa: F403
from .financement import *  # noqa: F403
from .plan import *  # noqa: F403
from .territoires import *  # noqa: F403
