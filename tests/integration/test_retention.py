"""Closed introductions don't keep names forever: the scheduled run anonymises one IntroRetentionDays
after it closed and drops its per-person index entries in the same write (issue 11, item 4)."""

from __future__ import annotations

import json

from warm_intro import runtime
from warm_intro.domain.model import State
from warm_intro.services import personal_data

from .steps import ADA, ALAN, GRACE, introduced, tick
from .test_privacy import table_text


def items(world) -> list[dict]:
    return runtime.client("dynamodb").scan(TableName=world.settings.table_name)["Items"]


def test_a_closed_introduction_is_anonymised_after_the_retention_period(world):
    first = introduced(world)
    person_entries = [i for i in items(world) if i["pk"]["S"].startswith("PERSON#")]
    assert len(person_entries) == 3
    for days in (8, 30, 300):  # the follow-up, the content forgotten, and later
        world.advance(days=days)
        tick(world)
    assert "alan turing" in table_text(world) and world.intro(first).blurb == ""
    world.advance(days=365 - 338, seconds=1)
    tick(world)
    intro = world.intro(first)
    assert intro.state is State.INTRODUCED and [e.action for e in intro.history][-1] == "retire"
    intro_items = [i for i in items(world) if i["pk"]["S"] == f"INTRO#{first}"]
    stored = json.dumps(intro_items, default=lambda b: b.decode("utf-8", "replace")).lower()  # packed as text
    for gone in (ADA, GRACE, ALAN, "ada lovelace", "grace hopper", "alan turing"):
        assert gone not in stored
    assert "alan" not in table_text(world)  # not a member: nothing of Alan is left anywhere
    assert not [i for i in items(world) if i["pk"]["S"].startswith("PERSON#")]
    assert personal_data.export(world.settings.hash_key, runtime.repository(), ADA)["introductions"] == []
    mailed = len(world.mail())
    world.advance(days=30)
    tick(world)
    assert len(world.mail()) == mailed and world.intro(first) == intro  # nothing more happens to it
