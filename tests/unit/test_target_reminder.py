"""A target is not reminded unless the organisation turns it on; a connector always is, once."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_schedule import T, requested, step
from warm_intro.domain.model import Decision, Kind, Role, State
from warm_intro.domain.rules import DAY, Timings
from warm_intro.domain.schedule import due_at, tick
from warm_intro.settings import Settings


def asked_target(now: int = T + DAY):
    return step(step(requested(), Decision.CONFIRM, T), Decision.APPROVE, now)


def run_clock(intro, t: Timings, steps: list[int]):
    now = intro.asked_at
    for gap in steps:
        now += gap
        intro = tick(intro, now, t)
    return intro


def test_the_default_is_no_target_reminder_in_the_rules_and_the_settings():
    assert Timings().remind_targets is False
    assert Settings(table_name="t", sender="s@example.org", hash_key="k" * 16).timings.remind_targets is False
    on = Settings(table_name="t", sender="s@example.org", hash_key="k" * 16, remind_targets="true")
    assert on.timings.remind_targets is True


def test_without_it_the_only_moment_left_for_the_target_is_the_expiry():
    intro, t = asked_target(), Timings()
    assert due_at(intro, t) == intro.asked_at + t.expiry
    assert tick(intro, intro.asked_at + t.reminder, t) is intro


def test_with_it_the_target_gets_one_reminder_after_reminder_days():
    intro, t = asked_target(), Timings(remind_targets=True)
    assert due_at(intro, t) == intro.asked_at + t.reminder
    reminded = tick(intro, intro.asked_at + t.reminder, t)
    assert reminded.outbox[Kind.TARGET_REMINDER].status.value == "pending"
    assert reminded.reminded == {Role.TARGET}


@settings(max_examples=150, deadline=None)
@given(st.lists(st.integers(0, 3 * DAY), min_size=1, max_size=10), st.booleans())
def test_time_alone_reminds_a_target_only_when_the_organisation_said_so(steps, remind):
    t = Timings(remind_targets=remind)
    after = run_clock(asked_target(), t, steps)
    assert (Kind.TARGET_REMINDER in after.outbox) <= remind
    if after.state is State.AWAITING_TARGET and sum(steps) >= t.reminder:
        assert (Kind.TARGET_REMINDER in after.outbox) == remind
