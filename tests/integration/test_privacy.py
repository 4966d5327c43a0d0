"""Privacy: export and erasure of one person through the admin API, the consent record, and the
blurb forgotten after its time. Erasure is checked against every item in the table."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from local.lambdas import Context
from local.world import LINK
from warm_intro import runtime
from warm_intro.domain.model import Kind, Role, State

from .steps import ADA, ALAN, GRACE, awaiting_connector, awaiting_target, intro_id, introduced

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def admin():
    spec = importlib.util.spec_from_file_location("functions_admin", ROOT / "functions/admin/app.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def call(admin, route: str, body, signed: bool = True) -> tuple[int, dict]:
    authorizer = (
        {"iam": {"userArn": "arn:aws:iam::123456789012:user/admin", "callerId": "AIDA"}} if signed else {}
    )
    event = {
        "version": "2.0",
        "routeKey": f"POST {route}",
        "rawPath": route,
        "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "isBase64Encoded": False,
        "body": body if isinstance(body, str) else json.dumps(body),
        "requestContext": {
            "http": {"method": "POST", "path": route, "sourceIp": "10.0.0.1"},
            "authorizer": authorizer,
            "stage": "$default",
            "requestId": "r",
        },
    }
    answer = admin.lambda_handler(event, Context("AdminFunction"))
    return answer["statusCode"], json.loads(answer["body"])


def table_text(world) -> str:
    """Every item of the table, as one lower-case string."""
    client, items, kwargs = runtime.client("dynamodb"), [], {"TableName": world.settings.table_name}
    while True:
        page = client.scan(**kwargs)
        items += page["Items"]
        if "LastEvaluatedKey" not in page:
            # Binary values (grants, outbox, history) as text: what they pack must be found here too.
            return json.dumps(items, default=lambda b: b.decode("utf-8", "replace")).lower()
        kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]


def test_export_shows_a_persons_introductions_and_only_their_own_decisions(world, admin):
    first = introduced(world)
    status, data = call(admin, "/admin/export", {"email": "Alan@Example.NET"})
    assert status == 200 and data["email"] == ALAN and data["member"] is None and data["opted_out"] is False
    (intro,) = data["introductions"]
    assert intro["id"] == first and intro["roles"] == ["target"] and intro["state"] == "introduced"
    assert [(e["as"], e["action"], e["via"]) for e in intro["consent_record"]] == [
        ("target", "accept", "consent-page:v2")
    ]
    status, data = call(admin, "/admin/export", {"email": ADA})
    assert data["member"] == "Ada Lovelace"
    assert {e["as"] for e in data["introductions"][0]["consent_record"]} == {"requester"}


def test_every_decision_records_who_when_and_which_page_and_wording(world):
    intro = world.intro(introduced(world))
    assert [(e.actor, e.action, e.via) for e in intro.history] == [
        (Role.REQUESTER, "request", "api"),
        (Role.REQUESTER, "confirm", "confirm-page:v2"),
        (Role.CONNECTOR, "approve", "review-page:v2"),
        (Role.TARGET, "accept", "consent-page:v2"),
    ]
    assert all(e.at == world.now for e in intro.history)


def test_erasure_leaves_no_address_or_name_and_the_opt_out_still_holds(world, admin):
    first = awaiting_target(world)
    assert world.post_form(world.last_link(ALAN), {"decision": "opt_out"}).status == 200
    world.deliver()
    assert "alan@example.net" in table_text(world) and "alan turing" in table_text(world)
    status, report = call(admin, "/admin/erase", {"email": ALAN})
    assert status == 200 and report == {"introductions": 1, "member_removed": False, "opted_out": True}
    text = table_text(world)
    assert "alan@example.net" not in text and "alan turing" not in text and "alan" not in text
    erased = world.intro(first)
    assert erased.target.name == "(erased)" and erased.blurb == "" and erased.state is State.DECLINED
    assert call(admin, "/admin/export", {"email": ALAN})[1]["introductions"] == []
    # Asked again, through a connector who knows the address: nobody mails Alan.
    mailed = len(world.mail_to(ALAN))
    katherine = {"name": "Katherine Johnson", "email": "katherine@example.org"}
    assert world.ask(requester=katherine, target={"name": "Alan Turing"}).status == 202
    world.deliver()
    confirm = world.last_link(katherine["email"])
    assert world.post_form(confirm, {"decision": "confirm"}).status == 200
    world.deliver()
    second = intro_id(confirm)
    review = [u for m in world.mail_to(GRACE) for u in LINK.findall(m["text"]) if f"/link/{second}." in u][-1]
    world.post_form(review, {"decision": "approve", "target_email": ALAN})
    world.deliver()
    assert len(world.mail_to(ALAN)) == mailed and world.intro(second).state is State.REFUSED


def test_erasing_a_member_removes_them_and_closes_what_waits_on_them_neutrally(world, admin):
    first = awaiting_connector(world)
    status, report = call(admin, "/admin/erase", {"email": GRACE})
    assert status == 200 and report["member_removed"] is True and report["introductions"] == 1
    assert "grace" not in table_text(world)
    world.deliver()
    intro = world.intro(first)
    assert intro.state is State.REFUSED and intro.connector.email == "erased@erased.invalid"
    world.advance(days=20)  # the requester hears twenty days after confirming, like after any other close
    world.tick()
    world.deliver()
    assert [m["subject"] for m in world.mail_to(ADA)][-1].startswith("Your introduction")
    assert runtime.repository().member_name(GRACE) is None


def test_erasing_the_requester_withdraws_their_open_request_quietly(world, admin):
    first = awaiting_target(world)
    before = len(world.mail())
    assert call(admin, "/admin/erase", {"email": ADA})[0] == 200
    world.deliver()
    intro = world.intro(first)
    assert intro.state is State.WITHDRAWN and len(world.mail()) == before
    assert "ada@example.org" not in table_text(world) and "lovelace" not in table_text(world)
    world.advance(days=5)
    world.tick()
    world.deliver()
    assert len(world.mail()) == before  # no reminder to the target about a request that no longer exists


def test_the_admin_api_refuses_unsigned_calls_and_bad_input(world, admin):
    assert call(admin, "/admin/export", {"email": ADA}, signed=False)[0] == 403
    assert call(admin, "/admin/erase", {"email": ADA}, signed=False)[0] == 403
    assert runtime.repository().member_name(ADA) == "Ada Lovelace"
    status, body = call(admin, "/admin/erase", {"email": "not an address"})
    assert status == 422 and body["message"]
    status, body = call(admin, "/admin/export", {"mail": ADA})
    assert status == 422 and body["errors"]
    assert call(admin, "/admin/export", "{not json")[0] == 400  # not JSON at all: a 400, not a field problem


def test_blurb_and_notes_are_forgotten_a_while_after_the_introduction_closed(world):
    first = introduced(world)
    assert world.intro(first).blurb
    world.advance(days=29)
    world.tick()
    world.deliver()
    assert world.intro(first).blurb  # the follow-up went out; the blurb is kept for 30 days
    world.advance(days=1, seconds=1)
    world.tick()
    intro = world.intro(first)
    assert intro.blurb == "" and intro.note is None and intro.target.about is None
    assert intro.state is State.INTRODUCED and Kind.FOLLOWUP in intro.outbox  # the record stays
