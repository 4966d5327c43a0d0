"""The limits as pure rules: each one refuses exactly at its threshold and frees up as time passes."""

from __future__ import annotations

import pytest

from warm_intro.domain import limits
from warm_intro.domain.errors import LimitReached
from warm_intro.domain.limits import Ask, ConnectorLedger, EarlierRequest, RequesterLedger, TargetLedger, Turn
from warm_intro.domain.rules import DAY, Limits, OverCapacity

T = 1_790_000_000
RULES = Limits()


def admitted(n: int, at: int = T, ledger: RequesterLedger | None = None) -> RequesterLedger:
    ledger = ledger or RequesterLedger()
    for i in range(n):
        ledger = limits.admit(ledger, RULES, f"i{i}-{at}", None, f"name{i}-{at}", at)
    return ledger


def closed(ledger: RequesterLedger, now: int, blocked_until: int | None = None) -> RequesterLedger:
    outcomes = {a.intro_id: EarlierRequest(False, None, blocked_until) for a in ledger.asks}
    return limits.settle(ledger, outcomes, now)


def test_three_open_requests_then_a_kind_refusal_until_one_closes():
    ledger = admitted(3)
    with pytest.raises(LimitReached, match="3 requests waiting"):
        limits.admit(ledger, RULES, "fourth", None, "someone", T)
    settled = limits.settle(ledger, {"i0-" + str(T): EarlierRequest(open=False)}, T + 1)
    assert len(limits.admit(settled, RULES, "fourth", None, "someone", T + 1).asks) == 4


def test_ten_requests_in_thirty_days_then_none_until_the_oldest_is_a_month_old():
    ledger = RequesterLedger()
    for day in range(10):
        ledger = closed(limits.admit(ledger, RULES, f"d{day}", None, f"n{day}", T + day * DAY), T + day * DAY)
    with pytest.raises(LimitReached, match="10 requests in the last 30 days"):
        limits.admit(ledger, RULES, "eleventh", None, "x", T + 10 * DAY)
    later = closed(ledger, T + 30 * DAY + 1)
    assert len(limits.admit(later, RULES, "eleventh", None, "x", T + 30 * DAY + 1).asks) == 10


def test_one_open_request_per_target_matched_by_address_else_by_name():
    ledger = limits.admit(RequesterLedger(), RULES, "a", "alan-hash", "alan-name", T)
    with pytest.raises(LimitReached, match="already have a request open"):
        limits.admit(ledger, RULES, "b", "alan-hash", "other-name", T)  # same address, another name
    with pytest.raises(LimitReached, match="already have a request open"):
        limits.admit(ledger, RULES, "b", None, "alan-name", T)  # no address: the name decides
    assert limits.admit(ledger, RULES, "b", "another-hash", "alan-name", T)  # two addresses that differ


def test_confirming_the_same_request_again_is_not_a_second_request():
    ledger = limits.admit(RequesterLedger(), RULES, "a", None, "alan", T)
    assert len(limits.admit(ledger, RULES, "a", None, "alan", T).asks) == 1


def test_a_close_blocks_that_pair_until_its_outcome_says_a_withdrawal_does_not():
    # When the block ends (the requester's own moment plus 180 days) is domain.disclosure's answer.
    ledger = limits.admit(RequesterLedger(), RULES, "a", None, "alan", T)
    blocked = limits.settle(ledger, {"a": EarlierRequest(False, "alan-hash", T + 200 * DAY)}, T + DAY)
    for email in (None, "alan-hash"):
        with pytest.raises(LimitReached, match="recently"):
            limits.admit(blocked, RULES, "b", email, "alan", T + 200 * DAY - 1)
    freed = limits.settle(blocked, {}, T + 200 * DAY)
    assert freed.asks == ()
    assert limits.admit(freed, RULES, "b", None, "alan", T + 200 * DAY)
    withdrawn = limits.settle(ledger, {"a": EarlierRequest(False)}, T + DAY)
    assert limits.admit(withdrawn, RULES, "b", None, "alan", T + DAY)


def test_an_ask_its_requester_still_sees_open_stays_open():
    ledger = limits.admit(RequesterLedger(), RULES, "a", None, "alan", T)
    still = limits.settle(ledger, {"a": EarlierRequest(True)}, T + DAY)
    with pytest.raises(LimitReached, match="already have a request open"):
        limits.admit(still, RULES, "b", None, "alan", T + DAY)


def test_settle_keeps_open_asks_forever_and_forgets_closed_ones_after_a_month():
    ledger = RequesterLedger(asks=(Ask("open", T, None, "x"), Ask("old", T, None, "y", open=False)))
    assert [a.intro_id for a in limits.settle(ledger, {}, T + 31 * DAY).asks] == ["open"]
    assert limits.open_ids(ledger) == ["open"]


def test_connector_gets_two_asks_a_week_by_default_then_the_rest_wait_in_order():
    ledger = ConnectorLedger()
    for i in range(2):
        ledger, turn = limits.take_turn(ledger, RULES, f"i{i}", T + i)
        assert turn is Turn.GO
    ledger, turn = limits.take_turn(ledger, RULES, "third", T + 10)
    assert turn is Turn.HOLD and ledger.held == ("third",)
    assert limits.next_room_at(ledger, RULES, T + 10) == T + limits.WEEK  # when the first ask is a week old
    ledger, turn = limits.take_turn(ledger, RULES, "fourth", T + limits.WEEK)
    assert turn is Turn.HOLD and ledger.held == ("third", "fourth")  # nobody jumps the queue
    assert limits.room(ledger, RULES, T + limits.WEEK) == 1
    ledger = limits.released(ledger, "third", T + limits.WEEK, sent=True)
    assert ledger.held == ("fourth",) and limits.room(ledger, RULES, T + limits.WEEK) == 0


def test_the_default_weekly_cap_is_two_in_the_rules_and_the_settings():
    from warm_intro.settings import Settings

    assert Limits().connector_per_week == 2
    assert Settings(table_name="t", sender="s@example.org", hash_key="k" * 16).limits.connector_per_week == 2


def test_connector_over_capacity_refuses_when_the_organisation_says_so():
    rules = Limits(connector_per_week=1, connector_over_capacity=OverCapacity.REFUSE)
    ledger, first = limits.take_turn(ConnectorLedger(), rules, "a", T)
    _, second = limits.take_turn(ledger, rules, "b", T + 1)
    assert (first, second) == (Turn.GO, Turn.REFUSE)


def test_a_target_address_is_asked_three_times_in_thirty_days_at_most():
    ledger, oks = TargetLedger(), []
    for i in range(4):
        ledger, ok = limits.target_turn(ledger, RULES, T + i)
        oks.append(ok)
    assert oks == [True, True, True, False]
    assert limits.target_turn(ledger, RULES, T + 30 * DAY + 1)[1]
