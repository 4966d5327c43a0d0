"""The per-address confirmation ledger in the table (see domain.confirmations); the key is a keyed hash.

    LEDGER#M#<hash>  sk LEDGER   the address's unanswered confirmation, its sends today, the waiting

Writes are Puts conditioned on the version read, meant for the introduction's transaction."""

from __future__ import annotations

from typing import Any

from ..domain.confirmations import ConfirmationLedger
from ..domain.model import Intro
from .codec import to_item
from .dynamodb import Repository, dump, load


def ledger_key(address_hash: str) -> str:
    return f"LEDGER#M#{address_hash}"


def read(repo: Repository, key: str) -> ConfirmationLedger:
    found = repo.client.get_item(
        TableName=repo.table, Key=dump({"pk": key, "sk": "LEDGER"}), ConsistentRead=True
    )
    item = load(found["Item"]) if "Item" in found else {}
    return ConfirmationLedger(
        version=int(item.get("v", 0)),
        outstanding=item.get("out"),
        outstanding_at=int(item.get("out_at", 0)),
        sent=tuple(int(at) for at in item.get("sent", [])),
        held=tuple((h["id"], int(h["at"])) for h in item.get("held", [])),
    )


def put(repo: Repository, key: str, ledger: ConfirmationLedger, expires_at: int) -> dict:
    """A transaction item writing `ledger` one version on, if it is still at the version read. The
    item expires by TTL at `expires_at`, when nothing in it can matter any more."""
    item: dict[str, Any] = {
        "pk": key,
        "sk": "LEDGER",
        "v": ledger.version + 1,
        "sent": list(ledger.sent),
        "held": [{"id": i, "at": at} for i, at in ledger.held],
        "out_at": ledger.outstanding_at,
        "expires_at": expires_at,
    }
    if ledger.outstanding:
        item["out"] = ledger.outstanding
    put_: dict[str, Any] = {"TableName": repo.table, "Item": dump(item)}
    if ledger.version:
        put_.update(
            ConditionExpression="v = :v", ExpressionAttributeValues={":v": {"N": str(ledger.version)}}
        )
    else:
        put_["ConditionExpression"] = "attribute_not_exists(pk)"
    return {"Put": put_}


def release_write(repo: Repository, intro: Intro, expected_version: int) -> dict:
    """A transaction item writing another introduction (its waiting confirmation released), if it is
    still at the version read."""
    return {
        "Put": {
            "TableName": repo.table,
            "Item": dump(to_item(intro, repo.timings)),
            "ConditionExpression": "v = :v",
            "ExpressionAttributeValues": {":v": {"N": str(expected_version)}},
        }
    }
