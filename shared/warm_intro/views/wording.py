"""Numbers and moments as emails and pages say them."""

from __future__ import annotations

from datetime import UTC, datetime


def span(value: float, unit: str) -> str:
    """E.g. span(10, "day") == "10 days", span(1.5, "hour") == "1.5 hours"."""
    number = str(int(value)) if float(value).is_integer() else str(value)
    return f"{number} {unit}" + ("" if number == "1" else "s")


def day(moment: int | None) -> str | None:
    """A moment as the day a person reads, e.g. "Tuesday 8 December" (UTC)."""
    if moment is None:
        return None
    when = datetime.fromtimestamp(moment, UTC)
    return f"{when:%A} {when.day} {when:%B}"
