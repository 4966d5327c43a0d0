"""Being findable: a member lists their line, or stops; signed-in members search the listings and
pick a connector by its opaque id, resolved here, never shown as an address (domain.directory)."""

from __future__ import annotations

from ..domain import directory
from ..domain.errors import InvalidInput
from ..domain.hashing import address_hash
from ..domain.sessions import Session
from ..domain.translatable import N_
from ..settings import Settings
from .unit_of_work import Listed, Listing, Store


def entry_of(settings: Settings, email: str) -> str:
    return directory.entry_id(str(address_hash(email, settings.hash_key)))


def my_line(store: Store, settings: Settings, session: Session) -> str | None:
    found = store.begin(0).people.listed(entry_of(settings, session.email))
    return found.listing.line if found else None


def be_findable(store: Store, settings: Settings, session: Session, text: str) -> None:
    people = store.begin(0).people
    name = people.member_name(session.email)
    if name is None:
        raise InvalidInput("line", N_("Only members of the organisation can be listed."))
    line = directory.check_line(text)
    listing = Listing(entry_of(settings, session.email), name, line)
    people.list_findable(Listed(listing, session.email), directory.words(line))


def stop(store: Store, hash_key: str, email: str) -> bool:
    """Unlisted: by their choice, erasure, or removal from the members."""
    return store.begin(0).people.unlist(directory.entry_id(str(address_hash(email, hash_key))))


def may_search(store: Store, session: Session | None) -> bool:
    return session is not None and store.begin(0).people.member_name(session.email) is not None


def search(store: Store, session: Session | None, text: str) -> list[Listing]:
    """Signed-in members only; an empty or wordless search finds nobody."""
    wanted = directory.lookup(directory.words(text)[:5])
    if wanted is None or not may_search(store, session):
        return []
    return store.begin(0).people.find(*wanted)


def listing(store: Store, entry: str) -> Listing | None:
    """A picked listing as the form shows it again (name and line, never the address)."""
    found = store.begin(0).people.listed(entry) if directory.well_formed(entry) else None
    return found.listing if found else None


def resolve(store: Store, entry: str) -> str | None:
    """The address behind a picked listing, for the server alone; None when it is gone, or its member
    no longer is one."""
    if not directory.well_formed(entry):
        return None
    people = store.begin(0).people
    found = people.listed(entry)
    if found is None or people.member_name(found.email) is None:
        return None
    return found.email
