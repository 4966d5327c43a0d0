"""No enumeration: whoever the connector or target is, and whatever their limits, the public answer to a
new request is the same bytes: status, headers and body, for the JSON API and for the HTML form."""

from __future__ import annotations

import json
from html import escape
from urllib.parse import urlencode

from local.world import REQUEST
from warm_intro import runtime
from warm_intro.domain.hashing import address_hash


def cases(world) -> dict[str, dict]:
    """One request per situation the caller must not be able to tell apart."""
    hashed = lambda email: address_hash(email, world.settings.hash_key)
    runtime.repository().suppress(hashed("optedout@example.org"), "opted_out", world.now)
    runtime.repository().put_member("optedout@example.org", "Olive Out")
    runtime.repository().suppress(hashed("gone@example.net"), "opted_out", world.now)
    for n in range(2):  # Katherine's week is full (2 asks, the default cap)
        runtime.repository().put_member(f"r{n}@example.org", f"Requester {n}")
        world.ask(
            requester={"name": f"Requester {n}", "email": f"r{n}@example.org"},
            connector_email="katherine@example.org",
            target={"name": f"T {n}", "email": f"t{n}@example.net"},
        )
        world.deliver()
        assert world.post_form(world.last_link(f"r{n}@example.org"), {"decision": "confirm"}).status == 200
    world.deliver()
    assert len(world.mail_to("katherine@example.org")) == 2  # her week really is full
    return {
        "member": REQUEST,
        "non-member": {**REQUEST, "connector_email": "stranger@example.com"},
        "opted-out connector": {**REQUEST, "connector_email": "optedout@example.org"},
        "capped connector": {**REQUEST, "connector_email": "katherine@example.org"},
        "opted-out target": {**REQUEST, "target": {"name": "Gone", "email": "gone@example.net"}},
        "requester not a member": {**REQUEST, "requester": {"name": "Eve", "email": "eve@example.com"}},
    }


def test_the_api_answers_every_request_with_the_same_bytes(world):
    answers = {
        name: world.post_json("/intros", json.dumps(body), source_ip=f"203.0.113.{n}")
        for n, (name, body) in enumerate(cases(world).items())
    }
    first = answers["member"]
    assert first.status == 202
    for name, answer in answers.items():
        assert (answer.status, answer.headers, answer.body) == (first.status, first.headers, first.body), name


def test_the_form_answers_every_request_with_the_same_page(world):
    def form(body: dict) -> bytes:
        return urlencode(
            {
                "requester_name": body["requester"]["name"],
                "requester_email": body["requester"]["email"],
                "connector_email": body["connector_email"],
                "target_name": body["target"]["name"],
                "target_email": body["target"].get("email", ""),
                "blurb": body["blurb"],
            }
        ).encode()

    requests = cases(world)
    answers = {
        name: world.request(
            "POST",
            "/",
            headers={"content-type": "application/x-www-form-urlencoded"},
            body=form(body),
            source_ip=f"203.0.113.{n}",
        )
        for n, (name, body) in enumerate(requests.items())
    }
    # The page names the address the confirmation went to: the requester's own, as they typed it. Beyond
    # that, nothing in the answer may depend on who the connector or target is.
    bodies = {
        name: answers[name].body.replace(
            escape(body["requester"]["email"]).encode(), b"<the requester's address>"
        )
        for name, body in requests.items()
    }
    first = answers["member"]
    assert first.status == 200
    for name, answer in answers.items():
        assert (answer.status, answer.headers, bodies[name]) == (
            first.status,
            first.headers,
            bodies["member"],
        ), name
