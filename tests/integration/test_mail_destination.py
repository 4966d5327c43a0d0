"""SES is told who receives each message (SESv2 `Destination`), from the introduction itself, through
the real notifier: a request walked to its introduction hands SES exactly the people each message is
for, and the headers name the same people."""

from __future__ import annotations

import base64
from email import policy
from email.parser import BytesParser

from tests.integration.steps import introduced
from warm_intro import runtime


def test_every_message_names_its_recipients_to_ses_and_in_its_headers(world):
    calls: list[dict] = []
    runtime.mailer().client.meta.events.register(
        "before-parameter-build.sesv2.SendEmail", lambda params, **_: calls.append(params)
    )
    introduced(world)

    seen = []
    for params in calls:
        raw = params["Content"]["Raw"]["Data"]
        msg = BytesParser(policy=policy.default).parsebytes(
            raw if isinstance(raw, bytes) else base64.b64decode(raw)
        )
        to = [a.addr_spec for a in msg["To"].addresses]
        cc = [a.addr_spec for a in msg["Cc"].addresses] if msg["Cc"] else []
        assert params["Destination"] == {"ToAddresses": to, **({"CcAddresses": cc} if cc else {})}
        seen.append((to, cc))
    assert seen == [
        (["ada@example.org"], []),  # please confirm
        (["grace@example.org"], []),  # would you introduce
        (["alan@example.net"], []),  # introduction?
        (["ada@example.org", "alan@example.net"], ["grace@example.org"]),  # the introduction
    ]
