"""Who each message goes to, which links it carries, and while when it is still worth sending.

Every message carries an opt-out link (Purpose.OPTOUT), which the mail is given as its RFC 8058
one-click `List-Unsubscribe` header. A token names one person, and one header is all a message has:
on a message to one person, the click is that person's "stop all mail to me"; on the introduction,
which goes to three people at once, nobody can tell whose click it was, so its token is bound to no
person (Role.SYSTEM) and the click stops everything still to come about that introduction, for all
of them, without putting anyone's address on the "never contact" list on someone else's word."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Decision, Kind, Purpose, Role, State

OPTOUT = Purpose.OPTOUT
EASE = (Purpose.PAUSE, Purpose.WEEKLY)  # a connector's gentler choices than "never" (domain.preferences)
# The answers an ask offers as links of their own, each opening its page with that answer ready (the
# person still presses it there: a GET never decides). "Never ask me again" stays on its own link.
ANSWER_LINKS: dict[Purpose, tuple[Decision, ...]] = {
    Purpose.REVIEW: (Decision.APPROVE, Decision.DECLINE),
    Purpose.CONSENT: (Decision.ACCEPT, Decision.DECLINE),
}


@dataclass(frozen=True)
class MessageSpec:
    to: tuple[Role, ...]
    cc: tuple[Role, ...] = ()
    links: tuple[Purpose, ...] = (OPTOUT,)
    only_while: State | None = None  # cancelled if the introduction has left this state

    @property
    def asks(self) -> bool:
        """Carries the one-click opt-out header (every message does; see the module's note)."""
        return OPTOUT in self.links

    @property
    def optout_role(self) -> Role:
        """Whose opt-out the header is: its one recipient's, or nobody's when it has several."""
        people = self.to + self.cc
        return people[0] if len(people) == 1 else Role.SYSTEM

    def link_role(self, purpose: Purpose) -> Role:
        """Whose grant a link of this message is: its one recipient's, or the opt-out's owner."""
        return self.optout_role if purpose is OPTOUT else self.to[0]


SPECS: dict[Kind, MessageSpec] = {
    Kind.CONFIRM_REQUEST: MessageSpec(
        (Role.REQUESTER,), links=(Purpose.CONFIRM, OPTOUT), only_while=State.UNCONFIRMED
    ),
    Kind.NOT_POSSIBLE: MessageSpec((Role.REQUESTER,)),
    Kind.CONNECTOR_ASK: MessageSpec(
        (Role.CONNECTOR,), links=(Purpose.REVIEW, OPTOUT, *EASE), only_while=State.AWAITING_CONNECTOR
    ),
    Kind.CONNECTOR_REMINDER: MessageSpec(
        (Role.CONNECTOR,), links=(Purpose.REVIEW, OPTOUT, *EASE), only_while=State.AWAITING_CONNECTOR
    ),
    Kind.TARGET_ASK: MessageSpec(
        (Role.TARGET,), links=(Purpose.CONSENT, OPTOUT), only_while=State.AWAITING_TARGET
    ),
    Kind.TARGET_REMINDER: MessageSpec(
        (Role.TARGET,), links=(Purpose.CONSENT, OPTOUT), only_while=State.AWAITING_TARGET
    ),
    Kind.INTRODUCTION: MessageSpec((Role.REQUESTER, Role.TARGET), cc=(Role.CONNECTOR,)),
    Kind.CLOSED: MessageSpec((Role.REQUESTER,)),
    Kind.FOLLOWUP: MessageSpec(
        (Role.REQUESTER,), links=(Purpose.FOLLOWUP, OPTOUT), only_while=State.INTRODUCED
    ),
    Kind.THANKS: MessageSpec((Role.CONNECTOR,)),
    # A proposal (domain.proposal): the connector confirms and hears the neutral close; the person
    # asked second is held in the requester's place; both are asked "did you connect?".
    Kind.CONFIRM_PROPOSAL: MessageSpec(
        (Role.CONNECTOR,), links=(Purpose.CONFIRM, OPTOUT), only_while=State.UNCONFIRMED
    ),
    Kind.PROPOSAL_NOT_POSSIBLE: MessageSpec((Role.CONNECTOR,)),
    Kind.SECOND_ASK: MessageSpec(
        (Role.REQUESTER,), links=(Purpose.CONSENT, OPTOUT), only_while=State.AWAITING_SECOND
    ),
    Kind.SECOND_REMINDER: MessageSpec(
        (Role.REQUESTER,), links=(Purpose.CONSENT, OPTOUT), only_while=State.AWAITING_SECOND
    ),
    Kind.PROPOSAL_CLOSED: MessageSpec((Role.CONNECTOR,)),
    Kind.TARGET_FOLLOWUP: MessageSpec(
        (Role.TARGET,), links=(Purpose.FOLLOWUP, OPTOUT), only_while=State.INTRODUCED
    ),
}
