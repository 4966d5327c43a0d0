"""The home page: what waits for you (opening the same page as its email), your requests and your
introductions in the neutral words of the link pages, never who declined; one read per item shown."""

from __future__ import annotations

import re

import pytest

from warm_intro import runtime

from .home_steps import Browser, signin_links
from .steps import ADA, ALAN, GRACE, awaiting_connector, awaiting_target

OPEN = re.compile(
    r'action="/me/open/([^"]+)">\s*<input[^>]+>\s*<input[^>]+value="(\w+)">\s*(?:<input[^>]+>\s*)*'
    r"<button[^>]*>([^<]+)<"
)


def section(page: str, title: str) -> str:
    start = page.index(f">{title}</h2>")
    end = page.find("<h2", start)
    return page[start : end if end != -1 else len(page)]


def opens(page: str) -> list[tuple[str, str, str]]:
    return OPEN.findall(page)


def test_a_connector_sees_the_ask_waiting_and_answers_it_on_the_same_page_as_its_email(world):
    found = awaiting_connector(world)
    grace = Browser(world)
    grace.sign_in(GRACE)
    page = grace.get("/me").text
    waiting = section(page, "Waiting for you")
    assert "Ada Lovelace asks you to introduce them to Alan Turing" in waiting
    assert opens(waiting) == [(found, "connector", "Open and answer")]
    opened = grace.post(f"/me/open/{found}", {"csrf": grace.csrf(), "role": "connector"})
    assert opened.status == 303 and opened.headers["location"].startswith(f"/link/{found}.")
    review = world.gateway.request("GET", opened.headers["location"])
    by_email = world.gateway.request("GET", world.last_link(GRACE).removeprefix("https://intros.example.org"))
    assert review.status == 200 and review.body == by_email.body
    world.gateway.request(
        "POST",
        opened.headers["location"],
        headers={"content-type": "application/x-www-form-urlencoded"},
        body=b"decision=approve",
    )
    world.deliver()
    assert world.intro(found).state.value == "awaiting_target"
    after = grace.get("/me").text
    assert "Nothing is waiting for you." in after
    assert "Thank you for approving" in section(after, "Your introductions")


def test_a_requester_sees_the_same_words_whoever_declined_and_can_withdraw_from_home(world):
    by_connector = awaiting_connector(world)
    world.post_form(world.last_link(GRACE), {"decision": "decline"})
    world.deliver()
    by_target = awaiting_target(world, target={"name": "Joan Clarke", "email": "joan@example.net"})
    world.post_form(world.last_link("joan@example.net"), {"decision": "decline"})
    world.deliver()
    ada = Browser(world)
    ada.sign_in(ADA)
    requests = section(ada.get("/me").text, "Your requests")
    assert requests.count("On its way") == 2  # both closed; neither shows yet, nor how
    assert "declin" not in requests.lower()
    world.advance(days=21)
    world.tick()
    world.deliver()
    ada.sign_in(ADA)  # a week's session has ended meanwhile
    requests = section(ada.get("/me").text, "Your requests")
    assert requests.count("Won&#39;t happen right now") == 2 and "declin" not in requests.lower()
    assert {i for i, _, _ in opens(requests)} == {by_connector, by_target}


def test_withdrawing_from_home_goes_through_the_requesters_own_page(world):
    found = awaiting_connector(world)
    ada = Browser(world)
    ada.sign_in(ADA)
    (opened,) = opens(section(ada.get("/me").text, "Your requests"))
    assert opened == (found, "requester", "Open, or withdraw")
    location = ada.post(f"/me/open/{found}", {"csrf": ada.csrf(), "role": "requester"}).headers["location"]
    assert "Withdraw my request" in world.gateway.request("GET", location).text
    world.gateway.request(
        "POST",
        location,
        headers={"content-type": "application/x-www-form-urlencoded"},
        body=b"decision=withdraw",
    )
    assert world.intro(found).state.value == "withdrawn"
    assert "You withdrew it" in section(ada.get("/me").text, "Your requests")


def test_a_target_sees_only_what_they_were_asked_and_nobody_can_open_someone_elses(world):
    found = awaiting_target(world)
    alan = Browser(world)
    alan.sign_in(ALAN)
    page = alan.get("/me").text
    assert "Ada Lovelace would like to meet you" in section(page, "Waiting for you")
    assert section(page, "Your requests").count("<dt>") == 0
    grace = Browser(world)
    grace.sign_in(GRACE)
    for role in ("target", "requester", "system", "nonsense"):  # not Grace's roles in it
        refused = grace.post(f"/me/open/{found}", {"csrf": grace.csrf(), "role": role})
        assert refused.status == 404
    assert grace.post("/me/open/not-an-id", {"csrf": grace.csrf(), "role": "connector"}).status == 404


