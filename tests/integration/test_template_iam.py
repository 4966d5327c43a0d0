"""Every DynamoDB and SES action a function is granted is one its code calls, and every call it makes is
granted: the calls are recorded at the boto3 boundary, per function, while the flows run through the real
handlers (every decision, the clock's jobs, a held ask released, bounces, export and erasure)."""

from __future__ import annotations

import json
import re
import time
from collections import defaultdict
from pathlib import Path

import pytest
from moto import mock_aws

from local import lambdas, template
from local.world import START, World
from warm_intro import runtime

from .home_steps import Browser
from .steps import ADA, ALAN, GRACE, awaiting_connector, introduced, tick, unconfirmed

FUNCTIONS = template.resources("AWS::Serverless::Function")
EVENTS = Path(__file__).parents[2] / "events"
SERVICES = ("dynamodb", "ses")
# A transaction is authorised per item, by the action each item performs.
TRANSACTION_ITEMS = {
    "Put": "PutItem",
    "Update": "UpdateItem",
    "Delete": "DeleteItem",
    "ConditionCheck": "ConditionCheckItem",
}


def where(resource) -> str:
    text = str(resource)
    return text[text.index("/index/") + 1 :] if "/index/" in text else "table"


def granted(function: str) -> set[tuple[str, str]]:
    found = set()
    for policy in FUNCTIONS[function]["Properties"]["Policies"]:
        for statement in policy["Statement"]:
            actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
            for action in actions:
                if action.split(":")[0] == "dynamodb":
                    found.add((action, where(statement["Resource"])))
                elif action.split(":")[0] == "ses":
                    found.add((action, "identity"))
    return found


class Recorder:
    def __init__(self) -> None:
        self.current: str | None = None
        self.last: dict[str, dict] = {}
        self.calls: dict[str, set[tuple[str, str]]] = defaultdict(set)

    def dynamodb(self, params, model, **_) -> None:
        if model.name == "TransactWriteItems":
            for item in params["TransactItems"]:
                (kind,) = item
                self.calls[self.current].add((f"dynamodb:{TRANSACTION_ITEMS[kind]}", "table"))
        else:
            index = params.get("IndexName")
            self.calls[self.current].add((f"dynamodb:{model.name}", f"index/{index}" if index else "table"))

    def ses(self, model, **_) -> None:
        self.calls[self.current].add(
            (f"ses:{model.name}", "identity")
        )  # SESv2 actions are named like their calls

    def wrap(self, function: str, handler):
        def recorded(event, context):
            self.current, self.last[function] = function, event
            try:
                return handler(event, context)
            finally:
                self.current = None

        return recorded


def admin_event(route: str, email: str) -> dict:
    return {
        "version": "2.0",
        "routeKey": f"POST {route}",
        "rawPath": route,
        "rawQueryString": "",
        "headers": {"content-type": "application/json"},
        "isBase64Encoded": False,
        "body": json.dumps({"email": email}),
        "requestContext": {
            "http": {"method": "POST", "path": route, "sourceIp": "10.0.0.1"},
            "authorizer": {"iam": {"userArn": "arn:aws:iam::123456789012:user/admin"}},
            "stage": "$default",
            "requestId": "r",
        },
    }


def run_every_flow(world: World, recorder: Recorder) -> None:
    """The connector's weekly cap is 1 here: each flow starts a week later, except the held ask."""
    introduced(world)  # intake, every page and decision, the notifier
    lambdas.invoke("NotifierFunction", recorder.last["NotifierFunction"])  # the stream delivers a batch again
    world.advance(days=8)
    tick(world)  # the follow-up
    world.post_form(world.last_link(ADA), {"decision": "yes"})
    world.deliver()
    awaiting_connector(world, target={"name": "Joan Clarke", "email": "joan@example.net"})
    world.post_form(world.last_link(GRACE), {"decision": "decline"})
    world.deliver()
    world.advance(days=8)
    awaiting_connector(world, target={"name": "Dilly Knox", "email": "dilly@example.net"})
    # The connector corrects the target's address: its index entry goes in with the approval (BatchWriteItem).
    corrected = {"decision": "approve", "target_email": "dilly.knox@example.net"}
    assert world.post_form(world.last_link(GRACE), corrected).status == 200
    world.deliver()
    one_click = world.post_form(
        world.last_link("dilly.knox@example.net", "optout"), {"List-Unsubscribe": "One-Click"}
    )
    assert one_click.status == 200
    world.deliver()
    unconfirmed(world, target={"name": "Mavis Batey", "email": "mavis@example.net"})
    world.post_form(world.last_link(ADA), {"decision": "withdraw"})
    world.deliver()
    world.advance(days=8)
    awaiting_connector(world, target={"name": "Gordon Welchman", "email": "gordon@example.net"})
    katherine = "katherine@example.org"
    world.ask(
        requester={"name": "Katherine Johnson", "email": katherine},
        target={"name": "John Tiltman", "email": "john@example.net"},
    )
    world.deliver()
    assert (
        world.post_form(world.last_link(katherine), {"decision": "confirm"}).status == 200
    )  # held: over the cap
    world.deliver()
    for _ in range(6):  # release, reminders, expiry, forgetting
        world.advance(days=8)
        tick(world)
    world.get("/")
    coached = {
        "requester_name": "Ada",
        "requester_email": ADA,
        "connector_email": GRACE,
        "target_name": "Alan",
    }
    # The form's note coach reads the requester's ledger for their last note (BatchGetItem).
    world.post_form("/", {**coached, "blurb": "Hello [name], could we talk one day soon?"})
    world.request("GET", "/docs")
    for name in ("ses_bounce", "ses_complaint"):
        lambdas.invoke("FeedbackFunction", json.loads((EVENTS / f"{name}.json").read_text()))
    members_home(world)
    lambdas.invoke("AdminFunction", admin_event("/admin/export", ALAN))
    lambdas.invoke("AdminFunction", admin_event("/admin/erase", ALAN))
    world.advance(days=400)  # closed introductions anonymised
    tick(world)


