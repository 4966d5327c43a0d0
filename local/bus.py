"""The account's default event bus, as far as the template uses it: an event put on it invokes each
function whose EventBridgeRule pattern matches, read from the template itself (SES publishes bounces
and complaints there through the configuration set's FeedbackDestination)."""

from __future__ import annotations

from . import template
from .lambdas import invoke
from .stream import matches

# The name the stack's configuration set goes by here (as in the sample events under events/).
NAMES = {"ConfigurationSet": "warm-intro-ConfigurationSet-7G8H9I0J"}


def rules() -> dict[str, dict]:
    """Each function's EventBridge rule pattern, its references resolved to the names above."""
    found = {}
    for name, fn in template.resources("AWS::Serverless::Function").items():
        for event in fn["Properties"].get("Events", {}).values():
            if event["Type"] == "EventBridgeRule":
                found[name] = _resolved(event["Properties"]["Pattern"])
    return found


def put(event: dict) -> dict[str, dict]:
    """What each function the event matches answered, by function."""
    return {name: invoke(name, event) for name, pattern in rules().items() if matches(pattern, event)}


def _resolved(pattern):
    if isinstance(pattern, dict):
        return {k: _resolved(v) for k, v in pattern.items()}
    if isinstance(pattern, list):
        return [_resolved(v) for v in pattern]
    return NAMES.get(pattern, pattern)
