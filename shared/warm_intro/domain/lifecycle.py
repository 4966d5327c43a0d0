"""The double-opt-in lifecycle: every state change, as pure functions from one Intro to the next.

Each function returns a new Intro with its version bumped; the repository writes it only if the
stored version is still the one read, so two racing decisions give exactly one transition.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from . import actors
from .disclosure import neutral_close_pending
from .messages import SPECS
from .model import (
    SENDABLE,
    Decision,
    Delivery,
    Event,
    Flow,
    Grant,
    Intro,
    Kind,
    Message,
    Person,
    Purpose,
    Role,
    State,
    Target,
)
from .proposal import FOLLOWUPS, NEUTRAL_CLOSES, is_proposal, kind_for, proposer
from .validation import check_email, check_text, normalise_email


@dataclass(frozen=True)
class Admission:
    """What the organisation's policy says about going ahead, worked out by the caller."""

    allowed: bool = True  # False: the requester is told politely it is not possible
    closes: bool = False  # True: closes with the neutral message (nothing says why)
    hold: bool = False  # the connector's ask waits for capacity
    connector_name: str = ""
    connector_email: str = ""  # the member's own address, when the request named them by an alias


GO = Admission()


def new_request(
    intro_id: str,
    requester: Person,
    connector_email: str,
    target: Target,
    blurb: str,
    now: int,
    via: str,
    held: bool = False,
    acquaintance: str | None = None,
) -> Intro:
    """`held`: the confirmation waits for an earlier one to the same address (see domain.confirmations).
    `acquaintance`: how the requester knows the connector, in their words."""
    intro = Intro(
        id=intro_id,
        state=State.UNCONFIRMED,
        created_at=now,
        updated_at=now,
        requester=requester,
        connector=Person(name="", email=connector_email),
        target=target,
        blurb=blurb,
        acquaintance=acquaintance,
        asked_at=now,
    )
    return _record(_send(intro, now, Kind.CONFIRM_REQUEST, held=held), now, Role.REQUESTER, "request", via)


def new_proposal(
    intro_id: str,
    connector: Person,
    first: Target,
    second: Person,
    note: str,
    now: int,
    via: str,
    held: bool = False,
) -> Intro:
    """A connector's "you two should meet": `first` is asked first, `second` only after their yes;
    `note` is the connector's reason, which each of them reads as written. `held`: as for a request."""
    intro = Intro(
        id=intro_id,
        state=State.UNCONFIRMED,
        created_at=now,
        updated_at=now,
        requester=second,
        connector=connector,
        target=first,
        blurb=note,
        asked_at=now,
        flow=Flow.PROPOSAL,
    )
    return _record(_send(intro, now, Kind.CONFIRM_PROPOSAL, held=held), now, Role.CONNECTOR, "propose", via)


def proven(intro: Intro, now: int, *, via: str, admission: Admission = GO) -> Intro:
    """A new request or proposal whose starter's address is already proven (they are signed in at
    /me): its confirmation mail is never queued, and their confirm is recorded as made through
    `via`, under the same admission as a click on that mail's link."""
    kind = kind_for(intro, Kind.CONFIRM_REQUEST)
    unmailed = intro.evolve(outbox={k: m for k, m in intro.outbox.items() if k is not kind})
    grant = Grant(proposer(intro), Purpose.CONFIRM, 0)
    return decide(unmailed, grant, Decision.CONFIRM, now, via=via, admission=admission)


