"""Opening and answering a link from an email. Opening never writes; answering is one conditional
write, retried once against a fresh read when someone else wrote first."""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..domain import actors, languages, tokens
from ..domain.errors import InvalidLink, LimitReached, NotAllowed
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
from .unit_of_work import Intros, Store, UnitOfWork, retrying


@dataclass(frozen=True)
class Opened:
    intro: Intro
    grant: Grant


def open_link(store: Store, token: str, now: int) -> Opened:
    """The introduction as it stands at `now`: what the clock has made due counts even before the
    scheduler has written it (a page view still never writes)."""
    stored, grant = _read(store.begin(now).intros, token, now)
    return Opened(tick(stored, now, store.timings), grant)


def _read(intros: Intros, token: str, now: int) -> tuple[Intro, Grant]:
    intro_id, secret = tokens.split(token)
    intro = intros.get(intro_id)
    if intro is None:
        raise InvalidLink("This link is not valid.")
    return intro, tokens.grant_for(intro, secret, now)


def answer(
    store: Store,
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

    def decide_once(uow: UnitOfWork) -> tuple[Intro, Intro, Grant]:
        stored, grant = _read(uow.intros, token, now)
        intro = tick(stored, now, uow.timings)  # a late "yes" finds the request as the clock left it
        actors.check(intro, grant, choice)  # before the gate looks anything up
        gate = _gate(settings, uow, intro, choice, target_email, now)
        # e.g. consent-page:v2, proposal-consent-page:v2: the page and wording they answered on
        where = f"{'proposal-' if is_proposal(intro) else ''}{grant.purpose.value}-{via}"
        updated = decide(
            intro, grant, choice, now, via=where, target_email=target_email, note=note, admission=gate
        )
        updated = languages.chosen(updated, grant.role, language)
        if choice is Decision.CONFIRM and Role.CONNECTOR not in updated.languages:
            # The members CSV may say which language the connector reads (members import).
            spoken = uow.people.member_language(intro.connector.email)
            updated = languages.chosen(updated, Role.CONNECTOR, spoken)
        # A click on a message to several people (Role.SYSTEM) is nobody's in particular: no address.
        if choice is Decision.OPT_OUT and (email := actors.email_of(intro, grant.role)):
            uow.people.suppress(address_hash(email, settings.hash_key), "opted_out", now)
        if choice in (Decision.PAUSE, Decision.ONE_A_WEEK) and (email := actors.email_of(intro, grant.role)):
            _prefer(uow, address_hash(email, settings.hash_key), choice, now)
        written = uow.intros.save(updated, members=members_vouching(settings, intro, updated))
        personal_data.index_added(uow, intro, updated, settings.hash_key)
        return stored, written, grant

    stored, updated, grant = retrying(store, now, decide_once, attempts=2)
    count_events(settings.org_name, updated, since=len(stored.history))
    return Opened(updated, grant)


def _gate(
    settings: Settings, uow: UnitOfWork, intro: Intro, choice: Decision, target_email: str | None, now: int
) -> Admission:
    """What the organisation's policy and limits say, for a decision actors.check has let through; its
    ledger writes staged in `uow`."""
    if is_proposal(intro):
        return proposals.gate(settings, uow, intro, choice, now)
    if choice in (Decision.CONFIRM, Decision.WITHDRAW) and actors.waiting_on(intro) is Role.REQUESTER:
        intake.confirmation_answered(settings, uow, intro, choice is Decision.CONFIRM, now)
        if choice is Decision.WITHDRAW:
            return GO
        try:
            return admission.on_confirm(settings, uow, intro, now)
        except LimitReached:
            # The click proved the address even though the requester's own limits stop this request for
            # now: their next request's confirmation mail need not wait for this one to lapse.
            uow.commit()
            raise
    if choice is Decision.APPROVE:
        email = approved_address(intro, target_email)
        # The person index learns a corrected address in the same write (personal_data.index_added).
        return admission.on_approve(settings, uow, intro, email, now)
    return GO


PAUSE = 30 * DAY  # the footer's pause; a date of their own choosing is at /me


def _prefer(uow: UnitOfWork, person: str, choice: Decision, now: int) -> None:
    """The footer's choices write the same preferences as /me (domain.preferences)."""
    held = uow.people.preferences(person)
    if choice is Decision.PAUSE:
        held = replace(held, paused_until=max(held.paused_until or 0, now + PAUSE))
    else:
        held = replace(held, week_limit=1)
    uow.people.set_preferences(person, held)
