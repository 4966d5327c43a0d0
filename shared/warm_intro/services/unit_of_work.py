"""The storage port the services write through: a unit of work with three domain-level repositories
(`intros`, `ledgers`, `people`; and `rates`, `sessions`, `welcomes`, written at once) and one `commit()`.

Reads go straight to storage. Writes are staged and `commit()` applies them all or none, in ONE
conditional write: each introduction and ledger on the version it was read at, a new one only if its
id is free, and each member a decision relies on still a member. The repository owns versions and
`updated_at`: the domain never bumps them. An introduction saved is written one version on, at the
unit's `now`.

`retrying(store, now, change)` runs `change` in a fresh unit and commits it, again on a fresh read
when someone else wrote first (Conflict). Adapters: adapters.dynamodb (the table), and an in-memory
one for the service tests (tests/support/memory.py) enforcing the same conditions."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, Protocol, cast, overload

from ..domain.confirmations import ConfirmationLedger
from ..domain.errors import Conflict
from ..domain.limits import ConnectorLedger, RequesterLedger, TargetLedger
from ..domain.model import Intro, Role
from ..domain.preferences import Preferences
from ..domain.rules import Timings
from ..domain.sessions import Session, SigninAsk

type Ledger = RequesterLedger | ConnectorLedger | TargetLedger | ConfirmationLedger


class Book(StrEnum):
    """Which ledger of a person (see domain.limits and domain.confirmations)."""

    REQUESTER = "requester"  # their asks as a requester
    CONNECTOR = "connector"  # the asks they had as a connector this week, and those held for room
    TARGET = "target"  # the asks their address had as a target in 30 days
    CONFIRMATIONS = "confirmations"  # the confirmation mail to their address


@dataclass(frozen=True, init=False)
class LedgerOf[L: Ledger = Ledger]:
    """A person's ledger in one book; `L`, the ledger's class, follows from the book."""

    book: Book
    person: str  # the keyed hash of the address, never the address

    @overload
    def __init__(self: LedgerOf[RequesterLedger], book: Literal[Book.REQUESTER], person: str) -> None: ...
    @overload
    def __init__(self: LedgerOf[ConnectorLedger], book: Literal[Book.CONNECTOR], person: str) -> None: ...
    @overload
    def __init__(self: LedgerOf[TargetLedger], book: Literal[Book.TARGET], person: str) -> None: ...
    @overload
    def __init__(
        self: LedgerOf[ConfirmationLedger], book: Literal[Book.CONFIRMATIONS], person: str
    ) -> None: ...
    @overload
    def __init__(self, book: Book, person: str) -> None: ...
    def __init__(self, book: Book, person: str) -> None:
        object.__setattr__(self, "book", book)
        object.__setattr__(self, "person", person)


class Found(dict[LedgerOf, Ledger]):
    """What `Ledgers.read` found: each ledger under its ref, of the class its book says."""

    def __getitem__[L: Ledger](self, ref: LedgerOf[L]) -> L:
        return cast(L, super().__getitem__(ref))  # the adapter decoded it by ref.book


@dataclass(frozen=True)
class Entry:
    """One line of the per-person index: this person (keyed hash) appears in `intro` as `role`."""

    person: str
    intro: str
    role: Role


@dataclass(frozen=True)
class Listing:
    """A member's line in the opt-in directory (domain.directory), as searchers see it: no address."""

    entry: str
    name: str
    line: str


@dataclass(frozen=True)
class Listed:
    """A listing with the address behind it, for the server alone."""

    listing: Listing
    email: str


class Intros(Protocol):
    def get(self, intro_id: str) -> Intro | None: ...

    def add(self, intro: Intro, *, members: Iterable[str] = ()) -> None:
        """Staged: a new introduction, written only if its id is free and each of `members` is still
        a member."""

    def save(self, intro: Intro, *, members: Iterable[str] = ()) -> Intro:
        """Staged: `intro`, read at `intro.version`, written one version on only if the stored one is
        still at that version. Each of `members` is read now (NoLongerMember when one is gone); a
        removal after this read writes every open introduction of that member again
        (services.membership.remove), so this write then fails its version check. Returns it as
        written."""
        ...

    def due(self, now: int, limit: int = 100) -> list[str]:
        """Ids of introductions whose next moment has come, oldest first."""
        ...

    def created_in(self, month: str) -> list[Intro]:
        """Introductions requested in `month` ("YYYY-MM"), oldest first (admin statistics)."""
        ...

    def stored_addresses(self) -> list[tuple[str, Role, str]]:
        """(intro id, role, address) for every address stored. Admin only: reads everything."""
        ...

    def unscheduled(self) -> list[str]:
        """Ids of introductions nothing is due for. Admin only: reads everything."""
        ...


