"""Builds each message as MIME with the standard email package: a plain-text and an HTML part from
one template per message, headers that are ours, and the one-click opt-out pair on every ask."""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import formataddr, make_msgid

from ..domain.messages import SPECS
from ..domain.model import Intro, Kind, Person, Purpose, Role
from ..settings import Settings
from .templating import render


def recipients(intro: Intro, roles: tuple[Role, ...]) -> list[Person]:
    people = {Role.REQUESTER: intro.requester, Role.CONNECTOR: intro.connector}
    if intro.target.email:
        people[Role.TARGET] = Person(intro.target.name, intro.target.email)
    return [people[r] for r in roles if r in people]


def context(intro: Intro, links: dict[Purpose, str], settings: Settings) -> dict:
    return {
        "org": {"name": settings.org_name, "accent": settings.accent_color, "logo_url": settings.logo_url},
        "requester": intro.requester,
        "connector": intro.connector,
        "connector_name": intro.connector.name or intro.connector.email,
        "target": intro.target,
        "blurb": intro.blurb,
        "note": intro.note,
        "links": {purpose.value: url for purpose, url in links.items()},
        "expiry_days": _days(settings.expiry_days),
        "request_url": f"{settings.base_url}/",
    }


def compose(kind: Kind, intro: Intro, links: dict[Purpose, str], settings: Settings) -> EmailMessage:
    spec = SPECS[kind]
    template = f"emails/{kind.value}.jinja"
    ctx = context(intro, links, settings)
    subject, _, text = render(template, {**ctx, "layout": "emails/_text.jinja"}, html=False).partition("\n\n")
    msg = EmailMessage()
    msg["Subject"] = " ".join(subject.split())
    msg["From"] = formataddr((f"{settings.org_name} introductions", settings.sender))
    msg["To"] = [formataddr((p.name, p.email)) for p in recipients(intro, spec.to)]
    if cc := recipients(intro, spec.cc):
        msg["Cc"] = [formataddr((p.name, p.email)) for p in cc]
    if kind is Kind.INTRODUCTION:  # replies go to the two people, never to the service
        msg["Reply-To"] = [formataddr((p.name, p.email)) for p in recipients(intro, spec.to)]
    elif settings.reply_to:
        msg["Reply-To"] = settings.reply_to
    msg["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    if spec.asks:
        msg["List-Unsubscribe"] = f"<{links[Purpose.OPTOUT]}>"
        msg["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    msg.set_content(text.strip() + "\n")
    msg.add_alternative(render(template, {**ctx, "layout": "emails/_layout.jinja"}), subtype="html")
    return msg


def _days(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