def decide(
    intro: Intro,
    grant: Grant,
    decision: Decision,
    now: int,
    *,
    via: str,
    target_email: str | None = None,
    note: str | None = None,
    admission: Admission = GO,
) -> Intro:
    """Apply one person's decision made through a link. Raises if the link cannot make it now: who may
    act, on what, in which state, is domain.actors' to say."""
    actors.check(intro, grant, decision)
    if decision is Decision.OPT_OUT:
        return _opt_out(intro, grant.role, now, via)
    if decision in (Decision.PAUSE, Decision.ONE_A_WEEK):  # about the person, kept beside their opt-out
        return _record(intro, now, grant.role, decision.value, via)
    if decision is Decision.WITHDRAW:
        return _withdraw(intro, now, via, grant.role)
    if decision in (Decision.YES, Decision.NOT_YET, Decision.NO):
        return _follow_up(intro, grant.role, decision, now, via)
    match decision:
        case Decision.CONFIRM if is_proposal(intro):
            intro = _confirm_proposal(intro, now, admission)
        case Decision.CONFIRM:
            intro = _confirm(intro, now, admission)
        case Decision.APPROVE:
            intro = _approve(intro, now, target_email, note, admission)
        case Decision.ACCEPT if intro.state is State.AWAITING_TARGET and is_proposal(intro):
            intro = _ask_second(intro, now, admission)
        case Decision.ACCEPT:
            intro = _close(intro, State.INTRODUCED, now, Kind.INTRODUCTION)
        case _:
            if grant.role is Role.CONNECTOR:
                intro = intro.evolve(private_note=check_text("note", note, 1000))
            intro = _close(intro, State.DECLINED, now, kind_for(intro, Kind.CLOSED))
    return _record(intro, now, grant.role, decision.value, via)


def _confirm(intro: Intro, now: int, admission: Admission) -> Intro:
    if not admission.allowed:
        return _close(intro, State.REFUSED, now, Kind.NOT_POSSIBLE)
    connector = Person(
        name=admission.connector_name, email=admission.connector_email or intro.connector.email
    )
    intro = intro.evolve(connector=connector)
    if admission.closes:
        return _close(intro, State.REFUSED, now, Kind.CLOSED)
    intro = intro.evolve(state=State.AWAITING_CONNECTOR, asked_at=now)
    return _send(intro, now, Kind.CONNECTOR_ASK, held=admission.hold)


def _confirm_proposal(intro: Intro, now: int, admission: Admission) -> Intro:
    """The connector proved their address: the person asked first is asked now, unless the connector
    may not propose (told politely) or the first person cannot be asked (the neutral close)."""
    if not admission.allowed:
        return _close(intro, State.REFUSED, now, Kind.PROPOSAL_NOT_POSSIBLE)
    if admission.connector_name:
        intro = intro.evolve(connector=Person(admission.connector_name, intro.connector.email))
    if admission.closes:
        return _close(intro, State.REFUSED, now, Kind.PROPOSAL_CLOSED)
    intro = intro.evolve(state=State.AWAITING_TARGET, asked_at=now)
    return _send(intro, now, Kind.TARGET_ASK)


def _ask_second(intro: Intro, now: int, admission: Admission) -> Intro:
    """The first person said yes: only now is the second asked. If they cannot be asked, it ends as
    any other close does, and the first person's yes is never passed on."""
    if admission.closes:
        return _close(intro, State.REFUSED, now, Kind.PROPOSAL_CLOSED)
    intro = intro.evolve(state=State.AWAITING_SECOND, asked_at=now)
    return _send(intro, now, Kind.SECOND_ASK)


def approved_address(intro: Intro, target_email: str | None) -> str:
    """Where the target's ask goes: the address the connector approved on their page. The page shows
    the requester's address filled in, to be kept or corrected; without the field, it is kept."""
    if target_email is None and intro.target.email:
        return intro.target.email
    return check_email("target_email", target_email)


def corrects_address(intro: Intro, approved: str) -> bool:
    return intro.target.email is not None and normalise_email(intro.target.email) != normalise_email(approved)


def _approve(
    intro: Intro, now: int, target_email: str | None, note: str | None, admission: Admission
) -> Intro:
    email = approved_address(intro, target_email)
    if corrects_address(intro, email):  # the consent record notes whose word the address is
        intro = _record(intro, now, Role.CONNECTOR, "correct_address", "")
    intro = intro.evolve(
        target=Target(intro.target.name, email, intro.target.about), note=check_text("note", note, 1000)
    )
    if admission.closes:
        return _close(intro, State.REFUSED, now, Kind.CLOSED)
    intro = intro.evolve(state=State.AWAITING_TARGET, asked_at=now)
    return _send(intro, now, Kind.TARGET_ASK)


