"""What an organisation wants to know, from the by_month index (one Query per month, never a Scan):
how far requests got, how long introductions take, and which connectors are near their weekly cap."""

from __future__ import annotations

import statistics
from collections import Counter
from time import gmtime
from typing import Any

from warm_intro.domain.model import Flow, Intro, Role, State
from warm_intro.services.unit_of_work import Store

WEEK = 7 * 86_400
# history actions that mark how far a request got (one each per introduction)
REACHED = {"confirm": "confirmations", "approve": "approvals", "accept": "acceptances"}
FINAL = {
    "introduced": "introductions",
    "declined": "declines",
    "expired": "expiries",
    "withdrawn": "withdrawals",
}
ORDER = [
    "requests",
    "confirmations",
    "approvals",
    "acceptances",
    "introductions",
    "declines",
    "expiries",
    "withdrawals",
    "open",
]
OPEN = {"unconfirmed", "awaiting_connector", "awaiting_target", "awaiting_second"}
# Proposals ("you two should meet", issue 14) are counted apart: a request's figures mean what they did.
PROPOSAL_ORDER = [
    "proposals",
    "confirmed",
    "first_yes",
    "introductions",
    "declines",
    "expiries",
    "withdrawals",
    "open",
]


def months(last: str, count: int) -> list[str]:
    year, month = map(int, last.split("-"))
    found = []
    for _ in range(count):
        found.append(f"{year:04d}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found[::-1]


def month_of(epoch: int) -> str:
    t = gmtime(epoch)
    return f"{t.tm_year:04d}-{t.tm_mon:02d}"


def summarise(intros: list[Intro], now: int, cap: int) -> dict[str, Any]:
    proposals = [intro for intro in intros if intro.flow is Flow.PROPOSAL]
    intros = [intro for intro in intros if intro.flow is not Flow.PROPOSAL]
    counts = Counter(dict.fromkeys(ORDER, 0))
    waits: list[int] = []
    asks: Counter[str] = Counter()
    for intro in intros:
        done = {event.action for event in intro.history}
        counts["requests"] += 1
        counts.update(REACHED[d] for d in done if d in REACHED)
        if intro.state.value in FINAL:
            counts[FINAL[intro.state.value]] += 1
        counts["open"] += intro.is_open
        if intro.state is State.INTRODUCED and intro.decided_at is not None:
            waits.append(intro.decided_at - intro.created_at)
        for event in intro.history:  # the moment the connector was asked: the requester's confirmation
            if (
                event.action == "confirm"
                and event.state is State.AWAITING_CONNECTOR
                and event.at > now - WEEK
            ):
                asks[intro.connector.email] += 1
    near = sorted(
        ((email, n) for email, n in asks.items() if email and n >= max(cap - 1, 1)), key=lambda x: -x[1]
    )
    median = statistics.median(waits) / 86_400 if waits else None
    return {
        **{name: counts[name] for name in ORDER},
        "median_days_to_introduction": median,
        "connector_cap_per_week": cap,
        "connectors_near_cap": [{"email": e, "asks_last_7_days": n} for e, n in near],
        "proposals": summarise_proposals(proposals),
    }


def summarise_proposals(intros: list[Intro]) -> dict[str, int]:
    counts = Counter(dict.fromkeys(PROPOSAL_ORDER, 0))
    for intro in intros:
        history = intro.history
        counts["proposals"] += 1
        counts["confirmed"] += any(e.action == "confirm" and e.actor is Role.CONNECTOR for e in history)
        counts["first_yes"] += any(e.action == "accept" and e.state is State.AWAITING_SECOND for e in history)
        if intro.state.value in FINAL:
            counts[FINAL[intro.state.value]] += 1
        counts["open"] += intro.state.value in OPEN
    return {name: counts[name] for name in PROPOSAL_ORDER}


def collect(store: Store, span: list[str]) -> list[Intro]:
    intros = store.begin(0).intros
    return [intro for month in span for intro in intros.created_in(month)]


def render(figures: dict[str, Any], span: list[str]) -> str:
    lines = [f"Requests made {span[0]} to {span[-1]}:"]
    lines += [f"  {name:<15}{figures[name]:>6}" for name in ORDER]
    median = figures["median_days_to_introduction"]
    lines.append(f"  median time to introduction: {'-' if median is None else f'{median:.1f} days'}")
    near = figures["connectors_near_cap"]
    cap = figures["connector_cap_per_week"]
    lines.append(f"Connectors near their cap ({cap} asks a week): {'none' if not near else ''}".rstrip())
    lines += [f"  {c['email']}: {c['asks_last_7_days']} asks in the last 7 days" for c in near]
    proposals = figures["proposals"]
    lines.append(f"Introductions members proposed {span[0]} to {span[-1]}:")
    lines += [f"  {name:<15}{proposals[name]:>6}" for name in PROPOSAL_ORDER]
    return "\n".join(lines)
