"""Mail to one person about themselves rather than about an introduction (the sign-in link, the
welcome to a member): one template each, HTML and text parts, built with the standard email package,
in the language given (the page's, for a sign-in link), else the organisation's."""

from __future__ import annotations

from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import Any

from ..domain.languages import SOURCE, pickable
from ..domain.sessions import SIGNIN_SECONDS
from ..domain.validation import plain_name
from .catalogs import translations
from .templating import render


def signin(settings: Any, email: str, url: str, language: str | None = None) -> EmailMessage:
    to = Address(addr_spec=email)
    minutes = SIGNIN_SECONDS // 60
    return _letter(settings, "emails/signin.jinja", to, {"signin": url}, language, minutes=minutes)


def welcome(settings: Any, name: str, email: str, url: str, language: str | None = None) -> EmailMessage:
    to = Address(plain_name(name), addr_spec=email)
    request_url = f"{settings.base_url}/"  # a member may also introduce two people themselves
    return _letter(
        settings, "emails/welcome.jinja", to, {"agree": url}, language, name=name, request_url=request_url
    )


def _letter(
    settings: Any,
    template: str,
    to: Address,
    links: dict[str, str],
    language: str | None,
    **fields: str | int,
) -> EmailMessage:
    """`settings`: the organisation's Settings, or anything with the same attributes (the admin CLI's)."""
    lang = pickable(language) or getattr(settings, "language", None) or SOURCE
    ctx = {
        "org": {"name": settings.org_name, "accent": settings.accent_color},
        "links": {**links, "optout": ""},  # about the person themselves: no opt-out link to offer
        "about_url": f"{settings.base_url}/about",  # every email's footer links the About page
        **fields,
    }
    msg = EmailMessage()
    subject = render(template, {**ctx, "layout": "emails/_subject.jinja"}, html=False, language=lang)
    msg["Subject"] = " ".join(subject.split())
    sender = translations(lang).gettext("%(org)s introductions") % {"org": settings.org_name}
    msg["From"] = Address(plain_name(sender), addr_spec=settings.sender)
    msg["To"] = to
    if settings.reply_to:
        msg["Reply-To"] = Address(addr_spec=settings.reply_to)
    msg["Date"] = formatdate(usegmt=True)
    msg["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    msg["Auto-Submitted"] = "auto-generated"
    text = render(template, {**ctx, "layout": "emails/_text.jinja"}, html=False, language=lang)
    msg.set_content(text.strip() + "\n")
    html = render(template, {**ctx, "layout": "emails/_layout.jinja"}, language=lang)
    msg.add_alternative(html, subtype="html")
    msg["Content-Language"] = lang  # after the parts exist: making them moves Content-* headers inside
    return msg