def _withdraw(intro: Intro, now: int, via: str, role: Role) -> Intro:
    """By whoever started it: the requester, or the connector who proposed it."""
    close_kind = kind_for(intro, Kind.CLOSED)
    if neutral_close_pending(intro):
        # Closed, but the requester still sees it on its way: withdrawing works and reads as always.
        # The state stays what the others did; the neutral close they would have had is not sent.
        close_ = replace(intro.outbox[close_kind], status=Delivery.CANCELLED, at=now)
        intro = intro.evolve(outbox={**intro.outbox, close_kind: close_})
        return _record(intro, now, role, "withdraw", via)
    return _record(_close(intro, State.WITHDRAWN, now, None), now, role, "withdraw", via)


def _opt_out(intro: Intro, role: Role, now: int, via: str) -> Intro:
    """Never ask me again. While this person is the one being asked, it is also a quiet 'no'."""
    if actors.asked(intro) is role:
        intro = _close(intro, State.DECLINED, now, kind_for(intro, Kind.CLOSED))
    elif role is Role.SYSTEM:  # a click on a message to several people: see domain.messages
        intro = _quiet(intro, now)
    return _record(intro, now, role, "opt_out", via)


def _quiet(intro: Intro, now: int) -> Intro:
    """Nothing more about this introduction goes to anyone: what waits is cancelled, and the
    follow-up is cancelled before it is ever due."""
    outbox = {
        kind: replace(msg, status=Delivery.CANCELLED, at=now)
        if msg.status in SENDABLE | {Delivery.HELD}
        else msg
        for kind, msg in intro.outbox.items()
    }
    for kind in FOLLOWUPS[intro.flow]:
        outbox.setdefault(kind, Message(kind, Delivery.CANCELLED, at=now))
    return intro.evolve(outbox=outbox)


def _follow_up(intro: Intro, role: Role, decision: Decision, now: int, via: str) -> Intro:
    """Each person asked "did you connect?" answers once; the first yes thanks the connector."""
    if intro.followup is None or decision is Decision.YES:
        intro = intro.evolve(followup=decision.value)
    if decision is Decision.YES:
        intro = _send(intro, now, Kind.THANKS)
    return _record(intro, now, role, f"connected:{decision.value}", via)


def _close(intro: Intro, state: State, now: int, message: Kind | None) -> Intro:
    """A final state: whatever was still waiting to ask someone is cancelled, so nobody is bothered.
    The neutral close is held: the clock sends it at the one moment the requester may learn of it
    (domain.disclosure), so neither it nor its timing says who or what closed the request."""
    outbox = {
        kind: replace(msg, status=Delivery.CANCELLED, at=now)
        if msg.status in SENDABLE | {Delivery.HELD} and SPECS[kind].only_while is not None
        else msg
        for kind, msg in intro.outbox.items()
    }
    intro = intro.evolve(state=state, decided_at=now, outbox=outbox)
    return _send(intro, now, message, held=message in NEUTRAL_CLOSES) if message else intro


def _record(intro: Intro, now: int, actor: Role, action: str, via: str) -> Intro:
    """Append to the consent record; the event carries the state the action led to."""
    event = Event(at=now, actor=actor, action=action, state=intro.state, via=via)
    return intro.evolve(history=(*intro.history, event))


def _send(intro: Intro, now: int, kind: Kind, held: bool = False) -> Intro:
    if kind in intro.outbox:  # each message at most once per introduction
        return intro
    status = Delivery.HELD if held else Delivery.PENDING
    return intro.evolve(outbox={**intro.outbox, kind: Message(kind, status, at=now)})


def record(intro: Intro, now: int, actor: Role, action: str, via: str = "") -> Intro:
    return _record(intro, now, actor, action, via)


def send(intro: Intro, now: int, kind: Kind) -> Intro:
    return _send(intro, now, kind)


def close(intro: Intro, state: State, now: int, message: Kind | None) -> Intro:
    return _close(intro, state, now, message)