def test_a_page_view_reads_once_per_item_and_never_scans(world):
    for target in ("alan@example.net", "joan@example.net"):  # within the connector's default cap of 2 a week
        awaiting_connector(world, target={"name": "Someone", "email": target})
    grace = Browser(world)
    grace.sign_in(GRACE)
    calls: list[str] = []
    client = runtime.client("dynamodb")

    def record(model, **_):
        calls.append(model.name)

    client.meta.events.register("before-parameter-build.dynamodb.*", record)
    try:
        page = grace.get("/me").text
    finally:
        client.meta.events.unregister("before-parameter-build.dynamodb.*", record)
    assert section(page, "Waiting for you").count("<dt>") == 2
    assert "Scan" not in calls
    assert calls.count("GetItem") == 1 + 2  # the session, then one read per item shown
    assert calls.count("Query") == 1  # the person's index entries (canonical hash only)


def signin_mailed(world, email: str) -> bool:
    before = len(signin_links(world, email))
    Browser(world).post("/me", {"email": email})
    world.deliver()
    return len(signin_links(world, email)) > before


def test_a_proposals_second_person_is_neither_known_nor_shown_before_being_asked(world):
    from .test_proposals import ALAN, JOAN, confirmed

    confirmed(world)  # Grace proposes; Joan (asked first by default) is asked, Alan not yet
    assert not signin_mailed(world, ALAN)
    assert signin_mailed(world, JOAN)
    joan = Browser(world)
    joan.sign_in(JOAN)
    waiting = section(joan.get("/me").text, "Waiting for you")
    assert "Grace Hopper thinks you and Alan Turing should meet" in waiting
    assert [(r, label) for _, r, label in opens(waiting)] == [("target", "Open and answer")]


def test_a_proposal_answered_from_home_then_the_second_person_sees_it_waiting(world):
    from .test_proposals import ALAN, JOAN, confirmed

    confirmed(world)
    joan = Browser(world)
    joan.sign_in(JOAN)
    ((found, role, _),) = opens(section(joan.get("/me").text, "Waiting for you"))
    location = joan.post(f"/me/open/{found}", {"csrf": joan.csrf(), "role": role}).headers["location"]
    by_email = world.gateway.request("GET", world.last_link(JOAN).removeprefix("https://intros.example.org"))
    assert world.gateway.request("GET", location).body == by_email.body
    world.post_form(f"https://intros.example.org{location}", {"decision": "accept"})
    world.deliver()
    assert "Nothing is waiting for you." in joan.get("/me").text
    assert signin_mailed(world, ALAN)  # asked now: known, and the ask is on his home
    alan = Browser(world)
    alan.sign_in(ALAN)
    waiting = section(alan.get("/me").text, "Waiting for you")
    assert "Grace Hopper thinks you and Joan Clarke should meet" in waiting
    assert [r for _, r, _ in opens(waiting)] == ["requester"]
    assert section(alan.get("/me").text, "Your requests").count("<dt>") == 0  # not his request


@pytest.mark.parametrize("who", ["first", "second"])
def test_the_proposers_home_says_the_same_whoever_declined(world, who):
    from .test_proposals import ALAN, JOAN, confirmed

    confirmed(world)
    if who == "second":
        world.post_form(world.last_link(JOAN), {"decision": "accept"})
        world.deliver()
    world.post_form(world.last_link(JOAN if who == "first" else ALAN), {"decision": "decline"})
    world.deliver()
    grace = Browser(world)
    grace.sign_in(GRACE)
    intros = section(grace.get("/me").text, "Your introductions")
    assert "You suggested Joan Clarke and Alan Turing meet" in intros and "On its way" in intros
    world.advance(days=21)
    world.tick()
    world.deliver()
    grace.sign_in(GRACE)
    intros = section(grace.get("/me").text, "Your introductions")
    assert "Won&#39;t happen right now" in intros and "declin" not in intros.lower()
    assert [label for _, _, label in opens(intros)] == ["See its page"]


def test_the_proposer_withdraws_from_home_and_the_second_person_never_hears(world):
    from .test_proposals import ALAN, confirmed

    confirmed(world)
    grace = Browser(world)
    grace.sign_in(GRACE)
    ((found, role, label),) = opens(section(grace.get("/me").text, "Your introductions"))
    assert (role, label) == ("connector", "Open, or withdraw")
    location = grace.post(f"/me/open/{found}", {"csrf": grace.csrf(), "role": role}).headers["location"]
    world.post_form(f"https://intros.example.org{location}", {"decision": "withdraw"})
    world.deliver()
    assert world.intro(found).state.value == "withdrawn"
    assert "You withdrew it" in section(grace.get("/me").text, "Your introductions")
    assert world.mail_to(ALAN) == []
    for role in ("requester", "target"):  # not Grace's places in it
        assert grace.post(f"/me/open/{found}", {"csrf": grace.csrf(), "role": role}).status == 404
