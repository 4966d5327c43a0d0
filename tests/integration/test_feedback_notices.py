"""SES bounce and complaint events from events/, put on the event bus (local.bus routes them by the
template's EventBridge rule), replayed out of order, through the feedback function."""

from __future__ import annotations

import json
import random
from pathlib import Path

from local.bus import put
from local.lambdas import invoke
from warm_intro import runtime
from warm_intro.domain.hashing import address_hash

EVENTS = Path(__file__).parents[2] / "events"


def notice(name: str) -> dict:
    return json.loads((EVENTS / f"{name}.json").read_text())


def suppressions(world) -> dict[str, set[str]]:
    items = runtime.repository().client.scan(TableName=world.settings.table_name)["Items"]
    return {
        i["pk"]["S"].removeprefix("SUPPRESS#"): set(i["reasons"]["SS"])
        for i in items
        if i["pk"]["S"].startswith("SUPPRESS#")
    }


def test_notices_replayed_three_times_out_of_order_give_one_entry_each(world):
    deliveries = [name for name in ("ses_bounce", "ses_complaint", "ses_bounce_transient") for _ in range(3)]
    random.Random(7).shuffle(deliveries)
    for name in deliveries:
        assert set(put(notice(name))) == {"FeedbackFunction"}
        world.advance(seconds=30)
    key = world.settings.hash_key
    assert suppressions(world) == {
        address_hash("alan@example.net", key): {"bounced"},  # permanent bounce
        address_hash("katherine@example.org", key): {"complained"},  # complaint
    }  # and the transient bounce (mailbox full) suppresses nobody


def test_a_suppressed_address_is_never_mailed_again(world):
    put(notice("ses_bounce"))
    world.ask()
    world.deliver()
    world.post_form(world.last_link("ada@example.org"), {"decision": "confirm"})
    world.deliver()
    world.post_form(world.last_link("grace@example.org"), {"decision": "approve"})
    world.deliver()
    assert world.mail_to("alan@example.net") == []
    world.advance(days=20)  # the requester is told twenty days after confirming, whoever or whatever said no
    world.tick()
    world.deliver()
    assert world.mail()[-1]["subject"] == "Your introduction request to Alan Turing"


def test_an_unreadable_notice_is_skipped_not_retried_forever(world):
    event = notice("ses_complaint")
    event["detail"] = "not a notice"
    assert invoke("FeedbackFunction", event) == {"suppressed": 0}
    assert suppressions(world) == {}


def test_only_bounces_and_complaints_of_this_stacks_mail_reach_the_function(world):
    """Another stack's configuration set in the same account, and SES's other events, invoke nothing."""
    elsewhere = notice("ses_bounce")
    elsewhere["detail"]["mail"]["tags"]["ses:configuration-set"] = ["another-stack-ConfigurationSet"]
    delivered = notice("ses_bounce")
    delivered["detail-type"], delivered["detail"]["eventType"] = "Email Delivered", "Delivery"
    not_ses = {**notice("ses_complaint"), "source": "my.app"}
    assert [put(e) for e in (elsewhere, delivered, not_ses)] == [{}, {}, {}]
    assert suppressions(world) == {}