class Ledgers(Protocol):
    def read(self, *refs: LedgerOf) -> Found:
        """All of them in one read; a missing one is empty, at version 0."""
        ...

    def get[L: Ledger](self, ref: LedgerOf[L]) -> L: ...

    def save[L: Ledger](
        self, ref: LedgerOf[L], ledger: L, *, due_at: int | None = None, expires_at: int | None = None
    ) -> L:
        """Staged: `ledger`, read at `ledger.version`, written one version on if still at it. `due_at`
        puts a connector's held asks in the due index; `expires_at` lets storage drop it by then."""
        ...

    def held_due(self, now: int, limit: int = 25) -> list[LedgerOf[ConnectorLedger]]:
        """Connector ledgers with an ask held whose week now has room."""
        ...


class People(Protocol):
    def member_name(self, email: str) -> str | None: ...

    def suppressed(self, hashes: Iterable[str], reasons: Iterable[str] | None = None) -> set[str]:
        """The hashes on the suppression list (with `reasons`, listed for one of them); a hash carrying
        its address's earlier one (domain.hashing.AddressHash) is found under either."""
        ...

    def suppression_reasons(self, address_hash: str) -> set[str]: ...

    def suppress(self, address_hash: str, reason: str, now: int) -> None:
        """At once, outside the unit: idempotent and additive (the first time is kept)."""

    def entries(self, address_hash: str) -> list[Entry]: ...

    def index(self, entry: Entry) -> None:
        """Staged: an index entry, in the same write as the introduction that stores the address."""

    def unindex(self, entry: Entry) -> None:
        """Staged: removing an index entry (nothing happens if there is none)."""

    def move(self, entry: Entry, to: str) -> bool:
        """At once: `entry` moved to hash `to`; False when there was no such entry."""
        ...

    def drop(self, entries: Iterable[Entry]) -> None:
        """At once: the entries deleted."""

    def member_language(self, email: str) -> str | None:
        """The language a member reads, when the members CSV said (members import)."""

    def primary_of(self, email: str, hash_key: str) -> str | None:
        """The member whose alias `email` is, under any spelling; None when it is nobody's alias."""

    def agreed(self, email: str) -> bool:
        """Whether the member agreed to be asked as connector (ConnectorPolicy=agreed)."""

    def agree(self, email: str, now: int, via: str) -> bool:
        """At once: the member is happy to be asked as connector (`via`: "welcome" link, "import"...).
        Idempotent: the first agreement is kept; False when there already was one."""
        ...

    def alias_hashes(self, email: str, hash_key: str) -> list[str]:
        """Every hash the member's aliases may be stored under (the per-person index keys)."""
        ...

    def forget_member_details(self, email: str, hash_key: str) -> None:
        """Drops a member's aliases and their agreement to be asked (removal, erasure)."""

    def add_member(self, email: str, name: str, language: str | None = None) -> bool:
        """At once: adds or renames a member; False when they were already there with that name."""
        ...

    def remove_member(self, email: str) -> bool:
        """At once; False when they were not a member."""
        ...

    def members(self) -> list[tuple[str, str]]:
        """Every member as (email, name), sorted. Admin only: reads every member."""
        ...

    def preferences(self, address_hash: str) -> Preferences:
        """What the person set at /me (a pause, their own weekly limit); none set: Preferences()."""
        ...

    def set_preferences(self, address_hash: str, prefs: Preferences) -> None:
        """At once: replaces them (all unset: nothing is kept)."""

    def opt_back_in(self, address_hash: str) -> None:
        """At once: undoes the person's own opt-out ("opted_out"); a bounce or complaint stays."""

    def listed(self, entry: str) -> Listed | None:
        """A member's directory listing by its opaque id; None when they are not listed."""

    def list_findable(self, listed: Listed, words: tuple[str, ...]) -> None:
        """At once: lists (or relists) a member under `words` (domain.directory.words of the line)."""

    def unlist(self, entry: str) -> bool:
        """At once: out of the directory (their choice, removal, erasure); False when not listed."""
        ...

    def find(self, word: str, also: tuple[str, ...]) -> list[Listing]:
        """Listings having `word` and each of `also`, at most domain.directory.RESULTS of them."""
        ...


