"""The API against its own OpenAPI schema (schemathesis, in process through the WSGI application, on the test
database): for an anonymous caller and a read-only token of each demo role, no 5xx, every status code documented,
every response as the schema describes it (status, content type, body).

Each operation runs a few generated examples (hypothesis, derandomized: the same examples on every run), each sent
as generated — mostly unknown identifiers, anonymously and with one token — and again with the identifiers of the
reference convention (its pk, fiche, meeting, the CA de Cambrai's SIREN, an indicator) with every caller, so that
real data are checked against the schema too. The calls only read: the write operation is sent with read-only
tokens (403) or anonymously (401)."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from ctg.demo.comptes import COMPTES_DEMO
from ctg.wsgi import application

from .conftest import CA_CAMBRAI

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
# Examples of the schema and generated cases (valid and invalid); the "coverage" phase (every boundary of every
# parameter, hundreds of calls per operation) is left to a manual run: `schemathesis run` against a server.
schema.config.phases.update(phases=["examples", "fuzzing"])

VERIFICATIONS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def connexion_gardee():
    """The WSGI handler closes the database connection after each request; the test's transaction must outlive
    them (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def appelants(connexion_gardee, reference, jeton_de, settings):
    """The Authorization header of each caller: anonymous, then a read-only token of each demo role."""
    settings.CTG_API_DEBIT = "100000/min"
    return [{}] + [{"Authorization": f"Bearer {jeton_de(c[0])}"} for c in COMPTES_DEMO]


def _identifiants_reels(case, reference):
    reels = {
        "pk": reference.pk,
        "fiche": reference.fiche.pk,
        "reunion": reference.reunion.pk,
        "code": CA_CAMBRAI,
        "indicateur": "foyers_allocataires",
    }
    return {nom: reels.get(nom, valeur) for nom, valeur in (case.path_parameters or {}).items()}


@pytest.mark.django_db
@pytest.mark.une_base("sqlite")  # the API's own tests (tests/api/test_api.py) run on both databases
@schema.parametrize()
@settings(
    max_examples=4,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_conforme_a_son_schema(case, appelants, reference):
    # The caller is ours: no generated credentials (Authorization header, session cookie).
    case.headers = {k: v for k, v in (case.headers or {}).items() if k.lower() != "authorization"}
    case.cookies = {}
    # Generated values: anonymously, and for reads with a token; with identifiers in the path (mostly unknown ones,
    # a 404 for every role) one token is enough, each role's token being sent below with the real identifiers.
    jetons = appelants[1:] if not case.path_parameters else appelants[1:2]
    for entetes in [appelants[0], *(jetons if case.method == "GET" else [])]:
        case.call_and_validate(headers=entetes, checks=VERIFICATIONS)
    if case.path_parameters:
        case.path_parameters = _identifiants_reels(case, reference)
        for entetes in appelants:
            case.call_and_validate(headers=entetes, checks=VERIFICATIONS)
