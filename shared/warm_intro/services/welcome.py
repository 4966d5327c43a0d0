"""The welcome mail an administrator sends members (`warm-intro members welcome`), with a one-click
"I'm happy to be asked" link: under the default ConnectorPolicy, only members who agreed are asked to
make introductions. Each member gets it at most once: a conditional mark is taken before SES is called
(as the notifier claims a message), so a second run, or two at once, never mails anyone twice; a run
that died between the mark and SES leaves that member 'uncertain', never re-sent automatically."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from typing import Any

from ..adapters.mailer import Mailer
from ..domain import tokens
from ..domain.errors import InvalidLink, LinkExpired
from ..domain.hashing import address_hash
from ..domain.rules import DAY
from ..views.member_emails import welcome
from .unit_of_work import Store

LINK = 60 * DAY


@dataclass
class Welcomed:
    sent: list[str] = field(default_factory=list)  # or, in a dry run, would be sent
    agreed: int = 0  # already happy to be asked: nothing to send
    before: int = 0  # welcomed by an earlier run
    uncertain: list[str] = field(default_factory=list)  # an earlier run died between the mark and SES
    suppressed: int = 0  # opted out, bounced or complained: never mailed


def send_all(
    store: Store,
    mailer: Mailer,
    hash_key: str,
    settings: Any,
    now: int,
    dry_run: bool,
) -> Welcomed:
    """`settings`: the organisation's settings as the admin CLI reads them (see views.member_emails)."""
    done, uow = Welcomed(), store.begin(now)
    for email, name in uow.people.members():
        status = uow.welcomes.status(email)
        if uow.people.agreed(email):
            done.agreed += 1
        elif status == "sending":
            done.uncertain.append(email)
        elif status is not None:
            done.before += 1
        elif uow.people.suppressed([address_hash(email, hash_key)]):
            done.suppressed += 1
        elif dry_run:
            done.sent.append(email)
        elif uow.welcomes.claim(email, now):
            secret = secrets.token_urlsafe(tokens.SECRET_BYTES)
            uow.welcomes.put_link(tokens.digest(secret), email, now + LINK)
            url, language = f"{settings.base_url}/welcome/{secret}", uow.people.member_language(email)
            message = welcome(settings, name, email, url, language)  # the members CSV's language, if any
            uow.welcomes.sent(email, mailer.send(message, [email]))
            done.sent.append(email)
    return done


def open_welcome(store: Store, secret: str, now: int) -> tuple[str, str, bool]:
    """(address, name, already agreed) for a welcome link; a page view never writes."""
    if not 32 <= len(secret) <= 64:
        raise InvalidLink("This link is not valid.")
    uow = store.begin(now)
    found = uow.welcomes.link(tokens.digest(secret))
    name = uow.people.member_name(found[0]) if found else None
    if found is None or name is None:  # unknown, or no longer a member
        raise InvalidLink("This link is not valid.")
    if found[1] <= now:
        raise LinkExpired("This link has expired.")
    return found[0], name, uow.people.agreed(found[0])


def agree(store: Store, secret: str, now: int) -> str:
    email, name, _ = open_welcome(store, secret, now)
    store.begin(now).people.agree(email, now, "welcome")
    return name
