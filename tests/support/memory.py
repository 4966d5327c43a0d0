"""The unit of work in memory (services.unit_of_work), for the fast service tests (tests/service).

It enforces what the table does: staged writes apply all or none (index entries are written just
before them, whatever becomes of them); an introduction or ledger is
written only on the version it was read at (a new one only if its id is free); a member a decision
relies on must still be there (checked in the write of a new introduction, read when a stored one
is saved, as adapters.dynamodb does); one unit touches an item once; at most 100 items in one write. A
failed version check is a Conflict, a failed member check NoLongerMember, as adapters.dynamodb says.

`race(change)` makes the next commit find `change` applied first, as another writer would."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from email.message import EmailMessage
from time import gmtime, strftime
from typing import cast

from warm_intro.domain.directory import RESULTS
from warm_intro.domain.errors import Conflict, MailRefused, NoLongerMember
from warm_intro.domain.hashing import hashes
from warm_intro.domain.model import Intro, Role
from warm_intro.domain.preferences import Preferences
from warm_intro.domain.rules import Timings
from warm_intro.domain.schedule import due_at
from warm_intro.domain.sessions import Session, SigninAsk
from warm_intro.services.unit_of_work import Book, Entry, Found, Ledger, LedgerOf, Listed, Listing

MAX_ITEMS = 100  # DynamoDB's limit on the items of one transaction


@dataclass
class Stored:
    """Everything the table holds, as the domain sees it."""

    intros: dict[str, Intro] = field(default_factory=dict)
    ledgers: dict[LedgerOf, tuple[Ledger, int | None]] = field(default_factory=dict)  # (ledger, due_at)
    members: dict[str, str] = field(default_factory=dict)
    member_languages: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)  # the alias's keyed hash: the member's address
    agreements: set[str] = field(default_factory=set)  # members happy to be asked as connector
    welcomed: dict[str, str] = field(default_factory=dict)  # member: "sending", then "sent"
    welcome_links: dict[str, tuple[str, int]] = field(default_factory=dict)  # digest: (email, expires_at)
    suppressions: dict[str, set[str]] = field(default_factory=dict)
    entries: set[Entry] = field(default_factory=set)
    hits: Counter[tuple[str, int]] = field(default_factory=Counter)
    preferences: dict[str, Preferences] = field(default_factory=dict)
    signin_asks: dict[str, SigninAsk] = field(default_factory=dict)
    signins: dict[str, tuple[str, int]] = field(default_factory=dict)  # digest: (email, expires_at)
    sessions: dict[str, Session] = field(default_factory=dict)
    listings: dict[str, tuple[Listed, tuple[str, ...]]] = field(default_factory=dict)  # entry: (it, words)


@dataclass
class Write:
    apply: Callable[[Stored], None]
    check: Callable[[Stored], Exception | None] = lambda stored: None


class MemoryStore:
    def __init__(self, timings: Timings | None = None):
        self.timings = timings or Timings()
        self.stored = Stored()
        self.commits: list[int] = []  # how many items each commit wrote conditionally (index entries apart)
        self.reads = 0
        self._races: list[Callable[[MemoryStore], None]] = []

    def begin(self, now: int, known: Iterable[Intro] = ()) -> MemoryUnit:
        return MemoryUnit(self, now, known)

    def race(self, change: Callable[[MemoryStore], None]) -> None:
        """The next commit finds `change` already made by someone else (queued: one per commit)."""
        self._races.append(change)

    # what tests set up and look at directly -----------------------------------------------------

    def get(self, intro_id: str) -> Intro | None:
        return self.stored.intros.get(intro_id)

    def put_member(self, email: str, name: str, agreed: bool = True) -> bool:
        """`agreed`: happy to be asked as connector (ConnectorPolicy=agreed), as the demo's members are."""
        if agreed:
            self.stored.agreements.add(email)
        return self.begin(0).people.add_member(email, name)

    def write(self, intro: Intro, now: int = 0) -> Intro:
        """Someone else's write of `intro`, one version on (for races)."""
        written = intro.evolve(version=self.stored.intros[intro.id].version + 1, updated_at=now)
        self.stored.intros[intro.id] = written
        return written


