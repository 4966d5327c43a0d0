"""The SES mailer: sends one finished MIME message through SESv2 and returns SES's message id.

SES is told the recipients (`Destination`) rather than left to read them from the headers: who
receives a message is the introduction's decision (views.emails.envelope), never the MIME's."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage


class Mailer:
    def __init__(self, client, config_set: str | None = None):
        self.client = client
        self.config_set = config_set

    def send(self, message: EmailMessage, to: Sequence[str], cc: Sequence[str] = ()) -> str:
        destination = {"ToAddresses": list(to), **({"CcAddresses": list(cc)} if cc else {})}
        kwargs = {"ConfigurationSetName": self.config_set} if self.config_set else {}
        answer = self.client.send_email(
            Destination=destination, Content={"Raw": {"Data": message.as_bytes()}}, **kwargs
        )
        return answer["MessageId"]
