"""What a requester sees of their request, in the pure domain: every way a confirmed request can end
without an introduction reads the same to them, at the same moment, until they are told."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_schedule import GRANTS, TIMINGS, T, delivered, requested, step
from warm_intro.domain.disclosure import Seen, blocks_until, seen_by_requester, visible_at, window
from warm_intro.domain.lifecycle import GO, Admission, decide
from warm_intro.domain.model import Decision, Delivery, Grant, Intro, Kind, Message, Purpose, Role, State
from warm_intro.domain.rules import DAY, HOUR
from warm_intro.domain.schedule import due_at, tick

D = window(TIMINGS)
REVIEW, CONSENT = GRANTS[Decision.APPROVE], GRANTS[Decision.ACCEPT]
CONFIRM = GRANTS[Decision.CONFIRM]
OPTOUT = {role: Grant(role, Purpose.OPTOUT, T + 99 * DAY) for role in (Role.CONNECTOR, Role.TARGET)}
GOES = Admission(connector_name="Grace Hopper")
CLOSED_BY = Admission(closes=True, connector_name="Grace Hopper")


def confirmed(admission: Admission = GOES) -> Intro:
    return step(requested(), Decision.CONFIRM, T, admission)


def approved(at: int, admission: Admission = GO) -> Intro:
    return delivered(decide(confirmed(), REVIEW, Decision.APPROVE, at, via="test", admission=admission), at)


def run(intro: Intro, until: int) -> Intro:
    """The scheduler, on time, up to `until`; each message goes out the moment it is pending."""
    while (at := due_at(intro, TIMINGS)) is not None and at <= until:
        intro = delivered(tick(intro, at, TIMINGS), at)
    return intro


# Every way a confirmed request ends without an introduction, decided at any moment `at` of the
# connector's time (so the target's time runs on past it).
ENDINGS: dict[str, Callable[[int], Intro]] = {
    "connector declines": lambda at: decide(confirmed(), REVIEW, Decision.DECLINE, at, via="test", note="no"),
    "connector opts out": lambda at: decide(
        confirmed(), OPTOUT[Role.CONNECTOR], Decision.OPT_OUT, at, via="test"
    ),
    "connector can't be asked": lambda at: confirmed(CLOSED_BY),
    "target declines": lambda at: decide(approved(at), CONSENT, Decision.DECLINE, at, via="test"),
    "target opts out": lambda at: decide(approved(at), OPTOUT[Role.TARGET], Decision.OPT_OUT, at, via="test"),
    "target can't be asked": lambda at: approved(at, CLOSED_BY),
    "connector silent": lambda at: confirmed(),
    "target silent": lambda at: approved(at),
}


@settings(max_examples=150, deadline=None)
@given(
    ending=st.sampled_from(sorted(ENDINGS)),
    at=st.integers(T, T + TIMINGS.expiry - 1),
    look=st.integers(0, D + 2 * DAY),
)
def test_every_ending_looks_on_its_way_until_the_window_then_closed_with_one_mail(ending, at, look):
    intro = ENDINGS[ending](at)
    later = run(intro, T + look)
    if T + look < T + D:
        assert seen_by_requester(later) is Seen.ON_ITS_WAY
        assert later.outbox.get(Kind.CLOSED) is None or later.outbox[Kind.CLOSED].status is Delivery.HELD
    else:
        assert seen_by_requester(later) is Seen.CLOSED and not later.is_open
        closed = later.outbox[Kind.CLOSED]
        assert closed.status is Delivery.SENT and closed.at == T + D  # the same moment, whoever closed it
        assert blocks_until(later, TIMINGS, 180) == T + D + 180 * DAY


def test_a_held_ask_released_late_still_ends_by_the_window():
    intro = delivered(
        decide(
            requested(),
            CONFIRM,
            Decision.CONFIRM,
            T,
            via="test",
            admission=Admission(hold=True, connector_name="Grace Hopper"),
        ),
        T,
    )
    sent = Message(Kind.CONNECTOR_ASK, Delivery.SENT, at=T + 15 * DAY)  # the week had room only then
    released = intro.evolve(outbox={**intro.outbox, Kind.CONNECTOR_ASK: sent}, asked_at=T + 15 * DAY)
    assert run(released, T + D - 1).is_open  # reminded at 19 days, not yet expired
    ended = run(released, T + D)  # not at 25 days: the window caps the connector's time
    assert ended.state is State.EXPIRED and ended.decided_at == T + D
    assert (
        ended.outbox[Kind.CLOSED].status is Delivery.SENT and ended.outbox[Kind.CLOSED].at == T + D
    )  # same tick


def test_withdrawing_after_a_silent_close_works_and_sends_nothing():
    declined = decide(confirmed(), REVIEW, Decision.DECLINE, T + HOUR, via="test")
    withdrawn = decide(declined, CONFIRM, Decision.WITHDRAW, T + DAY, via="test")
    assert seen_by_requester(withdrawn) is Seen.WITHDRAWN
    assert withdrawn.outbox[Kind.CLOSED].status is Delivery.CANCELLED and withdrawn.state is State.DECLINED
    assert blocks_until(withdrawn, TIMINGS, 180) is None  # as for any withdrawal
    assert run(withdrawn, T + 3 * D).outbox[Kind.CLOSED].status is Delivery.CANCELLED


def test_only_an_introduction_and_a_withdrawal_show_early():
    introduced = delivered(
        decide(approved(T + DAY), CONSENT, Decision.ACCEPT, T + 2 * DAY, via="test"), T + 2 * DAY
    )
    assert seen_by_requester(introduced) is Seen.INTRODUCED and blocks_until(introduced, TIMINGS, 180) is None
    assert seen_by_requester(requested()) is Seen.UNCONFIRMED and visible_at(requested(), TIMINGS) is None
    lapsed = tick(requested(), T + DAY, TIMINGS)
    assert seen_by_requester(lapsed) is Seen.LAPSED
    refused = step(requested(), Decision.CONFIRM, T, Admission(allowed=False))
    assert seen_by_requester(refused) is Seen.NOT_POSSIBLE
