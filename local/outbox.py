"""The mail moto's SES accepted, parsed back from MIME into what a person would read."""

from __future__ import annotations

from email import policy
from email.parser import BytesParser

ACCOUNT, REGION = "123456789012", "us-east-1"


def raw_messages() -> list[str]:
    from moto.ses.models import ses_backends

    return [m.raw_data for m in ses_backends[ACCOUNT][REGION].sent_messages if hasattr(m, "raw_data")]


def parse(raw: str) -> dict:
    msg = BytesParser(policy=policy.default).parsebytes(raw.encode())
    text = msg.get_body(preferencelist=("plain",))
    html = msg.get_body(preferencelist=("html",))
    return {
        "to": [str(a) for a in msg["To"].addresses] if msg["To"] else [],
        "cc": [str(a) for a in msg["Cc"].addresses] if msg["Cc"] else [],
        "subject": str(msg["Subject"]),
        "text": text.get_content() if text else "",
        "html": html.get_content() if html else "",
        "headers": {k: str(v) for k, v in msg.items()},
    }


def messages() -> list[dict]:
    """Oldest first."""
    return [parse(raw) for raw in raw_messages()]
