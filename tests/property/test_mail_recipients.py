"""Nobody receives mail meant for someone else (issue 11, item 1): for every message kind and any
name, hostile or not, the MIME we send names exactly the intended recipients however it is parsed
(the modern parser, compat32, `getaddresses` on either), SES is handed exactly those recipients,
and no subject names an address."""

from __future__ import annotations

import base64
import re
from dataclasses import replace
from email import message_from_bytes, policy
from email.header import decode_header, make_header
from email.parser import BytesParser
from email.utils import getaddresses

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from local.screenshot_emails import INTRO, SETTINGS, sample_links
from warm_intro.adapters.mailer import Mailer
from warm_intro.domain.errors import InvalidInput
from warm_intro.domain.model import Kind, Person, Role, Target
from warm_intro.domain.validation import check_name
from warm_intro.views.emails import compose, envelope

ADDRESS = {
    Role.REQUESTER: "ada@example.org",
    Role.CONNECTOR: "grace@example.org",
    Role.TARGET: "alan@example.net",
}
# Written out here, not imported, so the test states the promise rather than echoing the code.
TO = {
    Kind.CONFIRM_REQUEST: [Role.REQUESTER],
    Kind.NOT_POSSIBLE: [Role.REQUESTER],
    Kind.CLOSED: [Role.REQUESTER],
    Kind.FOLLOWUP: [Role.REQUESTER],
    Kind.CONNECTOR_ASK: [Role.CONNECTOR],
    Kind.CONNECTOR_REMINDER: [Role.CONNECTOR],
    Kind.THANKS: [Role.CONNECTOR],
    Kind.TARGET_ASK: [Role.TARGET],
    Kind.TARGET_REMINDER: [Role.TARGET],
    Kind.INTRODUCTION: [Role.REQUESTER, Role.TARGET],
    # a proposal's own messages: the person asked second is held in the requester's place
    Kind.CONFIRM_PROPOSAL: [Role.CONNECTOR],
    Kind.PROPOSAL_NOT_POSSIBLE: [Role.CONNECTOR],
    Kind.PROPOSAL_CLOSED: [Role.CONNECTOR],
    Kind.SECOND_ASK: [Role.REQUESTER],
    Kind.SECOND_REMINDER: [Role.REQUESTER],
    Kind.TARGET_FOLLOWUP: [Role.TARGET],
}
CC = {Kind.INTRODUCTION: [Role.CONNECTOR]}
# Never the requester on what the connector is asked: a "no" typed as a reply must not reach them.
REPLY_TO = {
    Kind.TARGET_ASK: [Role.CONNECTOR],
    Kind.TARGET_REMINDER: [Role.CONNECTOR],
    Kind.SECOND_ASK: [Role.CONNECTOR],
    Kind.SECOND_REMINDER: [Role.CONNECTOR],
    Kind.INTRODUCTION: [Role.REQUESTER, Role.TARGET],
    Kind.THANKS: [Role.REQUESTER],
}
AN_ADDRESS = re.compile(r"[^\s<>\"(),;:]+@[^\s<>\"(),;:]+\.[A-Za-z]{2,}")

PAYLOADS = [
    "eve@evil.example",
    "Eve <eve@evil.example>",
    "x, eve@evil.example",
    "x; eve@evil.example",
    "\r\nBcc: eve@evil.example",
    "\nTo: eve@evil.example",
    '"',
    '", eve@evil.example, "',
    "<eve@evil.example>,",
    "group: eve@evil.example;",
    "(comment) eve@evil.example",
    "\\",
    "\x00",
    "\u202eelpmaxe.live@eve",
]
CHARSETS = [
    "utf-8",
    "UTF-8",
    "iso-8859-1",
    "us-ascii",
    "windows-1252",
    "utf-16",
    "utf-16-le",
    "utf-7",
    "koi8-r",
    "shift_jis",
    "iso-2022-jp",
    "gb2312",
    "big5",
    "euc-kr",
    "iso-8859-15",
    "unknown-8bit",
    "x-unknown",
]


