"""Which page a link shows: its form while the link can still act (domain.actors.can_act), otherwise
what became of the request, told from that person's side and never revealing who said no."""

from __future__ import annotations

from collections.abc import Callable

from ..domain.actors import EASED, can_act, connector_gone, last_action
from ..domain.disclosure import Seen, seen_by_requester
from ..domain.messages import ANSWER_LINKS
from ..domain.model import Grant, Intro, Purpose, Role, State
from ..domain.proposal import is_proposal
from . import proposal_pages
from .catalogs import N_

FORMS = {
    Purpose.CONFIRM: "confirm.html",
    Purpose.REVIEW: "review.html",
    Purpose.CONSENT: "consent.html",
    Purpose.FOLLOWUP: "followup.html",
    Purpose.OPTOUT: "optout.html",
    Purpose.PAUSE: "pause.html",
    Purpose.WEEKLY: "weekly.html",
}


def _english(message: str) -> str:
    return message


NEUTRAL = N_("This introduction won't happen right now")


def form(intro: Intro, grant: Grant) -> str:
    return (proposal_pages.FORMS if is_proposal(intro) else FORMS)[grant.purpose]


def ready_choice(grant: Grant, value: str | None) -> str | None:
    """The answer an email's link asked to have ready on its page, if its page offers it as a link."""
    offered = {d.value for d in ANSWER_LINKS.get(grant.purpose, ())}
    return value if value in offered else None


def outcome(intro: Intro, grant: Grant, _: Callable[[str], str] = _english) -> tuple[str, list[str]]:
    """(title, lines) describing the request as this person may know it, in the language `_` translates to."""
    if is_proposal(intro):
        return proposal_pages.outcome(intro, grant, _)
    mine = last_action(intro, grant.role, eased=grant.purpose in EASED)
    names = {"r": intro.requester.name, "t": intro.target.name}
    if mine == "opt_out" and grant.role is Role.SYSTEM:
        return _("No more email about this introduction"), [
            _("Nothing more about it will be sent to any of you.")
        ]
    if mine == "opt_out" and grant.role is Role.REQUESTER:
        return _("You won't get email from us again"), [
            _("This service won't send any more email to your address.")
        ]
    if mine == "opt_out":
        return _("You won't be asked again"), [
            _("This service will not ask you for an introduction again, or send you any other email.")
        ]
    if mine == "pause":
        return _("Paused for 30 days"), [
            _(
                "We won't ask you for an introduction for 30 days; requests naming you meanwhile close "
                "politely, and nobody is told why."
            ),
            _("A request already in your inbox is still yours to answer, or to leave."),
        ]
    if mine == "one_a_week":
        return _("At most one ask a week"), [
            _("From now on we'll send you at most one introduction request a week."),
        ]
    if grant.role is Role.REQUESTER:
        return _requester_outcome(intro, _)
    if mine == "decline":
        return _("You declined"), [
            _("%(r)s never learns who said no, only that it won't happen right now.") % names
        ]
    if mine == "accept":
        return _("You said yes"), [
            _("We're sending one email to you and %(r)s, who will see your address and write first.") % names,
            _("Enjoy the conversation."),
        ]
    if intro.state is State.INTRODUCED:  # the connector, in copy of the introduction they made possible
        return _("They've been introduced"), [
            _("%(t)s said yes, and you're in copy of the introduction. Thank you.") % names
        ]
    if intro.state is State.WITHDRAWN and last_action(intro, Role.REQUESTER) == "withdraw":
        return _("This request was withdrawn"), [_("%(r)s withdrew it. There's nothing more to do.") % names]
    if mine == "approve" and intro.is_open:
        return _("Thank you for approving"), [
            _("We'll ask %(t)s privately. If they say yes, you'll be in copy of the introduction.") % names
        ]
    if mine == "approve":  # declined, expired or closed after they approved: the same words for each
        return _(NEUTRAL), [
            _(
                "The request has closed. Nobody is told why, and there's nothing more for you to do. Thank you."
            )
        ]
    if connector_gone(intro) and grant.role is Role.CONNECTOR:
        return _("This request has closed"), [
            _("You're no longer a member here, so there's nothing more for you to do.")
        ]
    return _("This request has closed"), [_("There's nothing more to do. Thank you.")]


def status(intro: Intro, grant: Grant) -> int:
    """200 while the link can act, or when its page tells of a success: the introduction made, or this
    person's own answer still the latest news. 410 once events have overtaken the link. A requester's
    status, like their page, follows only what they may know (domain.disclosure)."""
    if is_proposal(intro):
        return proposal_pages.status(intro, grant)
    if grant.role is Role.REQUESTER:
        return 410 if seen_by_requester(intro) in (Seen.CLOSED, Seen.LAPSED, Seen.NOT_POSSIBLE) else 200
    if (
        can_act(intro, grant)
        or intro.state is State.INTRODUCED
        or last_action(intro, grant.role) == "opt_out"
    ):
        return 200
    return 200 if intro.history and intro.history[-1].actor is grant.role else 410


def _requester_outcome(intro: Intro, _: Callable[[str], str]) -> tuple[str, list[str]]:
    """From domain.disclosure, never from the state itself: that may say who closed it."""
    match seen_by_requester(intro):
        case Seen.INTRODUCED if intro.followup:
            return _("Thank you for telling us"), [_("It helps us make good introductions.")]
        case Seen.INTRODUCED:
            return _("You've been introduced"), [
                _("The introduction to %(t)s went to you both. The next step is yours.")
                % {"t": intro.target.name}
            ]
        case Seen.WITHDRAWN:
            return _("You withdrew this request"), [_("Nobody will be asked about it again.")]
        case Seen.LAPSED:
            return _("This request lapsed"), [
                _("It wasn't confirmed in time, so nothing was sent to anyone. You're welcome to ask again.")
            ]
        case Seen.NOT_POSSIBLE:
            return _("We couldn't pass this request on"), [
                _("Introductions here go through members, and this one can't go ahead as it stands."),
                _("Nobody else has been contacted."),
            ]
        case Seen.CLOSED:
            return _(NEUTRAL), [
                _("That's common and says nothing about you. You're welcome to ask again another time.")
            ]
        case _:
            return _("Your request is on its way"), [
                _("We'll email you when there's news, and in any case when it closes.")
            ]
