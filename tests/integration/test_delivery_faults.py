"""Exactly-once delivery under the faults SES and DynamoDB produce, injected with botocore's Stubber
(SESv2) and a before-call hook (DynamoDB), through the real notifier, stream pump and scheduler."""

from __future__ import annotations

import base64
import json

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.stub import ANY, Stubber

from local.world import LINK
from warm_intro import runtime
from warm_intro.adapters.codec import from_item
from warm_intro.adapters.dynamodb import load
from warm_intro.domain.delivery import is_parked
from warm_intro.domain.model import Delivery, Kind, State
from warm_intro.services.sending import resend

K = Kind.CONFIRM_REQUEST


def only_intro(world):
    items = runtime.repository().client.scan(TableName=world.settings.table_name)["Items"]
    (pk,) = [i["pk"]["S"] for i in items if i["pk"]["S"].startswith("INTRO#")]
    return world.intro(pk.removeprefix("INTRO#"))


@pytest.fixture
def ses(world, monkeypatch):
    """A stubbed SESv2 client in place of the mailer's; `calls` records every SendEmail attempted."""
    client = boto3.client("sesv2", region_name="us-east-1")
    calls: list[dict] = []
    client.meta.events.register(
        "before-parameter-build.sesv2.SendEmail", lambda params, **_: calls.append(params)
    )
    stub = Stubber(client)
    stub.calls = calls
    monkeypatch.setattr(runtime.mailer(), "client", client)
    with stub:
        yield stub


def accept(stub, ses_id):
    stub.add_response(
        "send_email", {"MessageId": ses_id}, {"Destination": ANY, "Content": {"Raw": {"Data": ANY}}}
    )


def test_throttled_twice_then_accepted_sends_exactly_once(world, ses):
    ses.add_client_error("send_email", "TooManyRequestsException", "Maximum sending rate exceeded.", 429)
    ses.add_client_error("send_email", "ThrottlingException", "Maximum sending rate exceeded.", 400)
    accept(ses, "0100019a-accepted")
    assert world.ask().status == 202
    world.deliver()  # the failed record is reported and retried by the pump, as Lambda would
    message = only_intro(world).outbox[K]
    assert (message.status, message.ses_id, message.attempts) == (Delivery.SENT, "0100019a-accepted", 3)
    ses.assert_no_pending_responses()
    world.advance(hours=1)
    world.tick()
    world.deliver()
    assert len(ses.calls) == 3  # two refused, one accepted, nothing after


def test_ses_refusing_for_good_parks_the_message_until_an_operator_resends(world, ses):
    for _ in range(8):
        ses.add_client_error("send_email", "TooManyRequestsException", "Maximum sending rate exceeded.", 429)
    world.ask()
    for _ in range(6):
        world.deliver()
        world.advance(seconds=16 * 60)
        world.tick()
    intro = only_intro(world)
    assert (intro.outbox[K].status, intro.outbox[K].attempts) == (Delivery.FAILED, 8)
    assert len(ses.calls) == 8
    accept(ses, "0100019a-resent")
    resend(runtime.repository(), intro.id, K, world.now)
    world.deliver()
    assert only_intro(world).outbox[K].status is Delivery.SENT and len(ses.calls) == 9


