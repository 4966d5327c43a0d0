"""Withdrawal and the follow-up answer, in the pure lifecycle."""

from __future__ import annotations

import pytest

from tests.unit.test_schedule import GRANTS, T, delivered, requested, step
from warm_intro.domain.errors import AlreadyDecided
from warm_intro.domain.lifecycle import decide
from warm_intro.domain.model import Decision, Delivery, Grant, Kind, Purpose, Role, State
from warm_intro.domain.rules import DAY

CONFIRM = GRANTS[Decision.CONFIRM]
FOLLOWUP = Grant(Role.REQUESTER, Purpose.FOLLOWUP, T + 99 * DAY)


def open_states():
    unconfirmed = requested()
    connector = step(unconfirmed, Decision.CONFIRM, T)
    target = step(connector, Decision.APPROVE, T)
    return {
        State.UNCONFIRMED: unconfirmed,
        State.AWAITING_CONNECTOR: connector,
        State.AWAITING_TARGET: target,
    }


@pytest.mark.parametrize("state", [State.UNCONFIRMED, State.AWAITING_CONNECTOR, State.AWAITING_TARGET])
def test_withdraw_from_each_open_state_sends_nothing(state):
    intro = open_states()[state]
    withdrawn = decide(intro, CONFIRM, Decision.WITHDRAW, T + DAY, via="test")
    assert withdrawn.state is State.WITHDRAWN and withdrawn.decided_at == T + DAY
    assert set(withdrawn.outbox) == set(intro.outbox)  # nobody is told
    assert (withdrawn.history[-1].actor, withdrawn.history[-1].action) == (Role.REQUESTER, "withdraw")
    assert withdrawn.version == intro.version  # the repository writes it one version on


def test_withdraw_cancels_an_ask_still_waiting_to_go_out():
    intro = decide(requested(), CONFIRM, Decision.CONFIRM, T, via="test")
    assert intro.outbox[Kind.CONNECTOR_ASK].status is Delivery.PENDING
    withdrawn = decide(intro, CONFIRM, Decision.WITHDRAW, T, via="test")
    assert withdrawn.outbox[Kind.CONNECTOR_ASK].status is Delivery.CANCELLED


def test_a_final_request_cannot_be_withdrawn():
    introduced = step(open_states()[State.AWAITING_TARGET], Decision.ACCEPT, T)
    with pytest.raises(AlreadyDecided):
        decide(introduced, CONFIRM, Decision.WITHDRAW, T, via="test")


@pytest.mark.parametrize(
    ("answer", "thanks"), [(Decision.YES, True), (Decision.NOT_YET, False), (Decision.NO, False)]
)
def test_followup_answer_is_recorded_once(answer, thanks):
    introduced = delivered(step(open_states()[State.AWAITING_TARGET], Decision.ACCEPT, T), T)
    answered = decide(introduced, FOLLOWUP, answer, T + 8 * DAY, via="test")
    assert answered.followup == answer.value and (Kind.THANKS in answered.outbox) is thanks
    assert answered.history[-1].action == f"connected:{answer.value}"
    with pytest.raises(AlreadyDecided):
        decide(answered, FOLLOWUP, Decision.YES, T + 9 * DAY, via="test")
