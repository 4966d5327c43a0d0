"""Hostile input at every door: bytes that are not UTF-8, bodies far too big, scripts in the blurb and
the note, CR/LF in an address. The answer is a clear 4xx or safely escaped text, never a 500, and a
refusal writes nothing."""

from __future__ import annotations

import json

import pytest

from local.world import REQUEST

from .steps import ALAN, GRACE, awaiting_connector
from .test_link_safety import snapshot

SCRIPT = "<script>alert('x')</script><img src=x onerror=alert(1)>"
FORM = {"content-type": "application/x-www-form-urlencoded"}


@pytest.mark.parametrize("body", [b"\xff\xfe\xfa not utf-8 \x80", b'{"requester": "\xc3\x28"}', b"\x00" * 64])
def test_bytes_that_are_not_utf8_get_a_4xx_everywhere(world, body):
    awaiting_connector(world)
    before = snapshot(world)
    answers = [
        world.request("POST", "/intros", headers={"content-type": "application/json"}, body=body),
        world.request("POST", "/", headers=FORM, body=body),
        world.request(
            "POST", world.last_link(GRACE).removeprefix("https://intros.example.org"), headers=FORM, body=body
        ),
    ]
    assert all(400 <= a.status < 500 for a in answers), [(a.status, a.body[:80]) for a in answers]
    assert snapshot(world) == before


def test_oversize_bodies_are_refused_clearly(world):
    huge = {**REQUEST, "blurb": "x" * 1_000_000}
    answer = world.post_json("/intros", json.dumps(huge))
    assert answer.status == 413 and "64 KB" in answer.json()["message"]  # a body no valid request comes near
    over = world.post_json("/intros", json.dumps({**REQUEST, "blurb": "x" * 1201}))
    assert over.status == 422 and over.json()["errors"][0]["field"] == "blurb"
    form = world.request("POST", "/", headers=FORM, body=b"blurb=" + b"y" * 1_000_000)
    assert form.status == 413 and "text/html" in form.headers["content-type"]
    awaiting_connector(world)
    before = snapshot(world)
    page = world.post_form(world.last_link(GRACE), {"decision": "approve", "note": "z" * 100_000})
    assert page.status == 413 and "text/html" in page.headers["content-type"]
    page = world.post_form(world.last_link(GRACE), {"decision": "approve", "note": "z" * 1001})
    assert page.status == 422 and "1000 characters at most" in page.text
    assert snapshot(world) == before


def test_scripts_in_the_blurb_are_shown_as_text_on_every_page(world):
    intro_id = awaiting_connector(world, blurb=f"Hello {SCRIPT} I would like twenty minutes of Alan's time.")
    assert SCRIPT in world.intro(intro_id).blurb  # stored as written; escaped wherever it is shown
    review = world.get(world.last_link(GRACE))
    assert review.status == 200 and "<script>" not in review.text and "&lt;script&gt;" in review.text
    assert "<img" not in review.text
    assert world.post_form(world.last_link(GRACE), {"decision": "approve"}).status == 200
    world.deliver()
    consent = world.get(world.last_link(ALAN))
    assert consent.status == 200 and "<script>" not in consent.text and "&lt;script&gt;" in consent.text
    assert "<img" not in consent.text


def test_a_note_with_html_reaches_the_target_escaped(world):
    awaiting_connector(world)
    assert world.post_form(world.last_link(GRACE), {"decision": "approve", "note": SCRIPT}).status == 200
    world.deliver()
    page = world.get(world.last_link(ALAN))
    assert "<script>" not in page.text and "&lt;script&gt;" in page.text


@pytest.mark.parametrize(
    "address",
    [
        "alan@example.net\r\nBcc: victim@example.com",
        "alan@example.net\nX: y",
        "<alan@example.net>",
        "alan@exa mple.net",
    ],
)
def test_an_address_with_line_breaks_or_brackets_is_refused_on_the_connectors_page(world, address):
    awaiting_connector(world, target={"name": "Alan Turing"})
    before = snapshot(world)
    page = world.post_form(world.last_link(GRACE), {"decision": "approve", "target_email": address})
    assert page.status == 422 and "look like an email address" in page.text
    assert snapshot(world) == before
