"""The DynamoDB repository: the only place that knows the table's keys and turns its errors into
domain exceptions. Every state change is a conditional write on the item's version."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from ..domain.errors import Conflict
from ..domain.model import Intro
from ..domain.rules import Timings
from .codec import DUE_PARTITION, from_item, intro_key, to_item

_ser = TypeSerializer()
_de = TypeDeserializer()


def dump(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _ser.serialize(v) for k, v in item.items()}


def load(image: dict[str, Any]) -> dict[str, Any]:
    return {k: _de.deserialize(v) for k, v in image.items()}


def _member_key(email: str) -> dict[str, str]:
    return {"pk": f"MEMBER#{email}", "sk": "MEMBER"}


def is_conflict(error: ClientError) -> bool:
    return error.response["Error"]["Code"] in (
        "ConditionalCheckFailedException",
        "TransactionCanceledException",
    )


class Repository:
    def __init__(self, client, table: str, timings: Timings):
        self.client = client
        self.table = table
        self.timings = timings

    # introductions -----------------------------------------------------------------------------

    def get(self, intro_id: str) -> Intro | None:
        found = self.client.get_item(TableName=self.table, Key=dump(intro_key(intro_id)), ConsistentRead=True)
        return from_item(load(found["Item"])) if "Item" in found else None

    def create(self, intro: Intro, also: Iterable[dict] = (), members: Iterable[str] = ()) -> None:
        """As `save`, for a new introduction: `members` must still be members when it is written."""
        put = {"TableName": self.table, "Item": dump(to_item(intro, self.timings))}
        checks = [self._member_check(email) for email in dict.fromkeys(members)]
        self._write(put, "attribute_not_exists(pk)", {}, [*also, *checks])

    def save(
        self, intro: Intro, expected_version: int, also: Iterable[dict] = (), members: Iterable[str] = ()
    ) -> Intro:
        """Write `intro` only if the stored one is still at `expected_version` and each of `members` is
        still a member, in the same transaction; else Conflict."""
        put = {"TableName": self.table, "Item": dump(to_item(intro, self.timings))}
        checks = [self._member_check(email) for email in dict.fromkeys(members)]
        self._write(put, "v = :expected", {":expected": {"N": str(expected_version)}}, [*also, *checks])
        return intro

    def _member_check(self, email: str) -> dict:
        return {
            "ConditionCheck": {
                "TableName": self.table,
                "Key": dump(_member_key(email)),
                "ConditionExpression": "attribute_exists(pk)",
            }
        }

    def _write(self, put: dict, condition: str, values: dict, also: list[dict]) -> None:
        try:
            if also:
                put = {**put, "ConditionExpression": condition}
                if values:
                    put["ExpressionAttributeValues"] = values
                self.client.transact_write_items(TransactItems=[{"Put": put}, *also])
            else:
                extra = {"ExpressionAttributeValues": values} if values else {}
                self.client.put_item(**put, ConditionExpression=condition, **extra)
        except ClientError as error:
            if is_conflict(error):
                raise Conflict("Someone else changed this at the same moment.") from error
            raise

    def due(self, now: int, limit: int = 100) -> list[str]:
        """Ids of introductions whose next moment has come, oldest first, through the due index."""
        ids: list[str] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": "due",
            "KeyConditionExpression": "due_pk = :p AND due_at <= :now",
            "ExpressionAttributeValues": {":p": {"S": DUE_PARTITION}, ":now": {"N": str(now)}},
            "Limit": limit,
        }
        while len(ids) < limit:
            page = self.client.query(**kwargs)
            ids += [item["pk"]["S"].removeprefix("INTRO#") for item in page["Items"]]
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return ids[:limit]

    def count_hit(self, subject: str, window: int, limit: int) -> bool:
        """Counts one hit for `subject` in fixed window `window`; False once `limit` is reached.
        The counter item expires by TTL a day after its window."""
        try:
            self.client.update_item(
                TableName=self.table,
                Key=dump({"pk": f"RATE#{subject}", "sk": f"W#{window}"}),
                UpdateExpression="ADD hits :one SET expires_at = if_not_exists(expires_at, :exp)",
                ConditionExpression="attribute_not_exists(hits) OR hits < :limit",
                ExpressionAttributeValues=dump({":one": 1, ":limit": limit, ":exp": window * 3600 + 90_000}),
            )
            return True
        except ClientError as error:
            if is_conflict(error):
                return False
            raise

    # members and suppressions ------------------------------------------------------------------

    def member_name(self, email: str) -> str | None:
        found = self.client.get_item(
            TableName=self.table,
            Key=dump({"pk": f"MEMBER#{email}", "sk": "MEMBER"}),
            ProjectionExpression="#n",
            ExpressionAttributeNames={"#n": "name"},
        )
        return found["Item"]["name"]["S"] if "Item" in found else None

    def suppressed(self, hashes: Iterable[str], reasons: Iterable[str] | None = None) -> set[str]:
        """The hashes on the list; with `reasons`, only those listed for one of these reasons. A hash
        carrying the one its address had before canonical identities (domain.hashing.AddressHash) is
        found under either."""
        stored_as = {}
        for h in hashes:
            stored_as.setdefault(str(h), str(h))
            if getattr(h, "earlier", None):
                stored_as.setdefault(h.earlier, str(h))
        keys = [dump({"pk": f"SUPPRESS#{h}", "sk": "SUPPRESS"}) for h in stored_as]
        if not keys:
            return set()
        wanted = None if reasons is None else set(reasons)
        found = self.client.batch_get_item(
            RequestItems={self.table: {"Keys": keys, "ProjectionExpression": "pk, reasons"}}
        )
        return {
            stored_as[item["pk"]["S"].removeprefix("SUPPRESS#")]
            for item in found["Responses"].get(self.table, [])
            if wanted is None or wanted & set(item.get("reasons", {}).get("SS", []))
        }

    def suppress(self, address_hash: str, reason: str, now: int) -> None:
        """Idempotent: the first reason and time are kept, later notices only add their reason."""
        self.client.update_item(
            TableName=self.table,
            Key=dump({"pk": f"SUPPRESS#{address_hash}", "sk": "SUPPRESS"}),
            UpdateExpression="SET first_at = if_not_exists(first_at, :now) ADD reasons :r",
            ExpressionAttributeValues={":now": {"N": str(now)}, ":r": {"SS": [reason]}},
        )

    # the organisation's members ----------------------------------------------------------------

    def put_member(self, email: str, name: str, language: str | None = None) -> bool:
        """Adds or renames a member; False when they were already there as given. `language`: the one
        they read (domain.languages), "" to forget it, None to leave it as it is."""
        names, values = {"#n": "name"}, {":e": email, ":n": name, ":k": "member"}
        update, changed = "SET email = :e, #n = :n, kind = :k", "attribute_not_exists(pk) OR #n <> :n"
        if language is not None:
            names["#l"] = "language"
        if language:
            values[":l"] = language
            update += ", #l = :l"
            changed += " OR attribute_not_exists(#l) OR #l <> :l"
        elif language == "":
            update += " REMOVE #l"
            changed += " OR attribute_exists(#l)"
        try:
            self.client.update_item(
                TableName=self.table,
                Key=dump({"pk": f"MEMBER#{email}", "sk": "MEMBER"}),
                UpdateExpression=update,
                ConditionExpression=changed,
                ExpressionAttributeNames=names,
                ExpressionAttributeValues=dump(values),
            )
            return True
        except ClientError as error:
            if is_conflict(error):
                return False
            raise

    def member_language(self, email: str) -> str | None:
        """The language a member reads, when the members CSV said (members import)."""
        found = self.client.get_item(
            TableName=self.table,
            Key=dump({"pk": f"MEMBER#{email}", "sk": "MEMBER"}),
            ProjectionExpression="#l",
            ExpressionAttributeNames={"#l": "language"},
        )
        return found.get("Item", {}).get("language", {}).get("S")

    def remove_member(self, email: str) -> bool:
        answer = self.client.delete_item(
            TableName=self.table, Key=dump({"pk": f"MEMBER#{email}", "sk": "MEMBER"}), ReturnValues="ALL_OLD"
        )
        return "Attributes" in answer

    def members(self) -> list[tuple[str, str]]:
        """Every member as (email, name). Admin only: a filtered Scan, never on a request path."""
        found: list[tuple[str, str]] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "FilterExpression": "sk = :m",
            "ProjectionExpression": "email, #n",
            "ExpressionAttributeNames": {"#n": "name"},
            "ExpressionAttributeValues": {":m": {"S": "MEMBER"}},
        }
        while True:
            page = self.client.scan(**kwargs)
            found += [(item["email"]["S"], item["name"]["S"]) for item in page["Items"]]
            if "LastEvaluatedKey" not in page:
                return sorted(found)
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    # the organisation's figures ----------------------------------------------------------------

    def created_in(self, month: str) -> list[dict[str, Any]]:
        """Introductions requested in `month` ("YYYY-MM"), for the admin's statistics. The by_month
        index holds keys only (so a transition never pays for an index write); the items are then
        read in batches of 100."""
        keys: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table,
            "IndexName": "by_month",
            "KeyConditionExpression": "#m = :m",
            "ExpressionAttributeNames": {"#m": "month"},
            "ExpressionAttributeValues": {":m": {"S": month}},
        }
        while True:
            page = self.client.query(**kwargs)
            keys += [{"pk": item["pk"], "sk": item["sk"]} for item in page["Items"]]
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        found: list[dict[str, Any]] = []
        for start in range(0, len(keys), 100):
            wanted = {self.table: {"Keys": keys[start : start + 100]}}
            while wanted:
                page = self.client.batch_get_item(RequestItems=wanted)
                found += [load(item) for item in page["Responses"].get(self.table, [])]
                wanted = page.get("UnprocessedKeys") or {}
        return sorted(found, key=lambda item: item["created_at"])