def _q(data: bytes) -> str:
    return "".join(chr(b) if chr(b).isalnum() else "_" if b == 0x20 else f"={b:02X}" for b in data)


@st.composite
def encoded_words(draw) -> str:
    """RFC 2047 encoded-words in many charsets and both encodings, with a hostile payload."""
    payload = draw(st.sampled_from(PAYLOADS) | st.text(alphabet="<>@,;:\"'\\ \r\n\tevilx.", max_size=30))
    charset = draw(st.sampled_from(CHARSETS))
    codec = {"unknown-8bit": "latin-1", "x-unknown": "utf-8"}.get(charset, charset)
    try:
        data = payload.encode(codec)
    except UnicodeEncodeError:
        data = payload.encode("utf-8")
    encoding = draw(st.sampled_from("qQbB"))
    text = _q(data) if encoding in "qQ" else base64.b64encode(data).decode()
    language = draw(st.sampled_from(["", "*en", "*EN-us"]))
    word = f"=?{charset}{language}?{encoding}?{text}?="
    before = draw(st.sampled_from(["", "Eve ", '"', "Eve, ", "=?utf-8?q?a?= "]))
    return before + word + draw(st.sampled_from(["", " <x@y.example>", "?=", " =?utf-8?q?b?="]))


HOMOGLYPHS = (
    "\uff20\ufe6b\uff1c\uff1e\ufe64\ufe65\u2039\u203a\uff0c\uff1b\uff02\u201c\u201d\uff1d\uff1f\u2024"
)
BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
SPECIALS = "<>@,;:\"\\()[].=?'`\r\n\t\x00\x1b\x7f\x85\u2028\u2029\ufeff"

hostile_names = st.one_of(
    encoded_words(),
    st.text(
        alphabet=st.sampled_from(SPECIALS + HOMOGLYPHS + BIDI + "Ada Lovelace evil.example"), max_size=60
    ),
    st.lists(
        st.sampled_from([*PAYLOADS, "Ada", "Lovelace", "=?", "?=", "Zoë", "李", "\u200d", "👩‍💻"]), max_size=8
    ).map(" ".join),
    st.text(max_size=40),
    st.text(alphabet='Ada\u0301 ,"<>', min_size=200, max_size=1200),  # very long
)


def intended(kind: Kind, roles: dict[Kind, list[Role]], leave_out: frozenset[str] = frozenset()) -> list[str]:
    return [ADDRESS[r] for r in roles.get(kind, []) if ADDRESS[r] not in leave_out]


def decoded(value: str) -> str:
    """Unfolded and with every encoded-word decoded."""
    return str(make_header(decode_header(re.sub(r"\r?\n(?=[ \t])", "", value))))


class RecordingClient:
    def __init__(self):
        self.calls: list[dict] = []

    def send_email(self, **kwargs):
        self.calls.append(kwargs)
        return {"MessageId": "0100-recorded"}


def sent(kind: Kind, intro, leave_out=frozenset()) -> tuple[bytes, dict]:
    client = RecordingClient()
    message = compose(kind, intro, sample_links(), SETTINGS, leave_out)
    people = envelope(kind, intro, leave_out)
    Mailer(client).send(message, [p.email for p in people.to], [p.email for p in people.cc])
    (call,) = client.calls
    return call["Content"]["Raw"]["Data"], call.get("Destination", {})


