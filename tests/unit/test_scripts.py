"""Every script and every emoji (issue 19): real names and sentences are accepted as typed and reach
every header and body of every message intact; only what could hide or reorder text is refused."""

from __future__ import annotations

import html as html_lib
from dataclasses import replace
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.parser import BytesParser
from email.utils import getaddresses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from local.screenshot_emails import INTRO, SETTINGS, sample_links
from tests.support.scripts import DANGEROUS, NAMES, SENTENCES
from warm_intro.domain.errors import InvalidInput
from warm_intro.domain.model import Kind, Person, Target
from warm_intro.domain.validation import check_name, check_text
from warm_intro.views.emails import UNPROVEN, compose

ADDRESSES = {"ada@example.org": "requester", "grace@example.org": "connector", "alan@example.net": "target"}


@pytest.mark.parametrize("name", NAMES)
def test_real_names_in_every_script_are_accepted_as_typed(name):
    assert check_name("name", name) == name


@pytest.mark.parametrize("sentence", SENTENCES)
def test_real_sentences_in_every_script_are_accepted_as_typed(sentence):
    assert check_text("blurb", sentence, 1200) == sentence


@settings(max_examples=150, deadline=None)
@given(name=st.sampled_from(NAMES), bad=st.sampled_from(DANGEROUS), at=st.integers(min_value=0, max_value=40))
def test_controls_separators_and_bidi_reordering_are_still_refused(name, bad, at):
    at = 1 + at % (len(name) - 1)  # inside: at the edges, trimming text removes what is whitespace
    hostile = name[:at] + bad + name[at:]
    with pytest.raises(InvalidInput):
        check_name("name", hostile)
    with pytest.raises(InvalidInput):
        check_text("blurb", hostile + " and twenty more characters", 1200)


def _decoded(value: str) -> str:
    return str(make_header(decode_header(value)))


@pytest.mark.parametrize("kind", list(Kind))
@pytest.mark.parametrize("names", [NAMES[i : i + 3] for i in range(0, len(NAMES), 3)], ids=lambda n: n[0])
def test_names_and_notes_survive_into_every_header_and_body(kind, names):
    requester, connector, target = (names + NAMES)[:3]
    blurb, note = SENTENCES[len(names[0]) % len(SENTENCES)], SENTENCES[-1]
    intro = replace(
        INTRO,
        requester=Person(requester, "ada@example.org"),
        connector=Person(connector, "grace@example.org"),
        target=Target(target, "alan@example.net", INTRO.target.about),
        blurb=blurb,
        note=note,
    )
    raw = compose(kind, intro, sample_links(), SETTINGS).as_bytes()
    modern = BytesParser(policy=policy.default).parsebytes(raw)
    compat = message_from_bytes(raw)
    name_of = {"ada@example.org": requester, "grace@example.org": connector, "alan@example.net": target}
    if kind in UNPROVEN:  # to an address nobody has proven: no name beside it
        name_of = dict.fromkeys(name_of, "")
    for header in ("To", "Cc", "Reply-To"):
        for address in modern[header].addresses if modern[header] else ():
            assert address.display_name == name_of[address.addr_spec]
        for shown, addr in getaddresses(compat.get_all(header, [])):
            assert _decoded(shown) == name_of[addr]
    # The same message as for the sample introduction, with only the names and texts swapped in.
    sample = BytesParser(policy=policy.default).parsebytes(
        compose(kind, INTRO, sample_links(), SETTINGS).as_bytes()
    )
    swap = {
        INTRO.requester.name: requester,
        INTRO.connector.name: connector,
        INTRO.target.name: target,
        INTRO.blurb: blurb,
        INTRO.note: note,
    }

    def swapped(value: str) -> str:
        for old, new in swap.items():
            value = value.replace(old, new)
        return value

    assert str(modern["Subject"]) == swapped(str(sample["Subject"]))
    assert _decoded(compat["Subject"].replace("\n ", " ")) == str(modern["Subject"])
    for subtype, read in (("plain", str), ("html", html_lib.unescape)):
        got = read(modern.get_body((subtype,)).get_content())
        assert got == swapped(read(sample.get_body((subtype,)).get_content())), subtype
