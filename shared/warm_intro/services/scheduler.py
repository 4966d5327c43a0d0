"""The scheduled run: apply `tick` to every introduction the due index says has come due, a page at
a time, while there is time left.

Its DynamoDB calls grow with the number of due introductions, never with the table: one query per
page of the keys-only index, then one read and at most one versioned write per due introduction (a
connector about to be reminded costs one more read, and the write checks they are still a member).
Two runs at once, or a run repeated after a crash, send nothing twice: `tick` is idempotent and
every write is conditional on the version read."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum

from ..domain.erasure import is_anonymous
from ..domain.errors import Conflict
from ..domain.membership import without_connector
from ..domain.model import Intro, Kind
from ..domain.schedule import tick
from .personal_data import unindex
from .unit_of_work import Store, UnitOfWork, retrying

log = logging.getLogger(__name__)


class TickResult(StrEnum):
    CHANGED = "changed"
    UNCHANGED = "unchanged"  # another run, or a person, had already done it
    CONFLICTS = "conflicts"  # written by someone else twice in a row; the next run looks again
    GONE = "gone"


@dataclass
class RunReport:
    due: int = 0
    changed: int = 0
    unchanged: int = 0
    conflicts: int = 0
    gone: int = 0
    pages: int = 0
    unfinished: bool = False  # stopped for time; the next run carries on
    failed: list[str] = field(default_factory=list)


def run_due(
    store: Store,
    now: int,
    batch: int = 100,
    more: Callable[[], bool] = lambda: True,
    observe: Callable[[Intro, Intro], None] = lambda before, after: None,
    hash_key: str | None = None,
) -> RunReport:
    """`more()` says whether there is still time for one more introduction; `observe(before, after)`
    hears of every change written (for metrics). With `hash_key`, an introduction anonymised after
    its retention leaves the per-person index in the same write."""
    report = RunReport()
    passed: set[str] = set()  # looked at this run but still due (raced or failed): not tried again
    while True:
        limit = batch + len(passed)
        ids = store.begin(now).intros.due(now, limit=limit)
        report.pages += 1
        for intro_id in (i for i in ids if i not in passed):
            if not more():
                report.unfinished = True
                return report
            report.due += 1
            try:
                outcome = _tick_one(store, intro_id, now, observe, hash_key)
            except Exception:  # one unreadable item must not stall every reminder queued after it
                log.exception("the clock could not move introduction %s", intro_id)
                report.failed.append(intro_id)
                passed.add(intro_id)
                continue
            setattr(report, outcome.value, getattr(report, outcome.value) + 1)
            if outcome is not TickResult.CHANGED:
                passed.add(intro_id)
        if len(ids) < limit:  # the index has nothing more that is due
            return report


def _tick_one(
    store: Store, intro_id: str, now: int, observe: Callable[[Intro, Intro], None], hash_key: str | None
) -> TickResult:
    def tick_once(uow: UnitOfWork) -> tuple[Intro, Intro] | TickResult:
        intro = uow.intros.get(intro_id)
        if intro is None:
            return TickResult.GONE
        updated = tick(intro, now, uow.timings)
        members: tuple[str, ...] = ()
        if Kind.CONNECTOR_REMINDER in updated.outbox.keys() - intro.outbox.keys():
            # Reminded only while still a member, checked again in the write itself.
            if uow.people.member_name(intro.connector.email) is None:
                updated = tick(without_connector(intro, now), now, uow.timings)
            else:
                members = (intro.connector.email,)
        if updated is intro:
            return TickResult.UNCHANGED
        if hash_key is not None and is_anonymous(updated) and not is_anonymous(intro):
            unindex(uow, intro, hash_key)  # retired: it leaves the per-person index in the same write
        return intro, uow.intros.save(updated, members=members)

    try:  # a decision made meanwhile is re-read once, as a link answer is
        done = retrying(store, now, tick_once, attempts=2)
    except Conflict:
        return TickResult.CONFLICTS
    if isinstance(done, TickResult):
        return done
    observe(*done)
    return TickResult.CHANGED
