"""One person's data: where it is (the per-person index), a copy of it (export), and forgetting it
(erasure). Used by the admin CLI and the admin API.

Each introduction writes a `PERSON#<keyed hash>` entry per person in the transaction that first
stores their address, so finding someone's introductions is one Query on the table's own key: no
Scan, no extra index. After erasure no name or address of the person is left; their opt-out, a keyed
hash, still holds."""

from __future__ import annotations

from dataclasses import dataclass
from time import gmtime, strftime

from ..adapters.dynamodb import Repository
from ..adapters.ledger import Ledgers, person_items
from ..domain import erasure
from ..domain.errors import Conflict
from ..domain.model import Intro, Role
from ..domain.privacy import address_hash
from ..domain.validation import check_email, normalise_email


@dataclass(frozen=True)
class Erased:
    introductions: int  # introductions changed
    member_removed: bool
    opted_out: bool  # the keyed-hash opt-out that stays


def index(table: str, intro: Intro, key: str) -> list[dict]:
    """Index entries for everyone whose address a new request carries; for its create transaction."""
    people = {Role.REQUESTER: intro.requester.email, Role.CONNECTOR: intro.connector.email,
              Role.TARGET: intro.target.email}
    return person_items(table, intro, {r: address_hash(e, key) for r, e in people.items() if e})


def export(hash_key: str, repo: Repository, email: str) -> dict:
    email = check_email("email", email)
    hashed = address_hash(email, hash_key)
    intros = _intros(repo, Ledgers(repo).person_entries(hashed))
    return {
        "email": email,
        "member": repo.member_name(email),
        "opted_out": bool(repo.suppressed([hashed])),
        "introductions": [_view(i, erasure.roles_of(i, _is(email))) for i in intros],
    }


def erase(hash_key: str, repo: Repository, email: str, now: int) -> Erased:
    email = check_email("email", email)
    hashed = address_hash(email, hash_key)
    ledgers = Ledgers(repo)
    entries = ledgers.person_entries(hashed)
    changed = sum(_erase_one(repo, intro_id, email, now) for intro_id in dict.fromkeys(e["intro"] for e in entries))
    removed = repo.remove_member(email)
    ledgers.drop_entries(entries)
    return Erased(changed, removed, bool(repo.suppressed([hashed])))


def _erase_one(repo: Repository, intro_id: str, email: str, now: int) -> int:
    for _ in range(3):  # a decision landing meanwhile is re-read; erasure then applies to it
        intro = repo.get(intro_id)
        if intro is None:
            return 0
        updated = erasure.erase(intro, erasure.roles_of(intro, _is(email)), now)
        if updated is intro:
            return 0
        try:
            repo.save(updated, intro.version)
            return 1
        except Conflict:
            continue
    raise Conflict(f"Introduction {intro_id} kept changing; please run the erasure again.")


def _intros(repo: Repository, entries: list[dict]) -> list[Intro]:
    found = (repo.get(i) for i in dict.fromkeys(e["intro"] for e in entries))
    return sorted((i for i in found if i is not None), key=lambda i: i.created_at)


def _is(email: str):
    return lambda other: normalise_email(other) == email


def _view(intro: Intro, roles: set[Role]) -> dict:
    """What this person gave or was shown, and their own decisions; never who else said no."""
    view = {
        "id": intro.id,
        "roles": sorted(r.value for r in roles),
        "state": intro.state.value,
        "requested_at": _iso(intro.created_at),
        "requester": {"name": intro.requester.name, "email": intro.requester.email},
        "connector": {"name": intro.connector.name, "email": intro.connector.email},
        "target": {k: v for k, v in vars(intro.target).items() if v is not None},
        "blurb": intro.blurb,
        "consent_record": [
            {"at": _iso(e.at), "as": e.actor.value, "action": e.action, "via": e.via}
            for e in intro.history if e.actor in roles
        ],
    }
    if roles & {Role.CONNECTOR, Role.TARGET} and intro.note:
        view["note_to_target"] = intro.note
    if Role.CONNECTOR in roles and intro.private_note:
        view["private_note"] = intro.private_note
    return view


def _iso(epoch: int) -> str:
    return strftime("%Y-%m-%dT%H:%M:%SZ", gmtime(epoch))
