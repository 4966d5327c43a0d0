"""The contract the scheduler's cost rests on, over any introduction and any moment:
due_at has come  <=>  tick changes something; and after tick, due_at is later or gone."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from warm_intro.domain.model import Delivery, Intro, Kind, Message, Person, Role, State, Target
from warm_intro.domain.rules import DAY, Timings
from warm_intro.domain.schedule import due_at, tick

T0 = 1_790_000_000
moments = st.integers(T0, T0 + 60 * DAY)
timings = st.builds(
    Timings,
    reminder_days=st.floats(0.01, 20),
    expiry_days=st.floats(0.01, 20),
    unconfirmed_hours=st.floats(0.1, 72),
    followup_days=st.floats(0.01, 20),
    remind_targets=st.booleans(),
)
messages = st.dictionaries(
    st.sampled_from(Kind),
    st.builds(lambda s, at, n: (s, at, n), st.sampled_from(Delivery), moments, st.integers(0, 9)),
    max_size=6,
).map(lambda d: {k: Message(k, s, at, n) for k, (s, at, n) in d.items()})


@st.composite
def intros(draw) -> Intro:
    state = draw(st.sampled_from(State))
    created = draw(moments)
    final = not state.is_open
    return Intro(
        id="i1",
        state=state,
        created_at=created,
        updated_at=created,
        requester=Person("Ada", "ada@example.org"),
        connector=Person("Grace", "grace@example.org"),
        target=Target("Alan", "alan@example.net"),
        blurb="hello",
        version=draw(st.integers(0, 20)),
        outbox=draw(messages),
        reminded=draw(st.frozensets(st.sampled_from([Role.CONNECTOR, Role.TARGET]))),
        followup=draw(st.sampled_from([None, "yes", "not_yet", "no"])),
        decided_at=draw(moments) if final else None,
        asked_at=draw(st.one_of(st.none(), moments)),
    )


@settings(max_examples=1500, deadline=None)
@given(intros(), moments, timings)
def test_due_means_tick_changes_something_and_moves_due_later(intro, now, t):
    due = due_at(intro, t)
    after = tick(intro, now, t)
    if due is not None and due <= now:
        assert after is not intro
        assert after.version > intro.version
        later = due_at(after, t)
        assert later is None or later > now
    else:
        assert after is intro  # nothing happens before due_at says, so the index never misses a moment


@settings(max_examples=500, deadline=None)
@given(intros(), moments, timings)
def test_tick_is_idempotent_at_one_moment(intro, now, t):
    once = tick(intro, now, t)
    assert tick(once, now, t) is once


@settings(max_examples=500, deadline=None)
@given(intros(), st.lists(st.integers(0, 3 * DAY), min_size=1, max_size=12), timings)
def test_time_alone_never_asks_twice(intro, steps, t):
    """However often the clock runs, at most one reminder per role, and every kind stays single."""
    now, current = intro.created_at, intro
    for step in steps:
        now += step
        current = tick(current, now, t)
        current = _deliver_everything(current, now)
    new_reminders = {Kind.CONNECTOR_REMINDER, Kind.TARGET_REMINDER} & (
        set(current.outbox) - set(intro.outbox)
    )
    for kind in new_reminders:
        role = Role.CONNECTOR if kind is Kind.CONNECTOR_REMINDER else Role.TARGET
        assert role not in intro.reminded  # nobody already reminded was reminded again
    assert len(current.reminded) <= 2
    if current.state is not intro.state:
        assert intro.is_open and current.state is State.EXPIRED


def _deliver_everything(intro: Intro, now: int) -> Intro:
    outbox = {
        k: Message(k, Delivery.SENT, now) if m.status is Delivery.PENDING else m
        for k, m in intro.outbox.items()
    }
    return intro.evolve(outbox=outbox)
