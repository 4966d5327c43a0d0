"""The lifecycle under any sequence of actions: people pressing buttons on links (or only opening
them), the stream delivering mail, the clock moving and the scheduler running. Both kinds of
introduction run side by side: requests, and proposals a connector starts ("you two should meet").
Whatever happens: nobody is introduced without both yeses, a proposal's second person is never asked
before the first said yes, each message goes out at most once, final states stay."""

from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule
from moto import mock_aws

from local.world import START, World
from warm_intro import runtime
from warm_intro.adapters.ledger import Ledgers
from warm_intro.domain.hashing import address_hash
from warm_intro.domain.model import Delivery, Flow, Kind, Role, State

REQUESTERS = [("Ada Lovelace", "ada@example.org"), ("Katherine Johnson", "katherine@example.org")]
TARGETS = [("Alan Turing", "alan@example.net"), ("Joan Clarke", "joan@example.net"), ("Tommy Flowers", None)]
CHOICES = {
    Role.REQUESTER: ["confirm", "withdraw"],
    Role.CONNECTOR: ["approve", "decline"],
    Role.TARGET: ["accept", "decline", "opt_out"],
}
WAITING_ON = {
    State.UNCONFIRMED: Role.REQUESTER,
    State.AWAITING_CONNECTOR: Role.CONNECTOR,
    State.AWAITING_TARGET: Role.TARGET,
}
YES = {Role.REQUESTER: ["confirm"], Role.CONNECTOR: ["approve"], Role.TARGET: ["accept"]}
# A proposal: the connector confirms (or withdraws), the first person (in the target's place) and
# then the second (in the requester's) each answer. Written out here, not imported from the code.
CONNECTORS = [("Grace Hopper", "grace@example.org"), ("Katherine Johnson", "katherine@example.org")]
PEOPLE = [
    ("Alan Turing", "alan@example.net"),
    ("Joan Clarke", "joan@example.net"),
    ("Dilly Knox", "dilly@example.net"),
]
PROPOSAL_CHOICES = {
    Role.CONNECTOR: ["confirm", "withdraw"],
    Role.TARGET: ["accept", "decline", "opt_out"],
    Role.REQUESTER: ["accept", "decline", "opt_out"],
}
PROPOSAL_WAITING_ON = {
    State.UNCONFIRMED: Role.CONNECTOR,
    State.AWAITING_TARGET: Role.TARGET,
    State.AWAITING_SECOND: Role.REQUESTER,
}
PROPOSAL_YES = {Role.CONNECTOR: ["confirm"], Role.TARGET: ["accept"], Role.REQUESTER: ["accept"]}
FINAL = {State.INTRODUCED, State.DECLINED, State.WITHDRAWN, State.EXPIRED, State.REFUSED}


