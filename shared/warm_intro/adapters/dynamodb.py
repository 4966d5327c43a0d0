"""The DynamoDB unit of work (services.unit_of_work): the only place that knows the table's keys,
builds its writes and turns its errors into domain exceptions.

A unit's staged writes go out as ONE conditional write: a single conditional PutItem when only one
item changes (half the cost of a transaction), else one TransactWriteItems. A cancelled transaction
is a Conflict only when its CancellationReasons say so: a versioned item's condition failed, or
another transaction held an item (TransactionConflict); a failed member check is NoLongerMember.
Anything else (throttling, validation) is an error, not a race, and is raised as it is."""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass
from enum import Enum
from typing import TYPE_CHECKING, Any

from boto3.dynamodb.types import TypeDeserializer, TypeSerializer
from botocore.exceptions import ClientError

from ..domain.errors import Conflict, NoLongerMember
from ..domain.model import Intro, Role
from ..domain.rules import Timings
from .codec import DUE_PARTITION, email_in, from_item, intro_id_of, intro_key, to_item

_ser = TypeSerializer()
_de = TypeDeserializer()


def dump(item: dict[str, Any]) -> dict[str, Any]:
    return {k: _ser.serialize(v) for k, v in item.items()}


def load(image: dict[str, Any]) -> dict[str, Any]:
    return {k: _de.deserialize(v) for k, v in image.items()}


def member_key(email: str) -> dict[str, str]:
    return {"pk": f"MEMBER#{email}", "sk": "MEMBER"}


def failed_condition(error: ClientError) -> bool:
    """A single conditional write whose condition did not hold."""
    return error.response["Error"]["Code"] == "ConditionalCheckFailedException"


class Checked(Enum):
    """What a write's condition guards, i.e. what its failure means."""

    NOTHING = "nothing"
    VERSION = "version"  # the item changed (or exists) since it was read: Conflict
    MEMBER = "member"  # a member the decision relies on was removed: NoLongerMember


@dataclass
class Staged:
    entry: dict[str, Any]  # one TransactItems entry: {"Put": ...}, {"Delete": ...}, {"ConditionCheck": ...}
    checked: Checked


class Writes:
    """A unit's staged writes, one per item (a transaction may touch an item once), in order; and the
    items written just before them (`put_first`)."""

    def __init__(self, table: str):
        self.table = table
        self.staged: dict[tuple[str, str], Staged] = {}
        self.first: dict[tuple[str, str], dict[str, Any]] = {}

    def put_first(self, item: dict[str, Any]) -> None:
        """Staged: an item nothing is conditioned on and that may exist without the rest of the unit,
        written (BatchWriteItem, 1 WRU a KB) before the unit's conditional write instead of inside its
        transaction (2 WRU a KB). For the per-person index: an entry is in place before the write
        that stores the address, so every stored address is findable; when that write fails, the
        entry names an introduction that does not exist, which every reader of the index skips."""
        self.first[(item["pk"], item["sk"])] = dump(item)

    def put(self, item: dict[str, Any], expect_version: int | None = None, new: bool = False) -> None:
        put: dict[str, Any] = {"TableName": self.table, "Item": dump(item)}
        checked = Checked.NOTHING
        if new:
            put["ConditionExpression"], checked = "attribute_not_exists(pk)", Checked.VERSION
        elif expect_version is not None:
            put["ConditionExpression"], checked = "v = :v", Checked.VERSION
            put["ExpressionAttributeValues"] = {":v": {"N": str(expect_version)}}
        key = (item["pk"], item["sk"])
        if checked is Checked.VERSION and key in self.staged:
            raise ValueError(f"one unit of work writes {key} once (a transaction may touch an item once)")
        self.staged[key] = Staged({"Put": put}, checked)

    def delete(self, key: dict[str, str]) -> None:
        self.staged[(key["pk"], key["sk"])] = Staged(
            {"Delete": {"TableName": self.table, "Key": dump(key)}}, Checked.NOTHING
        )

    def require_member(self, email: str) -> None:
        key = member_key(email)
        check = {"TableName": self.table, "Key": dump(key), "ConditionExpression": "attribute_exists(pk)"}
        self.staged.setdefault((key["pk"], key["sk"]), Staged({"ConditionCheck": check}, Checked.MEMBER))

    def commit(self, client: Any) -> None:
        first, self.first = list(self.first.values()), {}
        write_batches(client, self.table, [{"PutRequest": {"Item": item}} for item in first])
        staged, self.staged = list(self.staged.values()), {}
        if not staged:
            return
        try:
            if len(staged) == 1 and "Put" in staged[0].entry:
                client.put_item(**staged[0].entry["Put"])
            elif len(staged) == 1 and "Delete" in staged[0].entry:
                client.delete_item(**staged[0].entry["Delete"])
            else:
                client.transact_write_items(TransactItems=[s.entry for s in staged])
        except ClientError as error:
            raise _translated(error, staged) from error


