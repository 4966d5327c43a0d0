"""A week after the introduction the requester is asked once "did you connect?"; a yes thanks the connector."""

from __future__ import annotations

import pytest

from tests.integration.steps import ADA, ALAN, GRACE, introduced, subjects, tick


def followup_link(world, intro_id: str) -> str:
    world.advance(days=6.9)
    tick(world)
    assert not any(s.startswith("Did you") for s in subjects(world, ADA))
    world.advance(days=0.2)
    tick(world)
    asked = [m for m in world.mail_to(ADA) if m["subject"].startswith("Did you")]
    assert len(asked) == 1 and [ADA in a for a in asked[0]["to"]] == [True] and asked[0]["cc"] == []
    return world.last_link(ADA)


def test_yes_thanks_the_connector_once(world):
    intro_id = introduced(world)
    link = followup_link(world, intro_id)
    page = world.get(link)
    assert page.status == 200 and 'value="yes"' in page.text and 'value="not_yet"' in page.text
    assert world.post_form(link, {"decision": "yes"}).status == 200
    world.deliver()
    thanks = [m for m in world.mail_to(GRACE) if m["subject"].startswith("Thank you")]
    assert len(thanks) == 1 and "Ada Lovelace" in thanks[0]["text"]
    assert world.intro(intro_id).followup == "yes"
    assert world.intro(intro_id).history[-1].action == "connected:yes"
    again = world.post_form(link, {"decision": "yes"})
    assert again.status == 409 and "<form" not in again.text
    world.deliver()
    assert len([m for m in world.mail_to(GRACE) if m["subject"].startswith("Thank you")]) == 1


@pytest.mark.parametrize("answer", ["not_yet", "no"])
def test_not_yet_and_no_are_recorded_and_mail_nobody(world, answer):
    intro_id = introduced(world)
    link = followup_link(world, intro_id)
    total = len(world.mail())
    assert world.post_form(link, {"decision": answer}).status == 200
    world.deliver()
    assert len(world.mail()) == total
    assert world.intro(intro_id).followup == answer
    assert world.get(link).status == 200  # their answer, recorded: a success page, not a dead link


def test_the_requester_is_asked_only_once(world):
    intro_id = introduced(world)
    followup_link(world, intro_id)
    for _ in range(4):  # unanswered: never chased
        world.advance(days=7)
        tick(world)
    assert sum(s.startswith("Did you") for s in subjects(world, ADA)) == 1
    assert len(world.mail_to(ALAN)) == 2  # the ask and the introduction, nothing later
