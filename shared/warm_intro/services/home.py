"""A signed-in person's home: what waits for them, their requests, their introductions.

Everything is found through the per-person index (services.personal_data): one Query for the
person's entries, then one read per introduction shown; never a Scan. What each item says comes
from the same rules the link pages follow (views.link_pages, domain.disclosure), so the home never
tells more than an email link would: never who declined."""

from __future__ import annotations

from dataclasses import dataclass

from ..adapters.dynamodb import Repository
from ..adapters.ledger import Ledgers
from ..domain import actors, tokens
from ..domain.errors import Conflict, InvalidLink
from ..domain.hashing import hashes, same_mailbox
from ..domain.model import Delivery, Flow, Grant, Intro, Kind, Purpose, Role
from ..domain.schedule import tick
from ..domain.sessions import Session

# A link minted from the home page works for an hour: it is opened at once, by the person who asked.
OPEN_SECONDS = 3600
PURPOSE = {Role.REQUESTER: Purpose.CONFIRM, Role.CONNECTOR: Purpose.REVIEW, Role.TARGET: Purpose.CONSENT}
ASK = {Role.CONNECTOR: Kind.CONNECTOR_ASK, Role.TARGET: Kind.TARGET_ASK}
UNSENT = (Delivery.HELD, Delivery.CANCELLED, Delivery.SUPPRESSED)


@dataclass(frozen=True)
class Item:
    intro: Intro
    role: Role

    @property
    def grant(self) -> Grant:
        return Grant(self.role, PURPOSE[self.role], 0)


def items(repo: Repository, session: Session, hash_key: str, now: int) -> list[Item]:
    """This person's introductions, newest first, each in the roles they hold in it. A connector or
    target appears only once their ask went out (a typed-in address alone shows nothing)."""
    entries = [e for h in hashes(session.email, hash_key) for e in Ledgers(repo).person_entries(h)]
    roles: dict[str, set[Role]] = {}
    for entry in entries:
        roles.setdefault(entry["intro"], set()).add(Role(entry["role"]))
    found = []
    for intro_id, held in roles.items():
        stored = repo.get(intro_id)
        if stored is None:
            continue
        intro = tick(stored, now, repo.timings)  # as its link page would show it (a view never writes)
        found += [Item(intro, role) for role in sorted(held) if _shown(intro, role, session, hash_key)]
    return sorted(found, key=lambda i: i.intro.created_at, reverse=True)


def open_item(repo: Repository, session: Session, hash_key: str, intro_id: str, role: str, now: int) -> str:
    """A fresh link for this person's own page of `intro_id`, the same page their email opens; the
    one write a home click makes. Expired grants are dropped from the item on the way."""
    try:
        wanted = Role(role)
    except ValueError:
        raise InvalidLink("That isn't one of your introductions.") from None
    for attempt in (1, 2):
        intro = repo.get(intro_id)
        if intro is None or wanted not in PURPOSE or not _shown(intro, wanted, session, hash_key):
            raise InvalidLink("That isn't one of your introductions.")
        token, digest = tokens.mint(intro.id)
        kept = {h: g for h, g in intro.tokens.items() if g.expires_at > now}
        grant = Grant(wanted, PURPOSE[wanted], now + OPEN_SECONDS)
        try:
            repo.save(
                intro.evolve(tokens={**kept, digest: grant}, version=intro.version + 1, updated_at=now),
                intro.version,
            )
        except Conflict:
            if attempt == 2:
                raise
            continue
        return token
    raise AssertionError("unreachable")


def _shown(intro: Intro, role: Role, session: Session, hash_key: str) -> bool:
    if intro.flow is not Flow.REQUEST:  # proposals ("you two should meet") are not on the home yet
        return False
    email = actors.email_of(intro, role)
    if not email or not same_mailbox(email, session.email, hash_key):
        return False
    if role is Role.REQUESTER:
        return True
    msg = intro.outbox.get(ASK[role])
    return msg is not None and msg.status not in UNSENT
