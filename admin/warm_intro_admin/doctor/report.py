"""One line of the doctor's report: green, red (with the next step), a warning, or skipped."""

from __future__ import annotations

from dataclasses import dataclass

GREEN, RED, WARN, SKIP = "ok", "fail", "warn", "skip"
MARK = {GREEN: "✔", RED: "✘", WARN: "!", SKIP: "-"}
COLOUR = {GREEN: "\033[32m", RED: "\033[31m", WARN: "\033[33m", SKIP: "\033[2m"}


@dataclass(frozen=True)
class Line:
    status: str
    check: str
    detail: str
    next_step: str = ""

    def render(self, colour: bool = False) -> str:
        text = f"{MARK[self.status]} {self.check}: {self.detail}" + (
            f" → {self.next_step}" if self.next_step else ""
        )
        return f"{COLOUR[self.status]}{text}\033[0m" if colour else text
