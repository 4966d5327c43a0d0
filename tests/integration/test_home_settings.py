"""Settings at /me and their effect on the next ask: a pause holds it (or closes it politely), a
connector's own weekly limit caps it, "never ask me again" closes it and is undone from here; the
download holds the person's data; erasure signs them out and leaves nothing to find."""

from __future__ import annotations

import calendar
import time

from warm_intro import runtime
from warm_intro.domain.hashing import address_hash
from warm_intro.services import personal_data
from warm_intro.views import wording

from .home_steps import Browser
from .steps import ADA, GRACE, awaiting_connector, awaiting_target, intro_id, subjects, tick


def day(world, days: int) -> str:
    return time.strftime("%Y-%m-%d", time.gmtime(world.now + days * 86400))


def signed_in(world, email: str) -> tuple[Browser, str]:
    browser = Browser(world)
    browser.sign_in(email)
    return browser, browser.csrf("/me/settings")


def connector_asks(world) -> int:
    return sum(s.startswith("Would you introduce") for s in subjects(world, GRACE))


def test_a_pause_holds_the_next_ask_until_its_date(world):
    grace, csrf = signed_in(world, GRACE)
    saved = grace.post("/me/settings", {"csrf": csrf, "action": "pause", "until": day(world, 4)})
    shown = wording.day(calendar.timegm(time.strptime(day(world, 4), "%Y-%m-%d")))  # "Tuesday 8 December"
    assert saved.status == 200 and f"Asks are paused until {shown}." in saved.text
    found = awaiting_connector(world)
    assert connector_asks(world) == 0  # held, not sent
    world.advance(days=2)
    tick(world)
    assert connector_asks(world) == 0
    world.advance(days=2)
    tick(world)
    assert connector_asks(world) == 1
    assert world.intro(found).state.value == "awaiting_connector"


def test_a_pause_closes_the_next_ask_politely_when_the_organisation_refuses_past_capacity(world, monkeypatch):
    monkeypatch.setenv("CONNECTOR_OVER_CAPACITY", "refuse")
    runtime.reset()
    grace, csrf = signed_in(world, GRACE)
    grace.post("/me/settings", {"csrf": csrf, "action": "pause", "until": day(world, 10)})
    found = awaiting_connector(world)
    assert not world.intro(found).is_open
    assert connector_asks(world) == 0


def test_resuming_sends_what_waited_at_the_next_run(world):
    grace, csrf = signed_in(world, GRACE)
    grace.post("/me/settings", {"csrf": csrf, "action": "pause", "until": day(world, 30)})
    awaiting_connector(world)
    grace.post("/me/settings", {"csrf": csrf, "action": "resume"})
    tick(world)
    assert connector_asks(world) == 1


def test_a_connectors_own_weekly_limit_caps_the_next_ask(world):
    grace, csrf = signed_in(world, GRACE)
    assert grace.post("/me/settings", {"csrf": csrf, "action": "limit", "week_limit": "1"}).status == 200
    awaiting_connector(world)
    awaiting_connector(world, target={"name": "Joan Clarke", "email": "joan@example.net"})
    assert connector_asks(world) == 1  # the second waits for next week
    world.advance(days=7)
    tick(world)
    assert connector_asks(world) == 2


def test_a_weekly_limit_above_the_organisations_or_below_one_is_refused(world):
    grace, csrf = signed_in(world, GRACE)
    for value in ("6", "0", "-1", "two"):
        refused = grace.post("/me/settings", {"csrf": csrf, "action": "limit", "week_limit": value})
        assert refused.status == 422 and 'aria-invalid="true"' in refused.text
    for until in ("yesterday", day(world, -1), day(world, 400)):
        assert grace.post("/me/settings", {"csrf": csrf, "action": "pause", "until": until}).status == 422


