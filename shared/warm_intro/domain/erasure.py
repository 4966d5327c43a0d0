"""Forgetting, as pure functions: free text after its time, one person on request, and everyone in a
closed introduction once it has been closed for the organisation's retention period.

What stays is what the organisation needs to show consent and count outcomes: states, times, and the
consent record (roles, actions, pages), none of which names anybody."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from .actors import addresses
from .lifecycle import close, record
from .messages import SPECS
from .model import SENDABLE, Delivery, Intro, Kind, Message, Person, Role, State, Target
from .proposal import kind_for, proposer

ERASED_NAME = "(erased)"
ERASED_EMAIL = "erased@erased.invalid"  # .invalid can never be delivered (RFC 2606)
FREE_TEXT = ("blurb", "note", "private_note", "acquaintance")
IN_FLIGHT = frozenset({Delivery.PENDING, Delivery.RETRY, Delivery.SENDING, Delivery.HELD})
EVERYONE = frozenset({Role.REQUESTER, Role.CONNECTOR, Role.TARGET})


def has_content(intro: Intro) -> bool:
    return bool(
        intro.blurb
        or intro.note
        or intro.private_note
        or intro.acquaintance
        or intro.target.about
        or intro.requester.about
    )


def forget_content(intro: Intro, now: int) -> Intro:
    """The blurb and notes, once the introduction is over and the retention time has passed. A message
    still in flight by then (the clock waits for one only so long) would quote them: it is cancelled."""
    if intro.is_open or not has_content(intro):
        return intro
    target = replace(intro.target, about=None)
    intro = intro.evolve(
        blurb="",
        note=None,
        private_note=None,
        acquaintance=None,
        target=target,
        requester=replace(intro.requester, about=None),
        outbox=_cancelled(intro, IN_FLIGHT, now),
    )
    return intro


def is_anonymous(intro: Intro) -> bool:
    people = (intro.requester, intro.connector, intro.target)
    return all(p.name == ERASED_NAME and p.email in (None, ERASED_EMAIL) for p in people)


def anonymise(intro: Intro, now: int) -> Intro:
    """A closed introduction past its retention keeps its states, times and consent record, nothing
    that names anybody. Nothing is sent any more, however long a message has waited: there is nobody
    left to send it to. The target keeps no address at all, so the requester's own limits fall back on
    the keyed hashes in their ledger (see limits.settle)."""
    if intro.is_open or is_anonymous(intro):
        return intro
    intro = erase(intro, set(EVERYONE), now, action="retire")
    return intro.evolve(
        target=Target(ERASED_NAME), tokens={}, outbox=_cancelled(intro, IN_FLIGHT | {Delivery.FAILED}, now)
    )


def roles_of(intro: Intro, matches: Callable[[str], bool]) -> set[Role]:
    """The roles whose address `matches` (a predicate on an address) in this introduction."""
    return {role for role, email in addresses(intro).items() if matches(email)}


def erase(intro: Intro, roles: set[Role], now: int, action: str = "erase") -> Intro:
    """Removes the person in `roles` from the introduction. Free text goes too, whoever wrote it, since
    it is about the people in it. An open request closes: a requester's quietly, anyone else's with the
    usual neutral message; and nothing still waiting is sent to the erased person."""
    if not roles:
        return intro
    if intro.is_open:
        if proposer(intro) in roles:
            intro = close(intro, State.WITHDRAWN, now, None)
        else:
            intro = close(intro, State.REFUSED, now, kind_for(intro, Kind.CLOSED))
    people = {
        "requester": _gone(intro.requester)
        if Role.REQUESTER in roles
        else replace(intro.requester, about=None),
        "connector": _gone(intro.connector) if Role.CONNECTOR in roles else intro.connector,
        "target": Target(ERASED_NAME, ERASED_EMAIL if intro.target.email else None)
        if Role.TARGET in roles
        else replace(intro.target, about=None),
    }
    outbox = {
        kind: replace(msg, status=Delivery.CANCELLED, at=now)
        if msg.status in SENDABLE | {Delivery.HELD} and roles & {*SPECS[kind].to, *SPECS[kind].cc}
        else msg
        for kind, msg in intro.outbox.items()
    }
    intro = intro.evolve(
        **people,
        blurb="",
        note=None,
        private_note=None,
        acquaintance=None,
        outbox=outbox,
        languages={role: code for role, code in intro.languages.items() if role not in roles},
    )
    return record(intro, now, Role.SYSTEM, action)


def _cancelled(intro: Intro, statuses: frozenset[Delivery], now: int) -> dict[Kind, Message]:
    return {
        k: replace(m, status=Delivery.CANCELLED, at=now) if m.status in statuses else m
        for k, m in intro.outbox.items()
    }


def _gone(_: Person) -> Person:
    return Person(ERASED_NAME, ERASED_EMAIL)
