"""Every refusal a person can meet, in one table: the error, its HTTP status, and the page title and
text that tell them what to do next (catalog messages, N_: shown in the page's language). The JSON API answers with the status and the error's own message;
link pages with the title and text (web.error_page). The domain errors stay pure in domain.errors."""

from __future__ import annotations

from dataclasses import dataclass

from . import bodies
from .domain import delivery, errors
from .views.catalogs import N_


class CrossSite(errors.DomainError):
    """A POST made by another web site's page (see web.cross_site)."""


CROSS_SITE = N_("This form can only be sent from our own page. Nothing was sent.")


@dataclass(frozen=True)
class Refusal:
    status: int
    title: str
    text: str = ""  # what to do next
    # Whether the page shows the error's own message (written for the person who reads it) before
    # `text`. Never for a link: a page must not say which part of a link was wrong.
    tells: bool = False

    def lines(self, error: Exception) -> list[str]:
        return [line for line in (str(error) if self.tells else "", self.text) if line]


_AGAIN = N_("Please open the link from our email again and press one of the buttons on its page.")

REFUSALS: dict[type[Exception], Refusal] = {
    errors.InvalidLink: Refusal(
        404,
        N_("This link doesn't work"),
        N_("It may have been cut short on its way here. Please open it straight from our email."),
    ),
    errors.LinkExpired: Refusal(
        410,
        N_("This link has expired"),
        N_(
            "Our links work for a limited time. If something still needs you, a newer email from us has a fresh link."
        ),
    ),
    errors.AlreadyDecided: Refusal(
        409,
        N_("This request has already been answered"),
        N_("Nothing changed: this request had already been answered, or had closed."),
    ),
    errors.NotAllowed: Refusal(
        400,
        N_("That choice isn't available"),
        N_("Please open the link again and press one of the buttons on its page."),
    ),
    errors.InvalidInput: Refusal(422, N_("That didn't work"), tells=True),
    errors.LimitReached: Refusal(429, N_("That didn't work"), tells=True),
    errors.RateLimited: Refusal(429, N_("That didn't work"), tells=True),
    errors.Conflict: Refusal(
        409,
        N_("Someone answered at the same moment"),
        N_("Please open the link again to see where things stand."),
    ),
    delivery.NothingToSend: Refusal(
        409,
        N_("Nothing to send"),
        N_("This message is not waiting to be sent: it was sent, cancelled or is on its way."),
    ),
    errors.DomainError: Refusal(400, N_("That didn't work"), tells=True),
    CrossSite: Refusal(
        403,
        N_("Please use our own page"),
        N_("If you meant to ask for an introduction, open our request form and send it from there."),
        True,
    ),
    bodies.TooLarge: Refusal(413, N_("We couldn't read that answer"), _AGAIN, True),
    bodies.UnsupportedType: Refusal(415, N_("We couldn't read that answer"), _AGAIN, True),
    bodies.Unreadable: Refusal(400, N_("We couldn't read that answer"), _AGAIN, True),
}

REFUSED = (errors.DomainError, bodies.Unreadable)  # what the table answers for


def refusal(error: errors.DomainError | bodies.Unreadable) -> Refusal:
    """The most specific row for `error` (its own class first, then its ancestors')."""
    return next(REFUSALS[kind] for kind in type(error).__mro__ if kind in REFUSALS)


def status_of(error: errors.DomainError | bodies.Unreadable) -> int:
    return refusal(error).status