def test_never_ask_me_again_closes_the_next_ask_and_is_undone_from_here(world):
    grace, csrf = signed_in(world, GRACE)
    grace.post("/me/settings", {"csrf": csrf, "action": "never"})
    hashed = address_hash(GRACE, world.settings.hash_key)
    assert runtime.repository().suppressed([hashed], reasons=["opted_out"])
    found = awaiting_connector(world)
    assert not world.intro(found).is_open and connector_asks(world) == 0
    undone = grace.post("/me/settings", {"csrf": csrf, "action": "ask_again"})
    assert "Never ask me again</button>" in undone.text
    assert not runtime.repository().suppressed([hashed])
    awaiting_connector(world, target={"name": "Joan Clarke", "email": "joan@example.net"})
    assert connector_asks(world) == 1


def test_undoing_an_opt_out_keeps_a_bounce(world):
    hashed = str(address_hash(GRACE, world.settings.hash_key))
    runtime.repository().suppress(hashed, "bounce", world.now)
    Browser(world).post("/me", {"email": GRACE})
    assert world.mail_to(GRACE) == []  # a bounced address gets no sign-in link either
    runtime.repository().suppress(hashed, "opted_out", world.now)
    runtime.repository().begin(world.now).people.opt_back_in(hashed)
    assert runtime.repository().suppressed([hashed], reasons=["bounce"])
    assert not runtime.repository().suppressed([hashed], reasons=["opted_out"])


def test_a_paused_target_is_not_asked_and_the_request_closes_politely(world):
    awaiting_target(world)  # Alan was asked once: he can sign in
    alan, csrf = signed_in(world, "alan@example.net")
    alan.post("/me/settings", {"csrf": csrf, "action": "pause", "until": day(world, 10)})
    before = len(world.mail_to("alan@example.net"))
    katherine = "katherine@example.org"
    world.ask(requester={"name": "Katherine Johnson", "email": katherine})
    world.deliver()
    found = intro_id(world.last_link(katherine))
    assert world.post_form(world.last_link(katherine), {"decision": "confirm"}).status == 200
    world.deliver()
    assert world.post_form(world.last_link(GRACE), {"decision": "approve"}).status == 200
    world.deliver()
    assert len(world.mail_to("alan@example.net")) == before
    assert not world.intro(found).is_open


def test_the_download_holds_the_persons_data_and_preferences(world):
    awaiting_connector(world)
    ada, csrf = signed_in(world, ADA)
    ada.post("/me/settings", {"csrf": csrf, "action": "pause", "until": day(world, 10)})
    answer = ada.get("/me/data")
    assert answer.status == 200 and answer.headers["content-type"] == "application/json"
    assert answer.headers["content-disposition"] == 'attachment; filename="my-introductions.json"'
    data = answer.json()
    assert data["email"] == ADA and data["member"] == "Ada Lovelace"
    assert [i["roles"] for i in data["introductions"]] == [["requester"]]
    assert data["preferences"]["paused_until"] > world.now
    assert Browser(world).get("/me/data").status == 303  # signed out: nothing


def test_erasing_yourself_asks_first_then_signs_you_out_and_leaves_nothing_to_find(world):
    found = awaiting_connector(world)
    ada, csrf = signed_in(world, ADA)
    page = ada.get("/me/erase")
    assert page.status == 200 and "Erase everything about you?" in page.text
    assert ada.post("/me/erase", {"csrf": csrf}).status == 422  # the confirming button, not just any post
    assert world.intro(found).requester.email == ADA
    cookie = ada.cookie
    erased = ada.post("/me/erase", {"csrf": csrf, "confirm": "erase"})
    assert erased.status == 200 and "You&#39;ve been erased" in erased.text
    assert erased.headers["set-cookie"].startswith("__Host-session=;")
    stale = world.gateway.request("GET", "/me", headers={"cookie": cookie})
    assert "Sign in to your introductions" in stale.text
    assert world.intro(found).requester.email != ADA
    left = personal_data.export(world.settings.hash_key, runtime.repository(), ADA)
    assert left["member"] is None and left["introductions"] == []
    Browser(world, source_ip="192.0.2.77").post("/me", {"email": ADA})
    assert (
        len([m for m in world.mail_to(ADA) if "/me/signin/" in m["text"]]) == 1
    )  # only the first: unknown now
