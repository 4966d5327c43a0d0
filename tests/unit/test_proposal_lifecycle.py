"""A connector's "you two should meet", in the pure lifecycle: the same states and rules as a request,
with the first person asked before the second, and one neutral close to the connector otherwise."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_schedule import TIMINGS, T, delivered
from warm_intro.domain.actors import waiting_on
from warm_intro.domain.disclosure import Seen, seen_by_requester, visible_at, window
from warm_intro.domain.errors import AlreadyDecided, NotAllowed
from warm_intro.domain.lifecycle import GO, Admission, decide, new_proposal
from warm_intro.domain.messages import SPECS
from warm_intro.domain.model import (
    Decision,
    Delivery,
    Flow,
    Grant,
    Intro,
    Kind,
    Person,
    Purpose,
    Role,
    State,
    Target,
)
from warm_intro.domain.proposal import FIRST, SECOND
from warm_intro.domain.rules import DAY
from warm_intro.domain.schedule import due_at, tick

LONG = T + 99 * DAY
CONFIRM = Grant(Role.CONNECTOR, Purpose.CONFIRM, LONG)
ASK_FIRST = Grant(FIRST, Purpose.CONSENT, LONG)
ASK_SECOND = Grant(SECOND, Purpose.CONSENT, LONG)
FOLLOW = {role: Grant(role, Purpose.FOLLOWUP, LONG) for role in (FIRST, SECOND)}
OPTOUT = {role: Grant(role, Purpose.OPTOUT, LONG) for role in (FIRST, SECOND, Role.CONNECTOR)}
MEMBER = Admission(connector_name="Grace Hopper")
D = window(TIMINGS)


def proposed() -> Intro:
    intro = new_proposal(
        "p1",
        Person("Grace", "grace@example.org"),
        Target("Alan Turing", "alan@example.net", "codebreaker"),
        Person("Ada Lovelace", "ada@example.org", "mathematician"),
        "You both think about machines that think.",
        T,
        "propose-form:v1",
    )
    return delivered(intro, T)


def act(intro: Intro, grant: Grant, decision: Decision, now: int, admission: Admission = GO) -> Intro:
    return delivered(decide(intro, grant, decision, now, via="test", admission=admission), now)


def confirmed() -> Intro:
    return act(proposed(), CONFIRM, Decision.CONFIRM, T, MEMBER)


def first_said_yes(at: int = T + DAY) -> Intro:
    return act(confirmed(), ASK_FIRST, Decision.ACCEPT, at)


def introduced(at: int = T + 2 * DAY) -> Intro:
    return act(first_said_yes(), ASK_SECOND, Decision.ACCEPT, at)


def run(intro: Intro, until: int) -> Intro:
    while (at := due_at(intro, TIMINGS)) is not None and at <= until:
        intro = delivered(tick(intro, at, TIMINGS), at)
    return intro


def to_connector(intro: Intro) -> list[tuple[Kind, int]]:
    """Every message that reached the connector alone, with when: what they can learn from mail."""
    to_them = (Role.CONNECTOR,)
    return sorted(
        (k, m.at) for k, m in intro.outbox.items() if SPECS[k].to == to_them and m.status is Delivery.SENT
    )


def test_a_proposal_starts_with_the_connector_confirming_their_own_address():
    intro = proposed()
    assert intro.flow is Flow.PROPOSAL and intro.state is State.UNCONFIRMED
    assert list(intro.outbox) == [Kind.CONFIRM_PROPOSAL] and SPECS[Kind.CONFIRM_PROPOSAL].to == (
        Role.CONNECTOR,
    )
    assert waiting_on(intro) is Role.CONNECTOR
    assert (intro.history[0].actor, intro.history[0].action) == (Role.CONNECTOR, "propose")


def test_both_yeses_in_order_make_one_introduction_with_the_connector_in_copy():
    first = confirmed()
    assert first.state is State.AWAITING_TARGET and Kind.TARGET_ASK in first.outbox
    assert first.connector.name == "Grace Hopper"  # the member's name, not what the form said
    assert Kind.SECOND_ASK not in first.outbox  # the second person waits for the first's yes
    second = first_said_yes()
    assert second.state is State.AWAITING_SECOND and Kind.SECOND_ASK in second.outbox
    assert Kind.INTRODUCTION not in second.outbox
    done = introduced()
    assert done.state is State.INTRODUCED and done.outbox[Kind.INTRODUCTION].status is Delivery.SENT
    assert SPECS[Kind.INTRODUCTION].cc == (Role.CONNECTOR,)
    acts = [(e.actor, e.action) for e in done.history]
    assert acts == [
        (Role.CONNECTOR, "propose"),
        (Role.CONNECTOR, "confirm"),
        (FIRST, "accept"),
        (SECOND, "accept"),
    ]


def test_the_first_persons_no_means_the_second_is_never_contacted():
    declined = act(confirmed(), ASK_FIRST, Decision.DECLINE, T + DAY)
    assert declined.state is State.DECLINED
    assert Kind.SECOND_ASK not in declined.outbox and Kind.SECOND_REMINDER not in declined.outbox
    assert declined.outbox[Kind.PROPOSAL_CLOSED].status is Delivery.HELD  # told only at its moment
    assert Kind.CLOSED not in declined.outbox  # a request's close goes to a requester: there is none
    with pytest.raises(AlreadyDecided):
        decide(declined, ASK_SECOND, Decision.ACCEPT, T + DAY, via="test")


@pytest.mark.parametrize(
    ("grant", "state"),
    [(ASK_SECOND, State.AWAITING_TARGET), (ASK_FIRST, State.AWAITING_SECOND), (ASK_FIRST, State.UNCONFIRMED)],
)
def test_each_person_answers_only_while_it_is_their_turn(grant, state):
    intro = {
        State.UNCONFIRMED: proposed(),
        State.AWAITING_TARGET: confirmed(),
        State.AWAITING_SECOND: first_said_yes(),
    }[state]
    with pytest.raises(AlreadyDecided):
        decide(intro, grant, Decision.ACCEPT, T + DAY, via="test")


def test_a_consent_link_cannot_confirm_or_withdraw():
    with pytest.raises(NotAllowed):
        decide(confirmed(), ASK_FIRST, Decision.WITHDRAW, T + DAY, via="test")


@pytest.mark.parametrize("state", [State.UNCONFIRMED, State.AWAITING_TARGET, State.AWAITING_SECOND])
def test_the_connector_withdraws_at_any_time_before_the_introduction(state):
    intro = {
        State.UNCONFIRMED: proposed(),
        State.AWAITING_TARGET: confirmed(),
        State.AWAITING_SECOND: first_said_yes(),
    }[state]
    withdrawn = decide(intro, CONFIRM, Decision.WITHDRAW, T + 3 * DAY, via="test")
    assert withdrawn.state is State.WITHDRAWN and set(withdrawn.outbox) == set(intro.outbox)
    assert (withdrawn.history[-1].actor, withdrawn.history[-1].action) == (Role.CONNECTOR, "withdraw")
    assert seen_by_requester(withdrawn) is Seen.WITHDRAWN
    with pytest.raises(AlreadyDecided):
        decide(introduced(), CONFIRM, Decision.WITHDRAW, T + 3 * DAY, via="test")


def test_a_proposer_who_may_not_propose_is_told_politely_and_nobody_is_asked():
    refused = act(proposed(), CONFIRM, Decision.CONFIRM, T, Admission(allowed=False))
    assert refused.state is State.REFUSED and Kind.TARGET_ASK not in refused.outbox
    assert refused.outbox[Kind.PROPOSAL_NOT_POSSIBLE].status is Delivery.SENT
    assert seen_by_requester(refused) is Seen.NOT_POSSIBLE


def test_a_second_person_who_cannot_be_asked_ends_it_like_any_other_no():
    closed = act(confirmed(), ASK_FIRST, Decision.ACCEPT, T + DAY, Admission(closes=True))
    assert closed.state is State.REFUSED and Kind.SECOND_ASK not in closed.outbox
    assert closed.outbox[Kind.PROPOSAL_CLOSED].status is Delivery.HELD


def test_one_reminder_each_then_polite_expiry():
    first = run(confirmed(), T + TIMINGS.reminder)
    assert first.outbox[Kind.TARGET_REMINDER].status is Delivery.SENT
    second = run(first_said_yes(), T + DAY + TIMINGS.reminder)
    assert second.outbox[Kind.SECOND_REMINDER].status is Delivery.SENT
    expired = run(second, T + D)
    assert expired.state is State.EXPIRED
    assert expired.outbox[Kind.PROPOSAL_CLOSED] == expired.outbox[Kind.PROPOSAL_CLOSED].__class__(
        Kind.PROPOSAL_CLOSED, Delivery.SENT, at=visible_at(expired, TIMINGS)
    )


def test_both_are_asked_did_you_connect_and_each_answers_once():
    done = run(introduced(), T + 2 * DAY + TIMINGS.followup)
    assert done.outbox[Kind.FOLLOWUP].status is Delivery.SENT  # the second person
    assert done.outbox[Kind.TARGET_FOLLOWUP].status is Delivery.SENT  # the first
    no = act(done, FOLLOW[FIRST], Decision.NOT_YET, T + 10 * DAY)
    assert Kind.THANKS not in no.outbox
    yes = act(no, FOLLOW[SECOND], Decision.YES, T + 10 * DAY)
    assert yes.outbox[Kind.THANKS].status is Delivery.SENT and yes.followup == "yes"
    for grant in FOLLOW.values():
        with pytest.raises(AlreadyDecided):
            decide(yes, grant, Decision.YES, T + 11 * DAY, via="test")


def test_an_opt_out_by_the_one_asked_is_a_quiet_no():
    out = act(first_said_yes(), OPTOUT[SECOND], Decision.OPT_OUT, T + 2 * DAY)
    assert out.state is State.DECLINED and out.outbox[Kind.PROPOSAL_CLOSED].status is Delivery.HELD


ENDINGS = {
    "first declines": lambda at: act(confirmed(), ASK_FIRST, Decision.DECLINE, at),
    "first opts out": lambda at: act(confirmed(), OPTOUT[FIRST], Decision.OPT_OUT, at),
    "second declines": lambda at: act(first_said_yes(T), ASK_SECOND, Decision.DECLINE, at),
    "second opts out": lambda at: act(first_said_yes(T), OPTOUT[SECOND], Decision.OPT_OUT, at),
    "first is silent": lambda at: confirmed(),
    "second is silent": lambda at: first_said_yes(T),
}


@settings(max_examples=150, deadline=None)
@given(
    ending=st.sampled_from(sorted(ENDINGS)),
    at=st.integers(T, T + TIMINGS.expiry - 1),
    look=st.integers(T, T + D + 30 * DAY),
)
def test_the_connector_sees_the_same_whoever_said_no_or_nobody(ending, at, look):
    """At any moment, the connector's view and every message to them equal those of the first person
    declining at once: nothing in what they see, or when, says who said no, or whether anyone did."""
    baseline = run(ENDINGS["first declines"](T), look)
    intro = run(ENDINGS[ending](at), look)
    assert seen_by_requester(intro) is seen_by_requester(baseline)
    assert to_connector(intro) == to_connector(baseline)
