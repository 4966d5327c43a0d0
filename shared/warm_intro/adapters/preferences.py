"""A person's preferences and their own opt-out, keyed by address hash next to the opt-outs:

PREFER#<hash>    sk PREFER     paused_until, week_limit
SUPPRESS#<hash>  sk SUPPRESS   (adapters.people) reasons; "opted_out" is the person's own

Services reach them through the unit of work's `people` (adapters.people)."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..domain.preferences import Preferences
from .dynamodb import dump, failed_condition, load

OWN = "opted_out"


def _key(address_hash: str) -> dict[str, Any]:
    return dump({"pk": f"PREFER#{address_hash}", "sk": "PREFER"})


def read(client: Any, table: str, address_hash: str) -> Preferences:
    found = client.get_item(TableName=table, Key=_key(address_hash), ConsistentRead=True)
    item = load(found["Item"]) if "Item" in found else {}
    return Preferences(
        paused_until=int(item["paused_until"]) if "paused_until" in item else None,
        week_limit=int(item["week_limit"]) if "week_limit" in item else None,
    )


def write(client: Any, table: str, address_hash: str, prefs: Preferences) -> None:
    values = {k: v for k, v in vars(prefs).items() if v is not None}
    if not values:
        client.delete_item(TableName=table, Key=_key(address_hash))
        return
    item = {"pk": f"PREFER#{address_hash}", "sk": "PREFER", **values}
    client.put_item(TableName=table, Item=dump(item))


def opt_back_in(client: Any, table: str, address_hash: str) -> None:
    """Undoes the person's own opt-out. A bounce or complaint recorded for the address stays: only
    the mail system can lift those."""
    key = dump({"pk": f"SUPPRESS#{address_hash}", "sk": "SUPPRESS"})
    try:  # the only reason: the entry goes
        client.delete_item(
            TableName=table,
            Key=key,
            ConditionExpression="reasons = :own",
            ExpressionAttributeValues={":own": {"SS": [OWN]}},
        )
        return
    except ClientError as error:
        if not failed_condition(error):
            raise
    try:
        client.update_item(
            TableName=table,
            Key=key,
            UpdateExpression="DELETE reasons :own",
            ConditionExpression="attribute_exists(pk)",
            ExpressionAttributeValues={":own": {"SS": [OWN]}},
        )
    except ClientError as error:
        if not failed_condition(error):
            raise