def assert_only_intended(kind: Kind, raw: bytes, destination: dict, leave_out=frozenset()) -> None:
    modern = BytesParser(policy=policy.default).parsebytes(raw)
    compat = message_from_bytes(raw)  # compat32
    for header, roles in (("To", TO), ("Cc", CC), ("Reply-To", REPLY_TO)):
        want = intended(kind, roles, leave_out if header == "Cc" else frozenset())
        assert len(modern.get_all(header, [])) == (1 if want else 0), header
        assert ([a.addr_spec for a in modern[header].addresses] if want else []) == want, header
        assert [a for _, a in getaddresses(compat.get_all(header, []))] == want, header
        assert [a for _, a in getaddresses([str(h) for h in modern.get_all(header, [])])] == want, header
        # A careless client decodes the whole header before splitting it: it may fail to read a name
        # (an unbalanced bracket), but must never find an address that is not one of ours.
        careless = {a for _, a in getaddresses([decoded(h) for h in compat.get_all(header, [])])}
        assert careless - {""} <= set(want), header
    # From is always the organisation's verified sender alone, whatever the connector's name in it.
    assert [a.addr_spec for a in modern["From"].addresses] == [SETTINGS.sender]
    assert [a for _, a in getaddresses(compat.get_all("From", []))] == [SETTINGS.sender]
    careless = {a for _, a in getaddresses([decoded(h) for h in compat.get_all("From", [])])}
    assert careless - {""} <= {SETTINGS.sender}
    for header in ("Bcc", "Resent-To", "Resent-Cc", "Sender"):
        assert modern[header] is None and compat[header] is None, header
    assert destination == {
        "ToAddresses": intended(kind, TO),
        **({"CcAddresses": intended(kind, CC, leave_out)} if intended(kind, CC, leave_out) else {}),
    }
    for subject in (str(modern["Subject"]), decoded(compat["Subject"])):
        assert not AN_ADDRESS.search(subject), subject
        assert "\n" not in subject and "\r" not in subject


def cast(requester: str, connector: str, target: str):
    return replace(
        INTRO,
        requester=Person(requester, ADDRESS[Role.REQUESTER]),
        connector=Person(connector, ADDRESS[Role.CONNECTOR]),
        target=Target(target, ADDRESS[Role.TARGET], INTRO.target.about),
    )


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(list(Kind)),
    names=st.tuples(hostile_names, hostile_names, hostile_names),
    drop_cc=st.booleans(),
)
# Python 3.13.0's folder: a long quoted name loses its quotes and its bracket swallows the address; a
# long name with emoji has an encoded-word cut in two, in the second address of a list.
@example(kind=Kind.INTRODUCTION, names=("y " * 40 + "(", "x" * 75 + " \\", "Alan"), drop_cc=False)
@example(
    kind=Kind.INTRODUCTION,
    drop_cc=False,
    names=('" 👩\u200d💻 李 " 👩\u200d💻 (comment) eve@evil.example eve@evil.example \x00',) * 3,
)
def test_hostile_names_built_into_an_intro_never_change_who_is_mailed(kind, names, drop_cc):
    leave_out = frozenset({ADDRESS[Role.CONNECTOR]}) if drop_cc else frozenset()
    raw, destination = sent(kind, cast(*names), leave_out)
    assert_only_intended(kind, raw, destination, leave_out)


def _accepted(name: str) -> str | None:
    try:
        return check_name("name", name)
    except InvalidInput:
        return None


@settings(
    max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much]
)
@given(kind=st.sampled_from(list(Kind)), name=hostile_names.map(_accepted).filter(lambda n: n is not None))
def test_names_that_pass_validation_change_nobody_and_are_shown_as_given_or_not_at_all(kind, name):
    raw, destination = sent(kind, cast(name, name, name))
    assert_only_intended(kind, raw, destination)
    compat = message_from_bytes(raw)
    for header in ("To", "Cc", "Reply-To"):
        for shown, _ in getaddresses(compat.get_all(header, [])):
            assert decoded(shown) in (name, ""), header  # "": a long name the folder would break


def test_names_that_decode_to_an_address_are_refused_at_input():
    for name in (
        "=?utf-8?q?eve=40evil.example?=",
        "=?utf-8?b?ZXZlQGV2aWwuZXhhbXBsZSw=?=",
        "Eve <eve@evil.example>",
        "Lovelace, Ada",
        "Ada; Eve",
        'Ada "Eve"',
        "eve\uff20evil.example",
        "\u202eAda",
        "Ada\u2028Eve",
    ):
        assert _accepted(name) is None, name
