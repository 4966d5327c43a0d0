"""Nobody learns who said no (issue 11, item 2; docs/security.md). A differential: the same request
is run through the real handlers in worlds that differ only in what the connector or the target did
(declined, opted out, at a cap, suppressed, or nothing), the clock moved to the same moments in each,
and everything the requester can see is recorded: their link's page at every moment, every email
they get and when, a later request for the same person through another connector, their withdrawal.
The records must be identical. Only an introduction may differ, and the test checks that it does,
so the record is not blind."""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from moto import mock_aws

from local.lambdas import invoke
from local.world import LINK, REQUEST, START, World
from warm_intro import runtime
from warm_intro.services import personal_data

from .steps import ADA, ALAN, GRACE

HOUR, DAY = 3600, 86400
D = 20 * DAY  # the longest a confirmed request runs with the default expiry: the moment the requester is told
# Moments after the requester confirms at which the world is looked at; the scheduler runs at each.
MOMENTS = [
    0,
    HOUR,
    DAY,
    2 * DAY,
    4 * DAY + HOUR,
    7 * DAY + HOUR,
    10 * DAY + HOUR,
    14 * DAY,
    D - HOUR,
    D,
    D + HOUR,
    D + 2 * DAY,
    D + 180 * DAY - HOUR,
    D + 180 * DAY + HOUR,
]
PROBES = {DAY, D + HOUR, D + 180 * DAY - HOUR, D + 180 * DAY + HOUR}  # a later request for the same person
OTHER = ("r0@example.org", "Requester Zero")  # someone else's request, made before Ada's
KATHERINE = "katherine@example.org"
# The organisation's settings are the same in every world: small caps so a cap is easy to reach.
ENV = {"LIMIT_CONNECTOR_WEEK": "1", "LIMIT_TARGET_30D": "1"}


# what the others do: (before Ada asks, {moment: action}) ------------------------------------------


def press(address: str, decision: str, kind: str = "link", **form) -> Callable[[World], int]:
    """Returns the status; 0 when there is no link to press (the requester withdrew before they were asked)."""

    def act(world: World) -> int:
        links = [u for m in world.mail_to(address) for u in LINK.findall(m["text"]) if f"/{kind}/" in u]
        if not links:
            return 0
        status = world.post_form(links[-1], {"decision": decision, **form}).status
        world.deliver()
        return status

    return act


def others_request(connector: str, target: dict, approve: bool = False) -> Callable[[World], None]:
    """Someone else's request, confirmed (and approved): it uses up a connector's or target's cap."""

    def act(world: World) -> None:
        body = {
            **REQUEST,
            "requester": {"name": OTHER[1], "email": OTHER[0]},
            "connector_email": connector,
            "target": target,
        }
        assert world.post_json("/intros", json.dumps(body), source_ip="198.51.100.9").status == 202
        world.deliver()
        assert press(OTHER[0], "confirm")(world) == 200
        if approve:
            assert press(connector, "approve")(world) == 200

    return act


def bounced(address: str) -> Callable[[World], None]:
    def act(world: World) -> None:
        event = json.loads(json.dumps(_event("ses_bounce")).replace(ALAN, address))
        assert invoke("FeedbackFunction", event) == {"suppressed": 1}

    return act


def opted_out_earlier(world: World) -> None:
    others_request(GRACE, {"name": "Joan Clarke", "email": "joan@example.net"})(world)
    assert world.post_form(world.last_link(GRACE, "optout"), {"decision": "opt_out"}).status == 200
    world.deliver()


def nothing(world: World) -> None:
    pass


SCENARIOS: dict[str, tuple[Callable[[World], None], dict[int, Callable[[World], int]], dict[str, str]]] = {
    "nobody answers": (nothing, {}, {}),
    "connector declines": (nothing, {DAY: press(GRACE, "decline", note="not now")}, {}),
    "connector opts out on the ask": (nothing, {DAY: press(GRACE, "opt_out", "optout")}, {}),
    "connector opted out earlier": (opted_out_earlier, {}, {}),
    "connector at cap, asks wait": (others_request(GRACE, {"name": "Joan Clarke"}), {}, {}),
    "connector at cap, refuses": (
        others_request(GRACE, {"name": "Joan Clarke"}),
        {},
        {"CONNECTOR_OVER_CAPACITY": "refuse"},
    ),
    "connector suppressed": (bounced(GRACE), {}, {}),
    "target declines": (nothing, {DAY: press(GRACE, "approve"), 2 * DAY: press(ALAN, "decline")}, {}),
    "target opts out": (nothing, {DAY: press(GRACE, "approve"), 2 * DAY: press(ALAN, "opt_out")}, {}),
    "target capped": (
        others_request(KATHERINE, {"name": "Alan Turing", "email": ALAN}, approve=True),
        {DAY: press(GRACE, "approve")},
        {},
    ),
    "target suppressed": (bounced(ALAN), {DAY: press(GRACE, "approve")}, {}),
    "target silent": (nothing, {DAY: press(GRACE, "approve")}, {}),
}
INTRODUCED = (nothing, {DAY: press(GRACE, "approve"), 2 * DAY: press(ALAN, "accept")}, {})


# one world, recorded ---------------------------------------------------------------------------------


