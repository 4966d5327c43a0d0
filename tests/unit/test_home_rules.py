"""The pure rules behind members' home: session cookies and CSRF, and a connector's own preferences
(pause, weekly limit) against the organisation's cap, over whole input spaces."""

from __future__ import annotations

from dataclasses import replace

from hypothesis import given, settings
from hypothesis import strategies as st

from warm_intro.domain import sessions
from warm_intro.domain.limits import ConnectorLedger, Turn, take_turn
from warm_intro.domain.preferences import Preferences, connector_turn, own_limits
from warm_intro.domain.rules import Limits, OverCapacity

NOW = 1_790_000_000
WEEK = 7 * 86400


def test_a_new_session_has_its_own_random_id_csrf_and_a_week():
    one_id, one_hash, one = sessions.new_session("ada@example.org", "h", NOW)
    two_id, two_hash, two = sessions.new_session("ada@example.org", "h", NOW)
    assert len({one_id, two_id, one.csrf, two.csrf, one_hash, two_hash}) == 6
    assert one_hash != one_id and sessions.well_formed(one_id)
    assert one.valid_at(NOW + WEEK - 1) and not one.valid_at(NOW + WEEK)


@settings(max_examples=150, deadline=None)
@given(
    secure=st.booleans(),
    noise=st.lists(st.text(alphabet=st.characters(codec="ascii"), max_size=30), max_size=4),
)
def test_the_cookie_set_is_the_cookie_read_whatever_else_the_browser_sends(secure, noise):
    session_id, _, _ = sessions.new_session("a@example.org", "h", NOW)
    header = sessions.set_cookie(session_id, secure)
    pair = header.split(";", 1)[0]
    assert sessions.session_id_from([*noise, pair], secure) == session_id
    assert sessions.session_id_from([pair], not secure) is None  # the other scheme's name is not ours
    assert ("; Secure" in header) is secure and header.startswith("__Host-" if secure else "session=")


@settings(max_examples=150, deadline=None)
@given(sent=st.one_of(st.none(), st.text(max_size=60)))
def test_only_the_sessions_own_csrf_token_passes(sent):
    _, _, session = sessions.new_session("a@example.org", "h", NOW)
    assert sessions.csrf_ok(session, sent) is (sent == session.csrf)
    assert sessions.csrf_ok(session, session.csrf)


ledgers = st.builds(
    ConnectorLedger,
    version=st.just(1),
    asks=st.lists(st.integers(NOW - 2 * WEEK, NOW), max_size=8).map(tuple),
    held=st.lists(st.sampled_from(["a", "b", "c"]), max_size=2, unique=True).map(tuple),
)


@settings(max_examples=200, deadline=None)
@given(
    ledger=ledgers,
    org=st.integers(1, 6),
    own=st.one_of(st.none(), st.integers(1, 10)),
    paused=st.one_of(st.none(), st.integers(NOW - WEEK, NOW + 4 * WEEK)),
    policy=st.sampled_from(list(OverCapacity)),
)
def test_a_connectors_preferences_never_let_more_asks_through_than_the_organisation(
    ledger, org, own, paused, policy
):
    limits = Limits(connector_per_week=org, connector_over_capacity=policy)
    prefs = Preferences(paused_until=paused, week_limit=own)
    after, turn, due = connector_turn(ledger, limits, prefs, "new", NOW)
    _, org_turn = take_turn(ledger, limits, "new", NOW)
    assert own_limits(limits, prefs).connector_per_week <= org
    if turn is Turn.GO:
        assert org_turn is Turn.GO and not prefs.paused(NOW)
        assert sum(at > NOW - WEEK for at in after.asks) <= min(org, own or org)
    if prefs.paused(NOW):
        assert turn is (Turn.REFUSE if policy is OverCapacity.REFUSE else Turn.HOLD)
    if turn is Turn.HOLD:
        assert after.held[-1] == "new" and due is not None
        assert not prefs.paused(NOW) or due >= paused
    if turn is Turn.REFUSE:
        assert after == replace(after, held=ledger.held) and "new" not in after.held
