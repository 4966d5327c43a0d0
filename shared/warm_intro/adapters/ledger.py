"""The limit ledgers and the per-person index in the table. Keys are keyed hashes, never addresses.

    LEDGER#R#<hash>  sk LEDGER          a requester's asks
    LEDGER#C#<hash>  sk LEDGER          a connector's asks this week and the asks held for room;
                                        while any are held, in the `due` index under partition "held"
    LEDGER#T#<hash>  sk LEDGER          the asks a target address had in 30 days
    PERSON#<hash>    sk INTRO#<id>#<role>  which introductions a person appears in (export, erasure)

Ledger writes are Puts conditioned on the version read, meant for the introduction's transaction."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from ..domain.errors import Conflict
from ..domain.limits import Ask, ConnectorLedger, RequesterLedger, TargetLedger
from ..domain.model import Intro, Role
from .dynamodb import Repository, dump, is_conflict, load

HELD_PARTITION = "held"
Ledger = RequesterLedger | ConnectorLedger | TargetLedger


def requester_key(address_hash: str) -> str:
    return f"LEDGER#R#{address_hash}"


def connector_key(address_hash: str) -> str:
    return f"LEDGER#C#{address_hash}"


def target_key(address_hash: str) -> str:
    return f"LEDGER#T#{address_hash}"


class Ledgers:
    def __init__(self, repo: Repository):
        self.client, self.table = repo.client, repo.table

    def read(self, *keys: str) -> dict[str, Ledger]:
        """All the ledgers in one call; a missing one is empty, at version 0."""
        found = self.client.batch_get_item(
            RequestItems={
                self.table: {"Keys": [dump({"pk": k, "sk": "LEDGER"}) for k in keys], "ConsistentRead": True}
            }
        )
        items = {i["pk"]: i for i in map(load, found["Responses"].get(self.table, []))}
        return {k: _from_item(k, items.get(k)) for k in keys}

    def put(self, key: str, ledger: Ledger, due_at: int | None = None) -> dict:
        """A transaction item writing `ledger` one version on, if it is still at the version read."""
        item = {"pk": key, "sk": "LEDGER", "v": ledger.version + 1, **_to_item(ledger)}
        if due_at is not None:
            item.update(due_pk=HELD_PARTITION, due_at=due_at)
        condition = "attribute_not_exists(pk)" if ledger.version == 0 else "v = :v"
        put: dict[str, Any] = {"TableName": self.table, "Item": dump(item), "ConditionExpression": condition}
        if ledger.version:
            put["ExpressionAttributeValues"] = {":v": {"N": str(ledger.version)}}
        return {"Put": put}

    def write(self, *items: dict) -> None:
        try:
            self.client.transact_write_items(TransactItems=list(items))
        except ClientError as error:
            if is_conflict(error):
                raise Conflict("A ledger changed at the same moment.") from error
            raise

    def held_due(self, now: int, limit: int = 25) -> list[str]:
        """Connector ledgers with an ask held whose week now has room."""
        found = self.client.query(
            TableName=self.table,
            IndexName="due",
            Limit=limit,
            KeyConditionExpression="due_pk = :p AND due_at <= :now",
            ExpressionAttributeValues={":p": {"S": HELD_PARTITION}, ":now": {"N": str(now)}},
        )
        return [i["pk"]["S"] for i in found["Items"]]

    def person_entries(self, address_hash: str) -> list[dict]:
        """The index entries of one person: which introductions, in which role."""
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "KeyConditionExpression": "pk = :p",
            "ExpressionAttributeValues": {":p": {"S": f"PERSON#{address_hash}"}},
            "ConsistentRead": True,
        }
        entries: list[dict] = []
        while True:
            page = self.client.query(**kwargs)
            entries += [load(i) for i in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return entries
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def stored_addresses(self) -> list[tuple[str, Role, str]]:
        """(intro id, role, address) for every address an introduction holds. Admin only: a Scan, for
        the one-off move to canonical identities (services.identities), never on a request path."""
        found: list[tuple[str, Role, str]] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "FilterExpression": "sk = :i",
            "ProjectionExpression": "pk, requester, connector, target",
            "ExpressionAttributeValues": {":i": {"S": "INTRO"}},
        }
        while True:
            page = self.client.scan(**kwargs)
            found.extend(
                (item["pk"].removeprefix("INTRO#"), role, email)
                for item in map(load, page["Items"])
                for role in (Role.REQUESTER, Role.CONNECTOR, Role.TARGET)
                if (email := item.get(role.value, {}).get("email"))
            )
            if "LastEvaluatedKey" not in page:
                return found
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def unscheduled(self) -> list[str]:
        """Ids of introductions nothing is due for. Admin only: a Scan, like `stored_addresses`."""
        found: list[str] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "FilterExpression": "sk = :i AND attribute_not_exists(due_at)",
            "ProjectionExpression": "pk",
            "ExpressionAttributeValues": {":i": {"S": "INTRO"}},
        }
        while True:
            page = self.client.scan(**kwargs)
            found += [i["pk"]["S"].removeprefix("INTRO#") for i in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return found
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def move_entry(self, intro_id: str, role: Role, old: str, new: str) -> bool:
        """Moves one index entry from hash `old` to hash `new`, in one transaction; False when there
        was none under `old` (already moved, or never written)."""
        sk = f"INTRO#{intro_id}#{role.value}"
        entry = {"pk": f"PERSON#{new}", "sk": sk, "intro": intro_id, "role": role.value}
        try:
            self.write(
                {
                    "Delete": {
                        "TableName": self.table,
                        "Key": dump({"pk": f"PERSON#{old}", "sk": sk}),
                        "ConditionExpression": "attribute_exists(pk)",
                    }
                },
                {"Put": {"TableName": self.table, "Item": dump(entry)}},
            )
            return True
        except Conflict:
            return False

    def suppression_reasons(self, address_hash: str) -> set[str]:
        found = self.client.get_item(
            TableName=self.table,
            Key=dump({"pk": f"SUPPRESS#{address_hash}", "sk": "SUPPRESS"}),
            ConsistentRead=True,
        )
        return set(load(found["Item"]).get("reasons", set())) if "Item" in found else set()

    def drop_entries(self, entries: list[dict]) -> None:
        for start in range(0, len(entries), 25):
            batch = [
                {"DeleteRequest": {"Key": dump({"pk": e["pk"], "sk": e["sk"]})}}
                for e in entries[start : start + 25]
            ]
            left = self.client.batch_write_item(RequestItems={self.table: batch}).get("UnprocessedItems")
            while left:  # DynamoDB may hand some back under load; they are retried until done
                left = self.client.batch_write_item(RequestItems=left).get("UnprocessedItems")


def person_items(table: str, intro: Intro, hashes: dict[Role, str]) -> list[dict]:
    """Index entries for the people of `intro` (role -> address hash), for its transaction."""
    return [
        {
            "Put": {
                "TableName": table,
                "Item": dump(
                    {
                        "pk": f"PERSON#{h}",
                        "sk": f"INTRO#{intro.id}#{role.value}",
                        "intro": intro.id,
                        "role": role.value,
                    }
                ),
            }
        }
        for role, h in hashes.items()
    ]


def person_deletes(table: str, intro: Intro, hashes: dict[Role, tuple[str, ...]]) -> list[dict]:
    """Removing the index entries of `intro` (role -> every hash the address may be stored under)."""
    return [
        {
            "Delete": {
                "TableName": table,
                "Key": dump({"pk": f"PERSON#{h}", "sk": f"INTRO#{intro.id}#{role.value}"}),
            }
        }
        for role, found in hashes.items()
        for h in found
    ]


def _to_item(ledger: Ledger) -> dict[str, Any]:
    if isinstance(ledger, RequesterLedger):
        return {
            "asks": [
                {
                    k: v
                    for k, v in {
                        "id": a.intro_id,
                        "at": a.at,
                        "e": a.email,
                        "n": a.name,
                        "o": a.open,
                        "b": a.blocked_until,
                    }.items()
                    if v is not None
                }
                for a in ledger.asks
            ]
        }
    if isinstance(ledger, ConnectorLedger):
        return {"asks": list(ledger.asks), "held": list(ledger.held)}
    return {"asks": list(ledger.asks)}


def _from_item(key: str, item: dict | None) -> Ledger:
    item = item or {}
    version = int(item.get("v", 0))
    if key.startswith("LEDGER#R#"):
        asks = tuple(
            Ask(a["id"], int(a["at"]), a.get("e"), a["n"], bool(a["o"]), int(a["b"]) if "b" in a else None)
            for a in item.get("asks", [])
        )
        return RequesterLedger(version, asks)
    if key.startswith("LEDGER#C#"):
        return ConnectorLedger(
            version, tuple(int(a) for a in item.get("asks", [])), tuple(item.get("held", []))
        )
    return TargetLedger(version, tuple(int(a) for a in item.get("asks", [])))
