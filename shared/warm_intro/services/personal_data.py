"""One person's data: where it is (the per-person index), a copy of it (export), and forgetting it
(erasure). Used by the admin CLI and the admin API.

Every write that stores an address in an introduction writes an index entry (an Entry: keyed hash,
introduction, role) for it in the same unit of work (`index` when a request is made, `index_added` when
a decision adds one), so finding someone's introductions is one read by key: no Scan. The
hash is of the canonical mailbox (domain.mailbox), so every spelling of an address finds the same
entries; entries written before canonical identities are found under the address's earlier hash.
After erasure no name or address of the person is left; their opt-out, a keyed hash, still holds."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from time import gmtime, strftime
from typing import Any

from ..domain import actors, directory, erasure
from ..domain.disclosure import seen_by_requester
from ..domain.errors import Conflict
from ..domain.hashing import address_hash, hashes, same_mailbox
from ..domain.model import Intro, Role, State
from ..domain.proposal import is_proposal
from ..domain.validation import check_email
from .unit_of_work import Entry, Store, UnitOfWork, retrying


@dataclass(frozen=True)
class Erased:
    introductions: int  # introductions changed
    member_removed: bool
    opted_out: bool  # the keyed-hash opt-out that stays


def index(uow: UnitOfWork, intro: Intro, key: str) -> None:
    """Stages index entries for everyone whose address a new request carries."""
    for role, email in _addresses(intro).items():
        uow.people.index(Entry(address_hash(email, key), intro.id, role))


def index_added(uow: UnitOfWork, before: Intro, after: Intro, key: str) -> None:
    """Stages an index entry for every address `after` stores that `before` did not (the target's
    address a connector supplies, whatever then becomes of the request)."""
    old = _addresses(before)
    for role, email in _addresses(after).items():
        if old.get(role) != email:
            uow.people.index(Entry(address_hash(email, key), after.id, role))


def unindex(uow: UnitOfWork, intro: Intro, key: str) -> None:
    """Stages removing `intro`'s index entries, under every hash each address may have been indexed by."""
    for role, email in _addresses(intro).items():
        for h in hashes(email, key):
            uow.people.unindex(Entry(h, intro.id, role))


def export(hash_key: str, store: Store, email: str) -> dict[str, Any]:
    email = check_email("email", email)
    uow = store.begin(0)
    found = [
        (i, erasure.roles_of(i, _is(email, hash_key))) for i in _intros(uow, _entries(uow, email, hash_key))
    ]
    return {
        "email": email,
        "member": uow.people.member_name(email),
        "opted_out": bool(uow.people.suppressed([address_hash(email, hash_key)])),
        "introductions": [_view(i, roles) for i, roles in found if roles],
    }


def erase(hash_key: str, store: Store, email: str, now: int) -> Erased:
    email = check_email("email", email)
    uow = store.begin(now)
    people, entries = uow.people, _entries(uow, email, hash_key)
    spelled, changed = {email}, 0
    for intro_id in dict.fromkeys(e.intro for e in entries):
        found = _erase_one(store, intro_id, _is(email, hash_key), now)
        changed += bool(found)
        spelled |= found
    # Members are listed as the organisation typed them: any spelling of this mailbox goes (an admin-only Scan).
    spelled |= {member for member, _ in people.members() if same_mailbox(member, email, hash_key)}
    removed = [people.remove_member(address) for address in sorted(spelled)]
    for address in spelled:  # their aliases and their agreement to be asked go with the membership
        people.forget_member_details(address, hash_key)
    people.drop(entries)
    uow.sessions.end_all(hashes(email, hash_key))  # signed in at /me: signed out everywhere
    people.unlist(directory.entry_id(str(address_hash(email, hash_key))))  # out of the directory too
    return Erased(changed, any(removed), bool(people.suppressed([address_hash(email, hash_key)])))


def _entries(uow: UnitOfWork, email: str, key: str) -> list[Entry]:
    return [entry for h in hashes(email, key) for entry in uow.people.entries(h)]


def _erase_one(store: Store, intro_id: str, matches: Callable[[str], bool], now: int) -> set[str]:
    """Erases the person from one introduction; returns the spellings of their address it held."""

    def erase_from(uow: UnitOfWork) -> set[str]:
        intro = uow.intros.get(intro_id)
        if intro is None:
            return set()
        roles = erasure.roles_of(intro, matches)
        updated = erasure.erase(intro, roles, now)
        if updated is intro:
            return set()
        uow.intros.save(updated)
        return {address for role, address in _addresses(intro).items() if role in roles}

    try:  # a decision landing meanwhile is re-read; erasure then applies to it
        return retrying(store, now, erase_from, attempts=3)
    except Conflict:
        raise Conflict(f"Introduction {intro_id} kept changing; please run the erasure again.") from None


