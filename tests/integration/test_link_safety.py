"""Link safety: fetching any link, however often, changes nothing (the whole table compared byte for
byte); tampered, expired, reused, cross-intro and wrong-purpose tokens are refused with no write; and
every page carries its security headers."""

from __future__ import annotations

import json

import pytest

from local.world import REQUEST
from warm_intro import runtime

from .steps import ADA, ALAN, GRACE, awaiting_connector, awaiting_target, introduced, unconfirmed

HEADERS = {
    "referrer-policy": "no-referrer",
    "x-frame-options": "DENY",
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
}


def snapshot(world) -> bytes:
    items = runtime.client("dynamodb").scan(TableName=world.settings.table_name, ConsistentRead=True)["Items"]
    ordered = sorted(items, key=lambda i: (i["pk"]["S"], i["sk"]["S"]))
    return json.dumps(ordered, sort_keys=True, default=bytes.hex).encode()  # binary values (grants) as hex


def every_link(world) -> list[str]:
    from local.world import LINK

    return sorted({u for m in world.mail() for u in LINK.findall(m["text"])})


@pytest.mark.parametrize("stage", [unconfirmed, awaiting_connector, awaiting_target, introduced])
def test_fetching_every_link_again_and_again_changes_nothing(world, stage):
    stage(world)
    links = every_link(world)
    assert links
    before = snapshot(world)
    for _ in range(3):
        for link in links:
            assert world.get(link).status in (200, 410)
            assert world.request("HEAD", link).status in (200, 410)
    assert snapshot(world) == before
    assert world.deliver() == 0  # and nothing was queued to send


def refused_without_a_write(world, link: str, status: int, decision: str = "confirm", **form) -> None:
    before = snapshot(world)
    answer = world.post_form(link, {"decision": decision, **form})
    assert answer.status == status, answer.text
    assert "<form" not in answer.text or status == 409
    assert snapshot(world) == before


def test_a_tampered_token_is_refused(world):
    unconfirmed(world)
    link = world.last_link(ADA)
    flipped = link[:-1] + ("A" if link[-1] != "A" else "B")
    refused_without_a_write(world, flipped, 404)
    refused_without_a_write(world, link + "x" * 200, 404)
    refused_without_a_write(world, link.rsplit(".", 1)[0] + ".short", 404)
    assert world.get(flipped).status == 404


def test_an_expired_token_is_refused(world):
    unconfirmed(world)
    world.advance(days=61)
    refused_without_a_write(world, world.last_link(ADA), 410)
    assert world.get(world.last_link(ADA)).status == 410


def test_a_used_token_is_refused_the_second_time(world):
    awaiting_connector(world)
    refused_without_a_write(world, world.last_link(ADA), 409)


def test_a_token_from_another_introduction_is_refused(world):
    awaiting_connector(world)
    other_id = unconfirmed(world, target={"name": "Joan Clarke", "email": "joan@example.net"})
    first_link = next(u for u in every_link(world) if other_id not in u and "/link/" in u)
    secret = first_link.rsplit(".", 1)[1]
    refused_without_a_write(world, f"https://intros.example.org/link/{other_id}.{secret}", 404)


def test_a_link_cannot_make_another_roles_choice(world):
    awaiting_connector(world)
    refused_without_a_write(world, world.last_link(GRACE), 400, decision="accept")
    refused_without_a_write(world, world.last_link(GRACE), 400, decision="confirm")
    refused_without_a_write(world, world.last_link(GRACE), 400, decision="no-such-choice")


def test_every_page_sends_the_security_headers(world):
    introduced(world)
    pages = [
        world.get("/"),
        world.post_form("/", {}),
        world.get("https://intros.example.org/link/xxxx.yyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"),
    ]
    pages += [world.get(u) for u in every_link(world)]
    pages += [world.request("HEAD", u) for u in every_link(world)]
    world.advance(days=61)
    pages += [world.get(world.last_link(ALAN))]
    assert len(pages) > 8
    for page in pages:
        assert page.headers["content-type"].startswith("text/html")
        for name, value in HEADERS.items():
            assert page.headers[name] == value, (name, page.status)
        csp = page.headers["content-security-policy"]
        assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "form-action 'self'" in csp


def test_links_never_come_from_the_host_header(world):
    answer = world.request(
        "POST",
        "/intros",
        headers={
            "content-type": "application/json",
            "host": "evil.example.com",
            "x-forwarded-host": "evil.example.com",
        },
        body=json.dumps(REQUEST).encode(),
    )
    assert answer.status == 202, answer.text
    world.deliver()
    (mail,) = world.mail_to(ADA)
    assert "evil.example.com" not in mail["text"] + mail["html"]
    assert "https://intros.example.org/link/" in mail["text"]
