"""A signed-in person's home: what waits for them, their requests, their introductions.

Everything is found through the per-person index (services.personal_data): one Query for the
person's entries, then one read per introduction shown; never a Scan. What each item says comes
from the same rules the link pages follow (views.link_pages, domain.disclosure), so the home never
tells more than an email link would: never who declined."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain import actors, tokens
from ..domain.errors import InvalidLink
from ..domain.hashing import hashes, same_mailbox
from ..domain.model import Flow, Grant, Intro, Purpose, Role
from ..domain.proposal import proposer
from ..domain.schedule import tick
from ..domain.sessions import Session
from .unit_of_work import Store, UnitOfWork, retrying

# A link minted from the home page works for an hour: it is opened at once, by the person who asked.
OPEN_SECONDS = 3600
# The page each person's email opens, by flow: whoever started it confirms (and may withdraw); in a
# proposal both people are asked for their consent, the second one in the requester's place.
PURPOSE = {
    Flow.REQUEST: {
        Role.REQUESTER: Purpose.CONFIRM,
        Role.CONNECTOR: Purpose.REVIEW,
        Role.TARGET: Purpose.CONSENT,
    },
    Flow.PROPOSAL: {
        Role.CONNECTOR: Purpose.CONFIRM,
        Role.TARGET: Purpose.CONSENT,
        Role.REQUESTER: Purpose.CONSENT,
    },
}


@dataclass(frozen=True)
class Item:
    intro: Intro
    role: Role

    @property
    def grant(self) -> Grant:
        return Grant(self.role, PURPOSE[self.intro.flow][self.role], 0)

    @property
    def started(self) -> bool:
        """Theirs: a request they made, or a proposal they made as its connector."""
        return proposer(self.intro) is self.role


def items(store: Store, session: Session, hash_key: str, now: int) -> list[Item]:
    """This person's introductions, newest first, each in the roles they hold in it: what they
    started, and what they were asked about once the ask went out (domain.actors.involved)."""
    uow = store.begin(now)
    entries = [e for h in hashes(session.email, hash_key) for e in uow.people.entries(h)]
    roles: dict[str, set[Role]] = {}
    for entry in entries:
        roles.setdefault(entry.intro, set()).add(entry.role)
    found = []
    for intro_id, held in roles.items():
        stored = uow.intros.get(intro_id)
        if stored is None:
            continue
        intro = tick(stored, now, uow.timings)  # as its link page would show it (a view never writes)
        found += [Item(intro, role) for role in sorted(held) if _shown(intro, role, session, hash_key)]
    return sorted(found, key=lambda i: i.intro.created_at, reverse=True)


def open_item(store: Store, session: Session, hash_key: str, intro_id: str, role: str, now: int) -> str:
    """A fresh link for this person's own page of `intro_id`, the same page their email opens; the
    one write a home click makes. Expired grants are dropped from the item on the way."""
    try:
        wanted = Role(role)
    except ValueError:
        raise InvalidLink("That isn't one of your introductions.") from None

    def mint(uow: UnitOfWork) -> str:
        intro = uow.intros.get(intro_id)
        if intro is None or wanted not in PURPOSE[intro.flow] or not _shown(intro, wanted, session, hash_key):
            raise InvalidLink("That isn't one of your introductions.")
        token, digest = tokens.mint(intro.id)
        kept = {h: g for h, g in intro.tokens.items() if g.expires_at > now}
        grant = Grant(wanted, PURPOSE[intro.flow][wanted], now + OPEN_SECONDS)
        uow.intros.save(intro.evolve(tokens={**kept, digest: grant}))
        return token

    return retrying(store, now, mint, attempts=2)


def _shown(intro: Intro, role: Role, session: Session, hash_key: str) -> bool:
    email = actors.email_of(intro, role)
    if not email:
        return False
    return same_mailbox(email, session.email, hash_key) and actors.involved(intro, role)