def _intros(uow: UnitOfWork, entries: list[Entry]) -> list[Intro]:
    found = (uow.intros.get(i) for i in dict.fromkeys(e.intro for e in entries))
    return sorted((i for i in found if i is not None), key=lambda i: i.created_at)


def _addresses(intro: Intro) -> dict[Role, str]:
    """A person's addresses, not the placeholder erasure leaves."""
    return {r: e for r, e in actors.addresses(intro).items() if e != erasure.ERASED_EMAIL}


def _is(email: str, key: str) -> Callable[[str], bool]:
    return lambda other: same_mailbox(other, email, key)


def _view(intro: Intro, roles: set[Role]) -> dict[str, Any]:
    """What this person gave or was shown, and their own decisions; never who else said no."""
    shown = {r for r in roles if actors.involved(intro, r)}
    seen = _visible(intro, roles, shown)
    people = {
        "requester": vars(intro.requester),
        "connector": vars(intro.connector),
        "target": vars(intro.target),
    }
    view = {
        "id": intro.id,
        "roles": sorted(r.value for r in roles),
        "state": _seen_state(intro, roles, shown),
        "requested_at": _iso(intro.created_at),
        **{who: {k: v for k, v in held.items() if k in seen[who] and v} for who, held in people.items()},
        "consent_record": [
            {"at": _iso(e.at), "as": e.actor.value, "action": e.action, "via": e.via}
            for e in intro.history
            if e.actor in roles
        ],
    }
    if shown and intro.blurb:
        view["blurb"] = intro.blurb
    if shown & {Role.CONNECTOR, Role.TARGET} and intro.note:
        view["note_to_target"] = intro.note
    if intro.acquaintance and (Role.REQUESTER in roles or Role.CONNECTOR in shown):
        view["acquaintance"] = intro.acquaintance
    if Role.CONNECTOR in roles and intro.private_note:
        view["private_note"] = intro.private_note
    return view


def _visible(intro: Intro, roles: set[Role], shown: set[Role]) -> dict[str, set[str]]:
    """Which fields of each person this one may see: what is held about themselves, what they typed,
    what their ask showed them, and everything once an introduction named all three."""
    everything = {"name", "email", "about"}
    seen: dict[str, set[str]] = {role.value: set(everything) for role in roles}
    for who in ("requester", "connector", "target"):
        seen.setdefault(who, set())
    if is_proposal(intro):  # the connector typed it all; each person asked saw the other's name and line
        if Role.CONNECTOR in shown:
            seen = {who: set(everything) for who in seen}
        for me, other in ((Role.TARGET, "requester"), (Role.REQUESTER, "target")):
            if me in shown:
                seen[other] |= {"name", "about"}
                seen["connector"] |= everything
        if intro.state is State.INTRODUCED and shown & {Role.REQUESTER, Role.TARGET}:
            seen = {who: set(everything) for who in seen}
        return seen
    if Role.REQUESTER in roles:  # the address they typed; a member picked from the directory: the name
        seen["connector"] |= {"name"} if directory.address_hidden(intro) else {"email"}
        seen["target"] |= {"name", "about"}
    if Role.CONNECTOR in shown:
        seen["requester"] |= everything
        seen["target"] |= everything
    if Role.TARGET in shown:
        seen["requester"] |= {"name"}
        seen["connector"] |= everything
    if intro.state is State.INTRODUCED and shown & {Role.REQUESTER, Role.TARGET}:
        seen = {who: set(everything) for who in seen}
    return seen


def _seen_state(intro: Intro, roles: set[Role], shown: set[Role]) -> str:
    """A request that ended without an introduction reads `closed`, whatever ended it, unless this
    person ended it themselves. Where an open request stands is the requester's to see only up to
    their own step: whether the connector has passed it on is not theirs to know. In a proposal
    everyone sees it as its connector does (domain.disclosure), unless they ended it themselves."""
    if is_proposal(intro):
        ended = next((e for e in intro.history if not e.state.is_open), None)
        mine = ended is not None and ended.actor in roles and intro.state is not State.INTRODUCED
        return intro.state.value if mine else seen_by_requester(intro).value
    if Role.REQUESTER in roles and not shown & {Role.CONNECTOR, Role.TARGET}:
        return seen_by_requester(intro).value  # the one home of what a requester may know, and when
    if intro.state is State.INTRODUCED:
        return intro.state.value
    if intro.is_open:
        if shown & {Role.CONNECTOR, Role.TARGET} or (
            intro.state is State.UNCONFIRMED and Role.REQUESTER in roles
        ):
            return intro.state.value
        return "open"
    ended = next((e for e in intro.history if not e.state.is_open), None)
    return intro.state.value if ended is not None and ended.actor in roles else "closed"


def _iso(epoch: int) -> str:
    return strftime("%Y-%m-%dT%H:%M:%SZ", gmtime(epoch))