def write_batches(client: Any, table: str, requests: list[dict[str, Any]]) -> None:
    """BatchWriteItem, 25 requests at a time; what DynamoDB hands back under load is sent again, after
    a pause that doubles each time (as AWS advises), until all is done: nothing follows before that."""
    for start in range(0, len(requests), 25):
        left, pause = {table: requests[start : start + 25]}, 0.05
        while left := client.batch_write_item(RequestItems=left).get("UnprocessedItems") or {}:
            time.sleep(pause)
            pause = min(2 * pause, 1.0)


def _translated(error: ClientError, staged: list[Staged]) -> Exception:
    code = error.response["Error"]["Code"]
    if code == "ConditionalCheckFailedException" and staged[0].checked is Checked.VERSION:
        return Conflict("Someone else changed this at the same moment.")
    if code != "TransactionCanceledException":
        return error
    reasons = [r.get("Code", "None") for r in error.response.get("CancellationReasons", [])]
    failed = {
        s.checked for s, reason in zip(staged, reasons, strict=False) if reason == "ConditionalCheckFailed"
    }
    if Checked.VERSION in failed or "TransactionConflict" in reasons:
        return Conflict("Someone else changed this at the same moment.")
    if Checked.MEMBER in failed:
        return NoLongerMember("A member this relies on was removed at the same moment.")
    return error


class Table:
    """The client, the table's name and the timings that decide an introduction's due time."""

    def __init__(self, client: Any, name: str, timings: Timings):
        self.client, self.name, self.timings = client, name, timings

    def query_all(self, **kwargs: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            page = self.client.query(TableName=self.name, **kwargs)
            items += page["Items"]
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def scan_all(self, **kwargs: Any) -> list[dict[str, Any]]:
        items: list[dict[str, Any]] = []
        while True:
            page = self.client.scan(TableName=self.name, **kwargs)
            items += page["Items"]
            if "LastEvaluatedKey" not in page:
                return items
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]

    def batch_get(self, keys: list[dict[str, Any]], **extra: Any) -> list[dict[str, Any]]:
        """Every item found, 100 keys a call, unprocessed keys asked again."""
        found: list[dict[str, Any]] = []
        for start in range(0, len(keys), 100):
            wanted = {self.name: {"Keys": [dump(k) for k in keys[start : start + 100]], **extra}}
            while wanted:
                page = self.client.batch_get_item(RequestItems=wanted)
                found += [load(item) for item in page["Responses"].get(self.name, [])]
                wanted = page.get("UnprocessedKeys") or {}
        return found


class DynamoIntros:
    def __init__(self, table: Table, writes: Writes, now: int, known: Iterable[Intro] = ()):
        self.table, self.writes, self.now = table, writes, now
        self.known = {intro.id: intro for intro in known}

    def get(self, intro_id: str) -> Intro | None:
        if intro_id in self.known:
            return self.known.pop(intro_id)
        found = self.table.client.get_item(
            TableName=self.table.name, Key=dump(intro_key(intro_id)), ConsistentRead=True
        )
        return from_item(load(found["Item"])) if "Item" in found else None

    def add(self, intro: Intro, *, members: Iterable[str] = ()) -> None:
        self.writes.put(to_item(intro, self.table.timings), new=True)
        for email in members:
            self.writes.require_member(email)

    def save(self, intro: Intro, *, members: Iterable[str] = ()) -> Intro:
        """`members` are read (consistently, after the introduction was) instead of checked in the
        write: a ConditionCheck made the decision a transaction at 2 WRU per member. The moment between
        this read and the write is closed by the removal, which touches every open introduction of the
        member and of their aliases after deleting the member (services.membership.remove): a write on
        the version read before that touch fails, and its retry reads the member gone."""
        self._still_members(members)
        written = intro.evolve(version=intro.version + 1, updated_at=self.now)
        self.writes.put(to_item(written, self.table.timings), expect_version=intro.version)
        return written

    def _still_members(self, emails: Iterable[str]) -> None:
        wanted = list(dict.fromkeys(emails))
        if not wanted:
            return
        found = self.table.batch_get(
            [member_key(email) for email in wanted], ConsistentRead=True, ProjectionExpression="pk"
        )
        if len(found) < len(wanted):
            raise NoLongerMember("A member this relies on was removed at the same moment.")

    def due(self, now: int, limit: int = 100) -> list[str]:
        ids: list[str] = []
        kwargs: dict[str, Any] = {
            "TableName": self.table.name,
            "IndexName": "due",
            "KeyConditionExpression": "due_pk = :p AND due_at <= :now",
            "ExpressionAttributeValues": {":p": {"S": DUE_PARTITION}, ":now": {"N": str(now)}},
            "Limit": limit,
        }
        while len(ids) < limit:
            page = self.table.client.query(**kwargs)
            ids += [intro_id_of(item["pk"]["S"]) for item in page["Items"]]
            if "LastEvaluatedKey" not in page:
                break
            kwargs["ExclusiveStartKey"] = page["LastEvaluatedKey"]
        return ids[:limit]

    def created_in(self, month: str) -> list[Intro]:
        """The by_month index holds keys only (so a transition never pays for an index write); the
        items are then read in batches of 100."""
        keys = self.table.query_all(
            IndexName="by_month",
            KeyConditionExpression="#m = :m",
            ExpressionAttributeNames={"#m": "month"},
            ExpressionAttributeValues={":m": {"S": month}},
        )
        found = self.table.batch_get([{"pk": k["pk"]["S"], "sk": k["sk"]["S"]} for k in keys])
        return sorted(map(from_item, found), key=lambda intro: intro.created_at)

    def stored_addresses(self) -> list[tuple[str, Role, str]]:
        items = self.table.scan_all(
            FilterExpression="sk = :i",
            ProjectionExpression="pk, requester, connector, target",
            ExpressionAttributeValues={":i": {"S": "INTRO"}},
        )
        return [
            (intro_id_of(item["pk"]), role, email)
            for item in map(load, items)
            for role in (Role.REQUESTER, Role.CONNECTOR, Role.TARGET)
            if (email := email_in(item.get(role.value, {})))
        ]

    def unscheduled(self) -> list[str]:
        items = self.table.scan_all(
            FilterExpression="sk = :i AND attribute_not_exists(due_at)",
            ProjectionExpression="pk",
            ExpressionAttributeValues={":i": {"S": "INTRO"}},
        )
        return [intro_id_of(i["pk"]["S"]) for i in items]


