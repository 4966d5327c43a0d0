"""The link grants as the codec stores them: packed (34 bytes a grant, each expiry once) and read back
exactly, from what boto3 returns, from bytes and from a stream event's base64 text; items written before
(`grants`, 38 bytes a grant, or the `tokens` map) read as they always did."""

from __future__ import annotations

import base64
import hashlib

from boto3.dynamodb.types import Binary
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.stored import T, request
from warm_intro.adapters.codec import _GRANT, PURPOSES, ROLES, from_item, to_item
from warm_intro.domain.model import Grant, Purpose, Role
from warm_intro.domain.rules import Timings
from warm_intro.domain.tokens import digest

TIMINGS = Timings()


def intro(tokens: dict[str, Grant]):
    return request(tokens=tokens)


grants = st.dictionaries(
    st.binary(min_size=1, max_size=40).map(lambda b: digest(b.hex())),
    st.builds(Grant, st.sampled_from(ROLES), st.sampled_from(PURPOSES), st.integers(0, 2**32 - 1)),
    max_size=12,
)


@settings(max_examples=150, deadline=None)
@given(grants)
def test_packed_grants_read_back_exactly_in_every_form_storage_hands_them_over(tokens):
    item = to_item(intro(tokens), TIMINGS)
    assert "tokens" not in item and "grants" not in item
    if not tokens:
        assert "links" not in item and from_item(item).tokens == {}
        return
    packed = item["links"]
    assert len(packed) == 1 + 4 * len({g.expires_at for g in tokens.values()}) + 34 * len(tokens)
    for stored in (packed, Binary(packed), base64.b64encode(packed).decode()):
        assert from_item({**item, "links": stored}).tokens == tokens
    assert from_item(item).tokens == tokens


@settings(max_examples=100, deadline=None)
@given(grants)
def test_grants_written_before_with_an_expiry_each_read_as_they_always_did(tokens):
    item = {k: v for k, v in to_item(intro({}), TIMINGS).items() if k != "links"}
    packed = b"".join(
        _GRANT.pack(
            base64.urlsafe_b64decode(h + "="), ROLES.index(g.role), PURPOSES.index(g.purpose), g.expires_at
        )
        for h, g in tokens.items()
    )
    for stored in (packed, Binary(packed), base64.b64encode(packed).decode()):
        assert from_item({**item, "grants": stored}).tokens == tokens


def test_every_role_and_purpose_has_its_place_in_the_stored_tables():
    assert set(ROLES) == set(Role) and set(PURPOSES) == set(Purpose)
    assert len(set(ROLES)) == len(ROLES) and len(set(PURPOSES)) == len(PURPOSES)


def test_an_item_written_before_keeps_its_tokens_map():
    h = digest("a-secret-from-an-older-release-0123456789")
    item = to_item(intro({}), TIMINGS)
    item["tokens"] = {h: {"r": "target", "p": "consent", "x": T + 60}}
    assert from_item(item).tokens == {h: Grant(Role.TARGET, Purpose.CONSENT, T + 60)}


def test_a_hash_the_domain_never_makes_is_stored_as_it_was():
    """Not a SHA-256 in unpadded base64url: kept whole in the map rather than mangled."""
    odd = {
        "not-a-digest": Grant(Role.REQUESTER, Purpose.CONFIRM, T),
        base64.urlsafe_b64encode(hashlib.sha256(b"x").digest()).decode(): Grant(
            Role.TARGET, Purpose.OPTOUT, T
        ),
    }
    item = to_item(intro(odd), TIMINGS)
    assert "links" not in item and from_item(item).tokens == odd


def test_an_expiry_beyond_32_bits_is_stored_as_it_was():
    far = {digest("far"): Grant(Role.CONNECTOR, Purpose.REVIEW, 2**32)}
    item = to_item(intro(far), TIMINGS)
    assert "links" not in item and from_item(item).tokens == far
