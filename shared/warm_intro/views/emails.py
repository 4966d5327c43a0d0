"""Builds each message as MIME with the standard email package: a plain-text and an HTML part from
one template per message, headers that are ours, and the one-click opt-out pair on every ask.

Who receives a message is decided once, by `envelope`, from the introduction itself: the address
headers are built from it as structured `Address` values, and SES is handed the same recipients
(see adapters.mailer), so no name can add, change or hide a recipient however a parser reads it."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from email import message_from_bytes, policy
from email.errors import HeaderParseError
from email.header import Header, decode_header, make_header
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from email.utils import formatdate, getaddresses, make_msgid
from typing import Any

from ..domain import languages
from ..domain.actors import person_of
from ..domain.messages import ANSWER_LINKS, SPECS
from ..domain.model import Flow, Intro, Kind, Person, Purpose, Role
from ..domain.schedule import closes_at
from ..domain.validation import plain_name
from ..settings import Settings
from .catalogs import translations
from .templating import render
from .wording import day, span

# Where a reply should reach a person; any other message's replies go to the organisation's REPLY_TO,
# or nowhere but the sender. Never the requester while someone may still say no: a connector's "sorry,
# can't" typed as a reply would tell them who said it, and the target's address stays private until
# they say yes. The target's replies go to the connector, who asked them and already knows whom.
REPLY_TO: dict[Kind, tuple[Role, ...]] = {
    Kind.TARGET_ASK: (Role.CONNECTOR,),
    Kind.TARGET_REMINDER: (Role.CONNECTOR,),
    Kind.SECOND_ASK: (Role.CONNECTOR,),
    Kind.SECOND_REMINDER: (Role.CONNECTOR,),
    Kind.INTRODUCTION: (Role.REQUESTER, Role.TARGET),
    Kind.THANKS: (Role.REQUESTER,),
}
REMINDERS = {Kind.CONNECTOR_REMINDER, Kind.TARGET_REMINDER, Kind.SECOND_REMINDER}
# Asks that read as the connector's own, because they are: From "<connector> via <organisation>".
FROM_CONNECTOR = {Kind.TARGET_ASK, Kind.TARGET_REMINDER, Kind.SECOND_ASK, Kind.SECOND_REMINDER}
# Sent to an address nobody has proven yet: the name beside it is whatever a stranger typed, so it stays out.
UNPROVEN = {Kind.CONFIRM_REQUEST, Kind.CONFIRM_PROPOSAL}
# A proposal's own wording for the messages it shares with a request (templates/emails/proposal/).
PROPOSAL_WORDING = {Kind.TARGET_ASK, Kind.TARGET_REMINDER, Kind.INTRODUCTION, Kind.THANKS}


@dataclass(frozen=True)
class Envelope:
    to: tuple[Person, ...]
    cc: tuple[Person, ...] = ()
    reply_to: tuple[Person, ...] = ()


def recipients(intro: Intro, roles: tuple[Role, ...]) -> list[Person]:
    return [p for role in roles if (p := person_of(intro, role)) is not None]


def envelope(kind: Kind, intro: Intro, leave_out: frozenset[str] = frozenset()) -> Envelope:
    """Who this message is for. `leave_out`: copied addresses that must not be mailed."""
    spec = SPECS[kind]
    to = recipients(intro, spec.to)
    return Envelope(
        to=tuple(Person("", p.email) for p in to) if kind in UNPROVEN else tuple(to),
        cc=tuple(p for p in recipients(intro, spec.cc) if p.email not in leave_out),
        reply_to=tuple(recipients(intro, REPLY_TO.get(kind, ()))),
    )


def language(kind: Kind, intro: Intro, settings: Settings) -> str:
    """The recipient's language; the introduction, to two or three people at once, in the organisation's
    unless they all read another."""
    spec = SPECS[kind]
    return languages.shared_by(intro, (*spec.to, *spec.cc), settings.language)


def context(intro: Intro, links: dict[Purpose, str], settings: Settings, lang: str) -> dict[str, Any]:
    return {
        "org": {"name": settings.org_name, "accent": settings.accent_color},
        "requester": intro.requester,
        "connector": intro.connector,
        "connector_name": intro.connector.name or intro.connector.email,
        "target": intro.target,
        "blurb": intro.blurb,
        "note": intro.note,
        "acquaintance": intro.acquaintance,
        "links": {purpose.value: url for purpose, url in links.items()},
        "choose": {
            purpose.value: {d.value: f"{links[purpose]}?choice={d.value}" for d in decisions}
            for purpose, decisions in ANSWER_LINKS.items()
            if purpose in links
        },
        "closes_on": day(closes_at(intro, settings.timings), lang),
        "about_url": f"{settings.base_url}/about",
        "reply_to": settings.reply_to,
        "expiry": span(settings.expiry_days, "day", lang),
        "confirm_within": span(settings.unconfirmed_hours, "hour", lang),
        "request_url": f"{settings.base_url}/",
    }


def compose(
    kind: Kind,
    intro: Intro,
    links: dict[Purpose, str],
    settings: Settings,
    leave_out: frozenset[str] = frozenset(),
) -> EmailMessage:
    """`leave_out`: copied addresses that must not be mailed (bounced or complained)."""
    spec = SPECS[kind]
    people = envelope(kind, intro, leave_out)
    template = template_of(kind, intro)
    lang = language(kind, intro, settings)
    ctx = {**context(intro, links, settings, lang), "reminder": kind in REMINDERS}
    # Bodies show names as typed (escaped in HTML); a header gets only what cannot read as an address.
    subject = render(
        template,
        {
            **context(_plain(intro), links, settings, lang),
            "reminder": ctx["reminder"],
            "layout": "emails/_subject.jinja",
        },
        html=False,
        language=lang,
    )
    text = render(template, {**ctx, "layout": "emails/_text.jinja"}, html=False, language=lang)
    msg = EmailMessage()
    _set_subject(msg, " ".join(subject.split()))
    _set_addresses(msg, "From", (Person(_sender_name(kind, intro, settings, lang), settings.sender),))
    _set_addresses(msg, "To", people.to)
    if people.cc:
        _set_addresses(msg, "Cc", people.cc)
    if people.reply_to:
        _set_addresses(msg, "Reply-To", people.reply_to)
    elif settings.reply_to:
        msg["Reply-To"] = Address(addr_spec=settings.reply_to)
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    if kind is not Kind.INTRODUCTION:  # RFC 3834: out-of-office robots should not answer the service
        msg["Auto-Submitted"] = "auto-generated"
    if spec.asks:
        msg["List-Unsubscribe"] = f"<{links[Purpose.OPTOUT]}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text.strip() + "\n")
    html = render(template, {**ctx, "layout": "emails/_layout.jinja"}, language=lang)
    msg.add_alternative(html, subtype="html")
    msg["Content-Language"] = lang  # after the parts exist: making them moves Content-* headers inside
    return msg


def template_of(kind: Kind, intro: Intro) -> str:
    if intro.flow is Flow.PROPOSAL and kind in PROPOSAL_WORDING:
        return f"emails/proposal/{kind.value}.jinja"
    return f"emails/{kind.value}.jinja"


def _set_addresses(msg: EmailMessage, header: str, people: tuple[Person, ...]) -> None:
    """Each person as a structured Address with their name; if the folded header would not read back
    as exactly these names and addresses, the addresses alone. Python's folder (3.13.0) can drop the
    quotes of a long name it splits (a bracket in it then swallows the address) and can cut an
    encoded-word in two: such a name is left out rather than trusted."""
    wanted = [(plain_name(p.name or ""), p.email) for p in people]
    msg[header] = [Address(name, addr_spec=email) for name, email in wanted]
    if not _reads_back(header, msg.policy.fold(header, msg[header]), wanted):
        del msg[header]
        msg[header] = [Address(addr_spec=email) for _, email in wanted]


def _set_subject(msg: EmailMessage, subject: str) -> None:
    """The subject, folded by the email package unless a reader would then see other words: its folder
    can move the space before a non-ASCII name into the encoded word after a fold (RFC 2047 readers
    then show it doubled), or start the value on a line of its own (read back with a leading space).
    Such a subject goes as Header's encoding instead."""
    msg["Subject"] = subject
    folded = msg.policy.fold("Subject", msg["Subject"])
    modern = BytesParser(policy=policy.default).parsebytes(
        folded.encode("ascii", "surrogateescape"), headersonly=True
    )["Subject"]
    unfolded = re.sub(r"\r?\n(?=[ \t])", "", folded.partition(":")[2].strip())
    try:
        shown = str(make_header(decode_header(unfolded)))
    except (HeaderParseError, UnicodeDecodeError, LookupError):
        shown = ""
    if shown != subject or str(modern) != subject:
        del msg["Subject"]
        charset = "us-ascii" if subject.isascii() else "utf-8"
        msg.set_raw("Subject", Header(subject, charset, header_name="Subject").encode(linesep="\n"))


