"""Which page a link shows: its form while the link can still act (domain.actors.can_act), otherwise
what became of the request, told from that person's side and never revealing who said no."""

from __future__ import annotations

from ..domain.actors import can_act, connector_gone, last_action
from ..domain.disclosure import Seen, seen_by_requester
from ..domain.messages import ANSWER_LINKS
from ..domain.model import Grant, Intro, Purpose, Role, State
from ..domain.proposal import is_proposal
from . import proposal_pages

FORMS = {
    Purpose.CONFIRM: "confirm.html",
    Purpose.REVIEW: "review.html",
    Purpose.CONSENT: "consent.html",
    Purpose.FOLLOWUP: "followup.html",
    Purpose.OPTOUT: "optout.html",
}

NEUTRAL = "This introduction won't happen right now"


def form(intro: Intro, grant: Grant) -> str:
    return (proposal_pages.FORMS if is_proposal(intro) else FORMS)[grant.purpose]


def ready_choice(grant: Grant, value: str | None) -> str | None:
    """The answer an email's link asked to have ready on its page, if its page offers it as a link."""
    offered = {d.value for d in ANSWER_LINKS.get(grant.purpose, ())}
    return value if value in offered else None


def outcome(intro: Intro, grant: Grant) -> tuple[str, list[str]]:
    """(title, lines) describing the request as this person may know it."""
    if is_proposal(intro):
        return proposal_pages.outcome(intro, grant)
    mine = last_action(intro, grant.role)
    r, t = intro.requester.name, intro.target.name
    if mine == "opt_out" and grant.role is Role.SYSTEM:
        return "No more email about this introduction", ["Nothing more about it will be sent to any of you."]
    if mine == "opt_out" and grant.role is Role.REQUESTER:
        return "You won't get email from us again", [
            "This service won't send any more email to your address."
        ]
    if mine == "opt_out":
        return "You won't be asked again", [
            "This service will not ask you for an introduction again, or send you any other email."
        ]
    if grant.role is Role.REQUESTER:
        return _requester_outcome(intro)
    if mine == "decline":
        return "You declined", [f"{r} never learns who said no, only that it won't happen right now."]
    if mine == "accept":
        return "You said yes", [
            f"We're sending one email to you and {r}, who will see your address and write first.",
            "Enjoy the conversation.",
        ]
    if intro.state is State.INTRODUCED:  # the connector, in copy of the introduction they made possible
        return "They've been introduced", [
            f"{t} said yes, and you're in copy of the introduction. Thank you."
        ]
    if intro.state is State.WITHDRAWN and last_action(intro, Role.REQUESTER) == "withdraw":
        return "This request was withdrawn", [f"{r} withdrew it. There's nothing more to do."]
    if mine == "approve" and intro.is_open:
        return "Thank you for approving", [
            f"We'll ask {t} privately. If they say yes, you'll be in copy of the introduction."
        ]
    if mine == "approve":  # declined, expired or closed after they approved: the same words for each
        return "This introduction won't happen right now", [
            "The request has closed. Nobody is told why, and there's nothing more for you to do. Thank you."
        ]
    if connector_gone(intro) and grant.role is Role.CONNECTOR:
        return "This request has closed", [
            "You're no longer a member here, so there's nothing more for you to do."
        ]
    return "This request has closed", ["There's nothing more to do. Thank you."]


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


def _requester_outcome(intro: Intro) -> tuple[str, list[str]]:
    """From domain.disclosure, never from the state itself: that may say who closed it."""
    match seen_by_requester(intro):
        case Seen.INTRODUCED if intro.followup:
            return "Thank you for telling us", ["It helps us make good introductions."]
        case Seen.INTRODUCED:
            t = intro.target.name
            return "You've been introduced", [
                f"The introduction to {t} went to you both. The next step is yours."
            ]
        case Seen.WITHDRAWN:
            return "You withdrew this request", ["Nobody will be asked about it again."]
        case Seen.LAPSED:
            return "This request lapsed", [
                "It wasn't confirmed in time, so nothing was sent to anyone. You're welcome to ask again."
            ]
        case Seen.NOT_POSSIBLE:
            return "We couldn't pass this request on", [
                "Introductions here go through members, and this one can't go ahead as it stands.",
                "Nobody else has been contacted.",
            ]
        case Seen.CLOSED:
            return NEUTRAL, [
                "That's common and says nothing about you. You're welcome to ask again another time."
            ]
        case _:
            return "Your request is on its way", [
                "We'll email you when there's news, and in any case when it closes."
            ]
