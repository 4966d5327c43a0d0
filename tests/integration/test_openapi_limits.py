"""The OpenAPI document is the contract (issue 19): its limits are the validators' own constants, every
refusal is described, and each limit, walked at and just past its boundary through both the JSON API
and the form at /, gets the documented answer (accepted; or a 422 naming the field, the form's inline
error)."""

from __future__ import annotations

import itertools
import json
import re
from urllib.parse import urlencode

import pytest

from local.world import REQUEST
from warm_intro.domain.validation import ABOUT_MAX, BLURB_MAX, BLURB_MIN, EMAIL_MAX, NAME_MAX

_ips = itertools.count(1)


def source() -> str:
    n = next(_ips)
    return f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"


def document(world) -> dict:
    answer = world.get("/docs?format=json")
    assert answer.status == 200
    return answer.json()


def limits(doc: dict) -> dict[tuple[str, str], int]:
    """Every minLength/maxLength on the request body's strings, by dotted field path."""
    schemas = doc["components"]["schemas"]
    found: dict[tuple[str, str], int] = {}

    def walk(schema: dict, path: str) -> None:
        if "$ref" in schema:
            return walk(schemas[schema["$ref"].rsplit("/", 1)[1]], path)
        for option in schema.get("anyOf", []):
            walk(option, path)
        for name, sub in schema.get("properties", {}).items():
            walk(sub, f"{path}.{name}" if path else name)
        for bound in ("minLength", "maxLength"):
            if bound in schema:
                found[(path, bound)] = schema[bound]

    (media,) = doc["paths"]["/intros"]["post"]["requestBody"]["content"].values()
    walk(media["schema"], "")
    return found


def test_the_schema_limits_are_the_validators_constants(world):
    assert limits(document(world)) == {
        ("requester.name", "maxLength"): NAME_MAX,
        ("requester.email", "maxLength"): EMAIL_MAX,
        ("connector_email", "maxLength"): EMAIL_MAX,
        ("acquaintance", "maxLength"): ABOUT_MAX,
        ("target.name", "maxLength"): NAME_MAX,
        ("target.email", "maxLength"): EMAIL_MAX,
        ("target.about", "maxLength"): ABOUT_MAX,
        ("blurb", "minLength"): BLURB_MIN,
        ("blurb", "maxLength"): BLURB_MAX,
    }


def test_every_refusal_is_described_with_a_problem_body(world):
    doc = document(world)
    responses = doc["paths"]["/intros"]["post"]["responses"]
    assert {"400", "413", "415", "422", "429"} <= set(responses)
    for status in ("400", "413", "415", "422", "429"):
        (media,) = responses[status]["content"].values()
        assert media["schema"] == {"$ref": "#/components/schemas/Problem"}, status
    problem = doc["components"]["schemas"]["Problem"]
    assert set(problem["required"]) == {"message"}
    field = doc["components"]["schemas"][problem["properties"]["errors"]["items"]["$ref"].rsplit("/", 1)[1]]
    assert set(field["required"]) == {"field", "message"}


def email_of_length(n: int) -> str:
    """A valid address of exactly n characters: a 64-character local part, then labels of at most 63."""
    local, rest = "a" * 64, n - 65 - len(".org")  # rest: the labels and the dots between them
    labels = []
    while rest > 63:
        take = min(63, rest - 2)  # leave at least one character after the dot
        labels.append("b" * take)
        rest -= take + 1
    labels.append("b" * rest)
    address = f"{local}@{'.'.join(labels)}.org"
    assert len(address) == n, (n, len(address))
    return address


def value_of_length(field: str, n: int) -> str:
    if field.endswith("email"):
        return email_of_length(n)
    return "x" * n  # names, about and the blurb: any letters


def with_field(field: str, value: str) -> dict:
    body = json.loads(json.dumps(REQUEST))
    *parents, leaf = field.split(".")
    node = body
    for parent in parents:
        node = node[parent]
    node[leaf] = value
    return body


FORM_NAMES = {
    "requester.name": "requester_name",
    "requester.email": "requester_email",
    "connector_email": "connector_email",
    "acquaintance": "acquaintance",
    "target.name": "target_name",
    "target.email": "target_email",
    "target.about": "target_about",
    "blurb": "blurb",
}


def as_form(body: dict) -> dict[str, str]:
    flat = {
        "requester.name": body["requester"]["name"],
        "requester.email": body["requester"]["email"],
        "connector_email": body["connector_email"],
        "acquaintance": body.get("acquaintance") or "",
        "target.name": body["target"]["name"],
        "target.email": body["target"].get("email") or "",
        "target.about": body["target"].get("about") or "",
        "blurb": body["blurb"],
    }
    return {FORM_NAMES[k]: v for k, v in flat.items()}


def boundaries(world):
    for (field, bound), limit in sorted(limits(document(world)).items()):
        inside, outside = (limit, limit + 1) if bound == "maxLength" else (limit, limit - 1)
        yield field, inside, outside


@pytest.mark.parametrize("door", ["api", "form"])
def test_each_limit_at_and_just_past_its_boundary_gets_the_documented_answer(world, door):
    walked = 0
    for field, inside, outside in boundaries(world):
        for length, accepted in ((inside, True), (outside, False)):
            body = with_field(field, value_of_length(field, length))
            if door == "api":
                answer = world.post_json("/intros", json.dumps(body), source_ip=source())
                if accepted:
                    assert answer.status == 202, (field, length, answer.text)
                else:
                    assert answer.status == 422, (field, length, answer.text)
                    assert field in [e["field"] for e in answer.json()["errors"]], (field, answer.text)
            else:
                answer = world.request(
                    "POST",
                    "/",
                    headers={"content-type": "application/x-www-form-urlencoded"},
                    body=urlencode(as_form(body)).encode(),
                    source_ip=source(),
                )
                if accepted and (hinted := re.search(r'name="coached" value="(\w+)"', answer.text)):
                    # The note coach's hints come first, never a block: the same text sent again goes.
                    answer = world.request(
                        "POST",
                        "/",
                        headers={"content-type": "application/x-www-form-urlencoded"},
                        body=urlencode({**as_form(body), "coached": hinted.group(1)}).encode(),
                        source_ip=source(),
                    )
                if accepted:
                    assert answer.status == 200 and "Check your email" in answer.text, (field, length)
                else:
                    assert answer.status == 422, (field, length)
                    assert f'id="{FORM_NAMES[field]}-error"' in answer.text, (field, length)
            walked += 1
    assert walked == 18  # nine limits, each at and just past its boundary
