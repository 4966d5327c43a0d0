"""The sign-in email: one template (HTML and text parts) built with the standard email package."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from ..domain.sessions import SIGNIN_SECONDS
from ..settings import Settings
from .templating import render

TEMPLATE = "emails/signin.jinja"


def compose(settings: Settings, email: str, url: str) -> EmailMessage:
    ctx = {
        "org": {"name": settings.org_name, "accent": settings.accent_color},
        "links": {"signin": url, "optout": ""},
        "minutes": SIGNIN_SECONDS // 60,
        "about_url": f"{settings.base_url}/about",  # every email's footer links the About page
    }
    msg = EmailMessage()
    msg["Subject"] = " ".join(
        render(TEMPLATE, {**ctx, "layout": "emails/_subject.jinja"}, html=False).split()
    )
    msg["From"] = Address(f"{settings.org_name} introductions", addr_spec=settings.sender)
    msg["To"] = Address(addr_spec=email)
    if settings.reply_to:
        msg["Reply-To"] = Address(addr_spec=settings.reply_to)
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(render(TEMPLATE, {**ctx, "layout": "emails/_text.jinja"}, html=False).strip() + "\n")
    msg.add_alternative(render(TEMPLATE, {**ctx, "layout": "emails/_layout.jinja"}), subtype="html")
    return msg
