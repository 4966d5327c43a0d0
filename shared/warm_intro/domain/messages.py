"""Who each message goes to, which links it carries, and while when it is still worth sending."""

from __future__ import annotations

from dataclasses import dataclass

from .model import Kind, Purpose, Role, State


@dataclass(frozen=True)
class MessageSpec:
    to: tuple[Role, ...]
    cc: tuple[Role, ...] = ()
    links: tuple[Purpose, ...] = ()
    only_while: State | None = None  # cancelled if the introduction has left this state

    @property
    def asks(self) -> bool:
        """Messages that ask someone to act carry the one-click 'never ask me again' header."""
        return Purpose.OPTOUT in self.links


SPECS: dict[Kind, MessageSpec] = {
    Kind.CONFIRM_REQUEST: MessageSpec((Role.REQUESTER,), links=(Purpose.CONFIRM,), only_while=State.UNCONFIRMED),
    Kind.NOT_POSSIBLE: MessageSpec((Role.REQUESTER,)),
    Kind.CONNECTOR_ASK: MessageSpec(
        (Role.CONNECTOR,), links=(Purpose.REVIEW, Purpose.OPTOUT), only_while=State.AWAITING_CONNECTOR
    ),
    Kind.CONNECTOR_REMINDER: MessageSpec(
        (Role.CONNECTOR,), links=(Purpose.REVIEW, Purpose.OPTOUT), only_while=State.AWAITING_CONNECTOR
    ),
    Kind.TARGET_ASK: MessageSpec(
        (Role.TARGET,), links=(Purpose.CONSENT, Purpose.OPTOUT), only_while=State.AWAITING_TARGET
    ),
    Kind.TARGET_REMINDER: MessageSpec(
        (Role.TARGET,), links=(Purpose.CONSENT, Purpose.OPTOUT), only_while=State.AWAITING_TARGET
    ),
    Kind.INTRODUCTION: MessageSpec((Role.REQUESTER, Role.TARGET), cc=(Role.CONNECTOR,)),
    Kind.CLOSED: MessageSpec((Role.REQUESTER,)),
    Kind.FOLLOWUP: MessageSpec((Role.REQUESTER,), links=(Purpose.FOLLOWUP,), only_while=State.INTRODUCED),
    Kind.THANKS: MessageSpec((Role.CONNECTOR,)),
}
