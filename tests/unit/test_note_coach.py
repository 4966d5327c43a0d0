"""The note coach: specific hints, never a block, and the same text sent twice goes as written."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from warm_intro.domain.note_coach import LONG_WORDS, Hint, coach, fingerprint

GOOD = (
    "I'm Ada, I write about analytical engines and what they might compute one day. "
    "I'd love 20 minutes with Alan to ask how his reading group chooses its papers, "
    "as I'm starting a similar one in London."
)
REASON = (
    "Ada is starting a reading group on computing machines in London, and Alan has run one at "
    "Bletchley for years. I think they'd enjoy comparing notes on choosing papers."
)


def hints(note: str, **kw) -> set[Hint]:
    return {a.hint for a in coach(note, **kw)}


def test_a_good_note_gets_no_hints():
    assert hints(GOOD, meant_for=("Alan Turing",), last="Something else entirely.") == set()
    assert hints(REASON, meant_for=("Ada Lovelace", "Alan Turing"), proposal=True) == set()


def test_each_hint_is_specific():
    assert hints("Hi, can we talk?") == {Hint.SHORT}
    assert Hint.PLACEHOLDER in hints(GOOD.replace("Alan", "[name]"))
    assert Hint.PLACEHOLDER in hints(GOOD + " I work at {company}.")
    assert Hint.PLACEHOLDER in hints(GOOD + " XXX")
    no_ask = "I'm Ada. I write about analytical engines and the numbers they produce, mostly Bernoulli numbers, for a small journal in London every month."
    assert hints(no_ask) == {Hint.NO_ASK}
    assert hints(GOOD + " more" * LONG_WORDS) == {Hint.LONG}
    assert hints(GOOD, last="  " + GOOD.upper().replace(" ", "\n ")) == {Hint.REPEATED}
    assert hints("Dear Bob,\n" + GOOD, meant_for=("Alan Turing",)) == {Hint.SOMEONE_ELSE}
    assert hints(GOOD + " Could I also meet Charles?", meant_for=("Alan Turing",)) == {Hint.SOMEONE_ELSE}


def test_hints_name_what_they_found():
    (placeholder,) = coach(GOOD.replace("Alan", "[first name]"))
    assert "“[first name]”" in placeholder.text
    (someone,) = coach("Dear Bob,\n" + GOOD, meant_for=("Alan Turing",))
    assert "Bob" in someone.text and "Alan Turing" in someone.text
    (long,) = coach(GOOD + " more" * LONG_WORDS)
    assert f"{len(GOOD.split()) + LONG_WORDS} words" in long.text


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=1500), st.lists(st.text(max_size=30), max_size=2), st.none() | st.text(max_size=200))
def test_any_text_gets_hints_not_errors(note, names, last):
    advice = coach(note, meant_for=tuple(names), last=last)
    assert len({a.hint for a in advice}) == len(advice)  # each hint at most once
    assert all(a.text and "\n" not in a.text for a in advice)


@settings(max_examples=200, deadline=None)
@given(st.text(min_size=1, max_size=400), st.sampled_from([" ", "\n", "  \n ", "\t"]))
def test_the_fingerprint_ignores_only_spacing(note, gap):
    """A browser may send the kept text back with CRLFs or a trailing space: still the same text."""
    assert fingerprint(note) == fingerprint(gap + note.replace(" ", gap) + gap)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(["tea", "maybe", "numbers", "London", "engines"]),
        min_size=LONG_WORDS + 1,
        max_size=300,
    )
)
def test_every_note_over_the_limit_is_told_its_length(words):
    note = " ".join(words)
    assert Hint.LONG in hints(note)
    assert Hint.LONG not in hints(" ".join(words[:LONG_WORDS]))
