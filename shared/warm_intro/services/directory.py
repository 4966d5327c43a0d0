"""Being findable: a member lists their line, or stops; signed-in members search the listings and
pick a connector by its opaque id, resolved here, never shown as an address (domain.directory)."""

from __future__ import annotations

from ..adapters.directory import Directory, Listing
from ..adapters.dynamodb import Repository
from ..domain import directory
from ..domain.errors import InvalidInput
from ..domain.hashing import address_hash
from ..domain.sessions import Session
from ..settings import Settings


def entry_of(settings: Settings, email: str) -> str:
    return directory.entry_id(str(address_hash(email, settings.hash_key)))


def my_line(repo: Repository, settings: Settings, session: Session) -> str | None:
    found = Directory(repo).entry(entry_of(settings, session.email))
    return found["line"] if found else None


def be_findable(repo: Repository, settings: Settings, session: Session, text: str) -> None:
    name = repo.member_name(session.email)
    if name is None:
        raise InvalidInput("line", "Only members of the organisation can be listed.")
    line = directory.check_line(text)
    Directory(repo).put(entry_of(settings, session.email), session.email, name, line, directory.words(line))


def stop(repo: Repository, hash_key: str, email: str) -> bool:
    """Unlisted: by their choice, erasure, or removal from the members."""
    return Directory(repo).remove(directory.entry_id(str(address_hash(email, hash_key))))


def may_search(repo: Repository, session: Session | None) -> bool:
    return session is not None and repo.member_name(session.email) is not None


def search(repo: Repository, session: Session | None, text: str) -> list[Listing]:
    """Signed-in members only; an empty or wordless search finds nobody."""
    wanted = directory.lookup(directory.words(text)[:5])
    if wanted is None or not may_search(repo, session):
        return []
    return Directory(repo).search(*wanted)


def listing(repo: Repository, entry: str) -> Listing | None:
    """A picked listing as the form shows it again (name and line, never the address)."""
    found = Directory(repo).entry(entry) if directory.well_formed(entry) else None
    return Listing(entry, found["name"], found["line"]) if found else None


def resolve(repo: Repository, entry: str) -> str | None:
    """The address behind a picked listing, for the server alone; None when it is gone, or its member
    no longer is one."""
    if not directory.well_formed(entry):
        return None
    found = Directory(repo).entry(entry)
    if found is None or repo.member_name(found["email"]) is None:
        return None
    return found["email"]