class Lifecycle(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.clock = [START]
        self._now, runtime.now = runtime.now, lambda: self.clock[0]
        self.mock = mock_aws()
        self.mock.start()
        runtime.reset()
        self.world = World(self.clock)
        self.ids: list[str] = []
        self.final: dict[str, State] = {}

    def teardown(self):
        self.mock.stop()
        runtime.now = self._now
        runtime.reset()

    # actions -------------------------------------------------------------------------------------

    @precondition(lambda self: len(self.ids) < 4)  # a few requests, so the steps go into deciding on them
    @rule(requester=st.sampled_from(REQUESTERS), asked_for=st.sampled_from(TARGETS))
    def ask(self, requester, asked_for):
        name, email = asked_for
        before = self._requests_of(requester[1])
        answer = self.world.ask(
            requester={"name": requester[0], "email": requester[1]},
            target={"name": name, **({"email": email} if email else {})},
        )
        assert answer.status == 202
        self.world.deliver()
        (found,) = self._requests_of(requester[1]) - before  # its confirmation may wait for an earlier one
        self.ids.append(found)

    @precondition(lambda self: len(self.ids) < 4)
    @rule(
        connector=st.sampled_from(CONNECTORS),
        pair=st.permutations(PEOPLE).map(lambda p: p[:2]),
        ask_first=st.sampled_from([0, 1]),
    )
    def propose(self, connector, pair, ask_first):
        before = self._intros_of(connector[1], "connector")
        body = {
            "connector": {"name": connector[0], "email": connector[1]},
            "people": [{"name": n, "email": e} for n, e in pair],
            "ask_first": ask_first,
            "note": "You both run reading groups on computing machines; I think you'd enjoy comparing notes.",
        }
        assert self.world.post_json("/proposals", json.dumps(body)).status == 202
        self.world.deliver()
        (found,) = self._intros_of(connector[1], "connector") - before
        self.ids.append(found)

    @rule(pick=st.integers(0, 20), role=st.sampled_from(list(CHOICES)), data=st.data(), post=st.booleans())
    def press(self, pick, role, data, post):
        if not self.ids:
            return
        intro_id = self.ids[pick % len(self.ids)]
        link = self._link(intro_id, role)
        if link is None:
            return
        if not post:  # a scanner, or a person only looking
            assert self.world.get(link).status in (200, 404, 409, 410)
            return
        choices = PROPOSAL_CHOICES if self.world.intro(intro_id).flow is Flow.PROPOSAL else CHOICES
        choice = data.draw(st.sampled_from(choices[role]))
        answer = self.world.post_form(link, {"decision": choice, "target_email": "tommy@example.net"})
        assert answer.status < 500, answer.text

    @rule(pick=st.integers(0, 20), data=st.data())
    def answer_as_the_one_asked(self, pick, data):
        """Mostly yeses, from whoever the request waits on: walks requests far enough to matter."""
        if not self.ids:
            return
        intro = self.world.intro(self.ids[pick % len(self.ids)])
        proposal = intro.flow is Flow.PROPOSAL
        role = (PROPOSAL_WAITING_ON if proposal else WAITING_ON).get(intro.state)
        link = self._link(intro.id, role) if role else None
        if link is not None:
            yes, choices = (PROPOSAL_YES, PROPOSAL_CHOICES) if proposal else (YES, CHOICES)
            choice = data.draw(st.sampled_from([*yes[role]] * 3 + choices[role]))
            answer = self.world.post_form(link, {"decision": choice, "target_email": "tommy@example.net"})
            assert answer.status < 500, answer.text

    @rule()
    def deliver(self):
        self.world.deliver()

    @rule(days=st.sampled_from([0.5, 1, 2, 4.5]))
    def time_passes(self, days):
        self.world.advance(days=days)
        self.world.tick()

    # invariants ----------------------------------------------------------------------------------

    @invariant()
    def nobody_introduced_without_both_yeses(self):
        for intro in self._intros():
            yeses = {(e.actor, e.action) for e in intro.history}
            if intro.state is State.INTRODUCED and intro.flow is Flow.PROPOSAL:
                assert {
                    (Role.CONNECTOR, "confirm"),
                    (Role.TARGET, "accept"),
                    (Role.REQUESTER, "accept"),
                } <= yeses
            elif intro.state is State.INTRODUCED:
                assert {(Role.CONNECTOR, "approve"), (Role.TARGET, "accept")} <= yeses
                assert (Role.REQUESTER, "confirm") in yeses
            if intro.flow is Flow.PROPOSAL and Kind.SECOND_ASK in intro.outbox:  # only after the first's yes
                assert (Role.TARGET, "accept") in yeses
        introductions = [m for m in self.world.mail() if m["subject"].startswith("Introduction:")]
        assert len(introductions) <= sum(i.state is State.INTRODUCED for i in self._intros())

    @invariant()
    def each_message_goes_out_at_most_once(self):
        # Each kind is at most one entry of an introduction's outbox; every email SES took is one of them.
        sent = sum(m.status is Delivery.SENT for i in self._intros() for m in i.outbox.values())
        assert len(self.world.mail()) == sent

    @invariant()
    def final_states_never_change(self):
        for intro in self._intros():
            if intro.id in self.final:
                assert intro.state is self.final[intro.id]
            elif intro.state in FINAL:
                self.final[intro.id] = intro.state
                event(f"reached {intro.state.value}")

    # helpers -------------------------------------------------------------------------------------

    def _requests_of(self, address: str) -> set[str]:
        return self._intros_of(address, "requester")

    def _intros_of(self, address: str, role: str) -> set[str]:
        entries = Ledgers(runtime.repository()).person_entries(
            address_hash(address, self.world.settings.hash_key)
        )
        return {e["intro"] for e in entries if e["role"] == role}

    def _intros(self):
        return [self.world.intro(i) for i in self.ids]

    def _link(self, intro_id: str, role: Role) -> str | None:
        intro = self.world.intro(intro_id)
        address = {
            Role.REQUESTER: intro.requester.email,
            Role.CONNECTOR: intro.connector.email,
            Role.TARGET: intro.target.email,
        }[role]
        if not address:
            return None
        mine = [
            u
            for m in self.world.mail_to(address)
            for u in re.findall(r"https://\S+/link/\S+", m["text"])
            if f"/link/{intro_id}." in u
        ]
        return mine[-1] if mine else None


Lifecycle.TestCase.settings = settings(
    max_examples=15,
    stateful_step_count=30,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
TestLifecycle = Lifecycle.TestCase
