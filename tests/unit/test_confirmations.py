"""The per-address confirmation ledger, as pure rules: whatever a stranger does with an address,
it never has two unanswered confirmations, nor more than the daily cap in any 24 hours."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from warm_intro.domain import confirmations
from warm_intro.domain.rules import DAY, HOUR

WINDOW, PER_DAY = 24 * HOUR, 3

# Each step: a new request, or the person answering (confirming or withdrawing) the mail they have,
# after some seconds have passed.
steps = st.lists(
    st.tuples(st.sampled_from(["request", "confirm", "withdraw"]), st.integers(0, 2 * DAY)), max_size=60
)


@settings(max_examples=200, deadline=None)
@given(steps)
def test_never_two_unanswered_and_never_more_than_the_cap_a_day(script):
    ledger, now, sends, mailed_unanswered = confirmations.ConfirmationLedger(), 0, [], None
    for n, (step, wait) in enumerate(script):
        now += wait
        if mailed_unanswered is not None and now - mailed_unanswered[1] >= WINDOW:
            mailed_unanswered = None  # lapsed with its request
        if step == "request":
            ledger, goes = confirmations.take(ledger, f"i{n}", now, WINDOW, PER_DAY)
            if goes:
                assert mailed_unanswered is None, "a second mail while one is unanswered"
                sends.append(now)
                mailed_unanswered = (f"i{n}", now)
        elif mailed_unanswered is not None:
            ledger = confirmations.answered(ledger, mailed_unanswered[0], now, WINDOW)
            mailed_unanswered = None
            if step == "confirm" and ledger.held and confirmations.may_send(ledger, PER_DAY):
                waiting = ledger.held[0][0]
                ledger = confirmations.promote(ledger, waiting, now)
                sends.append(now)
                mailed_unanswered = (waiting, now)
        assert sum(now - DAY < at <= now for at in sends) <= PER_DAY
        assert len(ledger.sent) <= PER_DAY


def test_a_request_made_while_one_is_unanswered_waits():
    ledger, first = confirmations.take(confirmations.ConfirmationLedger(), "a", 0, WINDOW, PER_DAY)
    ledger, second = confirmations.take(ledger, "b", 60, WINDOW, PER_DAY)
    assert (first, second) == (True, False) and ledger.held == (("b", 60),)


def test_an_unanswered_mail_stops_counting_once_its_request_has_lapsed():
    ledger, _ = confirmations.take(confirmations.ConfirmationLedger(), "a", 0, WINDOW, PER_DAY)
    ledger, goes = confirmations.take(ledger, "b", WINDOW + 1, WINDOW, PER_DAY)
    assert goes and ledger.outstanding == "b"


def test_the_daily_cap_holds_even_when_every_mail_is_answered():
    ledger, sent = confirmations.ConfirmationLedger(), 0
    for n in range(5):
        ledger, goes = confirmations.take(ledger, f"i{n}", n * 60, WINDOW, PER_DAY)
        sent += goes
        ledger = confirmations.answered(ledger, f"i{n}", n * 60 + 30, WINDOW)
    assert sent == PER_DAY
    ledger, goes = confirmations.take(ledger, "tomorrow", DAY + 1, WINDOW, PER_DAY)
    assert goes


def test_a_flood_of_requests_keeps_the_ledger_small_and_the_oldest_first():
    ledger, _ = confirmations.take(confirmations.ConfirmationLedger(), "first", 0, WINDOW, PER_DAY)
    for n in range(10_000):
        ledger, goes = confirmations.take(ledger, f"w{n}", n, WINDOW, PER_DAY)
        assert not goes
    assert [i for i, _ in ledger.held] == [f"w{n}" for n in range(confirmations.MAX_WAITING)]
