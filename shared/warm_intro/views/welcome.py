"""The welcome mail to a member: one template, a text and an HTML part, our own headers."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from ..domain.validation import plain_name
from .templating import render


def welcome_message(org: str, sender: str, name: str, email: str, agree_url: str) -> EmailMessage:
    context = {
        "org": {"name": org, "accent": "#1f6f5c"},
        "name": name,
        "links": {"agree": agree_url, "optout": ""},
    }
    template = "emails/welcome.jinja"
    subject = render(template, {**context, "layout": "emails/_subject.jinja"}, html=False)
    msg = EmailMessage()
    msg["Subject"] = " ".join(subject.split())
    msg["From"] = Address(plain_name(f"{org} introductions"), addr_spec=sender)
    msg["To"] = Address(plain_name(name), addr_spec=email)
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2])
    msg["Auto-Submitted"] = "auto-generated"
    msg.set_content(render(template, {**context, "layout": "emails/_text.jinja"}, html=False).strip() + "\n")
    msg.add_alternative(render(template, {**context, "layout": "emails/_layout.jinja"}), subtype="html")
    return msg
