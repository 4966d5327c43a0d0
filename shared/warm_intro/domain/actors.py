"""Who may act, on what, in which state: the one home of that rule.

Each open state waits for one person's answer (`TURNS`); beside the turns, some links keep offering a
decision for as long as something holds (`STANDING`). The lifecycle accepts a decision only when
`choices` lists it, the pages show a link's form only while `can_act`, the links service refuses
before it looks anything up, the clock reminds only whoever `waiting_on` names, and the notifier and
the opt-out path close a request only for the person `asked`. A new kind of introduction adds rows to
these tables, not branches to their readers.

The one place a link does more than its page offers: an opt-out is honoured whenever it comes (a
mail client's one-click unsubscribe, RFC 8058, must never fail), even after the page stopped
offering it; see `honours`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .disclosure import seen_by_requester
from .errors import AlreadyDecided, NotAllowed
from .model import (
    DECISIONS_BY_PURPOSE,
    Decision,
    Delivery,
    Flow,
    Grant,
    Intro,
    Kind,
    Person,
    Purpose,
    Role,
    State,
)
from .proposal import FIRST, SECOND, followed_up, proposer

CONNECTOR_REMOVED = "connector_removed"  # the consent-record action of a removal (domain.membership)
# A connector's gentler choices than "never" (domain.preferences), offered by their ask's footer.
EASED = {Purpose.PAUSE: Decision.PAUSE.value, Purpose.WEEKLY: Decision.ONE_A_WEEK.value}


@dataclass(frozen=True)
class Turn:
    """An open state, and the one person whose answer moves it on."""

    role: Role
    purpose: Purpose  # the link they answer with
    answers: tuple[Decision, ...]
    ask: Kind  # the message that asks them
    reminder: Kind | None = None  # their one reminder; None: never reminded
    # Asked on someone else's behalf: their opt-out, or an address that cannot be mailed, is also a
    # quiet no. The requester, asked only to confirm their own request, simply lets it lapse.
    on_behalf: bool = True


CONSENT = (Decision.ACCEPT, Decision.DECLINE, Decision.OPT_OUT)
# For each kind of introduction (domain.proposal), whose turn each open state is.
TURNS: dict[Flow, dict[State, Turn]] = {
    Flow.REQUEST: {
        State.UNCONFIRMED: Turn(
            Role.REQUESTER, Purpose.CONFIRM, (Decision.CONFIRM,), Kind.CONFIRM_REQUEST, on_behalf=False
        ),
        State.AWAITING_CONNECTOR: Turn(
            Role.CONNECTOR,
            Purpose.REVIEW,
            (Decision.APPROVE, Decision.DECLINE),
            Kind.CONNECTOR_ASK,
            Kind.CONNECTOR_REMINDER,
        ),
        State.AWAITING_TARGET: Turn(
            Role.TARGET, Purpose.CONSENT, CONSENT, Kind.TARGET_ASK, Kind.TARGET_REMINDER
        ),
    },
    Flow.PROPOSAL: {
        State.UNCONFIRMED: Turn(
            Role.CONNECTOR, Purpose.CONFIRM, (Decision.CONFIRM,), Kind.CONFIRM_PROPOSAL, on_behalf=False
        ),
        State.AWAITING_TARGET: Turn(FIRST, Purpose.CONSENT, CONSENT, Kind.TARGET_ASK, Kind.TARGET_REMINDER),
        State.AWAITING_SECOND: Turn(SECOND, Purpose.CONSENT, CONSENT, Kind.SECOND_ASK, Kind.SECOND_REMINDER),
    },
}


@dataclass(frozen=True)
class Standing:
    """Decisions a link offers outside any turn, for as long as `holds`."""

    purpose: Purpose  # held by whoever the link was minted for (domain.messages, link_role)
    decisions: tuple[Decision, ...]
    holds: Callable[[Intro, Role], bool]


def _not_yet(action: str) -> Callable[[Intro, Role], bool]:
    """An eased link stands until its person took `action`, or opted out."""
    return lambda i, role: last_action(i, role, eased=True) not in (action, "opt_out")


STANDING: tuple[Standing, ...] = (
    # Whoever started it may withdraw for as long as it is, as they see it, still going.
    Standing(Purpose.CONFIRM, (Decision.WITHDRAW,), lambda i, _: seen_by_requester(i).is_open),
    Standing(
        Purpose.FOLLOWUP,
        (Decision.YES, Decision.NOT_YET, Decision.NO),
        lambda i, role: i.state is State.INTRODUCED and not followed_up(i, role),
    ),
    Standing(Purpose.OPTOUT, (Decision.OPT_OUT,), lambda i, role: last_action(i, role) != "opt_out"),
    *(
        Standing(
            purpose,
            (Decision(action),),
            _not_yet(action),
        )
        for purpose, action in EASED.items()
    ),
)


def email_of(intro: Intro, role: Role) -> str | None:
    """The address the introduction holds for `role`; None for nobody in particular or none yet."""
    person = person_of(intro, role)
    return person.email if person else None


def person_of(intro: Intro, role: Role) -> Person | None:
    if role is Role.REQUESTER:
        return intro.requester
    if role is Role.CONNECTOR:
        return intro.connector
    if role is Role.TARGET and intro.target.email:
        return Person(intro.target.name, intro.target.email)
    return None


def addresses(intro: Intro) -> dict[Role, str]:
    """Every address the introduction holds, by role."""
    found = {role: email_of(intro, role) for role in (Role.REQUESTER, Role.CONNECTOR, Role.TARGET)}
    return {role: email for role, email in found.items() if email}


def turn(intro: Intro) -> Turn | None:
    return TURNS[intro.flow].get(intro.state)


def waiting_on(intro: Intro) -> Role | None:
    """Whose answer the introduction waits for; None when nobody's can move it (it has closed, or
    the connector it waits for is no longer a member)."""
    now = turn(intro)
    return None if now is None or connector_gone(intro) else now.role


def asked(intro: Intro) -> Role | None:
    """The person being asked on someone else's behalf, right now; see Turn.on_behalf. A removed
    connector still counts: their opt-out still closes the ask that waits for them."""
    now = turn(intro)
    return now.role if now is not None and now.on_behalf else None


# The ask that makes someone other than its starter part of an introduction.
ASK = {
    Flow.REQUEST: {Role.CONNECTOR: Kind.CONNECTOR_ASK, Role.TARGET: Kind.TARGET_ASK},
    Flow.PROPOSAL: {Role.TARGET: Kind.TARGET_ASK, Role.REQUESTER: Kind.SECOND_ASK},
}
UNSENT = (Delivery.HELD, Delivery.CANCELLED, Delivery.SUPPRESSED)


def involved(intro: Intro, role: Role, *, delivered: bool = False) -> bool:
    """Whether this person is part of the introduction as far as they can know: they started it,
    they answered in it, or its ask to them went out (`delivered`: the mail service took it). A
    typed-in address alone (a target never asked, a proposal's second person before the first said
    yes) makes nothing visible and nothing known. An answer counts on its own: a connector who
    answered from their home before the stream sent their ask finds that ask cancelled."""
    if role is proposer(intro) or any(e.actor is role for e in intro.history):
        return True
    kind = ASK[intro.flow].get(role)
    msg = intro.outbox.get(kind) if kind else None
    if msg is None:
        return False
    return msg.status is Delivery.SENT if delivered else msg.status not in UNSENT


def asks_now(intro: Intro, kind: Kind) -> bool:
    """Whether `kind` is the ask (or reminder) of the person `asked` right now."""
    now = turn(intro)
    return now is not None and now.on_behalf and kind in (now.ask, now.reminder)


def choices(intro: Intro, grant: Grant) -> tuple[Decision, ...]:
    """The decisions this link can make on the introduction as it stands: what its page offers."""
    offered: tuple[Decision, ...] = ()
    now = turn(intro)
    if now is not None and now.purpose is grant.purpose and waiting_on(intro) is grant.role:
        offered = now.answers
    for row in STANDING:
        if row.purpose is grant.purpose and row.holds(intro, grant.role):
            offered = (*offered, *row.decisions)
    return offered


def can_act(intro: Intro, grant: Grant) -> bool:
    """Whether this link's page shows its form, rather than what became of the request."""
    return bool(choices(intro, grant))


