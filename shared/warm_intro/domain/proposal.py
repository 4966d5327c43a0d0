"""What differs when the connector starts an introduction ("you two should meet"), as data the one
lifecycle reads: who started it, which message tells them it closed, and who is asked in each state.

A proposal runs on the same states and rules as a request. The connector confirms their own address
(the requester's first step), the person asked first answers where a target does, and only after
their yes is the person asked second (held in the requester's place) asked too. A "no" from the first
means the second is never contacted. Whatever ends it without both yeses reaches the connector as the
same neutral close, at the same moment, so nobody learns who said no. Whose turn each state is, for
either kind, is domain.actors'."""

from __future__ import annotations

from .model import Flow, Intro, Kind, Role

FIRST, SECOND = Role.TARGET, Role.REQUESTER  # the places a proposal's two people are held in

# The messages whose recipients differ in a proposal; every other kind is the request's own.
KINDS: dict[Kind, Kind] = {
    Kind.CONFIRM_REQUEST: Kind.CONFIRM_PROPOSAL,
    Kind.NOT_POSSIBLE: Kind.PROPOSAL_NOT_POSSIBLE,
    Kind.CLOSED: Kind.PROPOSAL_CLOSED,
}
NEUTRAL_CLOSES = frozenset({Kind.CLOSED, Kind.PROPOSAL_CLOSED})
FOLLOWUPS: dict[Flow, tuple[Kind, ...]] = {
    Flow.REQUEST: (Kind.FOLLOWUP,),
    Flow.PROPOSAL: (Kind.FOLLOWUP, Kind.TARGET_FOLLOWUP),  # to both: each answers for themselves
}


def is_proposal(intro: Intro) -> bool:
    return intro.flow is Flow.PROPOSAL


def kind_for(intro: Intro, kind: Kind) -> Kind:
    """The message of this name for this introduction's flow."""
    return KINDS.get(kind, kind) if is_proposal(intro) else kind


def proposer(intro: Intro) -> Role:
    """Who started it: the one who confirms, may withdraw, and hears of any close without an
    introduction only as the neutral close (domain.disclosure)."""
    return Role.CONNECTOR if is_proposal(intro) else Role.REQUESTER


def proposer_email(intro: Intro) -> str:
    return intro.connector.email if is_proposal(intro) else intro.requester.email


def followed_up(intro: Intro, role: Role) -> bool:
    """Whether this person already answered "did you connect?"."""
    return any(e.actor is role and e.action.startswith("connected:") for e in intro.history)


# The messages only a proposal sends (a request never does).
PROPOSAL_ONLY = frozenset(
    {
        Kind.CONFIRM_PROPOSAL,
        Kind.PROPOSAL_NOT_POSSIBLE,
        Kind.SECOND_ASK,
        Kind.SECOND_REMINDER,
        Kind.PROPOSAL_CLOSED,
        Kind.TARGET_FOLLOWUP,
    }
)
