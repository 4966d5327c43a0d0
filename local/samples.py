"""The sample events in events/, loaded as Lambda would receive them, with a real token swapped in."""

from __future__ import annotations

import copy
import json
from pathlib import Path

EVENTS = Path(__file__).resolve().parents[1] / "events"


def load(name: str) -> dict:
    return json.loads((EVENTS / name).read_text())


def with_token(event: dict, link: str) -> dict:
    """The event for the path of `link` (https://host/link/<token>)."""
    event = copy.deepcopy(event)
    kind, token = link.split("/")[-2:]
    path = f"/{kind}/{token}"
    event["rawPath"] = event["requestContext"]["http"]["path"] = path
    event["pathParameters"] = {"token": token}
    return event
