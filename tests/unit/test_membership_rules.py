"""The pure rules of membership and of what a closed request's link says, over whole input spaces."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_schedule import GRANTS, TIMINGS, T, delivered, requested, step
from warm_intro.domain.actors import can_act, connector_gone
from warm_intro.domain.disclosure import visible_at
from warm_intro.domain.lifecycle import Admission, decide
from warm_intro.domain.membership import vouching, without_connector, without_requester
from warm_intro.domain.model import Decision, Delivery, Grant, Kind, Purpose, Role, State
from warm_intro.domain.rules import DAY, HOUR
from warm_intro.domain.schedule import due_at, tick
from warm_intro.views.link_pages import outcome, status

REVIEW, CONSENT = GRANTS[Decision.APPROVE], GRANTS[Decision.ACCEPT]
OPTOUT = Grant(Role.TARGET, Purpose.OPTOUT, T + 99 * DAY)
moments = st.integers(min_value=0, max_value=30 * DAY)


def approved():
    return step(step(requested(), Decision.CONFIRM, T), Decision.APPROVE, T)


@settings(max_examples=150, deadline=None)
@given(removed_after=moments, held=st.booleans())
def test_a_removed_connector_is_never_reminded_and_the_ask_still_closes_at_its_usual_expiry(
    removed_after, held
):
    intro = decide(
        requested(),
        GRANTS[Decision.CONFIRM],
        Decision.CONFIRM,
        T,
        via="test",
        admission=Admission(hold=held, connector_name="Grace Hopper"),
    )
    intro = delivered(intro, T)
    usual_expiry = T + TIMINGS.expiry
    intro = tick(intro, min(T + removed_after, usual_expiry - 1), TIMINGS)  # maybe reminded already
    reminded_before = Kind.CONNECTOR_REMINDER in intro.outbox
    gone = without_connector(intro, T + removed_after)
    assert connector_gone(gone) and not can_act(gone, REVIEW)
    assert gone.outbox[Kind.CONNECTOR_ASK].status is not Delivery.HELD
    assert without_connector(gone, T + removed_after + 1) is gone  # once is enough
    now = T + removed_after
    while (at := due_at(gone, TIMINGS)) is not None and gone.is_open:  # run the clock to the end
        now = max(now, at)
        gone = tick(gone, now, TIMINGS)
    assert gone.state is State.EXPIRED and now == max(usual_expiry, T + removed_after)
    assert (Kind.CONNECTOR_REMINDER in gone.outbox) == reminded_before  # no new reminder after removal
    # The same neutral close as silence, sent at the one moment the requester hears of any ending.
    gone = tick(gone, max(now, visible_at(gone, TIMINGS)), TIMINGS)
    assert gone.outbox[Kind.CLOSED].status is Delivery.PENDING


@settings(max_examples=100, deadline=None)
@given(walk=st.sampled_from(["connector", "target"]), after=moments)
def test_a_removed_requesters_request_closes_quietly(walk, after):
    intro = approved() if walk == "target" else step(requested(), Decision.CONFIRM, T)
    closed = without_requester(intro, T + after)
    assert closed.state is State.REFUSED and not closed.is_open
    assert set(closed.outbox) == set(intro.outbox)  # nobody is mailed, not even the neutral close
    assert all(
        m.status is not Delivery.PENDING for k, m in closed.outbox.items() if k is not Kind.CONFIRM_REQUEST
    )
    assert without_requester(closed, T + after + 1) is closed
    assert without_requester(requested(), T) == requested()  # unconfirmed: left to the confirmation to refuse


def test_who_must_still_be_a_member_for_each_step():
    unconfirmed = requested()
    asked = step(unconfirmed, Decision.CONFIRM, T)
    with_target = step(asked, Decision.APPROVE, T)
    introduced = step(with_target, Decision.ACCEPT, T)
    declined = decide(with_target, CONSENT, Decision.DECLINE, T, via="test")
    assert vouching(unconfirmed, asked) == (Role.REQUESTER, Role.CONNECTOR)
    assert vouching(asked, with_target) == (Role.REQUESTER, Role.CONNECTOR)
    assert vouching(with_target, introduced) == (Role.REQUESTER,)
    assert vouching(with_target, declined) == ()  # saying no never needs anyone's membership


def closings():
    """Every way a request the connector approved can close without the requester's own withdrawal,
    seen from the connector's side: they must all read the same."""
    target = approved()
    return {
        "target declined": decide(target, CONSENT, Decision.DECLINE, T + DAY, via="test"),
        "target opted out": decide(target, OPTOUT, Decision.OPT_OUT, T + DAY, via="test"),
        "expired": tick(target, T + TIMINGS.expiry, TIMINGS),
        "requester removed": without_requester(target, T + DAY),
    }


@settings(max_examples=50, deadline=None)
@given(way=st.sampled_from(sorted(closings())))
def test_the_connectors_page_never_says_who_said_no(way):
    closed = closings()[way]
    assert not closed.is_open and not can_act(closed, REVIEW)
    title, lines = outcome(closed, REVIEW)
    assert (title, lines) == outcome(closings()["expired"], REVIEW)
    text = " ".join([title, *lines])
    assert "Alan" not in text and "declin" not in text.lower() and "If they say yes" not in text
    assert status(closed, REVIEW) == 410


@settings(max_examples=100, deadline=None)
@given(late=st.integers(min_value=0, max_value=5 * DAY))
def test_the_clock_applied_at_read_time_closes_a_late_request(late):
    intro = approved()
    seen = tick(intro, T + TIMINGS.expiry + late, TIMINGS)
    assert seen.state is State.EXPIRED and not can_act(seen, CONSENT)
    assert outcome(seen, CONSENT)[0] == "This request has closed"
    early = tick(intro, T + TIMINGS.expiry - HOUR, TIMINGS)
    assert early.is_open and can_act(early, CONSENT)