def test_an_error_after_ses_accepted_never_sends_again(world):
    """SES took the message, then the write recording 'sent' failed: the retry must not re-send."""
    failed = []

    def throttle_sent_write(params, **_):  # params: the serialized request, about to go out
        item = json.loads(params["body"]).get("Item", {})  # binaries as base64 text, as on the wire
        wire = {k: {"B": base64.b64decode(v["B"])} if "B" in v else v for k, v in item.items()}
        message = from_item(load(wire)).outbox.get(K) if "outbox" in item else None
        if not failed and message is not None and message.status is Delivery.SENT:
            failed.append(params)
            error = {
                "Error": {"Code": "ProvisionedThroughputExceededException", "Message": "slow down"},
                "ResponseMetadata": {"HTTPStatusCode": 400},
            }
            return AWSResponse("https://dynamodb", 400, {}, None), error
        return None

    runtime.repository().client.meta.events.register("before-call.dynamodb.PutItem", throttle_sent_write)
    world.ask()
    world.deliver()
    assert failed and len(world.mail()) == 1
    assert only_intro(world).outbox[K].status is Delivery.SENDING
    world.advance(seconds=301)  # past the lease
    world.tick()
    world.deliver()
    world.advance(hours=1)
    world.tick()
    world.deliver()
    assert len(world.mail()) == 1
    message = only_intro(world).outbox[K]
    assert message.status is Delivery.SENDING and is_parked(message, world.now)  # waits for a person


def walk_to_target_ask(world, note="You two will get on.") -> None:
    world.ask()
    world.deliver()
    world.post_form(world.last_link("ada@example.org"), {"decision": "confirm"})
    world.deliver()
    world.post_form(world.last_link("grace@example.org"), {"decision": "approve", "note": note})


def neutral_close(world) -> tuple[str, str, str]:
    """The requester's closing mail, which goes out twenty days after they confirmed, whoever closed it."""
    world.advance(days=21)
    world.tick()
    world.deliver()
    (closed,) = [m for m in world.mail_to("ada@example.org") if m["subject"].startswith("Your introduction")]
    # Each mail's own one-click opt-out token differs; the words must not.
    return tuple(LINK.sub("TOKEN", closed[part]) for part in ("subject", "text", "html"))


def test_a_suppressed_target_is_not_mailed_and_the_intro_closes_neutrally(world):
    walk_to_target_ask(world)
    runtime.repository().suppress(_hash(world, "alan@example.net"), "bounced", world.now)
    world.deliver()
    assert world.mail_to("alan@example.net") == []
    intro = only_intro(world)
    assert intro.state is State.REFUSED and intro.outbox[Kind.TARGET_ASK].status is Delivery.SUPPRESSED
    assert neutral_close(world)[0] == "Your introduction request to Alan Turing"


def test_the_neutral_close_reads_the_same_whoever_declined_or_if_it_expired(world):
    bodies = []
    walk_to_target_ask(world)  # the connector declines a second request below; the target this one
    world.deliver()
    world.post_form(world.last_link("alan@example.net"), {"decision": "decline"})
    world.deliver()
    bodies.append(neutral_close(world))
    for path in ("connector", "expired"):
        world.clock[0] += 40 * 86400
        from moto.ses.models import ses_backends

        ses_backends["123456789012"]["us-east-1"].sent_messages.clear()
        # Another address for the same name: Alan's decline blocks Ada from asking him again (issue 6).
        world.ask(target={"name": "Alan Turing", "email": f"alan.{path}@example.net"})
        world.deliver()
        world.post_form(world.last_link("ada@example.org"), {"decision": "confirm"})
        world.deliver()
        if path == "connector":
            world.post_form(world.last_link("grace@example.org"), {"decision": "decline", "note": "Not now."})
        else:
            world.advance(days=11)
            world.tick()
        world.deliver()
        bodies.append(neutral_close(world))
    assert bodies[0] == bodies[1] == bodies[2]


def test_a_connector_opting_out_does_not_cancel_an_introduction_already_agreed_but_gets_no_copy(world):
    walk_to_target_ask(world)
    world.deliver()
    runtime.repository().suppress(_hash(world, "grace@example.org"), "opted_out", world.now)
    world.post_form(world.last_link("alan@example.net"), {"decision": "accept"})
    world.deliver()
    intro = world.mail()[-1]
    assert intro["subject"] == "Introduction: Ada Lovelace / Alan Turing"
    assert len(intro["to"]) == 2 and intro["cc"] == []  # an opted-out address gets no mail of any kind


def _hash(world, address):
    from warm_intro.domain.hashing import address_hash

    return address_hash(address, world.settings.hash_key)
