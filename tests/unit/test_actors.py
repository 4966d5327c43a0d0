"""Who may act, on what, in which state (domain.actors), over lifecycles walked at random: the page a
link shows and the lifecycle that applies its decisions agree, decision by decision."""

from __future__ import annotations

import re
from contextlib import suppress
from dataclasses import dataclass

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.test_proposal_lifecycle import proposed
from tests.unit.test_schedule import TIMINGS, T, delivered, requested
from warm_intro.domain import actors
from warm_intro.domain.disclosure import neutral_close_pending
from warm_intro.domain.errors import AlreadyDecided, NotAllowed
from warm_intro.domain.lifecycle import GO, Admission, decide
from warm_intro.domain.membership import without_connector, without_requester
from warm_intro.domain.model import (
    DECISIONS_BY_PURPOSE,
    Decision,
    Delivery,
    Flow,
    Grant,
    Intro,
    Purpose,
    Role,
    State,
)
from warm_intro.domain.proposal import FIRST, SECOND
from warm_intro.domain.rules import DAY, HOUR
from warm_intro.domain.schedule import tick
from warm_intro.settings import Settings
from warm_intro.views.link_pages import form
from warm_intro.web import html

EXPIRES = T + 999 * DAY
# Every link the notifier mints: each purpose for the role it speaks for, and an opt-out for everyone.
# Every link the notifier mints, for each kind of introduction: each purpose for the roles it speaks
# for, and an opt-out for everyone.
OPTOUTS = [Grant(role, Purpose.OPTOUT, EXPIRES) for role in Role]
GRANTS_OF = {
    Flow.REQUEST: [
        Grant(Role.REQUESTER, Purpose.CONFIRM, EXPIRES),
        Grant(Role.REQUESTER, Purpose.FOLLOWUP, EXPIRES),
        Grant(Role.CONNECTOR, Purpose.REVIEW, EXPIRES),
        Grant(Role.TARGET, Purpose.CONSENT, EXPIRES),
        *OPTOUTS,
    ],
    Flow.PROPOSAL: [
        Grant(Role.CONNECTOR, Purpose.CONFIRM, EXPIRES),
        *(
            Grant(role, purpose, EXPIRES)
            for role in (FIRST, SECOND)
            for purpose in (Purpose.CONSENT, Purpose.FOLLOWUP)
        ),
        *OPTOUTS,
    ],
}
GRANTS = list(dict.fromkeys(GRANTS_OF[Flow.REQUEST] + GRANTS_OF[Flow.PROPOSAL]))
STARTS = {Flow.REQUEST: requested, Flow.PROPOSAL: proposed}
FORWARD = (Decision.CONFIRM, Decision.APPROVE, Decision.ACCEPT, Decision.YES)
ADMISSIONS = st.sampled_from([GO, Admission(hold=True), Admission(closes=True), Admission(allowed=False)])


@dataclass(frozen=True)
class Click:
    grant: Grant
    decision: Decision
    admission: Admission


@dataclass(frozen=True)
class Answer:
    """Someone presses one of the buttons offered right now: steers walks past the first steps."""

    pick: int
    admission: Admission


@dataclass(frozen=True)
class Wait:
    seconds: int
    refused: bool  # SES refused what was pending, instead of sending it


@dataclass(frozen=True)
class Removed:
    role: Role


moves = st.one_of(
    st.builds(Click, st.sampled_from(GRANTS), st.sampled_from(Decision), ADMISSIONS),
    st.builds(Answer, st.integers(0, 20), ADMISSIONS),
    st.builds(Answer, st.just(0), st.just(GO)),  # the first button moves the request on
    st.builds(Wait, st.integers(0, 2 * DAY) | st.integers(0, 30 * DAY), st.booleans()),
    st.builds(Removed, st.sampled_from([Role.CONNECTOR, Role.REQUESTER])),
)


def walk(steps: list, flow: Flow = Flow.REQUEST) -> list[Intro]:
    """Every introduction a request passes through under `steps`; refused clicks change nothing."""
    intro, now, seen = STARTS[flow](), T, []
    for move in steps:
        seen.append(intro)
        match move:
            case Click(grant, decision, admission):
                with suppress(AlreadyDecided, NotAllowed):
                    intro = delivered(
                        decide(intro, grant, decision, now, via="test", admission=admission), now
                    )
            case Answer(pick, admission):
                offered = sorted(
                    ((g, d) for g in GRANTS_OF[flow] for d in actors.choices(intro, g)),
                    key=lambda c: c[1] not in FORWARD,
                )
                if offered:
                    grant, decision = offered[pick % len(offered)]
                    intro = delivered(
                        decide(intro, grant, decision, now, via="test", admission=admission), now
                    )
            case Wait(seconds, refused):
                now += seconds
                intro = delivered(
                    tick(intro, now, TIMINGS), now, Delivery.RETRY if refused else Delivery.SENT
                )
            case Removed(Role.CONNECTOR):
                intro = without_connector(intro, now)
            case Removed(_):
                intro = without_requester(intro, now)
    return [*seen, intro]


def accepted(intro: Intro, grant: Grant, decision: Decision) -> bool:
    try:
        decide(intro, grant, decision, T + 60 * DAY, via="test")
    except (AlreadyDecided, NotAllowed):
        return False
    return True


