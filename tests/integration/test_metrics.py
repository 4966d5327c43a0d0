"""Every consent-record event becomes a CloudWatch count with the organisation as a dimension
(the stack's dashboard searches by it)."""

from __future__ import annotations

import json

from . import steps


def emf(capsys) -> list[dict]:
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith('{"_aws"')]
    return [json.loads(line) for line in lines]


def counted(blobs: list[dict]) -> dict[str, str]:
    found = {}
    for blob in blobs:
        for directive in blob["_aws"]["CloudWatchMetrics"]:
            for metric in directive["Metrics"]:
                found[metric["Name"]] = blob.get("organisation")
    return found


def test_lifecycle_events_are_counted_per_organisation(world, capsys):
    capsys.readouterr()
    steps.awaiting_connector(world)
    world.post_form(world.last_link(steps.GRACE), {"decision": "decline"})
    world.deliver()
    metrics = counted(emf(capsys))
    for name in ("request", "confirm", "decline", "Message_sent"):
        assert metrics.get(name) == "Bletchley Circle", (name, metrics)


def test_expiry_is_counted_by_the_scheduler(world, capsys):
    steps.unconfirmed(world)
    capsys.readouterr()
    world.advance(days=2)
    world.tick()
    assert counted(emf(capsys)).get("expire") == "Bletchley Circle"
