"""One deployment driven through its application services against moto, without the HTTP layer or
the stream: the same calls the handlers make (submit, answer a link, deliver what is pending, the
scheduled run, export and erase), fast enough for Hypothesis to try many lifecycles. Mail goes to a
recording mailer; links are read back from the messages a person received."""

from __future__ import annotations

import json
import re
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import getaddresses

from moto import mock_aws

from local import aws
from warm_intro import runtime
from warm_intro.adapters.agreements import Agreements
from warm_intro.api import IntroRequest
from warm_intro.domain.delivery import pending
from warm_intro.domain.errors import DomainError
from warm_intro.domain.mailbox import canonical
from warm_intro.services import admission, intake, links, personal_data, scheduler, sending

START = 1_790_000_000
LINK = re.compile(r"https://intros\.example\.org/(link|optout)/([A-Za-z0-9_.\-]+)")


class RecordingMailer:
    """Stands in for SES: keeps each message with the mailboxes it was addressed to."""

    def __init__(self):
        self.sent: list[tuple[frozenset[str], EmailMessage]] = []

    def send(self, message: EmailMessage, *args, **kwargs) -> str:
        headers = [str(v) for name in ("To", "Cc", "Bcc") for v in message.get_all(name, [])]
        given = [
            a
            for v in [*args, *kwargs.values()]
            for a in (v if isinstance(v, list | tuple) else [v])
            if isinstance(a, str)
        ]
        mailboxes = {canonical(a) for _, a in getaddresses([*headers, *given]) if "@" in a}
        self.sent.append((frozenset(mailboxes), message))
        return f"ses-{len(self.sent)}"


class Deployment:
    def __init__(self):
        self.now = START
        self.settings = runtime.settings()
        aws.create_resources(self.settings.table_name, self.settings.sender)
        self.repo = runtime.repository()
        self.mailer = RecordingMailer()
        self.intros: list[str] = []

    # people ------------------------------------------------------------------------------------
    def member(self, email: str, name: str) -> None:
        self.repo.put_member(email, name)
        Agreements(self.repo).record(email, self.now, "test")  # happy to be asked as connector

    def ask(
        self,
        requester: tuple[str, str],
        connector: str,
        target: tuple[str, str | None],
        ip: str = "192.0.2.1",
    ):
        body = {
            "requester": {"name": requester[1], "email": requester[0]},
            "connector_email": connector,
            "target": {"name": target[0], "email": target[1]},
            "blurb": "Twenty minutes about reading groups?",
        }
        intro = intake.submit(
            self.repo, self.settings, IntroRequest.model_validate(body), self.now, "api", ip
        )
        self.intros.append(intro.id)
        self.deliver(intro.id)
        return intro.id

    def answer(self, mailbox: str, intro_id: str, decision: str, kind: str = "link", **fields) -> bool:
        """A person's decision through the newest link they were mailed for this introduction; False
        when they have none or the service refused it (as the page would say)."""
        token = self.token(mailbox, intro_id, kind)
        if token is None:
            return False
        try:
            links.answer(self.repo, self.settings, token, decision, self.now, via="page:v1", **fields)
        except DomainError:
            return False
        finally:
            self.deliver(intro_id)
        return True

    # mail and time -----------------------------------------------------------------------------
    def deliver(self, *ids: str) -> None:
        """What the notifier would do with the stream's records: every pending message of `ids` (by
        default every introduction), until nothing is left pending."""
        for intro_id in ids or self.intros:
            intro = self.repo.get(intro_id)
            while intro is not None and (kinds := pending(intro)):
                sending.deliver(self.repo, self.mailer, self.settings, intro, kinds[0], self.now)
                after = self.repo.get(intro_id)
                if after == intro:
                    break
                intro = after

    def advance(self, days: float) -> None:
        self.now += int(days * 86_400)
        scheduler.run_due(self.repo, self.now, hash_key=self.settings.hash_key)
        admission.release_held(self.settings, self.repo, self.now)
        self.deliver()

    def mail_to(self, address: str) -> list[EmailMessage]:
        box = canonical(address)
        return [m for to, m in self.mailer.sent if box in to]

    def token(self, address: str, intro_id: str, kind: str) -> str | None:
        found = [
            t
            for m in self.mail_to(address)
            for k, t in LINK.findall(_text(m))
            if k == kind and t.startswith(f"{intro_id}.")
        ]
        return found[-1] if found else None

    # the table ---------------------------------------------------------------------------------
    def items(self) -> list[dict]:
        client, found, kwargs = runtime.client("dynamodb"), [], {"TableName": self.settings.table_name}
        while True:
            page = client.scan(**kwargs)
            found += page["Items"]
            if "LastEvaluatedKey" not in page:
                return found
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def erase(self, email: str) -> personal_data.Erased:
        return personal_data.erase(self.settings.hash_key, self.repo, email, self.now)

    def export(self, email: str) -> dict:
        return json.loads(json.dumps(personal_data.export(self.settings.hash_key, self.repo, email)))


@contextmanager
def deployment():
    with mock_aws():
        runtime.reset()
        try:
            yield Deployment()
        finally:
            runtime.reset()


def _text(message: EmailMessage) -> str:
    body = message.get_body(preferencelist=("plain",))
    return body.get_content() if body is not None else ""
