"""schemathesis against the live server's own OpenAPI schema, bounded: no 5xx, and every
response matches what the schema says (status codes, content types, bodies)."""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, Phase, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from assistant.api.app import create_app

MAX_EXAMPLES = int(os.environ.get("VIXSHIELD_SCHEMATHESIS_EXAMPLES", "12"))


# The schema the app itself publishes at /openapi.json (built here without starting
# anything, so pytest can collect one test per operation); requests go to the live server.
schema = schemathesis.openapi.from_dict(create_app().openapi())


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=os.environ.get("VIXSHIELD_SCHEMATHESIS_RANDOM") is None,
    database=None,
    phases=[Phase.explicit, Phase.generate],
    suppress_health_check=list(HealthCheck),
)
def test_no_server_errors(case, server):
    case.call_and_validate(
        base_url=server.base_url,
        checks=[not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance],
        timeout=60,
    )
