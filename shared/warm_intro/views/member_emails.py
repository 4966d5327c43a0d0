"""Mail to one person about themselves rather than about an introduction (the sign-in link, the
welcome to a member): one template each, HTML and text parts, built with the standard email package."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from ..domain.sessions import SIGNIN_SECONDS
from ..domain.validation import plain_name
from .templating import render


def signin(settings: Any, email: str, url: str) -> EmailMessage:
    to = Address(addr_spec=email)
    return _letter(settings, "emails/signin.jinja", to, {"signin": url}, minutes=SIGNIN_SECONDS // 60)


def welcome(settings: Any, name: str, email: str, url: str) -> EmailMessage:
    to = Address(plain_name(name), addr_spec=email)
    return _letter(settings, "emails/welcome.jinja", to, {"agree": url}, name=name)


def _letter(
    settings: Any, template: str, to: Address, links: dict[str, str], **fields: str | int
) -> EmailMessage:
    """`settings`: the organisation's Settings, or anything with the same attributes (the admin CLI's)."""
    ctx = {
        "org": {"name": settings.org_name, "accent": settings.accent_color},
        "links": {**links, "optout": ""},  # about the person themselves: no opt-out link to offer
        "about_url": f"{settings.base_url}/about",  # every email's footer links the About page
        **fields,
    }
    msg = EmailMessage()
    msg["Subject"] = " ".join(
        render(template, {**ctx, "layout": "emails/_subject.jinja"}, html=False).split()
    )
    msg["From"] = Address(plain_name(f"{settings.org_name} introductions"), addr_spec=settings.sender)
    msg["To"] = to
    if settings.reply_to:
        msg["Reply-To"] = Address(addr_spec=settings.reply_to)
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(render(template, {**ctx, "layout": "emails/_text.jinja"}, html=False).strip() + "\n")
    msg.add_alternative(render(template, {**ctx, "layout": "emails/_layout.jinja"}), subtype="html")
    return msg
