"""Creates, in whatever AWS the environment points at (moto here), what template.yaml would:
the table with its stream and indexes, the verified sender, and the notifier's dead-letter queue;
then seeds the members."""

from __future__ import annotations

import csv
from pathlib import Path

import boto3

from warm_intro_admin.target import local_dead_letters

from . import template


def create_resources(table: str, sender: str, region: str = "us-east-1") -> None:
    dynamodb = boto3.client("dynamodb", region_name=region)
    if table not in dynamodb.list_tables()["TableNames"]:
        dynamodb.create_table(TableName=table, **template.table_definition())
    ses = boto3.client("ses", region_name=region)
    ses.verify_email_identity(EmailAddress=sender)
    ses.verify_domain_identity(Domain=sender.rpartition("@")[2])
    dead_letter_queue(table, region)


def read_members(path: Path) -> list[tuple[str, str]]:
    with path.open(newline="", encoding="utf-8") as handle:
        return [(row["email"].strip().lower(), row.get("name", "").strip()) for row in csv.DictReader(handle)]


def stream_arn(table: str, region: str = "us-east-1") -> str:
    return boto3.client("dynamodb", region_name=region).describe_table(TableName=table)["Table"][
        "LatestStreamArn"
    ]


def dead_letter_queue(table: str, region: str = "us-east-1") -> str:
    """The URL of the queue the stream's OnFailure destination names (created if need be)."""
    return boto3.client("sqs", region_name=region).create_queue(QueueName=local_dead_letters(table))[
        "QueueUrl"
    ]