class MemoryUnit:
    def __init__(self, store: MemoryStore, now: int, known: Iterable[Intro]):
        self.store, self.now, self.timings = store, now, store.timings
        self.staged: dict[tuple, Write] = {}
        self.first: list[Callable[[Stored], None]] = []  # the per-person index, written first
        self.intros = MemoryIntros(self, {i.id: i for i in known})
        self.ledgers = MemoryLedgers(self)
        self.people = MemoryPeople(self)
        self.rates = MemoryRates(self)
        self.sessions = MemorySessions(self)
        self.welcomes = MemoryWelcomes(self)

    def stage(self, key: tuple, write: Write, once: bool = True) -> None:
        if key in self.staged and once:
            raise ValueError(f"one unit of work writes {key} once (a transaction may touch an item once)")
        self.staged.setdefault(key, write)

    def commit(self) -> None:
        first, self.first = self.first, []
        for apply in first:
            apply(self.store.stored)
        staged, self.staged = list(self.staged.values()), {}
        if not staged:
            return
        if len(staged) > MAX_ITEMS:
            raise AssertionError(f"{len(staged)} items in one transaction; DynamoDB allows {MAX_ITEMS}")
        if self.store._races:  # one other writer per commit
            self.store._races.pop(0)(self.store)
        failures = [f for f in (w.check(self.store.stored) for w in staged) if f is not None]
        conflicts = [f for f in failures if not isinstance(f, NoLongerMember)]
        if conflicts or failures:
            raise (conflicts or failures)[0]
        for write in staged:
            write.apply(self.store.stored)
        self.store.commits.append(len(staged))


def _version_is(found: Intro | Ledger | None, expected: int | None) -> Exception | None:
    """expected None: the item must not exist yet."""
    if (found is None and expected is None) or (found is not None and found.version == expected):
        return None
    return Conflict("Someone else changed this at the same moment.")


class MemoryIntros:
    def __init__(self, unit: MemoryUnit, known: dict[str, Intro]):
        self.unit, self.known = unit, known

    def get(self, intro_id: str) -> Intro | None:
        if intro_id in self.known:
            return self.known.pop(intro_id)
        self.unit.store.reads += 1
        return self.unit.store.stored.intros.get(intro_id)

    def add(self, intro: Intro, *, members: Iterable[str] = ()) -> None:
        self.unit.stage(
            ("intro", intro.id),
            Write(
                apply=lambda s: s.intros.__setitem__(intro.id, intro),
                check=lambda s: _version_is(s.intros.get(intro.id), None),
            ),
        )
        self._require(members)

    def save(self, intro: Intro, *, members: Iterable[str] = ()) -> Intro:
        """`members` read now, not checked in the write, as adapters.dynamodb does: a removal after
        this read writes the introduction again (services.membership.remove), failing this version."""
        if members := list(members):
            self.unit.store.reads += 1
        if any(email not in self.unit.store.stored.members for email in members):
            raise NoLongerMember("A member this relies on was removed at the same moment.")
        written = intro.evolve(version=intro.version + 1, updated_at=self.unit.now)
        self.unit.stage(
            ("intro", intro.id),
            Write(
                apply=lambda s: s.intros.__setitem__(intro.id, written),
                check=lambda s: _version_is(s.intros.get(intro.id), intro.version),
            ),
        )
        return written

    def _require(self, members: Iterable[str]) -> None:
        for email in members:
            self.unit.stage(
                ("member", email),
                Write(
                    apply=lambda s: None,
                    check=lambda s, email=email: (
                        None
                        if email in s.members
                        else NoLongerMember("A member this relies on was removed at the same moment.")
                    ),
                ),
                once=False,
            )

    def due(self, now: int, limit: int = 100) -> list[str]:
        when = {i.id: due_at(i, self.unit.timings) for i in self.unit.store.stored.intros.values()}
        found = sorted((at, i) for i, at in when.items() if at is not None and at <= now)
        return [i for _, i in found][:limit]

    def created_in(self, month: str) -> list[Intro]:
        found = [
            i
            for i in self.unit.store.stored.intros.values()
            if strftime("%Y-%m", gmtime(i.created_at)) == month
        ]
        return sorted(found, key=lambda i: i.created_at)

    def stored_addresses(self) -> list[tuple[str, Role, str]]:
        return [
            (i.id, role, email)
            for i in self.unit.store.stored.intros.values()
            for role, email in (
                (Role.REQUESTER, i.requester.email),
                (Role.CONNECTOR, i.connector.email),
                (Role.TARGET, i.target.email),
            )
            if email
        ]

    def unscheduled(self) -> list[str]:
        return [i.id for i in self.unit.store.stored.intros.values() if due_at(i, self.unit.timings) is None]


EMPTY = {
    Book.REQUESTER: "RequesterLedger",
    Book.CONNECTOR: "ConnectorLedger",
    Book.TARGET: "TargetLedger",
    Book.CONFIRMATIONS: "ConfirmationLedger",
}


def _empty(book: Book) -> Ledger:
    from warm_intro.domain import confirmations, limits

    module = confirmations if book is Book.CONFIRMATIONS else limits
    return getattr(module, EMPTY[book])()


