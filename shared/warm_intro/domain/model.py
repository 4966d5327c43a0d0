"""The introduction as the domain sees it: plain, immutable values with no I/O."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any


class State(StrEnum):
    UNCONFIRMED = "unconfirmed"
    AWAITING_CONNECTOR = "awaiting_connector"
    AWAITING_TARGET = "awaiting_target"
    INTRODUCED = "introduced"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"
    EXPIRED = "expired"
    REFUSED = "refused"
    AWAITING_SECOND = "awaiting_second"  # a proposal: the first person said yes, the second is asked

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATES


OPEN_STATES = frozenset(
    {State.UNCONFIRMED, State.AWAITING_CONNECTOR, State.AWAITING_TARGET, State.AWAITING_SECOND}
)


class Flow(StrEnum):
    """Who started the introduction. A request: the requester asks a connector for an introduction
    to a target. A proposal ("you two should meet"): the connector proposes it and confirms their own
    address; the person asked first is held in the target's place and the person asked second in the
    requester's, so every message, index, export and erasure that reads those places covers both."""

    REQUEST = "request"
    PROPOSAL = "proposal"


class Role(StrEnum):
    REQUESTER = "requester"
    CONNECTOR = "connector"
    TARGET = "target"
    SYSTEM = "system"


class Purpose(StrEnum):
    """What a link may be used for; a token carries exactly one."""

    CONFIRM = "confirm"  # requester: confirm, later withdraw
    REVIEW = "review"  # connector: approve or decline
    CONSENT = "consent"  # target: accept, decline or never ask again
    FOLLOWUP = "followup"  # requester: did you connect?
    OPTOUT = "optout"  # connector or target: never ask me again
    PAUSE = "pause"  # connector: no asks for 30 days (domain.preferences)
    WEEKLY = "weekly"  # connector: at most one ask a week


class Decision(StrEnum):
    CONFIRM = "confirm"
    WITHDRAW = "withdraw"
    APPROVE = "approve"
    DECLINE = "decline"
    ACCEPT = "accept"
    OPT_OUT = "opt_out"
    YES = "yes"
    NOT_YET = "not_yet"
    NO = "no"
    PAUSE = "pause"
    ONE_A_WEEK = "one_a_week"


DECISIONS_BY_PURPOSE: dict[Purpose, tuple[Decision, ...]] = {
    Purpose.CONFIRM: (Decision.CONFIRM, Decision.WITHDRAW),
    Purpose.REVIEW: (Decision.APPROVE, Decision.DECLINE),
    Purpose.CONSENT: (Decision.ACCEPT, Decision.DECLINE, Decision.OPT_OUT),
    Purpose.FOLLOWUP: (Decision.YES, Decision.NOT_YET, Decision.NO),
    Purpose.OPTOUT: (Decision.OPT_OUT,),
    Purpose.PAUSE: (Decision.PAUSE,),
    Purpose.WEEKLY: (Decision.ONE_A_WEEK,),
}


class Kind(StrEnum):
    """Each message an introduction can send; each is sent at most once per introduction."""

    CONFIRM_REQUEST = "confirm_request"
    NOT_POSSIBLE = "not_possible"
    CONNECTOR_ASK = "connector_ask"
    TARGET_ASK = "target_ask"
    INTRODUCTION = "introduction"
    CLOSED = "closed"
    CONNECTOR_REMINDER = "connector_reminder"
    TARGET_REMINDER = "target_reminder"
    FOLLOWUP = "followup"
    THANKS = "thanks"
    # A proposal's own messages, where its recipients differ from a request's (domain.messages).
    CONFIRM_PROPOSAL = "confirm_proposal"
    PROPOSAL_NOT_POSSIBLE = "proposal_not_possible"
    SECOND_ASK = "second_ask"
    SECOND_REMINDER = "second_reminder"
    PROPOSAL_CLOSED = "proposal_closed"
    TARGET_FOLLOWUP = "target_followup"


class Delivery(StrEnum):
    PENDING = "pending"  # waiting for the notifier
    HELD = "held"  # waiting for the connector's weekly capacity
    SENDING = "sending"  # claimed; SES has been or is being called
    RETRY = "retry"  # SES refused it for now; safe to send again
    SENT = "sent"
    FAILED = "failed"  # SES refused it too many times; waits for an operator to re-send
    SUPPRESSED = "suppressed"  # a recipient bounced, complained or opted out
    CANCELLED = "cancelled"  # the introduction moved on before it went out


SENDABLE = frozenset({Delivery.PENDING, Delivery.RETRY})


@dataclass(frozen=True)
class Person:
    name: str
    email: str
    about: str | None = None  # a proposal's line about the person asked second ("what they do")


@dataclass(frozen=True)
class Target:
    name: str
    email: str | None = None
    about: str | None = None


@dataclass(frozen=True)
class Grant:
    """What one link token allows; stored under the token's hash, never the token itself."""

    role: Role
    purpose: Purpose
    expires_at: int


@dataclass(frozen=True)
class Event:
    """One line of the consent record: who did what, when, through which page and wording."""

    at: int
    actor: Role
    action: str
    state: State
    via: str = ""


@dataclass(frozen=True)
class Message:
    kind: Kind
    status: Delivery = Delivery.PENDING
    at: int = 0
    attempts: int = 0
    ses_id: str | None = None


@dataclass(frozen=True)
class Intro:
    id: str
    state: State
    created_at: int
    requester: Person
    connector: Person
    target: Target
    blurb: str
    version: int = 0
    updated_at: int = 0
    note: str | None = None  # the connector's note to the target
    acquaintance: str | None = None  # how the requester knows the connector: shown to the connector only
    private_note: str | None = None  # the connector's reason for declining, seen by nobody else
    tokens: dict[str, Grant] = field(default_factory=dict)
    outbox: dict[Kind, Message] = field(default_factory=dict)
    history: tuple[Event, ...] = ()
    reminded: frozenset[Role] = frozenset()
    followup: str | None = None
    decided_at: int | None = None  # when the state became final
    asked_at: int | None = None  # when the current decider was asked
    flow: Flow = Flow.REQUEST
    languages: dict[Role, str] = field(default_factory=dict)  # each person's own choice (domain.languages)

    def evolve(self, **changes: Any) -> Intro:
        return replace(self, **changes)

    @property
    def is_open(self) -> bool:
        return self.state.is_open
