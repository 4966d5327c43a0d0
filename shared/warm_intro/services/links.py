"""Opening and answering a link from an email. Opening never writes; answering is one conditional
write, retried once against a fresh read when someone else wrote first."""

from __future__ import annotations

from dataclasses import dataclass

from ..adapters.dynamodb import Repository
from ..adapters.ledger import person_items
from ..domain import tokens
from ..domain.errors import Conflict, InvalidLink, NotAllowed
from ..domain.lifecycle import GO, Admission, approved_address, corrects_address, decide
from ..domain.model import Decision, Grant, Intro, Role, State
from ..domain.privacy import address_hash
from ..settings import Settings
from ..telemetry import count_events
from . import admission, privacy, requests


@dataclass(frozen=True)
class Opened:
    intro: Intro
    grant: Grant


def open_link(repo: Repository, token: str, now: int) -> Opened:
    intro_id, secret = tokens.split(token)
    intro = repo.get(intro_id)
    if intro is None:
        raise InvalidLink("This link is not valid.")
    return Opened(intro, tokens.grant_for(intro, secret, now))


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
) -> Opened:
    """Apply the decision; returns the introduction as it now stands."""
    try:
        choice = Decision(decision)
    except ValueError:
        raise NotAllowed("That choice isn't available on this page.") from None
    for attempt in (1, 2):
        opened = open_link(repo, token, now)
        intro, grant = opened.intro, opened.grant
        gate, also = _gate(settings, repo, intro, choice, target_email, now)
        where = f"{grant.purpose.value}-{via}"  # e.g. consent-page:v1: the page and wording they answered on
        updated = decide(intro, grant, choice, now, via=where, target_email=target_email, note=note, admission=gate)
        if choice is Decision.OPT_OUT and grant.role is not Role.SYSTEM:  # SYSTEM: nobody's in particular
            repo.suppress(address_hash(_address_of(intro, grant.role), settings.hash_key), "opted_out", now)
        try:
            repo.save(updated, intro.version, privacy.with_index(repo.table, intro, updated, settings.hash_key, also))
        except Conflict:
            if attempt == 2:
                raise
            continue
        count_events(settings.org_name, updated, since=len(intro.history))
        return Opened(updated, grant)
    raise AssertionError("unreachable")


def _gate(
    settings: Settings, repo: Repository, intro: Intro, choice: Decision, target_email: str | None, now: int
) -> tuple[Admission, list[dict]]:
    if choice in (Decision.CONFIRM, Decision.WITHDRAW) and intro.state is State.UNCONFIRMED:
        released = requests.confirmation_answered(settings, repo, intro, choice is Decision.CONFIRM, now)
        if choice is Decision.WITHDRAW:
            return GO, released
        gate, also = admission.on_confirm(settings, repo, intro, now)
        return gate, [*also, *released]
    if choice is Decision.APPROVE and intro.state is State.AWAITING_CONNECTOR:
        email = approved_address(intro, target_email)
        gate, also = admission.on_approve(settings, repo, intro, email, now)
        if corrects_address(intro, email):  # the person index learns the address the ask goes to
            also = [*also, *person_items(repo.table, intro, {Role.TARGET: address_hash(email, settings.hash_key)})]
        return gate, also
    return GO, []


def _address_of(intro: Intro, role: Role) -> str:
    return {Role.REQUESTER: intro.requester.email, Role.CONNECTOR: intro.connector.email}.get(
        role, intro.target.email or ""
    )