class MemoryLedgers:
    def __init__(self, unit: MemoryUnit):
        self.unit = unit

    def read(self, *refs: LedgerOf) -> Found:
        self.unit.store.reads += 1
        return Found({ref: self._stored(ref) for ref in refs})

    def get[L: Ledger](self, ref: LedgerOf[L]) -> L:
        self.unit.store.reads += 1
        return cast(L, self._stored(ref))

    def _stored(self, ref: LedgerOf) -> Ledger:
        found = self.unit.store.stored.ledgers.get(ref)
        return found[0] if found else _empty(ref.book)

    def save[L: Ledger](
        self, ref: LedgerOf[L], ledger: L, *, due_at: int | None = None, expires_at: int | None = None
    ) -> L:
        written = replace(ledger, version=ledger.version + 1)

        def check(s: Stored) -> Exception | None:
            found = s.ledgers.get(ref)
            return _version_is(found and found[0], ledger.version or None)

        self.unit.stage(
            ("ledger", ref), Write(apply=lambda s: s.ledgers.__setitem__(ref, (written, due_at)), check=check)
        )
        return written

    def held_due(self, now: int, limit: int = 25) -> list[LedgerOf]:
        found = sorted(
            (at, ref.person, ref)
            for ref, (_, at) in self.unit.store.stored.ledgers.items()
            if ref.book is Book.CONNECTOR and at is not None and at <= now
        )
        return [ref for _, _, ref in found][:limit]


class MemoryPeople:
    def __init__(self, unit: MemoryUnit):
        self.unit = unit
        self.stored = unit.store.stored

    def member_name(self, email: str) -> str | None:
        self.unit.store.reads += 1
        return self.stored.members.get(email)

    def suppressed(self, hashes: Iterable[str], reasons: Iterable[str] | None = None) -> set[str]:
        wanted = None if reasons is None else set(reasons)
        found = set()
        for h in hashes:
            for stored_as in (str(h), getattr(h, "earlier", None)):
                listed = self.stored.suppressions.get(stored_as) if stored_as else None
                if listed is not None and (wanted is None or wanted & listed):
                    found.add(str(h))
        return found

    def suppression_reasons(self, address_hash: str) -> set[str]:
        return set(self.stored.suppressions.get(address_hash, set()))

    def suppress(self, address_hash: str, reason: str, now: int) -> None:
        self.stored.suppressions.setdefault(str(address_hash), set()).add(reason)

    def entries(self, address_hash: str) -> list[Entry]:
        return sorted(
            (e for e in self.stored.entries if e.person == address_hash), key=lambda e: (e.intro, e.role)
        )

    def index(self, entry: Entry) -> None:
        """Written before the unit's conditional write, whatever becomes of it (as adapters.dynamodb)."""
        self.unit.first.append(lambda s: s.entries.add(entry))

    def unindex(self, entry: Entry) -> None:
        self.unit.stage(("entry", entry), Write(apply=lambda s: s.entries.discard(entry)))

    def move(self, entry: Entry, to: str) -> bool:
        if entry not in self.stored.entries:
            return False
        self.stored.entries.discard(entry)
        self.stored.entries.add(replace(entry, person=str(to)))
        return True

    def drop(self, entries: Iterable[Entry]) -> None:
        self.stored.entries.difference_update(entries)

    def add_member(self, email: str, name: str, language: str | None = None) -> bool:
        same_language = language is None or self.stored.member_languages.get(email, "") == language
        if self.stored.members.get(email) == name and same_language:
            return False
        self.stored.members[email] = name
        if language:
            self.stored.member_languages[email] = language
        elif language == "":
            self.stored.member_languages.pop(email, None)
        return True

    def member_language(self, email: str) -> str | None:
        self.unit.store.reads += 1
        return self.stored.member_languages.get(email)

    def primary_of(self, email: str, hash_key: str) -> str | None:
        self.unit.store.reads += 1
        found = sorted({self.stored.aliases[h] for h in hashes(email, hash_key) if h in self.stored.aliases})
        return found[0] if found else None

    def agreed(self, email: str) -> bool:
        self.unit.store.reads += 1
        return email in self.stored.agreements

    def agree(self, email: str, now: int, via: str) -> bool:
        new = email not in self.stored.agreements
        self.stored.agreements.add(email)
        return new

    def alias_hashes(self, email: str, hash_key: str) -> list[str]:
        self.unit.store.reads += 1
        return sorted(h for h, member in self.stored.aliases.items() if member == email)

    def forget_member_details(self, email: str, hash_key: str) -> None:
        self.stored.aliases = {h: m for h, m in self.stored.aliases.items() if m != email}
        self.stored.agreements.discard(email)
        self.stored.welcomed.pop(email, None)

    def remove_member(self, email: str) -> bool:
        return self.stored.members.pop(email, None) is not None

    def members(self) -> list[tuple[str, str]]:
        return sorted(self.stored.members.items())

    def preferences(self, address_hash: str) -> Preferences:
        self.unit.store.reads += 1
        return self.stored.preferences.get(str(address_hash), Preferences())

    def set_preferences(self, address_hash: str, prefs: Preferences) -> None:
        if prefs == Preferences():
            self.stored.preferences.pop(str(address_hash), None)
        else:
            self.stored.preferences[str(address_hash)] = prefs

    def opt_back_in(self, address_hash: str) -> None:
        reasons = self.stored.suppressions.get(str(address_hash))
        if reasons is not None:
            reasons.discard("opted_out")
            if not reasons:
                del self.stored.suppressions[str(address_hash)]

    def listed(self, entry: str) -> Listed | None:
        self.unit.store.reads += 1
        found = self.stored.listings.get(entry)
        return found[0] if found else None

    def list_findable(self, listed: Listed, words: tuple[str, ...]) -> None:
        self.stored.listings[listed.listing.entry] = (listed, tuple(words))

    def unlist(self, entry: str) -> bool:
        return self.stored.listings.pop(entry, None) is not None

    def find(self, word: str, also: tuple[str, ...]) -> list[Listing]:
        self.unit.store.reads += 1
        found = [
            listed.listing
            for entry, (listed, words) in sorted(self.stored.listings.items())
            if word in words and all(w in words for w in also)
        ]
        return found[:RESULTS]


