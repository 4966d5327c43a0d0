"""The welcome mail (`warm-intro members welcome`, services.welcome) against the unit of work in memory:
each member not yet happy to be asked is mailed once, ever; the link's yes is recorded; a run that died
between the mark and SES never mails that member again."""

from __future__ import annotations

import re

import pytest

from warm_intro.domain.errors import InvalidLink, LinkExpired, MailRefused
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.rules import DAY
from warm_intro.services import welcome

from .conftest import ADA, ALAN, GRACE, Office

JOAN, ALAN_NAME = "joan@example.org", "Alan Turing"
WELCOME = re.compile(r"https://intros\.example\.org/welcome/([A-Za-z0-9_\-]+)")


@pytest.fixture
def club() -> Office:
    """Grace and Ada already agreed (as the office's members do); Joan and Alan were never asked."""
    office = Office()
    office.store.put_member(JOAN, "Joan Clarke", agreed=False)
    office.store.put_member(ALAN, ALAN_NAME, agreed=False)
    return office


def _send(office: Office, dry_run: bool = False) -> welcome.Welcomed:
    return welcome.send_all(
        office.store, office.mailer, office.settings.hash_key, office.settings, office.now, dry_run
    )


def _secret(office: Office, address: str) -> str:
    (mail,) = office.mailer.to(address)
    found = WELCOME.findall(mail.get_body(("plain",)).get_content())
    assert found, f"no welcome link mailed to {address}"
    return found[0]


def test_each_member_not_yet_happy_to_be_asked_is_welcomed_once(club):
    dry = _send(club, dry_run=True)
    assert sorted(dry.sent) == [ALAN, JOAN] and dry.agreed == 2 and club.mailer.sent == []

    done = _send(club)
    assert sorted(done.sent) == [ALAN, JOAN] and done.agreed == 2 and done.before == 0
    assert [to for _, to, _ in club.mailer.sent] == [[ALAN], [JOAN]]  # members() is sorted
    assert club.mailer.to(JOAN)[0]["Subject"] == "Would you be happy to be asked for introductions?"
    assert club.store.stored.welcomed == {ALAN: "sent", JOAN: "sent"}

    club.advance(1)
    again = _send(club)
    assert again.sent == [] and again.before == 2 and len(club.mailer.sent) == 2


def test_an_opted_out_member_is_never_mailed(club):
    club.store.begin(club.now).people.suppress(address_hash(JOAN, club.settings.hash_key), "opted_out", 0)
    done = _send(club)
    assert done.sent == [ALAN] and done.suppressed == 1 and club.mailer.to(JOAN) == []
    assert JOAN not in club.store.stored.welcomed


def test_a_run_that_died_before_ses_answered_leaves_the_member_uncertain(club):
    club.mailer.refuse = 1  # the first send (Alan's) fails after his mark was taken
    with pytest.raises(MailRefused):
        _send(club)
    assert club.store.stored.welcomed == {ALAN: "sending"} and club.mailer.sent == []

    done = _send(club)
    assert done.uncertain == [ALAN] and done.sent == [JOAN]
    assert club.mailer.to(ALAN) == []  # never re-sent automatically


def test_the_link_shows_the_member_and_records_their_yes_once(club):
    _send(club)
    secret = _secret(club, JOAN)
    assert welcome.open_welcome(club.store, secret, club.now) == (JOAN, "Joan Clarke", False)
    assert JOAN not in club.store.stored.agreements  # opening it changes nothing

    assert welcome.agree(club.store, secret, club.now) == "Joan Clarke"
    assert JOAN in club.store.stored.agreements
    assert welcome.open_welcome(club.store, secret, club.now) == (JOAN, "Joan Clarke", True)
    assert welcome.agree(club.store, secret, club.now) == "Joan Clarke"  # idempotent
    assert _send(club).sent == []  # agreed now: nothing more to send


def test_a_link_that_is_unknown_expired_or_for_a_former_member_is_refused(club):
    _send(club)
    secret, alan = _secret(club, JOAN), _secret(club, ALAN)
    with pytest.raises(InvalidLink):
        welcome.open_welcome(club.store, "x" * 32, club.now)
    with pytest.raises(InvalidLink):
        welcome.agree(club.store, secret[:31], club.now)  # too short to be one of ours

    club.store.begin(club.now).people.remove_member(ALAN)
    with pytest.raises(InvalidLink):
        welcome.open_welcome(club.store, alan, club.now)

    club.advance(welcome.LINK / DAY)
    with pytest.raises(LinkExpired):
        welcome.agree(club.store, secret, club.now)
    assert JOAN not in club.store.stored.agreements and ADA in club.store.stored.agreements
    assert GRACE in club.store.stored.agreements


def test_a_member_imported_with_a_language_is_welcomed_in_it(club):
    club.store.stored.member_languages[JOAN] = "de"  # the members CSV's language column
    _send(club)
    assert club.mailer.to(JOAN)[0]["Subject"] == "Möchten Sie um Vorstellungen gebeten werden?"
    assert club.mailer.to(ALAN)[0]["Subject"] == "Would you be happy to be asked for introductions?"
