"""Builds each message as MIME with the standard email package: a plain-text and an HTML part from
one template per message, headers that are ours, and the one-click opt-out pair on every ask."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from ..domain.messages import SPECS
from ..domain.model import Intro, Kind, Person, Purpose, Role
from ..settings import Settings
from .templating import render

# Where a reply should reach a person. Never the requester on a target's ask: the target's address
# stays private until they say yes.
REPLY_TO: dict[Kind, tuple[Role, ...]] = {
    Kind.CONNECTOR_ASK: (Role.REQUESTER,),
    Kind.CONNECTOR_REMINDER: (Role.REQUESTER,),
    Kind.TARGET_ASK: (Role.CONNECTOR,),
    Kind.TARGET_REMINDER: (Role.CONNECTOR,),
    Kind.INTRODUCTION: (Role.REQUESTER, Role.TARGET),
    Kind.THANKS: (Role.REQUESTER,),
}
REMINDERS = {Kind.CONNECTOR_REMINDER, Kind.TARGET_REMINDER}


def recipients(intro: Intro, roles: tuple[Role, ...]) -> list[Person]:
    people = {Role.REQUESTER: intro.requester, Role.CONNECTOR: intro.connector}
    if intro.target.email:
        people[Role.TARGET] = Person(intro.target.name, intro.target.email)
    return [people[r] for r in roles if r in people]


def context(intro: Intro, links: dict[Purpose, str], settings: Settings) -> dict:
    return {
        "org": {"name": settings.org_name, "accent": settings.accent_color},
        "requester": intro.requester,
        "connector": intro.connector,
        "connector_name": intro.connector.name or intro.connector.email,
        "target": intro.target,
        "blurb": intro.blurb,
        "note": intro.note,
        "links": {purpose.value: url for purpose, url in links.items()},
        "expiry": _span(settings.expiry_days, "day"),
        "confirm_within": _span(settings.unconfirmed_hours, "hour"),
        "request_url": f"{settings.base_url}/",
    }


def compose(
    kind: Kind, intro: Intro, links: dict[Purpose, str], settings: Settings, leave_out: frozenset[str] = frozenset()
) -> EmailMessage:
    """`leave_out`: copied addresses that must not be mailed (bounced or complained)."""
    spec = SPECS[kind]
    template = f"emails/{kind.value}.jinja"
    ctx = {**context(intro, links, settings), "reminder": kind in REMINDERS}
    subject = render(template, {**ctx, "layout": "emails/_subject.jinja"}, html=False)
    text = render(template, {**ctx, "layout": "emails/_text.jinja"}, html=False)
    msg = EmailMessage()
    msg["Subject"] = " ".join(subject.split())
    msg["From"] = formataddr((f"{settings.org_name} introductions", settings.sender))
    msg["To"] = _addresses(recipients(intro, spec.to))
    if cc := [p for p in recipients(intro, spec.cc) if p.email not in leave_out]:
        msg["Cc"] = _addresses(cc)
    if kind in REPLY_TO:
        msg["Reply-To"] = _addresses(recipients(intro, REPLY_TO[kind]))
    elif settings.reply_to:
        msg["Reply-To"] = settings.reply_to
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    if kind is not Kind.INTRODUCTION:  # RFC 3834: out-of-office robots should not answer the service
        msg["Auto-Submitted"] = "auto-generated"
    if spec.asks:
        msg["List-Unsubscribe"] = f"<{links[Purpose.OPTOUT]}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text.strip() + "\n")
    msg.add_alternative(render(template, {**ctx, "layout": "emails/_layout.jinja"}), subtype="html")
    return msg


def _addresses(people: list[Person]) -> list[str]:
    return [formataddr((p.name, p.email)) for p in people]


def _span(value: float, unit: str) -> str:
    number = str(int(value)) if float(value).is_integer() else str(value)
    return f"{number} {unit}" + ("" if number == "1" else "s")