class MemorySessions:
    """Sign-in links and sessions; expiry is checked as the table's reads do (TTL deletes late)."""

    def __init__(self, unit: MemoryUnit):
        self.stored = unit.store.stored

    def ask_signin(self, ask: SigninAsk) -> None:
        self.stored.signin_asks[ask.id] = ask

    def take_ask(self, ask_id: str) -> bool:
        return self.stored.signin_asks.pop(ask_id, None) is not None

    def put_signin(self, digest: str, email: str, expires_at: int) -> None:
        self.stored.signins[digest] = (email, expires_at)

    def take_signin(self, digest: str, now: int) -> str | None:
        found = self.stored.signins.get(digest)
        if found is None or found[1] <= now:
            return None
        del self.stored.signins[digest]
        return found[0]

    def signin_exists(self, digest: str, now: int) -> bool:
        found = self.stored.signins.get(digest)
        return found is not None and found[1] > now

    def put_session(self, digest: str, session: Session) -> None:
        self.stored.sessions[digest] = session

    def session(self, digest: str) -> Session | None:
        return self.stored.sessions.get(digest)

    def end(self, digest: str, address_hash: str) -> None:
        self.stored.sessions.pop(digest, None)

    def end_all(self, address_hashes: tuple[str, ...]) -> int:
        mine = {str(h) for h in address_hashes}
        ended = [d for d, s in self.stored.sessions.items() if s.address_hash in mine]
        for digest in ended:
            del self.stored.sessions[digest]
        return len(ended)


class MemoryWelcomes:
    """The welcome mail's marks and links; a link is kept until read (TTL deletes late)."""

    def __init__(self, unit: MemoryUnit):
        self.stored = unit.store.stored

    def status(self, email: str) -> str | None:
        return self.stored.welcomed.get(email)

    def claim(self, email: str, now: int) -> bool:
        if email in self.stored.welcomed:
            return False
        self.stored.welcomed[email] = "sending"
        return True

    def sent(self, email: str, ses_id: str) -> None:
        self.stored.welcomed[email] = "sent"

    def put_link(self, digest: str, email: str, expires_at: int) -> None:
        self.stored.welcome_links[digest] = (email, expires_at)

    def link(self, digest: str) -> tuple[str, int] | None:
        return self.stored.welcome_links.get(digest)


class MemoryRates:
    def __init__(self, unit: MemoryUnit):
        self.hits = unit.store.stored.hits

    def hit(self, subject: str, window: int, limit: int) -> bool:
        if self.hits[(subject, window)] >= limit:
            return False
        self.hits[(subject, window)] += 1
        return True


class MemoryMailer:
    """SES in memory: records each message; `refuse` makes the next sends fail as SES refuses them."""

    def __init__(self):
        self.sent: list[tuple[EmailMessage, list[str], list[str]]] = []
        self.refuse = 0

    def send(self, message: EmailMessage, to: Sequence[str], cc: Sequence[str] = ()) -> str:
        if self.refuse:
            self.refuse -= 1
            raise MailRefused("Throttling")
        self.sent.append((message, list(to), list(cc)))
        return f"ses-{len(self.sent)}"

    def to(self, address: str) -> list[EmailMessage]:
        return [m for m, to, cc in self.sent if address in to + cc]
