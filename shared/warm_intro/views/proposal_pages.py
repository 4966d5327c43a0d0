"""Which page a proposal's link shows: its form while the link can still act, otherwise what became
of it, told from that person's side. The connector, like a requester, sees only what
domain.disclosure lets them see; the person asked first, having said yes, sees the same."""

from __future__ import annotations

from collections.abc import Callable

from ..domain.actors import can_act
from ..domain.disclosure import Seen, seen_by_requester
from ..domain.model import Grant, Intro, Purpose, Role, State
from ..domain.proposal import FIRST
from .catalogs import N_

FORMS = {
    Purpose.CONFIRM: "proposal_confirm.html",
    Purpose.CONSENT: "proposal_consent.html",
    Purpose.FOLLOWUP: "proposal_followup.html",
    Purpose.OPTOUT: "proposal_optout.html",
}
NEUTRAL = N_("This introduction won't happen right now")


def _english(message: str) -> str:
    return message


def other(intro: Intro, role: Role) -> str:
    """The name of the other person, to whoever of the two is looking."""
    return intro.requester.name if role is FIRST else intro.target.name


def outcome(intro: Intro, grant: Grant, _: Callable[[str], str] = _english) -> tuple[str, list[str]]:
    """(title, lines) describing the proposal as this person may know it, in the language `_` translates to."""
    mine = _last_action(intro, grant.role)
    if mine == "opt_out" and grant.role is Role.SYSTEM:
        return _("No more email about this introduction"), [
            _("Nothing more about it will be sent to any of you.")
        ]
    if mine == "opt_out":
        return _("You won't be asked again"), [
            _("This service will not ask you for an introduction again, or send you any other email.")
        ]
    if grant.role is Role.CONNECTOR:
        return _connector_outcome(intro, _)
    them = {"t": other(intro, grant.role)}
    if mine and mine.startswith("connected:"):
        return _("Thank you for telling us"), [_("It helps us make good introductions.")]
    if mine == "decline":
        return _("You declined"), [_("Nobody will be told it was you.")]
    if intro.state is State.INTRODUCED:
        return _("You've been introduced"), [
            _("We've sent one email to you and %(t)s. Enjoy the conversation.") % them
        ]
    if mine == "accept" and seen_by_requester(intro) is Seen.ON_ITS_WAY:
        return _("Thank you for saying yes"), [
            _("If %(t)s says yes too, we'll introduce you both by email. If not, nobody will say why.") % them
        ]
    if mine == "accept":  # closed after their yes: the same words whoever, or whatever, ended it
        return _(NEUTRAL), [
            _("It has closed. Nobody is told why, and there's nothing more for you to do. Thank you.")
        ]
    return _("This introduction has closed"), [_("There's nothing more to do. Thank you.")]


def status(intro: Intro, grant: Grant) -> int:
    """As for a request (views.link_pages.status): 200 while the link can act or tells of a success,
    410 once events have overtaken it; the connector's, like their page, from domain.disclosure."""
    if grant.role is Role.CONNECTOR and grant.purpose is not Purpose.OPTOUT:
        return 410 if seen_by_requester(intro) in (Seen.CLOSED, Seen.LAPSED, Seen.NOT_POSSIBLE) else 200
    if (
        can_act(intro, grant)
        or intro.state is State.INTRODUCED
        or _last_action(intro, grant.role) == "opt_out"
    ):
        return 200
    return 200 if intro.history and intro.history[-1].actor is grant.role else 410


def _connector_outcome(intro: Intro, _: Callable[[str], str]) -> tuple[str, list[str]]:
    names = {"a": intro.target.name, "b": intro.requester.name}
    match seen_by_requester(intro):
        case Seen.INTRODUCED:
            return _("They've been introduced"), [
                _("%(a)s and %(b)s both said yes, and you're in copy of the introduction. Thank you.") % names
            ]
        case Seen.WITHDRAWN:
            return _("You withdrew this introduction"), [_("Nobody will be asked about it again.")]
        case Seen.LAPSED:
            return _("This introduction lapsed"), [
                _(
                    "It wasn't confirmed in time, so nothing was sent to anyone. "
                    "You're welcome to propose it again."
                )
            ]
        case Seen.NOT_POSSIBLE:
            return _("We couldn't pass this introduction on"), [
                _("Introductions here can only be proposed by members."),
                _("Nobody else has been contacted."),
            ]
        case Seen.CLOSED:
            return _(NEUTRAL), [
                _(
                    "That's common and says nothing about you or them. "
                    "Nobody is told who said no, you included."
                )
            ]
        case _:
            return _("Your introduction is on its way"), [
                _("We'll email you when there's news, and in any case when it closes.")
            ]


def _last_action(intro: Intro, role: Role) -> str | None:
    return next((e.action for e in reversed(intro.history) if e.actor is role), None)
