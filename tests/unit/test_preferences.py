"""The footer's pause and weekly cap are decisions about the person: recorded in the consent record,
they leave the request itself where it was (the preference is stored beside the opt-outs)."""

from __future__ import annotations

from tests.unit.test_schedule import T, requested, step
from warm_intro.domain.lifecycle import decide
from warm_intro.domain.model import Decision, Grant, Purpose, Role
from warm_intro.domain.rules import DAY


def test_pausing_or_capping_is_recorded_and_leaves_the_request_where_it_was():
    asked = step(requested(), Decision.CONFIRM, T)
    for purpose, decision in ((Purpose.PAUSE, Decision.PAUSE), (Purpose.WEEKLY, Decision.ONE_A_WEEK)):
        grant = Grant(Role.CONNECTOR, purpose, T + 60 * DAY)
        after = decide(asked, grant, decision, T + 5, via="t")
        assert after.state is asked.state and after.outbox == asked.outbox
        assert (after.history[-1].action, after.version) == (decision.value, asked.version + 1)
