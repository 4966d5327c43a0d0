"""'Never ask me again' holds for every spelling of an address (issue 11, item 3), through the
services against moto: an opt-out made under one spelling stops asks made under any other."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from tests.unit.test_mailbox import mailboxes, respelled
from warm_intro.domain.hashing import address_hash, hashes
from warm_intro.domain.mailbox import canonical
from warm_intro.domain.model import State

from .deployment import deployment

ADA, GRACE, KATHERINE = "ada@example.org", "grace@example.org", "katherine@example.org"
LOCAL = st.text("abcdefghijklmnopqrstuvwxyz0123456789", min_size=3, max_size=10)


def members(d) -> None:
    for email, name in ((ADA, "Ada Lovelace"), (GRACE, "Grace Hopper"), (KATHERINE, "Katherine Johnson")):
        d.member(email, name)


def opt_out_through_the_consent_page(d, spelled: str) -> None:
    first = d.ask((ADA, "Ada Lovelace"), GRACE, ("Bob Example", spelled))
    assert d.answer(ADA, first, "confirm") and d.answer(GRACE, first, "approve")
    assert d.answer(spelled, first, "opt_out")
    assert d.repo.get(first).state is State.DECLINED


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data(), base=mailboxes(local=LOCAL), given_by=st.sampled_from(["requester", "connector"]))
def test_an_opt_out_under_one_spelling_stops_asks_under_every_other(data, base, given_by):
    spelled = data.draw(respelled(base, ascii_only=True), label="opted out as")
    asked_as = data.draw(respelled(base), label="asked for as")
    with deployment() as d:
        members(d)
        opt_out_through_the_consent_page(d, spelled)
        mailed = len(d.mail_to(base))
        try:
            second = d.ask(
                (KATHERINE, "Katherine Johnson"),
                GRACE,
                ("Bob Example", asked_as if given_by == "requester" else None),
            )
        except ValidationError:  # a spelling the door refuses (compatibility characters): nobody is asked
            assert not asked_as.isascii()
            return
        assert d.answer(KATHERINE, second, "confirm")
        d.answer(GRACE, second, "approve", target_email=None if given_by == "requester" else asked_as)
        assert len(d.mail_to(base)) == mailed, "an opted-out mailbox was asked again"
        assert d.repo.get(second).state is not State.AWAITING_TARGET
        assert d.repo.suppressed([address_hash(asked_as, d.settings.hash_key)])


@pytest.mark.parametrize("spelled", ["Bob.Smith+news@Gmail.com", "bob+x@example.org", "B.O.B@googlemail.com"])
def test_an_opt_out_recorded_before_canonical_identities_still_holds(spelled):
    """The suppression written by earlier versions is keyed on the address as typed, lower-cased: the
    same spelling is still found, without any migration."""
    with deployment() as d:
        members(d)
        new, old = hashes(spelled, d.settings.hash_key)
        assert canonical(spelled) != spelled.lower()
        d.repo.suppress(old, "opted_out", d.now)  # what the old code wrote
        second = d.ask((KATHERINE, "Katherine Johnson"), GRACE, ("Bob Example", spelled))
        assert d.answer(KATHERINE, second, "confirm") and d.answer(GRACE, second, "approve")
        assert d.mail_to(spelled) == [] and d.repo.get(second).state is State.REFUSED
        assert d.repo.suppressed([address_hash(spelled, d.settings.hash_key)]) == {new}
