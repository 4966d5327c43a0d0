"""The directory's words: case, accents, punctuation and the line's own filler never decide a match."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from warm_intro.domain import directory
from warm_intro.domain.errors import InvalidInput

TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=200)


@settings(max_examples=150, deadline=None)
@given(TEXT)
def test_words_are_plain_distinct_and_stable(text):
    found = directory.words(text)
    assert len(found) == len(set(found)) <= directory.MAX_WORDS
    assert all(w.isascii() and w == w.casefold() and len(w) >= 2 and w not in directory.STOP for w in found)
    assert directory.words(" ".join(found)) == found  # a search typed from a line's words finds it


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.sampled_from(["Zürich", "ZURICH", "zurich,", "(Zürich)", "zürich!"]), min_size=1, max_size=3)
)
def test_spelling_and_punctuation_do_not_decide_a_match(spellings):
    assert {directory.words(s) for s in spellings} == {("zurich",)}


def test_the_longest_word_is_looked_up_and_the_rest_filter():
    assert directory.lookup(directory.words("the Navy in Philadelphia")) == ("philadelphia", ("navy",))
    assert directory.lookup(directory.words("I'm glad to introduce people to")) is None


@pytest.mark.parametrize("line", ["", "   ", "x" * 141, "I'm glad to introduce people to"])
def test_a_line_needs_a_word_and_a_limit(line):
    with pytest.raises(InvalidInput):
        directory.check_line(line)


def test_entry_ids_are_opaque_and_well_formed():
    entry = directory.entry_id("some-keyed-hash")
    assert directory.well_formed(entry) and "some" not in entry
    assert not directory.well_formed("../" + entry[3:]) and not directory.well_formed(entry.upper())
