"""Opt-outs for the administrator: how many, by kind and month (never whose), and lifting one, only
ever at that person's own request, with who lifted it, when and why kept in the table."""

from __future__ import annotations

import getpass
from collections import Counter
from datetime import UTC, datetime

from warm_intro.adapters.dynamodb import Repository
from warm_intro.adapters.optouts import OptOuts
from warm_intro.domain.hashing import hashes

from .target import AdminError, Target

KINDS = ("opted_out", "bounced", "complained")


def month(at: int) -> str:
    return datetime.fromtimestamp(at, UTC).strftime("%Y-%m")


def counts(repo: Repository) -> tuple[list[str], dict[str, Counter[str]]]:
    """Kinds seen, and for each month (when the address was first suppressed) a count per kind; the
    opt-outs lifted at their owner's request are counted under "restored", in the month lifted."""
    prefs = OptOuts(repo)
    table: dict[str, Counter[str]] = {}
    for (kind, first_at), n in prefs.suppression_counts().items():
        table.setdefault(month(first_at), Counter())[kind] += n
    for entry in prefs.restorations():
        table.setdefault(month(int(entry["at"])), Counter())["restored"] += 1
    seen = {kind for row in table.values() for kind in row}
    kinds = [k for k in (*KINDS, "restored") if k in seen] + sorted(seen - {*KINDS, "restored"})
    return kinds, dict(sorted(table.items()))


def render(kinds: list[str], table: dict[str, Counter[str]]) -> str:
    if not table:
        return "No opt-outs, bounces or complaints on record."
    width = max(len(k) for k in kinds)
    lines = ["month    " + "  ".join(k.rjust(width) for k in kinds)]
    lines += [f"{m}  " + "  ".join(str(row[k]).rjust(width) for k in kinds) for m, row in table.items()]
    total: Counter[str] = Counter()
    for row in table.values():
        total.update(row)
    lines.append("total    " + "  ".join(str(total[k]).rjust(width) for k in kinds))
    return "\n".join(lines)


def operator(t: Target) -> str:
    """Who is running the command: the AWS principal, or the local user against the local server."""
    if t.endpoint:
        return f"local user {getpass.getuser()}"
    return t.client("sts").get_caller_identity()["Arn"]


def restore(repo: Repository, hash_key: str, email: str, why: str, by: str, now: int) -> str:
    if not why.strip():
        raise AdminError('say why with --reason, e.g. --reason "asked by email on 2026-11-29"')
    lifted, others = OptOuts(repo).lift_opt_out(list(hashes(email, hash_key)), now, by, why.strip())
    if not lifted:
        line = f"{email}: no opt-out on record; nothing changed"
    else:
        line = f"{email}: opt-out lifted; logged as done by {by} at {month(now)} ({now}): {why.strip()}"
    if others:
        line += f"\n  still suppressed ({', '.join(sorted(others))}): mail to it would bounce or be unwanted"
    return line
