"""What an organisation wants to know, from the by_month index (one Query per month, never a Scan):
how far requests got, how long introductions take, and which connectors are near their weekly cap."""

from __future__ import annotations

import statistics
from collections import Counter
from time import gmtime
from typing import Any

from warm_intro.adapters.dynamodb import Repository

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


def summarise(items: list[dict[str, Any]], now: int, cap: int) -> dict[str, Any]:
    proposals = [item for item in items if item.get("flow") == "proposal"]
    items = [item for item in items if item.get("flow") != "proposal"]
    counts = Counter(dict.fromkeys(ORDER, 0))
    waits: list[int] = []
    asks: Counter[str] = Counter()
    for item in items:
        history = item.get("history", [])
        done = {event["do"] for event in history}
        counts["requests"] += 1
        counts.update(REACHED[d] for d in done if d in REACHED)
        state = item.get("state", "")
        if state in FINAL:
            counts[FINAL[state]] += 1
        counts["open"] += state in OPEN
        if state == "introduced" and item.get("decided_at") is not None:
            waits.append(int(item["decided_at"]) - int(item["created_at"]))
        connector = item.get("connector", {}).get("email")
        for event in history:  # the moment the connector was asked: the requester's confirmation
            if (
                event["do"] == "confirm"
                and event.get("st") == "awaiting_connector"
                and int(event["at"]) > now - WEEK
            ):
                asks[connector] += 1
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


def summarise_proposals(items: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(dict.fromkeys(PROPOSAL_ORDER, 0))
    for item in items:
        history = item.get("history", [])
        counts["proposals"] += 1
        counts["confirmed"] += any(e["do"] == "confirm" and e.get("by") == "connector" for e in history)
        counts["first_yes"] += any(e["do"] == "accept" and e.get("st") == "awaiting_second" for e in history)
        state = item.get("state", "")
        if state in FINAL:
            counts[FINAL[state]] += 1
        counts["open"] += state in OPEN
    return {name: counts[name] for name in PROPOSAL_ORDER}


def collect(repo: Repository, span: list[str]) -> list[dict[str, Any]]:
    return [item for month in span for item in repo.created_in(month)]


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
