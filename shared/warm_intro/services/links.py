"""Opening and answering a link from an email. Opening never writes; answering is one conditional
write, retried once against a fresh read when someone else wrote first."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..adapters import preferences
from ..adapters.dynamodb import Repository
from ..adapters.ledger import Ledgers
from ..domain import actors, languages, tokens
from ..domain.errors import Conflict, InvalidLink, LimitReached, NotAllowed
from ..domain.hashing import address_hash
from ..domain.lifecycle import GO, Admission, approved_address, decide
from ..domain.model import Decision, Grant, Intro, Role
from ..domain.proposal import is_proposal
from ..domain.rules import DAY
from ..domain.schedule import tick
from ..settings import Settings
from ..telemetry import count_events
from . import admission, intake, personal_data, proposals
from .membership import members_vouching


@dataclass(frozen=True)
class Opened:
    intro: Intro
    grant: Grant


def open_link(repo: Repository, token: str, now: int) -> Opened:
    """The introduction as it stands at `now`: what the clock has made due counts even before the
    scheduler has written it (a page view still never writes)."""
    stored, grant = _read(repo, token, now)
    return Opened(tick(stored, now, repo.timings), grant)


def _read(repo: Repository, token: str, now: int) -> tuple[Intro, Grant]:
    intro_id, secret = tokens.split(token)
    intro = repo.get(intro_id)
    if intro is None:
        raise InvalidLink("This link is not valid.")
    return intro, tokens.grant_for(intro, secret, now)


def answer(
    repo: Repository,
    settings: Settings,
    token: str,
    decision: str,
    now: int,
    *,
    via: str,
    target_email: str | None = None,
    note: str | None = None,
    language: str | None = None,
) -> Opened:
    """Apply the decision; returns the introduction as it now stands. `language`: the one the person
    answered in, remembered for the mail they get next."""
    try:
        choice = Decision(decision)
    except ValueError:
        raise NotAllowed("That choice isn't available on this page.") from None
    for attempt in (1, 2):
        stored, grant = _read(repo, token, now)
        intro = tick(stored, now, repo.timings)  # a late "yes" finds the request as the clock left it
        actors.check(intro, grant, choice)  # before the gate looks anything up
        gate, also = _gate(settings, repo, intro, choice, target_email, now)
        # e.g. consent-page:v2, proposal-consent-page:v2: the page and wording they answered on
        where = f"{'proposal-' if is_proposal(intro) else ''}{grant.purpose.value}-{via}"
        updated = decide(
            intro, grant, choice, now, via=where, target_email=target_email, note=note, admission=gate
        )
        updated = languages.chosen(updated, grant.role, language)
        if choice is Decision.CONFIRM and Role.CONNECTOR not in updated.languages:
            # The members CSV may say which language the connector reads (members import).
            spoken = repo.member_language(intro.connector.email)
            updated = languages.chosen(updated, Role.CONNECTOR, spoken)
        # A click on a message to several people (Role.SYSTEM) is nobody's in particular: no address.
        if choice is Decision.OPT_OUT and (email := actors.email_of(intro, grant.role)):
            repo.suppress(address_hash(email, settings.hash_key), "opted_out", now)
        if choice in (Decision.PAUSE, Decision.ONE_A_WEEK) and (email := actors.email_of(intro, grant.role)):
            _prefer(repo, address_hash(email, settings.hash_key), choice, now)
        try:
            repo.save(
                updated,
                stored.version,
                personal_data.with_index(repo.table, intro, updated, settings.hash_key, also),
                members=members_vouching(settings, intro, updated),
            )
        except Conflict:
            if attempt == 2:
                raise
            continue
        count_events(settings.org_name, updated, since=len(stored.history))
        return Opened(updated, grant)
    raise AssertionError("unreachable")


def _gate(
    settings: Settings, repo: Repository, intro: Intro, choice: Decision, target_email: str | None, now: int
) -> tuple[Admission, list[dict]]:
    """What the organisation's policy and limits say, for a decision actors.check has let through."""
    if is_proposal(intro):
        return proposals.gate(settings, repo, intro, choice, now)
    if choice in (Decision.CONFIRM, Decision.WITHDRAW) and actors.waiting_on(intro) is Role.REQUESTER:
        released = intake.confirmation_answered(settings, repo, intro, choice is Decision.CONFIRM, now)
        if choice is Decision.WITHDRAW:
            return GO, released
        try:
            gate, also = admission.on_confirm(settings, repo, intro, now)
        except LimitReached:
            # The click proved the address even though the requester's own limits stop this request for
            # now: their next request's confirmation mail need not wait for this one to lapse.
            Ledgers(repo).write(*released)
            raise
        return gate, [*also, *released]
    if choice is Decision.APPROVE:
        email = approved_address(intro, target_email)
        # The person index learns a corrected address in the same write (personal_data.with_index).
        return admission.on_approve(settings, repo, intro, email, now)
    return GO, []


PAUSE = 30 * DAY  # the footer's pause; a date of their own choosing is at /me


def _prefer(repo: Repository, person: str, choice: Decision, now: int) -> None:
    """The footer's choices write the same preferences as /me (domain.preferences)."""
    held = preferences.read(repo, person)
    if choice is Decision.PAUSE:
        held = replace(held, paused_until=max(held.paused_until or 0, now + PAUSE))
    else:
        held = replace(held, week_limit=1)
    preferences.write(repo, person, held)
