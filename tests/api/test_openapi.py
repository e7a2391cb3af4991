"""Schemathesis against the app's own OpenAPI schema: no server errors, responses as documented,
and the schema and the behaviour agree.

The app runs in-process (ASGI transport, no network) on a SQLite copy of the test template holding
the small fixture region, with an admin's bearer token on every request. Each operation gets a
bounded, derandomised set of generated requests, valid (positive) and invalid (negative), checked
for no 5xx, status codes, content types and bodies matching the schema; every request the schema
forbids must be refused (4xx), and a request it allows must not be refused with 400 or 422,
except on the operations in ``RULES_BEYOND_THE_SCHEMA``, whose rules a schema cannot state.

Excluded, and why:
- ``POST /login``: an HTML form protected by a CSRF cookie/token pair that generated data cannot
  carry, so every generated post is (correctly) refused with 403, and failed attempts feed the
  login rate limiter; ``tests/api/test_auth.py`` covers it.

Kept: ``POST /logout`` (with a bearer token it revokes nothing; only a session cookie's token is
revoked), ``POST /imports`` (random uploads, refused as unreadable). The pages and /docs are not
in the schema. SQLite only: the API layer is the same on PostgreSQL, and one store keeps it fast
(15 examples per operation plus schemathesis' coverage phase: ~20 s).
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.python.asgi import shutdown_lifespans
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from api import create_app
from api.routers.imports import get_normaliser
from matching.access import tokens
from matching.access import users as security
from matching.exchange.importing import import_paths
from matching.settings import Settings
from matching.store.db import make_engine, make_session_factory

REGION_SMALL = Path(__file__).parents[1] / "fixtures" / "region_small"
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
RULES_BEYOND_THE_SCHEMA = {
    "/acquisition/funnel": "the period's start must not lie after its end",
    "/employers/white-spots": "the municipality, region and SBI section must exist",
    "/employers/white-spots.xlsx": "the municipality, region and SBI section must exist",
    "/imports": "a file must be one of the six exchange files, readable",
    "/acquisition/contacts": "the date must lie in the configured plausible window",
    "/vacancies/{vacancy_id}/proposals/{candidate_id}": "a plausible start; an open position",
    "/vum/v3/werkzoekendeProfielen/matches": "a zoekvraag names known fields and operators only, "
    "and its postcode area exists",
    "/vum/v3/vacatures/matches": "a zoekvraag names known fields and operators only, and its "
    "postcode area exists",
}
"""Operations whose schema-valid requests can still be refused with 422 (or 400), and why."""


@pytest.fixture(scope="module")
def fuzzed(sqlite_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The schema loaded from a started app (fixture region, one admin token) and the token."""
    folder = tmp_path_factory.mktemp("openapi")
    shutil.copyfile(sqlite_template, folder / "werkmatch.db")
    url = f"sqlite:///{folder / 'werkmatch.db'}"
    engine = make_engine(url=url)
    sessions = make_session_factory(engine)
    import_paths(sessions, [REGION_SMALL])
    with sessions.begin() as session:
        codes = ["GM0537", "GM0546", "GM0575"]
        security.create_organisation(session, "org", name="Test", municipality_codes=codes)
        security.create_user(session, "fuzz-admin", role="admin", organisation_id="org")
        token = tokens.issue_token(session, "fuzz-admin", lifetime=dt.timedelta(days=1)).token
    engine.dispose()
    app = create_app(Settings(database_url=url, var_dir=folder))
    app.dependency_overrides[get_normaliser] = lambda: None  # the normaliser has its own tests
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    schema.config.update(headers={"Authorization": f"Bearer {token}"}, request_timeout=60)
    schema.config.generation.update(modes=[GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
    yield schema
    shutdown_lifespans()  # the app's lifespan was started by schemathesis; dispose its engine


schema = schemathesis.pytest.from_fixture("fuzzed").exclude(method="POST", path="/login")


@schema.parametrize()
@settings(
    max_examples=10,
    derandomize=True,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a failure is reported as found
    suppress_health_check=list(HealthCheck),
)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    beyond = case.operation.path in RULES_BEYOND_THE_SCHEMA
    case.call_and_validate(checks=CHECKS if beyond else [*CHECKS, positive_data_acceptance])
