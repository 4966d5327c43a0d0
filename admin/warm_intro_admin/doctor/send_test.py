"""`--send-test`: the whole bounce and complaint chain, in the real account, through SES's mailbox simulator."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

from warm_intro.domain.hashing import address_hash

from .report import GREEN, RED, Line
from .stack import Deployment

SIMULATOR = {
    "success": "success@simulator.amazonses.com",
    "bounce": "bounce@simulator.amazonses.com",
    "complaint": "complaint@simulator.amazonses.com",
}


def send_test(
    aws: Callable[[str], Any],
    stack: Deployment,
    repository,
    hash_key: str,
    *,
    timeout: float,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[Line]:
    """Mails SES's simulator (delivered, bounced, complained) through the stack's configuration set, then
    waits until the bounce and the complaint have come back through the event bus and the feedback function as
    suppressions: the whole feedback chain, in the real account."""
    ses = aws("sesv2")
    for kind, address in SIMULATOR.items():
        ses.send_email(
            FromEmailAddress=stack.parameters["SenderAddress"],
            Destination={"ToAddresses": [address]},
            ConfigurationSetName=stack.resources.get("ConfigurationSet"),
            Content={
                "Simple": {
                    "Subject": {"Data": f"warm-intro doctor: {kind} test"},
                    "Body": {"Text": {"Data": "A test of the bounce and complaint chain."}},
                }
            },
        )
    yield Line(GREEN, "test send", "sent to SES's mailbox simulator: " + ", ".join(SIMULATOR.values()))
    waiting = {address_hash(SIMULATOR[k], hash_key): k for k in ("bounce", "complaint")}
    started = clock()
    while True:
        arrived = repository.suppressed(waiting)
        for hashed in arrived:
            yield Line(
                GREEN,
                f"{waiting.pop(hashed)} notice",
                f"became a suppression after {clock() - started:.0f} s",
            )
        if not waiting:
            return
        if clock() - started >= timeout:
            for kind in waiting.values():
                yield Line(
                    RED,
                    f"{kind} notice",
                    f"no suppression after {timeout:.0f} s",
                    "check the feedback function's log group and FeedbackDeadLetterQueue",
                )
            return
        sleep(min(5.0, max(0.0, timeout - (clock() - started))))