def members_home(world: World) -> None:
    """Sign in, the home page, opening an item, every setting, a download, sign-out and self-erasure."""
    Browser(world).post("/me", {"email": "nobody@example.net"})  # the notifier looks them up: unknown
    world.deliver()
    grace = Browser(world)
    grace.sign_in(GRACE)
    own = {
        "requester_name": "Grace Hopper",
        "requester_email": GRACE,
        "connector_email": ADA,
    }
    note = "I'm Grace; I build compilers and would love half an hour to ask Alan about his reading group."
    sent = grace.post("/", {**own, "target_name": "Alan Turing", "blurb": note, "csrf": grace.csrf("/")})
    assert "on its way" in sent.text  # signed in: no confirmation, the member checked in the same write
    world.deliver()
    listed = {"csrf": grace.csrf("/me/settings"), "action": "findable", "line": "compilers, the Navy"}
    assert grace.post("/me/settings", listed).status == 200  # the directory's entry and word items
    assert "Grace Hopper" in grace.get("/?find=Navy").text  # the intake's one Query of the directory
    page = grace.get("/me").text
    intro_id, role = re.search(
        r'action="/me/open/([^"]+)">\s*<input[^>]+>\s*<input[^>]+value="(\w+)"', page
    ).groups()
    token = grace.csrf()
    assert grace.post(f"/me/open/{intro_id}", {"csrf": token, "role": role}).status == 303
    until = time.strftime("%Y-%m-%d", time.gmtime(world.now + 30 * 86400))
    for change in (
        {"action": "pause", "until": until},
        {"action": "resume"},
        {"action": "limit", "week_limit": "1"},
        {"action": "never"},
        {"action": "ask_again"},
    ):
        assert grace.post("/me/settings", {"csrf": token, **change}).status == 200
    assert grace.get("/me/data").status == 200
    assert grace.post("/me/signout", {"csrf": token}).status == 303
    ada = Browser(world)
    ada.sign_in(ADA)
    erased = ada.post("/me/erase", {"csrf": ada.csrf("/me/erase"), "confirm": "erase"})
    assert erased.status == 200


@pytest.fixture(scope="module")
def recorded() -> dict[str, set[tuple[str, str]]]:
    recorder = Recorder()
    with pytest.MonkeyPatch.context() as patch, mock_aws():
        clock = [START]
        patch.setattr(runtime, "now", lambda: clock[0])
        patch.setenv("LIMIT_CONNECTOR_WEEK", "1")
        runtime.reset()
        for function in FUNCTIONS:
            module = lambdas.module(function)
            patch.setattr(module, "lambda_handler", recorder.wrap(function, module.lambda_handler))
        world = World(clock)
        runtime.client("dynamodb").meta.events.register(
            "before-parameter-build.dynamodb.*", recorder.dynamodb
        )
        runtime.client("sesv2").meta.events.register("before-parameter-build.sesv2.*", recorder.ses)
        run_every_flow(world, recorder)
    runtime.reset()
    return recorder.calls


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_call_a_function_makes_is_granted(recorded, function):
    assert recorded[function] - granted(function) == set()


@pytest.mark.parametrize("function", FUNCTIONS)
def test_every_action_a_function_is_granted_is_one_it_calls(recorded, function):
    assert granted(function) - recorded[function] == set()