class Sessions(Protocol):
    """Sign-in links and sessions at /me, by the sha256 digest of their secret; all at once."""

    def ask_signin(self, ask: SigninAsk) -> None:
        """Stores the ask; its stream record wakes the notifier (services.signin.send_link)."""
        ...

    def take_ask(self, ask_id: str) -> bool:
        """Deletes the ask; True only for the one caller that deleted it."""
        ...

    def put_signin(self, digest: str, email: str, expires_at: int) -> None: ...

    def take_signin(self, digest: str, now: int) -> str | None:
        """The address a sign-in link was for, spending it; None when unknown, used or expired."""
        ...

    def signin_exists(self, digest: str, now: int) -> bool: ...

    def put_session(self, digest: str, session: Session) -> None: ...

    def session(self, digest: str) -> Session | None: ...

    def end(self, digest: str, address_hash: str) -> None: ...

    def end_all(self, address_hashes: tuple[str, ...]) -> int:
        """Ends every session of a person (any of the hashes their address may be kept under)."""
        ...


class Welcomes(Protocol):
    """The welcome mail (services.welcome): each member's once-only mark, and the links it carries by
    the sha256 digest of their secret; all at once."""

    def status(self, email: str) -> str | None:
        """The member's mark: "sending" (SES may or may not have taken it), "sent", or None (never)."""

    def claim(self, email: str, now: int) -> bool:
        """Marks the member "sending", unless a run already marked them: False then."""
        ...

    def sent(self, email: str, ses_id: str) -> None: ...

    def put_link(self, digest: str, email: str, expires_at: int) -> None: ...

    def link(self, digest: str) -> tuple[str, int] | None:
        """(address, expires_at) of a welcome link; None when unknown."""


class Rates(Protocol):
    def hit(self, subject: str, window: int, limit: int) -> bool:
        """At once: counts one hit for `subject` in window `window`; False once `limit` is reached."""
        ...


class UnitOfWork(Protocol):
    now: int
    timings: Timings

    # Read-only, so that an adapter's own kinds of them (DynamoIntros, ...) make it a UnitOfWork.
    @property
    def intros(self) -> Intros: ...
    @property
    def ledgers(self) -> Ledgers: ...
    @property
    def people(self) -> People: ...
    @property
    def rates(self) -> Rates: ...
    @property
    def sessions(self) -> Sessions: ...
    @property
    def welcomes(self) -> Welcomes: ...

    def commit(self) -> None:
        """Writes everything staged in one conditional write, then starts afresh. Raises Conflict
        when an introduction or ledger changed since it was read (NoLongerMember, a Conflict too,
        when a member it relies on was removed): nothing is written then."""


class Store(Protocol):
    timings: Timings

    def begin(self, now: int, known: Iterable[Intro] = ()) -> UnitOfWork:
        """A fresh unit at `now`. `known`: introductions the caller already holds as stored (e.g. a
        stream record's image), returned by `intros.get` without a read."""
        ...


def retrying[T](
    store: Store, now: int, change: Callable[[UnitOfWork], T], attempts: int = 3, known: Iterable[Intro] = ()
) -> T:
    """Runs `change` in a fresh unit and commits what it staged; on Conflict, again on a fresh read, up
    to `attempts` times in all (the last Conflict is raised). `known` primes the first unit only."""
    for attempt in range(1, attempts + 1):
        uow = store.begin(now, known if attempt == 1 else ())
        try:
            result = change(uow)
            uow.commit()
        except Conflict:
            if attempt == attempts:
                raise
            continue
        return result
    raise ValueError("attempts must be at least 1")