@settings(max_examples=150, deadline=None)
@given(st.lists(moves, max_size=12), st.sampled_from(Flow))
def test_the_lifecycle_accepts_exactly_what_the_page_offers_and_any_opt_out(steps, flow):
    for intro in walk(steps, flow):
        for grant in GRANTS:
            offered = actors.choices(intro, grant)
            assert actors.can_act(intro, grant) == bool(offered)
            assert set(offered) <= set(DECISIONS_BY_PURPOSE[grant.purpose])
            for decision in Decision:
                # The one difference, on purpose: an opt-out is honoured even where no page offers it.
                always = decision is Decision.OPT_OUT and decision in DECISIONS_BY_PURPOSE[grant.purpose]
                assert accepted(intro, grant, decision) == (decision in offered or always)


@settings(max_examples=100, deadline=None)
@given(st.lists(moves, max_size=12))
def test_the_table_keeps_what_each_decision_needed_before(steps):
    """The rules decide and the pages wrote out by hand before there was one table, as an oracle."""
    for intro in walk(steps):
        gone = actors.connector_gone(intro)
        needed = {
            Decision.CONFIRM: intro.state is State.UNCONFIRMED,
            Decision.WITHDRAW: intro.is_open or neutral_close_pending(intro),
            Decision.APPROVE: intro.state is State.AWAITING_CONNECTOR and not gone,
            Decision.ACCEPT: intro.state is State.AWAITING_TARGET,
            Decision.YES: intro.state is State.INTRODUCED and intro.followup is None,
        }
        needed[Decision.NOT_YET] = needed[Decision.NO] = needed[Decision.YES]
        for grant in GRANTS_OF[Flow.REQUEST]:
            for decision in DECISIONS_BY_PURPOSE[grant.purpose]:
                if decision is Decision.DECLINE:
                    expected = needed[Decision.APPROVE if grant.role is Role.CONNECTOR else Decision.ACCEPT]
                elif decision is Decision.OPT_OUT:
                    expected = True
                else:
                    expected = needed[decision]
                assert actors.honours(intro, grant, decision) == expected, (intro.state, grant, decision)


SETTINGS = Settings(table_name="t", sender="s@example.org", hash_key="k" * 16, base_url="https://x.example")


def buttons(intro: Intro, grant: Grant) -> set[Decision]:
    """The decisions the link's form, as the links function renders it, lets a person press."""
    page = html(
        SETTINGS,
        form(intro, grant),
        intro=intro,
        role=grant.role.value,
        connector_name=intro.connector.name or intro.connector.email,
        form={},
        errors={},
        just=False,
        chosen=None,
        retention="30 days",
    ).body
    return {Decision(v) for v in re.findall(r'name="decision" value="([a-z_]+)"', page)}


@settings(max_examples=60, deadline=None)
@given(st.lists(moves, max_size=10), st.sampled_from(Flow))
def test_every_form_shown_has_a_button_for_each_choice_and_no_other(steps, flow):
    for intro in walk(steps, flow):
        for grant in GRANTS_OF[flow]:
            if actors.can_act(intro, grant):
                assert buttons(intro, grant) == set(actors.choices(intro, grant))


def _asked_target() -> Intro:
    intro = requested()
    for grant, decision in [
        (Grant(Role.REQUESTER, Purpose.CONFIRM, EXPIRES), Decision.CONFIRM),
        (Grant(Role.CONNECTOR, Purpose.REVIEW, EXPIRES), Decision.APPROVE),
    ]:
        intro = delivered(decide(intro, grant, decision, T, via="test"), T)
    return intro


def test_whose_answer_each_state_waits_for():
    intro = requested()
    assert (actors.waiting_on(intro), actors.asked(intro)) == (Role.REQUESTER, None)
    target = _asked_target()
    assert (actors.waiting_on(target), actors.asked(target)) == (Role.TARGET, Role.TARGET)
    connector = delivered(
        decide(intro, Grant(Role.REQUESTER, Purpose.CONFIRM, EXPIRES), Decision.CONFIRM, T, via="t"), T
    )
    gone = without_connector(connector, T + HOUR)
    # A removed connector's answer no longer moves it, but their opt-out still closes the ask.
    assert (actors.waiting_on(gone), actors.asked(gone)) == (None, Role.CONNECTOR)
    closed = tick(target, T + 30 * DAY, TIMINGS)
    assert closed.state is State.EXPIRED
    assert (actors.waiting_on(closed), actors.asked(closed)) == (None, None)


@pytest.mark.parametrize("role", list(Role))
def test_every_role_maps_to_the_address_the_introduction_holds_for_it(role):
    intro = _asked_target()
    expected = {
        Role.REQUESTER: "ada@example.org",
        Role.CONNECTOR: "grace@example.org",
        Role.TARGET: "alan@example.net",
        Role.SYSTEM: None,
    }[role]
    assert actors.email_of(intro, role) == expected
    no_target_address = intro.evolve(target=intro.target.__class__(intro.target.name))
    assert actors.email_of(no_target_address, Role.TARGET) is None
    assert set(actors.addresses(no_target_address)) == {Role.REQUESTER, Role.CONNECTOR}


def test_an_opt_out_closes_only_an_ask_made_on_someone_elses_behalf():
    optout = {role: Grant(role, Purpose.OPTOUT, EXPIRES) for role in Role}
    # The requester, asked only to confirm their own request: it stays, and lapses.
    unconfirmed = decide(requested(), optout[Role.REQUESTER], Decision.OPT_OUT, T, via="t")
    assert unconfirmed.state is State.UNCONFIRMED
    # The target, asked for someone else: the same quiet no as declining.
    target = decide(_asked_target(), optout[Role.TARGET], Decision.OPT_OUT, T, via="t")
    assert target.state is State.DECLINED
    # Someone not being asked right now: recorded, nothing closes.
    other = decide(_asked_target(), optout[Role.CONNECTOR], Decision.OPT_OUT, T, via="t")
    assert other.state is State.AWAITING_TARGET and other.history[-1].action == "opt_out"
