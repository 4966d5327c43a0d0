"""The SES mailer: sends one finished MIME message through SESv2 and returns SES's message id."""

from __future__ import annotations

from email.message import EmailMessage


class Mailer:
    def __init__(self, client, config_set: str | None = None):
        self.client = client
        self.config_set = config_set

    def send(self, message: EmailMessage) -> str:
        kwargs = {"ConfigurationSetName": self.config_set} if self.config_set else {}
        answer = self.client.send_email(Content={"Raw": {"Data": message.as_bytes()}}, **kwargs)
        return answer["MessageId"]
