"""What can go wrong in the domain; mapped to HTTP answers in one place (refusals.REFUSALS)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .model import Intro


class DomainError(Exception):
    """Base class: the message is written for the person who will read it. A message shown to them may
    be a catalog message (domain.translatable) with its `params` kept apart, so a page can say it in
    its reader's language (web.said); str() is the English."""

    def __init__(self, message: str = "", **params: str | int):
        super().__init__(message % params if params else message)
        self.message = message
        self.params = params


class InvalidLink(DomainError):
    """Unknown, tampered or wrong token; says nothing about which."""


class LinkExpired(DomainError):
    pass


class AlreadyDecided(DomainError):
    """The introduction has moved on; carries it so the page can show what was decided."""

    def __init__(self, intro: Intro):
        super().__init__("This request has already been answered.")
        self.intro = intro


class NotAllowed(DomainError):
    """A decision this link cannot make (e.g. a requester's link posting 'approve')."""


class InvalidInput(DomainError):
    """`message`: a catalog message (domain.translatable) with `params` kept apart, so a page can say
    it in its reader's language; str() is the English."""

    def __init__(self, field: str, message: str, **params: str | int):
        super().__init__(message, **params)
        self.field = field


class LimitReached(DomainError):
    """A per-person limit the requester can see and act on (their own activity only)."""


class Conflict(DomainError):
    """Another write got there first; the caller re-reads and tries again or reports."""


class RateLimited(DomainError):
    pass


class NoLongerMember(Conflict):
    """A member a decision relied on was removed as it was written: read again, it decides anew."""


# What the mail service answered, as the mailer port reports it (not refusals for a person: never
# mapped to HTTP). Which one it was decides whether a message may be sent again (domain.delivery).
class MailRefused(Exception):
    """The mail service refused the message, or the request never left: nothing was sent."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class MailOutcomeUnknown(Exception):
    """The request reached the mail service but its answer was lost: the message may have been sent."""
