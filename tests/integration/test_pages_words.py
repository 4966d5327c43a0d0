"""Every page read as its reader would (issue 18), through the real handlers: the About page linked
from every page, the confirmation naming the address the link went to, the answer an email's link
asked for ready on its page without deciding anything, and the words on each page saying what
happened and no more."""

from __future__ import annotations

import re

import pytest

from .steps import ADA, ALAN, GRACE, awaiting_connector, awaiting_target, introduced, tick
from .test_link_safety import snapshot

ABOUT = 'href="https://intros.example.org/about"'
LINE = "Grace supervised my final-year project"


def text(html: str) -> str:
    inline = re.sub(r"</?(?:a|strong|em|b)\b[^>]*>", "", html)
    return " ".join(re.sub(r"<[^>]+>", " ", inline).replace("&#39;", "'").replace("&#34;", '"').split())


def every_page(world) -> dict[str, str]:
    """One of each page a person can reach, by name."""
    pages = {"request form": world.get("/").text, "about": world.get("/about").text}
    pages["request sent"] = world.post_form(
        "/",
        {
            "requester_name": "Ada Lovelace",
            "requester_email": ADA,
            "connector_email": GRACE,
            "target_name": "Alan Turing",
            "acquaintance": LINE,
            "blurb": "I'm Ada, I write about computing engines; twenty minutes with Alan would help.",
        },
    ).text
    world.deliver()
    confirm = world.last_link(ADA)
    pages["confirm"] = world.get(confirm).text
    pages["confirmed"] = world.post_form(confirm, {"decision": "confirm"}).text
    world.deliver()
    review = world.last_link(GRACE)
    pages["review"] = world.get(review).text
    pages["approved"] = world.post_form(review, {"decision": "approve", "target_email": ALAN}).text
    world.deliver()
    consent = world.last_link(ALAN)
    pages["consent"] = world.get(consent).text
    pages["optout"] = world.get(world.last_link(ALAN, kind="optout")).text
    pages["accepted"] = world.post_form(consent, {"decision": "accept"}).text
    world.deliver()
    world.advance(days=8)
    tick(world)
    pages["followup"] = world.get(world.last_link(ADA)).text
    pages["not found"] = world.get("/nowhere").text
    pages["bad link"] = world.get("/link/01JNOPE.nothing").text
    return pages


def test_every_page_links_the_about_page(world):
    pages = every_page(world)
    assert len(pages) == 13
    for name, page in pages.items():
        assert ABOUT in page and "About this service and your data" in page, name


def test_the_about_page_says_who_runs_it_what_is_kept_for_how_long_and_how_to_stop_or_erase(world):
    answer = world.get("/about")
    assert answer.status == 200 and answer.headers["content-type"].startswith("text/html")
    assert answer.headers["referrer-policy"] == "no-referrer"
    page = text(answer.text)
    assert "Bletchley Circle runs it" in page
    assert 'href="mailto:intros@example.org"' in answer.text  # neither ContactEmail nor ReplyTo is set
    assert "Someone who may know you asked a member of Bletchley Circle who knows you both" in page
    assert "Deleted 30 days after a request closes." in page  # ContentRetentionDays
    assert "Removed 365 days after a request closes." in page  # IntroRetentionDays
    assert "An unanswered request closes by itself after 10 days" in page
    assert "Never ask me again" in page and "never emails you again" in page
    assert "sends you everything held about you, or erases your name and address" in page
    assert "never learns who said no" in page


def test_the_about_page_names_the_organisations_contact(world, monkeypatch):
    from warm_intro import runtime

    monkeypatch.setenv("CONTACT_EMAIL", "privacy@example.org")
    runtime.reset()
    assert 'href="mailto:privacy@example.org"' in world.get("/about").text


def test_the_confirmation_page_names_the_address_the_link_went_to(world):
    answer = world.post_form(
        "/",
        {
            "requester_name": "Ada Lovelace",
            "requester_email": "Ada@Example.org",
            "connector_email": GRACE,
            "target_name": "Alan Turing",
            "blurb": "I'm Ada, I write about computing engines; twenty minutes with Alan would help.",
        },
    )
    assert answer.status == 200
    assert "we've sent a link to ada@example.org." in text(answer.text)
    assert "lapses after 24 hours" in text(answer.text)


@pytest.mark.parametrize(
    ("stage", "who", "choice", "button"),
    [
        (awaiting_target, ALAN, "accept", "Yes, introduce us"),
        (awaiting_target, ALAN, "decline", "No, thank you"),
        (awaiting_connector, GRACE, "approve", "Approve and ask Alan Turing"),
        (awaiting_connector, GRACE, "decline", "Decline"),
    ],
)
def test_an_emails_answer_link_opens_its_page_with_that_answer_ready_and_decides_nothing(
    world, stage, who, choice, button
):
    found = stage(world)
    link = f"{world.last_link(who)}?choice={choice}"
    assert link in [u for m in world.mail_to(who) for u in re.findall(r"https://\S+", m["text"])]
    before = snapshot(world)
    for _ in range(2):
        page = world.get(link)
        assert page.status == 200
        assert world.request("HEAD", link).status == 200
    assert snapshot(world) == before and world.deliver() == 0
    assert "in the email. Press its button below to send your answer: nothing is decided until you do." in (
        text(page.text)
    )
    assert re.search(rf'value="{choice}"[^>]*autofocus>{re.escape(button)}</button>', page.text)
    assert page.text.count("autofocus") == 1
    assert world.intro(found).state.value == ("awaiting_target" if who == ALAN else "awaiting_connector")


