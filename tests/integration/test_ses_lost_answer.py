"""Exactly once, even when the SDK would retry (issue 11, item 7): a fake SES on 127.0.0.1 takes each
SendEmail request in full and hangs up without answering, as when SES accepted the message and the
connection dropped. The SDK must not send it again, and neither may the notifier: the message stays
claimed ('sending') and is parked for a person, never re-sent on its own."""

from __future__ import annotations

import socket
import threading

import pytest

from warm_intro import runtime
from warm_intro.domain.delivery import is_parked
from warm_intro.domain.model import Delivery, Kind

from .test_delivery_faults import only_intro


class HangUpSES:
    """Reads each whole HTTP request, counts it, and closes the connection without a response."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self.listener.getsockname()[1]}"
        self.requests: list[bytes] = []
        self.thread = threading.Thread(target=self._serve, daemon=True)
        self.thread.start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            with conn:
                data = b""
                while b"\r\n\r\n" not in data and (chunk := conn.recv(65536)):
                    data += chunk
                head, _, body = data.partition(b"\r\n\r\n")
                length = next(
                    (
                        int(line.split(b":")[1])
                        for line in head.split(b"\r\n")
                        if line.lower().startswith(b"content-length:")
                    ),
                    0,
                )
                while len(body) < length and (chunk := conn.recv(65536)):
                    body += chunk
                self.requests.append(head + b"\r\n\r\n" + body)

    def sends(self) -> int:
        return sum(
            b"SendEmail" in r.split(b"\r\n", 1)[0] or b"/v2/email/outbound-emails" in r for r in self.requests
        )

    def close(self) -> None:
        self.listener.close()


@pytest.fixture
def hang_up_ses(world, monkeypatch):
    fake = HangUpSES()
    monkeypatch.setenv("AWS_ENDPOINT_URL_SESV2", fake.url)
    runtime.client.cache_clear()  # the mailer's client is built again, by runtime, against the fake
    runtime.mailer.cache_clear()
    yield fake
    fake.close()


def test_a_send_whose_answer_is_lost_reaches_ses_once_and_is_parked_not_resent(world, hang_up_ses):
    assert world.ask().status == 202
    world.deliver()
    assert hang_up_ses.sends() == 1  # the SDK did not retry it
    message = only_intro(world).outbox[Kind.CONFIRM_REQUEST]
    assert message.status is Delivery.SENDING and message.attempts == 1
    for _ in range(3):  # the stream's retries, the lease running out, the scheduler's rounds
        world.advance(seconds=400)
        world.tick()
        world.deliver()
    message = only_intro(world).outbox[Kind.CONFIRM_REQUEST]
    assert message.status is Delivery.SENDING and is_parked(message, world.now)  # waits for an operator
    assert hang_up_ses.sends() == 1
