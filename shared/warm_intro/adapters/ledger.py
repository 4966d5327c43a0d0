"""The limit ledgers in the table (services.unit_of_work.Ledgers). Keys are keyed hashes, never addresses.

    LEDGER#R#<hash>  sk LEDGER          a requester's asks
    LEDGER#C#<hash>  sk LEDGER          a connector's asks this week and the asks held for room;
                                        while any are held, in the `due` index under partition "held"
    LEDGER#T#<hash>  sk LEDGER          the asks a target address had in 30 days
    LEDGER#M#<hash>  sk LEDGER          the address's unanswered confirmation, its sends today, the
                                        waiting requests (domain.confirmations); expires by TTL

Each is written on the version read, in the introduction's transaction."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, cast

from ..domain.confirmations import ConfirmationLedger
from ..domain.limits import Ask, ConnectorLedger, RequesterLedger, TargetLedger
from ..domain.model import Role
from ..services.unit_of_work import Book, Entry, Found, Ledger, LedgerOf
from .dynamodb import Repository, Table, Writes, dump, load

HELD_PARTITION = "held"
_LETTER = {Book.REQUESTER: "R", Book.CONNECTOR: "C", Book.TARGET: "T", Book.CONFIRMATIONS: "M"}
_BOOK = {letter: book for book, letter in _LETTER.items()}


def ledger_key(ref: LedgerOf) -> str:
    return f"LEDGER#{_LETTER[ref.book]}#{ref.person}"


def ledger_of(key: str) -> LedgerOf:
    letter, _, person = key.removeprefix("LEDGER#").partition("#")
    return LedgerOf(_BOOK[letter], person)


class DynamoLedgers:
    def __init__(self, table: Table, writes: Writes):
        self.table, self.writes = table, writes

    def read(self, *refs: LedgerOf) -> Found:
        found = self.table.batch_get(
            [{"pk": ledger_key(r), "sk": "LEDGER"} for r in refs], ConsistentRead=True
        )
        items = {i["pk"]: i for i in found}
        return Found({r: _from_item(r.book, items.get(ledger_key(r))) for r in refs})

    def get[L: Ledger](self, ref: LedgerOf[L]) -> L:
        found = self.table.client.get_item(
            TableName=self.table.name, Key=dump({"pk": ledger_key(ref), "sk": "LEDGER"}), ConsistentRead=True
        )
        ledger = _from_item(ref.book, load(found["Item"]) if "Item" in found else None)
        return cast(L, ledger)  # decoded by ref.book, which L follows

    def save[L: Ledger](
        self, ref: LedgerOf[L], ledger: L, *, due_at: int | None = None, expires_at: int | None = None
    ) -> L:
        written = replace(ledger, version=ledger.version + 1)
        item = {"pk": ledger_key(ref), "sk": "LEDGER", "v": written.version, **_to_item(ledger)}
        if due_at is not None:
            item.update(due_pk=HELD_PARTITION, due_at=due_at)
        if expires_at is not None:
            item["expires_at"] = expires_at
        # A ledger never written reads as version 0: it is written only if it is still not there.
        self.writes.put(item, expect_version=ledger.version, new=ledger.version == 0)
        return written

    def held_due(self, now: int, limit: int = 25) -> list[LedgerOf[ConnectorLedger]]:
        found = self.table.client.query(
            TableName=self.table.name,
            IndexName="due",
            Limit=limit,
            KeyConditionExpression="due_pk = :p AND due_at <= :now",
            ExpressionAttributeValues={":p": {"S": HELD_PARTITION}, ":now": {"N": str(now)}},
        )
        return [LedgerOf(Book.CONNECTOR, ledger_of(i["pk"]["S"]).person) for i in found["Items"]]


class Ledgers:
    """The raw per-person index as stored, for tests that look at the table itself."""

    def __init__(self, repo: Repository):
        self.unit = repo.begin(0)

    def person_entries(self, address_hash: str) -> list[dict[str, Any]]:
        return [{"intro": e.intro, "role": e.role.value} for e in self.unit.people.entries(address_hash)]

    def move_entry(self, intro_id: str, role: Role, old: str, new: str) -> bool:
        return self.unit.people.move(Entry(old, intro_id, role), new)


def _to_item(ledger: Ledger) -> dict[str, Any]:
    if isinstance(ledger, ConfirmationLedger):
        item: dict[str, Any] = {
            "sent": list(ledger.sent),
            "held": [{"id": i, "at": at} for i, at in ledger.held],
            "out_at": ledger.outstanding_at,
        }
        if ledger.outstanding:
            item["out"] = ledger.outstanding
        return item
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


def _from_item(book: Book, item: dict[str, Any] | None) -> Ledger:
    item = item or {}
    version = int(item.get("v", 0))
    if book is Book.CONFIRMATIONS:
        return ConfirmationLedger(
            version=version,
            outstanding=item.get("out"),
            outstanding_at=int(item.get("out_at", 0)),
            sent=tuple(int(at) for at in item.get("sent", [])),
            held=tuple((h["id"], int(h["at"])) for h in item.get("held", [])),
        )
    if book is Book.REQUESTER:
        asks = tuple(
            Ask(a["id"], int(a["at"]), a.get("e"), a["n"], bool(a["o"]), int(a["b"]) if "b" in a else None)
            for a in item.get("asks", [])
        )
        return RequesterLedger(version, asks)
    if book is Book.CONNECTOR:
        return ConnectorLedger(
            version, tuple(int(a) for a in item.get("asks", [])), tuple(item.get("held", []))
        )
    return TargetLedger(version, tuple(int(a) for a in item.get("asks", [])))