@pytest.mark.parametrize(
    "choice", ["opt_out", "approve", "confirm", "yes", "", "<script>", "ACCEPT", "accept "]
)
def test_an_answer_the_page_does_not_offer_is_ignored(world, choice):
    awaiting_target(world)
    page = world.get(f"{world.last_link(ALAN)}?choice={choice}")
    assert page.status == 200 and "autofocus" not in page.text and "in the email. Press" not in page.text


def test_the_target_reads_what_happened_and_what_each_answer_does(world):
    awaiting_target(world)
    page = text(world.get(world.last_link(ALAN)).text)
    assert "Ada Lovelace asked Grace Hopper to introduce you, and Grace Hopper passed it on." in page
    assert "offered" not in page and "nobody will know" not in page.lower()
    assert "Ada Lovelace will see your address and write first, with Grace Hopper in copy." in page
    assert "Ada Lovelace never learns who said no, only that it won't happen right now." in page
    assert LINE not in page


def test_the_connectors_answers_come_first_and_the_private_note_says_who_sees_it(world):
    awaiting_connector(world, acquaintance=LINE)
    html = world.get(world.last_link(GRACE)).text
    jump = html.index('<nav class="jump"')
    assert jump < html.index("<blockquote") and jump < html.index("<form")
    assert (
        '<a href="#approve-title">Yes, ask Alan Turing</a><a href="#decline-title">No, not this one</a>'
        in html
    )
    page = text(html)
    assert f"How Ada Lovelace knows you, in their words (only you see this): {LINE}" in page
    assert (
        "Only for you: never shown to Ada Lovelace or Alan Turing, and deleted 30 days after the request closes."
        in page
    )
    assert "Alan Turing reads it with Ada Lovelace's note" in page


def test_approving_says_we_will_ask_not_that_we_have(world):
    awaiting_connector(world)
    page = text(world.post_form(world.last_link(GRACE), {"decision": "approve"}).text)
    assert "We'll ask Alan Turing privately. If they say yes, you'll be in copy of the introduction." in page
    assert "We've asked" not in page


def test_declining_says_the_requester_never_learns_who(world):
    awaiting_target(world)
    page = text(world.post_form(world.last_link(ALAN), {"decision": "decline"}).text)
    assert "Ada Lovelace never learns who said no" in page and "Nobody will be told" not in page


def test_the_connectors_ask_in_the_mailbox_replies_to_nobody_but_the_organisation(world):
    awaiting_connector(world, acquaintance=LINE)
    (ask,) = world.mail_to(GRACE)
    assert "Reply-To" not in ask["headers"]  # no ReplyTo configured: replies go to the sender only
    assert ADA not in ask["headers"].get("Reply-To", "")
    assert LINE in ask["text"]


def test_how_the_requester_knows_the_connector_is_held_like_the_blurb(world):
    found = introduced(world, acquaintance=LINE)
    intro = world.intro(found)
    assert intro.acquaintance == LINE
    assert all(LINE not in m["text"] + m["html"] for m in world.mail() if GRACE not in str(m["to"]))
    world.advance(days=38)
    tick(world)
    world.advance(days=1)
    tick(world)
    forgotten = world.intro(found)
    assert forgotten.blurb == "" and forgotten.acquaintance is None


def test_the_json_api_takes_the_line_and_refuses_line_breaks(world):
    assert world.ask(acquaintance=LINE).status == 202
    refused = world.ask(acquaintance="two\nlines")
    assert refused.status == 422 and "acquaintance" in refused.text
    assert world.ask(acquaintance="x" * 201).status == 422


def test_the_line_is_in_the_requesters_and_the_connectors_export_never_the_targets_and_erasure_takes_it(
    world,
):
    from warm_intro import runtime
    from warm_intro.services import personal_data

    found = awaiting_target(world, acquaintance=LINE)
    key, repo = world.settings.hash_key, runtime.repository()

    def exported(email: str) -> dict:
        (view,) = personal_data.export(key, repo, email)["introductions"]
        return view

    assert exported(ADA)["acquaintance"] == LINE
    assert exported(GRACE)["acquaintance"] == LINE
    assert "acquaintance" not in exported(ALAN)
    personal_data.erase(key, repo, GRACE, world.now)
    assert world.intro(found).acquaintance is None


def test_the_line_shows_on_the_requesters_and_the_connectors_pages_only(world):
    pages = every_page(world)
    shown = {name for name, page in pages.items() if LINE in page}
    assert shown == {"confirm", "review"}
    assert "How you know them (only grace@example.org sees this):" in text(pages["confirm"])