def honours(intro: Intro, grant: Grant, decision: Decision) -> bool:
    """Whether the lifecycle accepts `decision` through this link now: what the page offers, and an
    opt-out through any link that carries one, whenever it comes."""
    if decision is Decision.OPT_OUT and decision in DECISIONS_BY_PURPOSE[grant.purpose]:
        return True
    return decision in choices(intro, grant)


def check(intro: Intro, grant: Grant, decision: Decision) -> None:
    """Raises unless the lifecycle accepts `decision` through this link now (see `honours`)."""
    if decision not in DECISIONS_BY_PURPOSE[grant.purpose]:
        raise NotAllowed("This link cannot make that choice.")
    if not honours(intro, grant, decision):
        raise AlreadyDecided(intro)


def connector_gone(intro: Intro) -> bool:
    """The connector was removed while the ask waited for them: their link no longer decides."""
    return intro.state is State.AWAITING_CONNECTOR and any(
        e.actor is Role.SYSTEM and e.action == CONNECTOR_REMOVED for e in intro.history
    )


def last_action(intro: Intro, role: Role, *, eased: bool = False) -> str | None:
    """This person's last recorded action; a pause or weekly cap counts only with `eased` (only the
    links that set them tell of them)."""
    skip = () if eased else tuple(EASED.values())
    return next((e.action for e in reversed(intro.history) if e.actor is role and e.action not in skip), None)
