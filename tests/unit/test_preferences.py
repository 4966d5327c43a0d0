"""A connector's own choices as rules: a pause and a weekly cap only ever make the limits gentler."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_schedule import T, requested, step
from warm_intro.domain import limits
from warm_intro.domain.lifecycle import decide
from warm_intro.domain.limits import ConnectorLedger, Turn
from warm_intro.domain.model import Decision, Grant, Purpose, Role
from warm_intro.domain.preferences import PAUSE, Preference, held_until, rules_for
from warm_intro.domain.rules import Limits

preferences = st.builds(Preference, st.integers(0, 2 * T), st.none() | st.integers(1, 10))


def test_one_a_week_lets_one_ask_go_and_holds_the_next():
    rules = rules_for(Limits(), Preference(per_week=1))
    ledger, first = limits.take_turn(ConnectorLedger(), rules, "a", T)
    _, second = limits.take_turn(ledger, rules, "b", T + 1)
    assert (rules.connector_per_week, first, second) == (1, Turn.GO, Turn.HOLD)


@settings(max_examples=150, deadline=None)
@given(preferences, st.integers(1, 20))
def test_a_preference_never_raises_the_organisations_cap(preference, cap):
    rules = rules_for(Limits(connector_per_week=cap), preference)
    assert rules.connector_per_week <= cap
    assert rules.connector_per_week == min(cap, preference.per_week or cap)


@settings(max_examples=150, deadline=None)
@given(st.lists(preferences, max_size=4))
def test_one_person_under_several_hashes_gets_the_most_protective_of_each(found):
    merged = Preference.merged(found)
    assert all(merged.paused_until >= p.paused_until for p in found)
    assert all(p.per_week is None or merged.per_week <= p.per_week for p in found)


@settings(max_examples=150, deadline=None)
@given(st.none() | st.integers(0, 2 * T), st.integers(0, 2 * T))
def test_held_asks_are_not_looked_at_again_before_the_pause_ends(room, until):
    due = held_until(room, Preference(paused_until=until))
    assert due is None if room is None else due == max(room, until)


def test_pausing_is_recorded_and_leaves_the_request_where_it_was():
    asked = step(requested(), Decision.CONFIRM, T)
    paused = decide(asked, Grant(Role.CONNECTOR, Purpose.PAUSE, T + PAUSE), Decision.PAUSE, T + 5, via="t")
    assert paused.state is asked.state and paused.outbox == asked.outbox
    assert (paused.history[-1].action, paused.version) == ("pause", asked.version + 1)
    assert Preference(paused_until=T + PAUSE).paused(T + PAUSE - 1)
    assert not Preference(paused_until=T + PAUSE).paused(T + PAUSE)
