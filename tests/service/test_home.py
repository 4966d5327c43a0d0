"""The members' home through the unit of work in memory: sign-in by link and its session, the
person's lists from the index, a link minted from home (one write, the repository's version, a race
read again), and the settings that change the next ask (a pause) or end everything (erasure)."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from warm_intro.domain.errors import InvalidInput, InvalidLink
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.model import Delivery, Kind, Role
from warm_intro.domain.validation import check_email
from warm_intro.services import admission, home, links, my_settings, signin

from .conftest import ADA, ALAN, GRACE, Office

DAY = 86_400
SIGNIN = re.compile(r"https://intros\.example\.org/me/signin/([A-Za-z0-9_\-]+)")


def signed_in(office: Office, email: str):
    assert signin.request_link(
        office.store, office.settings, email, "192.0.2.9", "https://intros.example.org", office.now
    )
    (ask,) = office.store.stored.signin_asks.values()  # what the stream hands the notifier
    assert signin.send_link(office.store, office.mailer, office.settings, ask, office.now)
    assert not signin.send_link(office.store, office.mailer, office.settings, ask, office.now)  # replayed
    text = office.mailer.to(email)[-1].get_body(("plain",)).get_content()
    (secret,) = SIGNIN.findall(text)
    session_id = signin.sign_in(office.store, office.settings, secret, office.now)
    session = signin.current(office.store, session_id, office.now)
    assert session is not None and session.email == email
    return session_id, session


def test_a_link_is_mailed_only_to_someone_known_and_signs_in_once(office):
    assert signin.request_link(
        office.store, office.settings, ALAN, "192.0.2.9", "https://x.example", office.now
    )  # asked like any other address: the page can't tell
    assert office.deliver() == 0 and office.store.stored.signin_asks == {}
    assert office.mailer.to(ALAN) == []  # a typed-in target nobody has asked yet is not known
    session_id, _ = signed_in(office, GRACE)
    assert len(office.store.stored.sessions) == 1 and office.store.stored.signins == {}
    signin.sign_out(office.store, session_id)
    assert signin.current(office.store, session_id, office.now) is None


def test_the_lists_show_each_person_their_own_roles_once_their_ask_went_out(office):
    intro = office.awaiting_connector()
    _, ada = signed_in(office, ADA)
    assert [
        (i.intro.id, i.role) for i in home.items(office.store, ada, office.settings.hash_key, office.now)
    ] == [(intro.id, Role.REQUESTER)]
    _, grace = signed_in(office, GRACE)
    assert [i.role for i in home.items(office.store, grace, office.settings.hash_key, office.now)] == [
        Role.CONNECTOR
    ]


def test_a_link_minted_at_home_opens_the_emails_page_and_is_one_write_one_version_on(office):
    intro = office.awaiting_connector()
    _, grace = signed_in(office, GRACE)
    before, commits = office.store.get(intro.id), len(office.store.commits)
    office.store.race(lambda store: store.write(store.get(intro.id), office.now))  # someone writes first
    token = home.open_item(office.store, grace, office.settings.hash_key, intro.id, "connector", office.now)
    stored = office.store.get(intro.id)
    assert stored.version == before.version + 2 and len(stored.tokens) == len(before.tokens) + 1
    assert office.store.commits[commits:] == [1]  # the conflicted attempt wrote nothing
    opened = links.open_link(office.store, token, office.now)
    assert opened.grant.role is Role.CONNECTOR and opened.intro.id == intro.id
    with pytest.raises(InvalidLink):  # nobody opens another's item
        home.open_item(office.store, grace, office.settings.hash_key, intro.id, "requester", office.now)


def test_a_connector_who_answers_from_home_before_their_ask_went_out_still_sees_it_there(office):
    intro = office.ask()
    office.deliver()
    office.answer(ADA, "confirm")  # the ask to Grace is pending: the stream has not sent it yet
    assert office.store.get(intro.id).outbox[Kind.CONNECTOR_ASK].status is Delivery.PENDING
    _, grace = signed_in(office, GRACE)
    token = home.open_item(office.store, grace, office.settings.hash_key, intro.id, "connector", office.now)
    links.answer(office.store, office.settings, token, "approve", office.now, via="page:v1")
    office.deliver()  # the stream comes late: the ask is no longer wanted
    stored = office.store.get(intro.id)
    assert stored.outbox[Kind.CONNECTOR_ASK].status is Delivery.CANCELLED
    assert office.mailer.to(GRACE)[-1]["Subject"] == "Your sign-in link"  # no ask mailed after her answer
    (item,) = home.items(office.store, grace, office.settings.hash_key, office.now)
    assert item.role is Role.CONNECTOR and item.intro.id == intro.id


def test_a_connectors_pause_holds_the_next_ask_until_it_ends(office):
    _, grace = signed_in(office, GRACE)
    my_settings.pause(office.store, office.settings, grace, office.now + 3 * DAY, office.now)
    assert my_settings.mine(office.store, office.settings, grace).prefs.paused_until == office.now + 3 * DAY
    intro = office.awaiting_connector()
    assert office.store.get(intro.id).outbox[Kind.CONNECTOR_ASK].status is Delivery.HELD
    office.advance(days=1)
    assert admission.release_held(office.settings, office.store, office.now) == 0
    office.advance(days=2.5)
    assert admission.release_held(office.settings, office.store, office.now) == 1
    office.deliver()
    assert office.store.get(intro.id).outbox[Kind.CONNECTOR_ASK].status is Delivery.SENT


def test_never_ask_then_ask_again_and_erasure_ends_every_session(office):
    intro = office.awaiting_target()
    _, alan = signed_in(office, ALAN)
    my_settings.never_ask(office.store, office.settings, alan, office.now)
    assert my_settings.mine(office.store, office.settings, alan).opted_out
    my_settings.ask_again(office.store, office.settings, alan)
    assert not my_settings.mine(office.store, office.settings, alan).opted_out
    signed_in(office, ALAN)
    erased = my_settings.erase(office.store, office.settings, alan, office.now)
    assert erased.introductions == 1 and office.store.stored.sessions == {}
    stored = office.store.get(intro.id)
    assert stored.target.email != ALAN and stored.target.name == "(erased)" and not stored.is_open


@hyp_settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    typed=st.one_of(
        st.sampled_from([GRACE, ADA, ALAN, "GRACE@example.org", "nobody@example.net", "not an address", ""]),
        st.emails(),
        st.text(max_size=80),
    )
)
def test_whatever_is_typed_the_page_mails_nothing_and_stores_the_same_ask(office, typed):
    """The page's work can't depend on who is known: it never mails, and any readable address leaves
    exactly one ask (the notifier decides later); an unreadable one leaves nothing."""
    office.store.stored.signin_asks.clear()
    office.store.stored.hits.clear()  # each example within the limits
    office.store.begin(office.now).people.suppress(address_hash(ADA, office.settings.hash_key), "bounce", 0)
    sent_before = len(office.mailer.sent)
    stored = signin.request_link(
        office.store, office.settings, typed, "192.0.2.7", "https://x.example", office.now
    )
    assert len(office.mailer.sent) == sent_before
    try:
        readable = check_email("email", typed)
    except InvalidInput:
        readable = None
    assert stored is (readable is not None)  # known, unknown or suppressed alike
    assert [a.email for a in office.store.stored.signin_asks.values()] == ([readable] if readable else [])
