"""The mailer answers in the domain's words: a definite refusal (nothing was sent, so the message may
be retried) or an unknown outcome (it may have been sent, so it never is again), never a botocore error."""

from __future__ import annotations

from email.message import EmailMessage

import boto3
import pytest
from botocore.exceptions import (
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)
from botocore.stub import ANY, Stubber

from warm_intro.adapters.mailer import Mailer
from warm_intro.domain.errors import MailOutcomeUnknown, MailRefused

URL = "https://email.us-east-1.amazonaws.com"


def message() -> EmailMessage:
    mail = EmailMessage()
    mail["Subject"] = "Hello"
    mail.set_content("Hi.")
    return mail


def ses():
    return boto3.client(
        "sesv2", region_name="us-east-1", aws_access_key_id="testing", aws_secret_access_key="testing"
    )


def test_a_sent_message_returns_ses_id_and_names_the_recipients_to_ses():
    client = ses()
    with Stubber(client) as stub:
        stub.add_response(
            "send_email",
            {"MessageId": "ses-1"},
            {
                "Destination": {"ToAddresses": ["ada@example.org"], "CcAddresses": ["grace@example.org"]},
                "Content": ANY,
                "ConfigurationSetName": "intros",
            },
        )
        assert Mailer(client, "intros").send(message(), ["ada@example.org"], ["grace@example.org"]) == "ses-1"


@pytest.mark.parametrize("code", ["ThrottlingException", "MessageRejected", "InternalFailure"])
def test_an_answer_from_ses_refusing_the_message_is_a_refusal_naming_its_code(code):
    client = ses()
    with Stubber(client) as stub:
        stub.add_client_error("send_email", code, "no", 400)
        with pytest.raises(MailRefused) as refused:
            Mailer(client).send(message(), ["ada@example.org"])
    assert refused.value.reason == code


class Failing:
    def __init__(self, error: Exception):
        self.error = error

    def send_email(self, **_):
        raise self.error


@pytest.mark.parametrize(
    "error", [EndpointConnectionError(endpoint_url=URL), ConnectTimeoutError(endpoint_url=URL)]
)
def test_a_request_that_never_left_is_a_refusal(error):
    with pytest.raises(MailRefused) as refused:
        Mailer(Failing(error)).send(message(), ["ada@example.org"])
    assert refused.value.reason == type(error).__name__


@pytest.mark.parametrize(
    "error",
    [ReadTimeoutError(endpoint_url=URL), ConnectionClosedError(endpoint_url=URL)],
)
def test_a_request_whose_answer_was_lost_has_an_unknown_outcome(error):
    with pytest.raises(MailOutcomeUnknown):
        Mailer(Failing(error)).send(message(), ["ada@example.org"])
