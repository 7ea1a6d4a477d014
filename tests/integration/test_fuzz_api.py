"""Schemathesis against the API's own OpenAPI document: generated requests never get a 5xx, and every
answer matches the document (status codes, content types, bodies).

A bounded run for the test suite; ``bench/fuzz_api.py`` runs longer. The server queues tasks but runs
none (``max_running=0``): the fuzzer exercises the API, not the browser.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from homebody.server.app import openapi_schema
from tests.integration.test_api_support import Api, api_server

EXAMPLES = 12
schema = schemathesis.openapi.from_dict(openapi_schema())


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    with api_server(tmp_path_factory.mktemp("fuzz") / "data", max_running=0) as api:
        yield api


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_the_api_answers_every_generated_request_as_documented(case: schemathesis.Case, api: Api) -> None:
    # Schema-valid bodies may still be refused for what a schema cannot say (steps that do not parse,
    # a model not on this machine, profile and ephemeral both given): no "positive data" check.
    case.call_and_validate(base_url=api.url, headers=api.auth, timeout=30, excluded_checks=[positive_data_acceptance])
