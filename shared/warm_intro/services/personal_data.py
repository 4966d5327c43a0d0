"""One person's data: where it is (the per-person index), a copy of it (export), and forgetting it
(erasure). Used by the admin CLI and the admin API.

Every write that stores an address in an introduction writes a `PERSON#<keyed hash>` entry for it in
the same transaction (`index` when a request is made, `with_index` when a decision adds one), so
finding someone's introductions is one Query on the table's own key: no Scan, no extra index. The
hash is of the canonical mailbox (domain.mailbox), so every spelling of an address finds the same
entries; entries written before canonical identities are found under the address's earlier hash.
After erasure no name or address of the person is left; their opt-out, a keyed hash, still holds."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from time import gmtime, strftime

from ..adapters.agreements import Agreements
from ..adapters.aliases import Aliases
from ..adapters.directory import Directory
from ..adapters.dynamodb import Repository
from ..adapters.ledger import Ledgers, person_deletes, person_items
from ..adapters.sessions import Sessions
from ..domain import actors, directory, erasure
from ..domain.disclosure import seen_by_requester
from ..domain.errors import Conflict
from ..domain.hashing import address_hash, hashes, same_mailbox
from ..domain.model import Delivery, Intro, Kind, Role, State
from ..domain.proposal import is_proposal
from ..domain.validation import check_email


@dataclass(frozen=True)
class Erased:
    introductions: int  # introductions changed
    member_removed: bool
    opted_out: bool  # the keyed-hash opt-out that stays


def index(table: str, intro: Intro, key: str) -> list[dict]:
    """Index entries for everyone whose address a new request carries; for its create transaction."""
    return person_items(table, intro, {r: address_hash(e, key) for r, e in _addresses(intro).items()})


def with_index(table: str, before: Intro, after: Intro, key: str, also: Iterable[dict] = ()) -> list[dict]:
    """`also`, plus an index entry for every address `after` stores that `before` did not (the target's
    address a connector supplies, whatever then becomes of the request), for the same transaction."""
    old = _addresses(before)
    added = {r: address_hash(e, key) for r, e in _addresses(after).items() if old.get(r) != e}
    writes = list(also)
    present = {_key_of(w) for w in writes}
    return writes + [w for w in person_items(table, after, added) if _key_of(w) not in present]


def unindex(table: str, intro: Intro, key: str) -> list[dict]:
    """Deletes of `intro`'s index entries, under every hash each address may have been indexed by."""
    return person_deletes(table, intro, {r: hashes(e, key) for r, e in _addresses(intro).items()})


def export(hash_key: str, repo: Repository, email: str) -> dict:
    email = check_email("email", email)
    found = [
        (i, erasure.roles_of(i, _is(email, hash_key))) for i in _intros(repo, _entries(repo, email, hash_key))
    ]
    return {
        "email": email,
        "member": repo.member_name(email),
        "opted_out": bool(repo.suppressed([address_hash(email, hash_key)])),
        "introductions": [_view(i, roles) for i, roles in found if roles],
    }


def erase(hash_key: str, repo: Repository, email: str, now: int) -> Erased:
    email = check_email("email", email)
    entries = _entries(repo, email, hash_key)
    spelled, changed = {email}, 0
    for intro_id in dict.fromkeys(e["intro"] for e in entries):
        found = _erase_one(repo, intro_id, _is(email, hash_key), now)
        changed += bool(found)
        spelled |= found
    # Members are listed as the organisation typed them: any spelling of this mailbox goes (an admin-only Scan).
    spelled |= {member for member, _ in repo.members() if same_mailbox(member, email, hash_key)}
    removed = [repo.remove_member(address) for address in sorted(spelled)]
    for address in spelled:  # their aliases and their agreement to be asked go with the membership
        Aliases(repo, hash_key).drop(address)
        Agreements(repo).drop(address)
    Ledgers(repo).drop_entries(entries)
    Sessions(repo).end_all(hashes(email, hash_key))  # signed in at /me: signed out everywhere
    Directory(repo).remove(directory.entry_id(str(address_hash(email, hash_key))))  # unlisted
    return Erased(changed, any(removed), bool(repo.suppressed([address_hash(email, hash_key)])))


def _entries(repo: Repository, email: str, key: str) -> list[dict]:
    ledgers = Ledgers(repo)
    return [entry for h in hashes(email, key) for entry in ledgers.person_entries(h)]


def _erase_one(repo: Repository, intro_id: str, matches, now: int) -> set[str]:
    """Erases the person from one introduction; returns the spellings of their address it held."""
    for _ in range(3):  # a decision landing meanwhile is re-read; erasure then applies to it
        intro = repo.get(intro_id)
        if intro is None:
            return set()
        roles = erasure.roles_of(intro, matches)
        updated = erasure.erase(intro, roles, now)
        if updated is intro:
            return set()
        try:
            repo.save(updated, intro.version)
            return {address for role, address in _addresses(intro).items() if role in roles}
        except Conflict:
            continue
    raise Conflict(f"Introduction {intro_id} kept changing; please run the erasure again.")


def _intros(repo: Repository, entries: list[dict]) -> list[Intro]:
    found = (repo.get(i) for i in dict.fromkeys(e["intro"] for e in entries))
    return sorted((i for i in found if i is not None), key=lambda i: i.created_at)


def _addresses(intro: Intro) -> dict[Role, str]:
    """A person's addresses, not the placeholder erasure leaves."""
    return {r: e for r, e in actors.addresses(intro).items() if e != erasure.ERASED_EMAIL}


def _key_of(write: dict) -> tuple:
    item = write.get("Put", {}).get("Item") or write.get("Delete", {}).get("Key") or {}
    return item.get("pk", {}).get("S"), item.get("sk", {}).get("S")


def _is(email: str, key: str):
    return lambda other: same_mailbox(other, email, key)


def _view(intro: Intro, roles: set[Role]) -> dict:
    """What this person gave or was shown, and their own decisions; never who else said no."""
    if is_proposal(intro):
        shown = {r for r in roles if r is Role.CONNECTOR or _asked(intro, r)}
    else:
        shown = roles & {Role.REQUESTER} | {
            r for r in roles & {Role.CONNECTOR, Role.TARGET} if _asked(intro, r)
        }
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


def _asked(intro: Intro, role: Role) -> bool:
    """Whether the ask ever went out to this connector or target, or to a proposal's second person
    (held, cancelled or suppressed: no)."""
    kind = {Role.CONNECTOR: Kind.CONNECTOR_ASK, Role.REQUESTER: Kind.SECOND_ASK}.get(role, Kind.TARGET_ASK)
    msg = intro.outbox.get(kind)
    return msg is not None and msg.status not in (Delivery.HELD, Delivery.CANCELLED, Delivery.SUPPRESSED)


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
