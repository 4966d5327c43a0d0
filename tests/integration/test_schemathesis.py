"""Schemathesis against the OpenAPI document the intake function serves (GET /docs?format=json), in
process: a small WSGI adapter puts the local gateway (the template's routes, the real handlers, moto)
behind it. Valid and invalid requests alike: never a 5xx, every answer as the document says, and
every invalid request refused with a 4xx."""

from __future__ import annotations

import itertools
from http import HTTPStatus

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import negative_data_rejection, response_schema_conformance

from local.world import REQUEST

from .test_proposals import PROPOSAL

EXAMPLES = {"POST /intros": REQUEST, "POST /proposals": PROPOSAL}  # one documented body per operation

CHECKS = [not_a_server_error, response_schema_conformance, negative_data_rejection]


def wsgi(world):
    """Each call from its own address, so the per-address rate limit is not what every answer says."""
    addresses = itertools.count(1)

    def app(environ, start_response):
        size = int(environ.get("CONTENT_LENGTH") or 0)
        body = environ["wsgi.input"].read(size) if size else b""
        headers = {k[5:].replace("_", "-").lower(): v for k, v in environ.items() if k.startswith("HTTP_")}
        if environ.get("CONTENT_TYPE"):
            headers["content-type"] = environ["CONTENT_TYPE"]
        n = next(addresses)
        answer = world.gateway.request(
            environ["REQUEST_METHOD"],
            environ["PATH_INFO"],
            query=environ.get("QUERY_STRING", ""),
            headers=headers,
            body=body,
            source_ip=f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}",
        )
        start_response(f"{answer.status} {HTTPStatus(answer.status).phrase}", list(answer.headers.items()))
        return [answer.body]

    return app


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_the_api_keeps_its_documented_promises(world, mode):
    schema = schemathesis.openapi.from_wsgi("/docs?format=json", wsgi(world))
    operations = [result.ok() for result in schema.get_all_operations()]
    assert sorted(op.label for op in operations) == sorted(EXAMPLES)
    calls = []

    for operation in operations:

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=60, deadline=None, database=None, suppress_health_check=list(HealthCheck))
        def run(case):
            response = case.call_and_validate(checks=CHECKS)
            calls.append(response.status_code)

        run()
        # The documented example, through the same checks, is taken: the generated "valid" bodies are
        # mostly refused, because the domain's rules (real addresses, a real blurb) are stricter than
        # the schema can say.
        example = operation.Case(body=EXAMPLES[operation.label], media_type="application/json")
        assert example.call_and_validate(checks=CHECKS).status_code == 202
    assert len(calls) >= 20 * len(EXAMPLES)
    assert set(calls) <= {202, 400, 413, 415, 422, 429}  # each documented, each a Problem
