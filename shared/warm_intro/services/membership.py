"""Membership on the request path: who must still be a member when a decision is written, and what
removing a member does to the requests still open (the rules themselves: domain.membership).

Removal deletes the member item first and then walks the person's introductions (the per-person
index, one Query per hash: theirs and their aliases'), writing every open one again even when nothing
in it changes. A decision reads the members it relies on after it read the introduction and writes on
that version (adapters: `Intros.save`): one that read them after the delete is refused; one that read
them before is either read back by the walk (it wrote first) or fails its version check because the
walk wrote first, and its retry reads the member gone. Either way nothing slips through; a new
introduction (`Intros.add`) has no version the walk could move, so its write checks the members."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from enum import StrEnum

from ..domain import actors, directory
from ..domain.errors import Conflict
from ..domain.hashing import address_hash, hashes
from ..domain.membership import vouching, without_connector, without_requester
from ..domain.model import Flow, Intro, Role, State
from ..settings import Settings
from .unit_of_work import Store, UnitOfWork, retrying


class Effect(StrEnum):
    """What removal did to one open request, as `members remove` reports it."""

    CONNECTOR_STOPPED = (
        "waiting for them as connector: no more reminders; each closes neutrally when it expires"
    )
    CONNECTOR_UNCONFIRMED = (
        "naming them as connector, not yet confirmed: refused politely if the requester confirms"
    )
    CONNECTOR_PASSED_ON = "they had approved, now with the target: continue (the target's answer stands)"
    REQUESTER_CLOSED = "they had asked for: closed quietly (nobody is mailed or asked again)"
    REQUESTER_UNCONFIRMED = "they had asked for, not yet confirmed: refused politely if they confirm"
    REQUESTER_STILL_ALLOWED = "they had asked for: continue (the request policy still lets them ask)"
    TARGET = "for an introduction to them: continue (a target's membership doesn't matter)"
    PROPOSAL = (
        "in an introduction a member proposed: continue (its connector had to be a member to confirm it; "
        "the two people need not be)"
    )


@dataclass
class Removal:
    email: str
    was_member: bool
    effects: Counter[Effect] = field(default_factory=Counter)


def requester_needs_membership(policy: str, allowed_domains: tuple[str, ...], email: str) -> bool:
    """Whether only their membership lets this requester ask (see admission.requester_allowed)."""
    if policy == "anyone":
        return False
    return not (policy == "members_and_domains" and email.rpartition("@")[2] in allowed_domains)


def connector_address(uow: UnitOfWork, hash_key: str, email: str) -> str:
    """The member a request names as connector: the address itself when it is a member's, else the
    member it is an alias of (under any spelling). Their ask goes to the member's own address: the one
    the organisation lists, where they chose to get mail; their opt-out, preferences and limits are
    kept under it, so they count once however they were named."""
    if uow.people.member_name(email) is not None:
        return email
    return uow.people.primary_of(email, hash_key) or email


def members_vouching(settings: Settings, before: Intro, after: Intro) -> list[str]:
    """The addresses whose member item must still exist when `after` is written over `before`
    (the connector as `after` names them: a member's own address once an alias is resolved)."""
    emails = {**actors.addresses(before), Role.CONNECTOR: after.connector.email}
    return [
        emails[role]
        for role in vouching(before, after)
        if role is Role.CONNECTOR
        or requester_needs_membership(settings.request_policy, settings.allowed_domains, emails[role])
    ]


def remove(
    store: Store,
    hash_key: str,
    email: str,
    now: int,
    *,
    policy: str,
    allowed_domains: tuple[str, ...] = (),
) -> Removal:
    """Idempotent: running it again for someone already removed finishes what a crash left undone."""
    uow = store.begin(now)
    people = uow.people
    removal = Removal(email, people.remove_member(email))
    # A request may name them as connector by an alias (resolved to this address when confirmed).
    aliases = sorted(set(people.alias_hashes(email, hash_key)) - set(hashes(email, hash_key)))
    uow.sessions.end_all(hashes(email, hash_key))  # a removed member's sessions at /me end with it
    people.unlist(directory.entry_id(str(address_hash(email, hash_key))))  # out of the directory too
    must_be_member = requester_needs_membership(policy, allowed_domains, email)
    entries = [e for h in hashes(email, hash_key) for e in people.entries(h)]
    entries += [e for h in aliases for e in people.entries(h) if e.role is Role.CONNECTOR]
    for intro_id, role in dict.fromkeys((e.intro, e.role) for e in entries):
        effect = _apply(store, intro_id, role, now, must_be_member)
        if effect is not None:
            removal.effects[effect] += 1
    # Only now (a run stopped before this point still finds them again): aliases and agreement go.
    people.forget_member_details(email, hash_key)
    return removal


def _apply(store: Store, intro_id: str, role: Role, now: int, must_be_member: bool) -> Effect | None:
    def apply(uow: UnitOfWork) -> Effect | None:
        intro = uow.intros.get(intro_id)
        if intro is None or not intro.is_open:
            return None
        effect, updated = _effect(intro, role, now, must_be_member)
        uow.intros.save(updated)  # even unchanged: a decision on the version read before fails
        return effect

    try:  # a decision landing meanwhile is re-read, as erasure does
        return retrying(store, now, apply, attempts=3)
    except Conflict:
        raise Conflict(f"Introduction {intro_id} kept changing; please run the removal again.") from None


def _effect(intro: Intro, role: Role, now: int, must_be_member: bool) -> tuple[Effect, Intro]:
    unconfirmed = intro.state is State.UNCONFIRMED
    if intro.flow is Flow.PROPOSAL:  # an unconfirmed one is refused politely if its connector confirms
        return Effect.PROPOSAL, intro
    if role is Role.CONNECTOR:
        if unconfirmed:
            return Effect.CONNECTOR_UNCONFIRMED, intro
        if intro.state is State.AWAITING_TARGET:
            return Effect.CONNECTOR_PASSED_ON, intro
        return Effect.CONNECTOR_STOPPED, without_connector(intro, now)
    if role is Role.REQUESTER:
        if not must_be_member:
            return Effect.REQUESTER_STILL_ALLOWED, intro
        if unconfirmed:
            return Effect.REQUESTER_UNCONFIRMED, intro
        return Effect.REQUESTER_CLOSED, without_requester(intro, now)
    return Effect.TARGET, intro
