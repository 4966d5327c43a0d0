"""The SES mailer: sends one finished MIME message through SESv2 and returns SES's message id.

SES is told the recipients (`Destination`) rather than left to read them from the headers: who
receives a message is the introduction's decision (views.emails.envelope), never the MIME's.
What SES answered leaves this module as the domain's MailRefused or MailOutcomeUnknown."""

from __future__ import annotations

from collections.abc import Sequence
from email.message import EmailMessage
from typing import Any

from botocore.exceptions import BotoCoreError, ClientError, ConnectTimeoutError, EndpointConnectionError

from ..domain.errors import MailOutcomeUnknown, MailRefused

# SES refused, or the request never left this machine: either way nothing was sent.
NOT_SENT = (ClientError, EndpointConnectionError, ConnectTimeoutError)


class Mailer:
    def __init__(self, client: Any, config_set: str | None = None):
        self.client = client
        self.config_set = config_set

    def send(self, message: EmailMessage, to: Sequence[str], cc: Sequence[str] = ()) -> str:
        """SES's message id. Raises MailRefused when nothing was sent, MailOutcomeUnknown when it may
        have been (the connection dropped after the request went out, a read timed out)."""
        destination = {"ToAddresses": list(to), **({"CcAddresses": list(cc)} if cc else {})}
        kwargs = {"ConfigurationSetName": self.config_set} if self.config_set else {}
        try:
            answer = self.client.send_email(
                Destination=destination, Content={"Raw": {"Data": message.as_bytes()}}, **kwargs
            )
        except NOT_SENT as error:
            raise MailRefused(_code(error)) from error
        except BotoCoreError as error:
            raise MailOutcomeUnknown(type(error).__name__) from error
        message_id: str = answer["MessageId"]
        return message_id


def _code(error: Exception) -> str:
    return error.response["Error"]["Code"] if isinstance(error, ClientError) else type(error).__name__
