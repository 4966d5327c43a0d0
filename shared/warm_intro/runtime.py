"""Wiring for the Lambda functions: settings and AWS clients built once per container, lazily, so
importing a handler does no I/O and tests can swap any piece (call `reset()` between them)."""

from __future__ import annotations

import time
from functools import cache
from typing import TYPE_CHECKING, Any

from .settings import Settings

if TYPE_CHECKING:
    from .adapters.dynamodb import Repository
    from .adapters.mailer import Mailer


@cache
def settings() -> Settings:
    return Settings.from_env(read_secret=secret)


def secret(name: str) -> str:
    """A secret's value, read once per container with Powertools parameters (through the shared client)."""
    from aws_lambda_powertools.utilities.parameters import SecretsProvider

    value = SecretsProvider(boto3_client=client("secretsmanager")).get(name)
    if not isinstance(value, str):  # a SecretString comes back as str; a binary secret is no key
        raise TypeError(f"the secret {name} is not a string")
    return value


# SendEmail has no idempotency key: an SDK retry after a lost answer sends the mail twice. SES calls
# are tried once; the notifier's claim/record protocol decides what is retried (domain.delivery).
NO_SDK_RETRIES = frozenset({"sesv2"})


@cache
def client(service: str) -> Any:  # a boto3 client (adapters take it untyped)
    import boto3
    from botocore.config import Config

    # Standard mode retries throttling with backoff; the stream retries whatever still fails.
    config = Config(
        retries={"mode": "standard", "total_max_attempts": 1}
        if service in NO_SDK_RETRIES
        else {"mode": "standard", "max_attempts": 3}
    )
    return boto3.client(service, config=config)


@cache
def repository() -> Repository:
    from .adapters.dynamodb import Repository

    s = settings()
    return Repository(client("dynamodb"), s.table_name, s.timings)


@cache
def mailer() -> Mailer:
    from .adapters.mailer import Mailer

    return Mailer(client("sesv2"), settings().config_set)


def now() -> int:
    return int(time.time())


def reset() -> None:
    for factory in (settings, client, repository, mailer):
        factory.cache_clear()