def _reads_back(header: str, folded: str, wanted: list[tuple[str, str]]) -> bool:
    if folded.count("\n") <= 1:
        return True  # one line: nothing was split
    raw = folded.encode("ascii", "surrogateescape")
    modern = BytesParser(policy=policy.default).parsebytes(raw, headersonly=True)[header].addresses
    try:
        compat = [
            (str(make_header(decode_header(name))), email)
            for name, email in getaddresses(message_from_bytes(raw).get_all(header, []))
        ]
    except (HeaderParseError, UnicodeDecodeError, LookupError):
        return False
    return compat == wanted and [(a.display_name, a.addr_spec) for a in modern] == wanted


def _sender_name(kind: Kind, intro: Intro, settings: Settings, lang: str) -> str:
    _ = translations(lang).gettext
    connector = plain_name(intro.connector.name or "")
    if kind in FROM_CONNECTOR and connector:
        return _("%(connector)s via %(org)s") % {"connector": connector, "org": settings.org_name}
    return _("%(org)s introductions") % {"org": settings.org_name}


def _plain(intro: Intro) -> Intro:
    return replace(
        intro,
        requester=replace(intro.requester, name=plain_name(intro.requester.name)),
        connector=replace(intro.connector, name=plain_name(intro.connector.name or "")),
        target=replace(intro.target, name=plain_name(intro.target.name)),
    )
