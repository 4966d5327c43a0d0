"""One mailbox, many spellings: the canonical form and the keyed hash every limit and opt-out uses."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from warm_intro.domain.hashing import HashKey, address_hash, hashes, legacy_form, person_key
from warm_intro.domain.mailbox import canonical

KEY = "unit-test-hash-key-0123456789"
LOCAL = st.text("abcdefghijklmnopqrstuvwxyz0123456789_-", min_size=1, max_size=12)
# A tag keeps the local part a dot-atom (dots only between other characters), as an address must be.
TAG = st.lists(st.text("abcdefghijklmnopqrstuvwxyz0123456789+-", min_size=1, max_size=3), max_size=3).map(
    ".".join
)
DOMAIN = st.sampled_from(["gmail.com", "googlemail.com", "example.org", "mail.example.net", "corp.example"])
# Compatibility forms NFKC folds onto ASCII: fullwidth letters and digits, the fullwidth @ and full stop.
FULLWIDTH = {c: chr(ord(c) + 0xFEE0) for c in "abcdefghijklmnopqrstuvwxyz0123456789@."}


@st.composite
def mailboxes(draw, local=LOCAL, domain=DOMAIN) -> str:
    return f"{draw(local)}@{draw(domain)}"


@st.composite
def respelled(draw, base: str, ascii_only: bool = False) -> str:
    """Another spelling of `base`'s mailbox: case, a +tag, dots where the provider ignores them,
    googlemail for gmail, compatibility characters (unless `ascii_only`), spaces around it."""
    spelled, domain = base.split("@")
    if domain in ("gmail.com", "googlemail.com"):
        spelled = spelled.replace(".", "")  # then dots only between letters: the local part stays a dot-atom
        cuts = sorted(draw(st.sets(st.integers(1, max(1, len(spelled) - 1)), max_size=4)))
        spelled = ".".join(
            spelled[a:b] for a, b in zip([0, *cuts], [*cuts, len(spelled)], strict=True) if b > a
        )
    if draw(st.booleans()):
        spelled += "+" + draw(TAG)
    other_domain = {"gmail.com": "googlemail.com", "googlemail.com": "gmail.com"}.get(domain, domain)
    spelled += "@" + draw(st.sampled_from([domain, other_domain]))
    forms = (lambda c: [c, c.upper()]) if ascii_only else (lambda c: [c, c.upper(), FULLWIDTH.get(c, c)])
    spelled = "".join(draw(st.sampled_from(forms(c))) for c in spelled)
    return draw(st.sampled_from(["", " "])) + spelled + draw(st.sampled_from(["", "\t"]))


@st.composite
def spellings(draw, local=LOCAL, domain=DOMAIN) -> tuple[str, str]:
    base = draw(mailboxes(local, domain))
    return base, draw(respelled(base))


@settings(max_examples=200, deadline=None)
@given(spellings())
def test_every_spelling_of_a_mailbox_has_one_identity(pair):
    base, other = pair
    assert canonical(other) == canonical(base)
    assert address_hash(other, KEY) == address_hash(base, KEY)
    assert person_key(other, "anyone", KEY) == person_key(base, "anyone", KEY)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_canonical_is_idempotent_and_normalised(text):
    once = canonical(text)
    assert canonical(once) == once and unicodedata.is_normalized("NFKC", once)
    assert not once.isascii() or once == once.lower()


@settings(max_examples=200, deadline=None)
@given(LOCAL, LOCAL, st.sampled_from(["example.org", "mail.example.net"]))
def test_different_mailboxes_stay_different(one, two, domain):
    if one != two:
        assert address_hash(f"{one}@{domain}", KEY) != address_hash(f"{two}@{domain}", KEY)
    # Dots count where the provider has not said they don't.
    assert canonical(f"a.b{one}@{domain}") != canonical(f"ab{one}@{domain}")


def test_the_organisation_names_more_dot_insensitive_domains_through_its_key():
    key = HashKey(KEY, {"corp.example"})
    assert address_hash("j.doe@Corp.Example", key) == address_hash("jdoe+x@corp.example", key)
    assert address_hash("j.doe@corp.example", KEY) != address_hash("jdoe@corp.example", KEY)


def test_the_earlier_hash_is_kept_for_spellings_hashed_differently_before():
    assert hashes("ada@example.org", KEY) == (address_hash("ada@example.org", KEY),)
    new, old = hashes(" Bob.Smith+x@Gmail.com", KEY)
    assert new == address_hash("bobsmith@gmail.com", KEY) and old != new
    assert legacy_form(" Bob.Smith+x@Gmail.com") == "bob.smith+x@gmail.com"


def test_what_is_not_an_address_is_only_folded():
    assert canonical(" 2001:DB8::1 ") == "2001:db8::1" and canonical("+x@") == "+x@"