def record(scenario, withdraw_at: int | None = None, export: bool = False, until: int = MOMENTS[-1]) -> list:
    """Everything the requester sees in one world, looked at each moment up to `until`, with per-run
    values (tokens, ids) replaced by their order of first appearance."""
    before, actions, env = scenario
    clock = [START]
    seen: list = []
    with pytest.MonkeyPatch.context() as patch, mock_aws():
        for name, value in {**ENV, **env}.items():
            patch.setenv(name, value)
        patch.setattr(runtime, "now", lambda: clock[0])
        runtime.reset()
        try:
            world = World(clock)
            runtime.repository().put_member(*OTHER)
            before(world)
            world.advance(hours=1)
            assert world.ask().status == 202
            world.deliver()
            link = world.last_link(ADA)
            world.advance(hours=1)
            answer = world.post_form(link, {"decision": "confirm"})
            seen.append(("confirm", answer.status, answer.text))
            confirmed, mailed = world.now, 0
            for moment in (m for m in MOMENTS if m <= until):
                world.clock[0] = confirmed + moment
                if moment in actions:
                    status = actions[moment](world)
                    # Every scenario really happens; after a withdrawal the others may find nothing to answer.
                    assert status == 200 or (withdraw_at is not None and moment > withdraw_at), (
                        moment,
                        status,
                    )
                world.tick()
                world.deliver()
                if moment == withdraw_at:
                    answer = world.post_form(link, {"decision": "withdraw"})
                    world.deliver()
                    seen.append(("withdraw", moment, answer.status, answer.text))
                page = world.get(link)
                seen.append(("page", moment, page.status, page.text))
                if moment in PROBES:
                    seen.append(("later request", moment, *_later_request(world)))
                mail = world.mail_to(ADA)
                seen += [("mail", moment, _mail(m)) for m in mail[mailed:]]
                mailed = len(mail)
                if export:
                    seen.append(
                        (
                            "export",
                            moment,
                            personal_data.export(world.settings.hash_key, runtime.repository(), ADA),
                        )
                    )
        finally:
            runtime.reset()
    return _normalised(seen)


def _later_request(world: World) -> tuple:
    """The same person asked for again through another connector, confirmed, and withdrawn if it went."""
    ask = world.ask(connector_email=KATHERINE)
    world.deliver()
    link = world.last_link(ADA)
    confirm = world.post_form(link, {"decision": "confirm"})
    world.deliver()
    steps = [ask.status, ask.text, confirm.status, confirm.text]
    if confirm.status == 200:
        withdraw = world.post_form(link, {"decision": "withdraw"})
        world.deliver()
        steps += [withdraw.status, withdraw.text]
    return tuple(steps)


def _mail(message: dict) -> dict:
    """All of it; the send time is the moment it is recorded at. Date is the machine's clock and
    Message-ID random, so only their presence is compared."""
    headers = {k: f"<{k}>" if k in ("Date", "Message-ID") else v for k, v in message["headers"].items()}
    return {**{part: message[part] for part in ("to", "cc", "subject", "text", "html")}, "headers": headers}


PER_RUN = [
    re.compile(r"(?<=/link/)[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+"),
    re.compile(r"(?<=/optout/)[A-Za-z0-9_\-]+\.[A-Za-z0-9_\-]+"),
    re.compile(r"boundary=\"?[^\";\s]+"),
    re.compile(r"=+_?\d{10,}=*"),  # MIME boundaries inside bodies
]


def _normalised(seen: list) -> list:
    found: dict[str, str] = {}

    def clean(value):
        if isinstance(value, dict):
            return {
                k: found.setdefault(v, f"<per-run {len(found)}>") if k == "id" else clean(v)
                for k, v in value.items()
            }
        if isinstance(value, list | tuple):
            return [clean(v) for v in value]
        if isinstance(value, str):
            for pattern in PER_RUN:
                value = pattern.sub(lambda m: found.setdefault(m.group(0), f"<per-run {len(found)}>"), value)
        return value

    return clean(seen)


def _event(name: str) -> dict:
    from local.samples import load

    return load(f"{name}.json")


def first_difference(a: list, b: list) -> str:
    for x, y in zip(a, b, strict=False):
        if x != y:
            return f"\n{x!r}\n!=\n{y!r}"
    return f"lengths {len(a)} != {len(b)}"


# the tests -----------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def silence():
    """Recorded once for the module: the request nobody answers, with the requester's export."""
    return record(SCENARIOS["nobody answers"], export=True)


def without_export(seen: list) -> list:
    """Both sides must have been recorded with the export, so per-run values are numbered alike."""
    return [s for s in seen if s[0] != "export"]


@pytest.mark.parametrize("name", [n for n in SCENARIOS if n != "nobody answers"])
def test_the_requester_sees_the_same_whoever_said_no_or_nobody(silence, name):
    seen, baseline = without_export(record(SCENARIOS[name], export=True)), without_export(silence)
    assert seen == baseline, f"{name} differs from silence:{first_difference(seen, baseline)}"


def test_an_introduction_does_show_so_the_record_can_tell_worlds_apart(silence):
    seen = without_export(record(INTRODUCED, export=True))
    assert seen != without_export(silence)
    assert any(s[2]["subject"].startswith("Introduction") for s in seen if s[0] == "mail")


@settings(max_examples=8, deadline=None)
@given(
    pair=st.lists(st.sampled_from(sorted(SCENARIOS)), min_size=2, max_size=2, unique=True),
    withdraw_at=st.sampled_from([m for m in MOMENTS if m < D]),
)
def test_withdrawing_at_any_moment_reads_the_same_whoever_said_no(pair, withdraw_at):
    first, second = (record(SCENARIOS[name], withdraw_at, until=D + HOUR) for name in pair)
    assert first == second, f"{pair} withdrawn at {withdraw_at}:{first_difference(first, second)}"


def test_the_requester_export_says_the_same_whoever_said_no(silence):
    seen = record(SCENARIOS["target declines"], export=True)
    assert seen == silence, f"the export differs from silence:{first_difference(seen, silence)}"