class DynamoRates:
    def __init__(self, table: Table):
        self.table = table

    def hit(self, subject: str, window: int, limit: int) -> bool:
        """The counter item expires by TTL a day after its window."""
        try:
            self.table.client.update_item(
                TableName=self.table.name,
                Key=dump({"pk": f"RATE#{subject}", "sk": f"W#{window}"}),
                UpdateExpression="ADD hits :one SET expires_at = if_not_exists(expires_at, :exp)",
                ConditionExpression="attribute_not_exists(hits) OR hits < :limit",
                ExpressionAttributeValues=dump({":one": 1, ":limit": limit, ":exp": window * 3600 + 90_000}),
            )
            return True
        except ClientError as error:
            if failed_condition(error):
                return False
            raise


class DynamoUnit:
    def __init__(self, table: Table, now: int, known: Iterable[Intro] = ()):
        from .agreements import DynamoWelcomes
        from .ledger import DynamoLedgers
        from .people import DynamoPeople
        from .sessions import DynamoSessions

        self.table, self.now, self.timings = table, now, table.timings
        self.writes = Writes(table.name)
        self.intros = DynamoIntros(table, self.writes, now, known)
        self.ledgers = DynamoLedgers(table, self.writes)
        self.people = DynamoPeople(table, self.writes)
        self.rates = DynamoRates(table)
        self.sessions = DynamoSessions(table.client, table.name)
        self.welcomes = DynamoWelcomes(table.client, table.name)

    def commit(self) -> None:
        self.writes.commit(self.table.client)


class Repository:
    """The store (services.unit_of_work.Store) over one table: `begin(now)` opens a unit of work. The
    reads and the at-once writes below are what the admin CLI, the handlers and tests use directly."""

    def __init__(self, client: Any, table: str, timings: Timings):
        self.client, self.table, self.timings = client, table, timings
        self._table = Table(client, table, timings)

    def begin(self, now: int, known: Iterable[Intro] = ()) -> DynamoUnit:
        return DynamoUnit(self._table, now, known)

    def _unit(self) -> DynamoUnit:
        return DynamoUnit(self._table, 0)

    def get(self, intro_id: str) -> Intro | None:
        return self._unit().intros.get(intro_id)

    def due(self, now: int, limit: int = 100) -> list[str]:
        return self._unit().intros.due(now, limit)

    def created_in(self, month: str) -> list[Intro]:
        return self._unit().intros.created_in(month)

    def member_name(self, email: str) -> str | None:
        return self._unit().people.member_name(email)

    def suppressed(self, hashes: Iterable[str], reasons: Iterable[str] | None = None) -> set[str]:
        return self._unit().people.suppressed(hashes, reasons)

    def suppress(self, address_hash: str, reason: str, now: int) -> None:
        self._unit().people.suppress(address_hash, reason, now)

    def put_member(self, email: str, name: str, language: str | None = None) -> bool:
        return self._unit().people.add_member(email, name, language)

    def member_language(self, email: str) -> str | None:
        return self._unit().people.member_language(email)

    def remove_member(self, email: str) -> bool:
        return self._unit().people.remove_member(email)

    def members(self) -> list[tuple[str, str]]:
        return self._unit().people.members()


if TYPE_CHECKING:
    from ..services.unit_of_work import Store

    def _a_store(repository: Repository) -> Store:  # the type checker holds the adapter to the port
        return repository
