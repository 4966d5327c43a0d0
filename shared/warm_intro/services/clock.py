"""The scheduled run: apply `tick` to every introduction the due index says has come due.

Its DynamoDB calls grow with the number of due introductions, never with the table."""

from __future__ import annotations

from dataclasses import dataclass

from ..adapters.dynamodb import Repository
from ..domain.clock import tick
from ..domain.errors import Conflict


@dataclass
class RunReport:
    due: int = 0
    changed: int = 0
    conflicts: int = 0


def run_due(repo: Repository, now: int, batch: int = 100) -> RunReport:
    report = RunReport()
    for intro_id in repo.due(now, limit=batch):
        report.due += 1
        intro = repo.get(intro_id)
        if intro is None:
            continue
        updated = tick(intro, now, repo.timings)
        if updated is intro:
            continue
        try:
            repo.save(updated, intro.version)
            report.changed += 1
        except Conflict:  # a person or another run got there first; the next run looks again
            report.conflicts += 1
    return report
