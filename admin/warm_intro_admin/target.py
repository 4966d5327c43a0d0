"""Which organisation the command acts on: a deployed stack (found by name and region through its
outputs) or the local server's embedded AWS. Either way the rest of the CLI gets a Repository."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import boto3
from botocore.exceptions import ClientError

from warm_intro.adapters.dynamodb import Repository
from warm_intro.domain.hashing import HashKey
from warm_intro.settings import PARAMETERS, InvalidSettings, env_var, from_parameters, timings_of

LOCAL_ENDPOINT = "http://127.0.0.1:3001"
LOCAL_TABLE = "intros-local"
# The local server keeps its data in memory only; a fixed key lets export and erase work against it.
LOCAL_HASH_KEY = "local-only-hash-key-not-a-secret"


class AdminError(Exception):
    """Something the administrator can fix; printed as it is, without a traceback."""


@dataclass
class Target:
    session: boto3.Session
    table: str
    label: str
    endpoint: str | None = None
    parameters: dict[str, str] = field(default_factory=dict)
    dead_letter_url: str | None = None
    stack: str | None = None

    def client(self, service: str):
        return self.session.client(service, endpoint_url=self.endpoint)

    @cached_property
    def settings(self) -> dict[str, Any]:
        """The organisation's settings (by Settings field) that its parameters give, read and
        validated as the functions read them; the functions' defaults for the rest."""
        try:
            return from_parameters(self.parameters)
        except InvalidSettings as error:
            raise AdminError(f"{self.label} has a setting the functions would refuse:\n{error}") from error

    @property
    def repository(self) -> Repository:
        # Each item's due time is computed with the organisation's own timings.
        return Repository(self.client("dynamodb"), self.table, timings_of(self.settings))

    def configuration_set(self) -> str | None:
        """The stack's SES configuration set, so mail the CLI sends reports bounces and complaints the way
        the notifier's does (the suppression list learns of them). None locally: there is none."""
        if not self.stack:
            return None
        resource = self.client("cloudformation").describe_stack_resource(
            StackName=self.stack, LogicalResourceId="ConfigurationSet"
        )
        return resource["StackResourceDetail"]["PhysicalResourceId"]

    def hash_key(self) -> HashKey:
        """The key of the keyed address hashes: the stack's generated secret, else HASH_KEY; with the
        organisation's DotlessDomains, which decide a mailbox's hash too."""
        domains = self.settings["dotless_domains"]
        if self.stack:
            resource = self.client("cloudformation").describe_stack_resource(
                StackName=self.stack, LogicalResourceId="HashKey"
            )
            secret = resource["StackResourceDetail"]["PhysicalResourceId"]
            return HashKey(
                self.client("secretsmanager").get_secret_value(SecretId=secret)["SecretString"], domains
            )
        key = os.environ.get("HASH_KEY") or (LOCAL_HASH_KEY if self.endpoint else None)
        if not key:
            raise AdminError("Set HASH_KEY to the stack's hash key (or use --stack, which reads it for you).")
        return HashKey(key, domains)


def deployed(stack: str, region: str | None, profile: str | None = None) -> Target:
    session = boto3.Session(region_name=region, profile_name=profile)
    if session.region_name is None:
        raise AdminError("Which region? Pass --region (the stack's region) or set AWS_DEFAULT_REGION.")
    try:
        (found,) = session.client("cloudformation").describe_stacks(StackName=stack)["Stacks"]
    except ClientError as error:
        if error.response["Error"]["Code"] == "ValidationError":
            raise AdminError(f"No stack named {stack!r} in {session.region_name}.") from error
        raise
    outputs = {o["OutputKey"]: o["OutputValue"] for o in found.get("Outputs", [])}
    if "TableName" not in outputs:
        raise AdminError(
            f"Stack {stack!r} has no TableName output: is it a warm-intro stack, fully deployed?"
        )
    parameters = {p["ParameterKey"]: p.get("ParameterValue", "") for p in found.get("Parameters", [])}
    return _checked(
        Target(
            session,
            outputs["TableName"],
            f"{stack} ({session.region_name})",
            None,
            parameters,
            outputs.get("DeadLetterQueueUrl"),
            stack,
        )
    )


def table(name: str, region: str | None, profile: str | None = None) -> Target:
    """A table named directly, reached with the ambient credentials (and AWS_ENDPOINT_URL, if set)."""
    session = boto3.Session(region_name=region, profile_name=profile)
    if session.region_name is None:
        raise AdminError("Which region? Pass --region or set AWS_DEFAULT_REGION.")
    return _checked(Target(session, name, f"table {name} ({session.region_name})", None, _from_env()))


def local() -> Target:
    """The local server's embedded moto: it accepts any credentials, so none are needed."""
    endpoint = local_endpoint()
    session = boto3.Session(aws_access_key_id="local", aws_secret_access_key="local", region_name="us-east-1")
    found = _checked(Target(session, LOCAL_TABLE, f"local server ({endpoint})", endpoint, _from_env()))
    found.dead_letter_url = _queue_url(found, local_dead_letters(LOCAL_TABLE))
    return found


def local_dead_letters(table: str) -> str:
    """The name of the queue where the local stream pump parks the batches it gave up on."""
    return f"{table}-dead-letters"


def local_endpoint() -> str:
    """Where the local server's embedded AWS listens: LOCAL_AWS_PORT, read as the server reads it (so
    the CLI never acts on whichever server holds the default port), else AWS_ENDPOINT_URL, else 3001."""
    port = os.environ.get("LOCAL_AWS_PORT", "").strip()
    if not port:
        return os.environ.get("AWS_ENDPOINT_URL") or LOCAL_ENDPOINT
    if not (port.isascii() and port.isdigit() and 0 < int(port) < 65536):
        raise AdminError(
            f"LOCAL_AWS_PORT must be a port number (1-65535), like the local server's; not {port!r}."
        )
    return f"http://127.0.0.1:{int(port)}"


def _from_env() -> dict[str, str]:
    """Without a stack to ask, the settings come from the variables the functions themselves read."""
    return {p: os.environ[env_var(f)] for p, f in PARAMETERS.items() if env_var(f) in os.environ}


def _queue_url(target: Target, name: str) -> str | None:
    try:
        return target.client("sqs").get_queue_url(QueueName=name)["QueueUrl"]
    except ClientError as error:
        if error.response["Error"]["Code"] in (
            "AWS.SimpleQueueService.NonExistentQueue",
            "QueueDoesNotExist",
        ):
            return None
        raise


def _checked(target: Target) -> Target:
    try:
        target.client("dynamodb").describe_table(TableName=target.table)
    except ClientError as error:
        if error.response["Error"]["Code"] == "ResourceNotFoundException":
            raise AdminError(f"Table {target.table!r} not found for {target.label}.") from error
        raise
    return target
